""" "The people an HR manager may see" means one thing wherever it is asked.

One department's HR manager, with someone in the department itself, someone in a division
below it, someone who left (account deactivated), someone in the sibling department, someone
in the ministry above and someone placed nowhere. `people.permissions` (visible_people,
can_view_person, visible_people_in), an assignment's audience, the dashboard's staff figure
and people table, the evidence import and the competency profile page must all draw the
line in the same place: the department's subtree. Deactivated people stay visible (their
records are still the agency's) but are not counted or assigned as staff.
"""

import pytest
from django.urls import reverse
from django.utils import timezone

from analytics.selectors.agency import dashboard
from analytics.selectors.contract import DashboardFilters
from analytics.services import aggregates_rebuild
from assignments.selectors import assignment_audience
from competencies.evidence_import import evidence_import_check
from competencies.tests import builders
from lms.thai_calendar import fiscal_year_of
from people.permissions import can_view_person, visible_people, visible_people_in
from people.services import role_assign
from people.tests.factories import hr_manager_of, learner, learner_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def department(public_service):
    units = public_service
    people = {
        label: learner_in(units[unit], first_name=label, last_name="Tester", email=f"{label}@agency.go.th")
        for label, unit in [
            ("placed", "DEPT-A1"),
            ("below", "DIV-A1-HR"),
            ("left", "DIV-A1-ICT"),
            ("beside", "DEPT-A2"),
            ("above", "MIN-A"),
        ]
    }
    people["left"].is_active = False
    people["left"].save()
    people["nowhere"] = learner(first_name="nowhere", email="nowhere@agency.go.th")
    admin = learner(email="admin@agency.go.th")
    role_assign(user=admin, role="platform_admin")
    return {
        "units": units,
        "people": people,
        "manager": hr_manager_of(units["DEPT-A1"], preferred_language="en"),
        "division_manager": hr_manager_of(units["DIV-A1-HR"]),
        "admin": admin,
    }


def names(users) -> set[str]:
    return {user.first_name for user in users}


def test_every_scope_check_draws_the_line_at_the_managers_subtree(department, client):
    units, people, manager = department["units"], department["people"], department["manager"]
    in_scope = {"placed", "below", "left"}
    staff_in_scope = in_scope - {"left"}

    # The rule itself, and the same rule person by person.
    assert names(visible_people(manager)) == in_scope
    for label, person in people.items():
        assert can_view_person(manager, person) == (label in in_scope), label
    assert names(visible_people_in(manager, units["DIV-A1-HR"])) == {"below"}
    assert names(visible_people_in(manager, units["DEPT-A2"])) == set()
    # A manager of a unit inside the department sees only that unit; an administrator, everyone.
    assert names(visible_people(department["division_manager"])) == {"below"}
    assert names(visible_people(department["admin"])) >= set(people)

    # An assignment of the department covers its staff: the visible people whose account is active.
    assert names(assignment_audience(unit=units["DEPT-A1"])) == staff_in_scope
    assert names(visible_people(manager).filter(is_active=True)) == staff_in_scope

    # The dashboard counts and lists the same staff.
    aggregates_rebuild(resume=False)
    board = dashboard(
        viewer=manager,
        filters=DashboardFilters(
            fiscal_year=fiscal_year_of(timezone.localdate()).year, unit_id=units["DEPT-A1"].pk
        ),
        full_lists=True,
    )
    figures = {figure.key: figure.value for figure in board.figures}
    assert figures["staff"] == len(staff_in_scope)
    assert {row[0] for row in board.tables["people"].rows} == {
        people[label].full_name() for label in staff_in_scope
    }
    # A unit outside the scope is ignored, never widened to: the same staff.
    outside = dashboard(
        viewer=manager,
        filters=DashboardFilters(
            fiscal_year=fiscal_year_of(timezone.localdate()).year, unit_id=units["DEPT-A2"].pk
        ),
    )
    assert {figure.key: figure.value for figure in outside.figures}["staff"] == len(staff_in_scope)

    # The evidence import refuses exactly the rows of the people the manager may not see
    # (row 1 is the header; a file with a problem records nothing).
    framework = builders.framework(code="TPQI", version="2024", levels=4)
    builders.node(framework, "A1", "Using devices", parent=builders.node(framework, "A", "Digital"))
    lines = [f"{person.email},TPQI,A1,2,2026-01-15,," for person in people.values()]
    data = ("\n".join(["email,framework,competency,level,achieved,valid_until,note", *lines]) + "\n").encode()
    check = evidence_import_check(name="evidence.csv", data=data, importer=manager)
    refused = {(problem.row, problem.column) for problem in check.problems}
    assert refused == {(row, "email") for row, label in enumerate(people, start=2) if label not in in_scope}
    in_scope_only = [line for line, label in zip(lines, people, strict=True) if label in in_scope]
    data = (
        "\n".join(["email,framework,competency,level,achieved,valid_until,note", *in_scope_only]) + "\n"
    ).encode()
    assert names(
        row.person for row in evidence_import_check(name="e.csv", data=data, importer=manager).rows
    ) == (in_scope)

    # The competency profile of a staff member opens for exactly the same people.
    client.force_login(manager)
    for label, person in people.items():
        response = client.get(reverse("competencies:person", args=[person.pk]))
        assert response.status_code == (200 if label in in_scope else 404), label
