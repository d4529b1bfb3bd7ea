""" "Overdue" means one thing wherever an HR manager or a learner reads it.

One department with every edge case (due today, due yesterday, completed late, completed on
time, withdrawn, deactivated account, another department, no due date, a self-enrolment with
a due date typed by an administrator); the dashboard's headline, its people and overdue
tables, the overdue export, the assignment pages, the manager's digest e-mail, the learner's
"my learning" badge and `Enrolment.is_overdue` must all name the same people: the one late
learner of the department.
"""

import csv
import datetime as dt
import io
import zoneinfo

import pytest
from django.urls import reverse
from django.utils import timezone

from analytics.exports import table_csv
from analytics.selectors.agency import dashboard
from analytics.selectors.contract import DashboardFilters
from analytics.services import aggregates_rebuild
from assignments.selectors import MemberFilter, assignment_compliance, assignment_members
from assignments.services.assignments import assignment_create
from assignments.services.reminders import reminders_send
from courses.models import Enrolment
from courses.selectors import course_lessons, my_learning
from courses.services import lesson_progress_record
from courses.tests.factories import course_with_lessons
from lms.thai_calendar import fiscal_year_of
from people.tests.factories import hr_manager_of, learner_in

pytestmark = pytest.mark.django_db

BANGKOK = zoneinfo.ZoneInfo("Asia/Bangkok")
TODAY = timezone.localdate()
YESTERDAY = TODAY - dt.timedelta(days=1)
A_MONTH_AGO = TODAY - dt.timedelta(days=30)


def assigned(*, manager, unit, course, due_date, people=None):
    """An assignment made a month ago (the service refuses past due dates as of today)."""
    return assignment_create(
        created_by=manager, course=course, unit=unit, due_date=due_date, people=people, today=A_MONTH_AGO
    )


def finish(person, course, *, on: dt.date | None = None) -> None:
    enrolment = Enrolment.objects.get(user=person, course=course, status=Enrolment.Status.ACTIVE)
    lesson_progress_record(enrolment=enrolment, lesson=course_lessons(course=course)[0], reached_end=True)
    if on is not None:
        completed_at = dt.datetime.combine(on, dt.time(10), tzinfo=BANGKOK)
        Enrolment.objects.filter(pk=enrolment.pk).update(completed_at=completed_at)


@pytest.fixture
def department(public_service):
    units = public_service
    manager = hr_manager_of(units["DEPT-A1"], preferred_language="en")
    other_manager = hr_manager_of(units["DEPT-A2"])
    course = course_with_lessons(lessons=1, title_en="PDPA")
    people = {
        label: learner_in(units[unit], first_name=label, last_name="Tester")
        for label, unit in [
            ("late", "DIV-A1-HR"),
            ("due_today", "DIV-A1-HR"),
            ("completed_late", "DIV-A1-ICT"),
            ("completed_on_time", "DIV-A1-ICT"),
            ("withdrawn", "DEPT-A1"),
            ("deactivated", "DEPT-A1"),
            ("no_due_date", "DEPT-A1"),
            ("self_enrolled", "DEPT-A1"),
            ("other_department", "DEPT-A2"),
        ]
    }
    late_ones = [
        people[label] for label in ("late", "completed_late", "completed_on_time", "withdrawn", "deactivated")
    ]
    main = assigned(
        manager=manager, unit=units["DEPT-A1"], course=course, due_date=YESTERDAY, people=late_ones
    )
    assigned(
        manager=manager, unit=units["DEPT-A1"], course=course, due_date=TODAY, people=[people["due_today"]]
    )
    assigned(manager=other_manager, unit=units["DEPT-A2"], course=course, due_date=YESTERDAY)
    finish(people["completed_late"], course)
    finish(people["completed_on_time"], course, on=YESTERDAY - dt.timedelta(days=3))
    Enrolment.objects.filter(user=people["withdrawn"]).update(status=Enrolment.Status.WITHDRAWN)
    people["deactivated"].is_active = False
    people["deactivated"].save()
    Enrolment.objects.create(
        user=people["no_due_date"], course=course, source=Enrolment.Source.ASSIGNMENT, due_date=None
    )
    Enrolment.objects.create(
        user=people["self_enrolled"], course=course, source=Enrolment.Source.SELF, due_date=YESTERDAY
    )
    aggregates_rebuild(resume=False)
    return {"manager": manager, "assignment": main, "course": course, "people": people, "units": units}


def test_every_page_figure_export_and_e_mail_names_the_same_overdue_people(department, client, mailoutbox):
    manager, people = department["manager"], department["people"]
    late = people["late"]
    expected_names = {late.full_name()}

    # The rule itself, and the same rule on each loaded enrolment.
    overdue = Enrolment.objects.overdue(on=TODAY)
    assert set(overdue.values_list("user", flat=True)) == {late.pk, people["other_department"].pk}
    for enrolment in Enrolment.objects.select_related("user"):
        assert enrolment.is_overdue == overdue.filter(pk=enrolment.pk).exists(), enrolment.user.first_name

    # The dashboard: headline figure, people table, overdue table, and the overdue export.
    filters_unit = department["units"]["DEPT-A1"].pk
    board = dashboard(
        viewer=manager,
        filters=DashboardFilters(fiscal_year=fiscal_year_of(TODAY).year, unit_id=filters_unit),
        full_lists=True,
    )
    figures = {figure.key: figure.value for figure in board.figures}
    assert figures["overdue"] == 1
    overdue_table = board.tables["overdue"]
    assert {row[0] for row in overdue_table.rows} == expected_names
    people_table = board.tables["people"]
    overdue_column = [column.key for column in people_table.columns].index("overdue")
    assert {row[0] for row in people_table.rows if row[overdue_column]} == expected_names
    exported = list(csv.reader(io.StringIO(table_csv(overdue_table).decode("utf-8-sig"))))
    assert {row[0] for row in exported[1:]} == expected_names

    # The assignment pages: the compliance count, the "overdue" filter and the status shown.
    assignment = department["assignment"]
    assert assignment_compliance(assignment=assignment).overdue == 1
    listed = assignment_members(assignment=assignment, show=MemberFilter.OVERDUE)
    assert {member.user.full_name() for member in listed} == expected_names
    client.force_login(manager)
    html = client.get(reverse("assignments:detail", args=[assignment.pk])).content.decode()
    rows_marked_overdue = [
        row for row in html.split("<tr data-member=")[1:] if 'class="overdue"' in row.split("</tr>")[0]
    ]
    assert [row.split('"')[1] for row in rows_marked_overdue] == [late.email]

    # The manager's digest e-mail.
    reminders_send(now=dt.datetime.combine(TODAY, dt.time(9), tzinfo=BANGKOK))
    [digest] = [mail for mail in mailoutbox if mail.to == [manager.email]]
    named = {person.email for person in people.values() if person.email in digest.body}
    assert named == {late.email}
    assert digest.subject == "1 person in your units is overdue with assigned courses"

    # Each learner's own "my learning" badge.
    for label, person in people.items():
        overdue_here = person in (late, people["other_department"])
        assert my_learning(user=person).overdue_count == (1 if overdue_here else 0), label
