"""The agency dashboard (/dashboard/): what an HR manager and a platform administrator see,
read from aggregate cells written here directly; scoping (never a unit, person or number
outside the viewer's scope), filters, figures, drill-down, and the cost of a page."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from analytics.forms import dashboard_filters_from
from analytics.models import SNAPSHOT, AggregateCell, Measure, PersonContribution
from analytics.selectors.agency import dashboard, month_label
from analytics.selectors.contract import DashboardFilters
from competencies.models import CompetencyFramework, CompetencyNode
from courses.models import Enrolment
from courses.tests.factories import complete, course_with_lessons
from lms.thai_calendar import current_fiscal_year
from organisations.tests.factories import ContentPartnerFactory
from people.civil_service import EmploymentType, PositionType
from people.models import Role, RoleAssignment
from people.tests.factories import RoleGroupFactory, UserFactory, hr_manager_of, learner_in

pytestmark = pytest.mark.django_db

FY = current_fiscal_year().year


# ---------------------------------------------------------------------------
# Writing the aggregates by hand (h3's code fills them from events in the product)
# ---------------------------------------------------------------------------


def cell(
    unit, measure: str, value: int, *, fy: int | None = None, item: int = 0, **dimensions
) -> AggregateCell:
    """Add `value` to one cell. Snapshot measures default to fiscal year 0, the others to the current one."""
    snapshot = measure in {
        Measure.STAFF,
        Measure.OVERDUE,
        Measure.OVERDUE_PEOPLE,
        Measure.COMPETENCY_REQUIRED,
        Measure.COMPETENCY_MET,
    }
    found, _created = AggregateCell.objects.get_or_create(
        fiscal_year=fy if fy is not None else (SNAPSHOT if snapshot else FY),
        unit=unit,
        measure=measure,
        item=item,
        position_type=dimensions.get("position_type", ""),
        role_group_id=dimensions.get("role_group_id", 0),
        employment_type=dimensions.get("employment_type", EmploymentType.CIVIL_SERVANT),
    )
    found.value += value
    found.save()
    return found


def cells(unit, *, fy: int | None = None, **measures) -> None:
    """Several measures of one unit at once: cells(unit, staff=3, completions=2)."""
    dimensions = {
        k: measures.pop(k) for k in ("position_type", "role_group_id", "employment_type") if k in measures
    }
    for measure, value in measures.items():
        cell(unit, measure, value, fy=fy, **dimensions)


def contribution(user, *, fy: int = FY, **numbers) -> PersonContribution:
    """What a person contributes, as h3's code stores it ("fiscal_year:measure:item" → number).
    Keys: completions, hours (tenths), overdue, required=[node ids], met=[node ids]."""
    profile = user.profile
    values = {f"{SNAPSHOT}:{Measure.STAFF}:0": 1}
    if "completions" in numbers:
        values[f"{fy}:{Measure.COMPLETIONS}:0"] = numbers["completions"]
    if "hours" in numbers:
        values[f"{fy}:{Measure.HOURS}:0"] = numbers["hours"]
    if "overdue" in numbers:
        values[f"{SNAPSHOT}:{Measure.OVERDUE}:0"] = numbers["overdue"]
    for node_id in numbers.get("required", []):
        values[f"{SNAPSHOT}:{Measure.COMPETENCY_REQUIRED}:{node_id}"] = 1
    for node_id in numbers.get("met", []):
        values[f"{SNAPSHOT}:{Measure.COMPETENCY_MET}:{node_id}"] = 1
    return PersonContribution.objects.create(
        user=user,
        unit=numbers.get("unit", profile.unit),
        position_type=profile.position_type,
        role_group_id=profile.role_group_id or 0,
        employment_type=profile.employment_type,
        values=values,
    )


def figures_of(board) -> dict:
    return {figure.key: figure.value for figure in board.figures}


def figure_on_page(html: str, key: str) -> str:
    match = re.search(rf'data-figure="{key}">.*?figure-card__number">([^<]*)', html, re.S)
    return match.group(1).strip()


def english(**fields):
    return {"preferred_language": "en", **fields}


@pytest.fixture(autouse=True)
def in_english():
    """Selectors called directly speak the active language; these tests read English names."""
    with translation.override("en"):
        yield


@pytest.fixture
def tree(public_service):
    """The public service fixture with readable English names and numbers in every unit:
    DEPT-A1's divisions have 3 and 2 staff, DEPT-A2 has 7, MIN-B's department 777."""
    names = {
        "MIN-A": "Ministry Alpha",
        "DEPT-A1": "Department Alpha One",
        "DIV-A1-HR": "Division Alpha One HR",
        "DIV-A1-ICT": "Division Alpha One ICT",
        "DEPT-A2": "Department Alpha Two",
        "DIV-A2-HR": "Division Alpha Two HR",
        "MIN-B": "Ministry Bravo",
        "DEPT-B1": "Department Bravo One",
        "PUB-C": "Public Organisation Charlie",
    }
    for code, unit in public_service.items():
        unit.name_en = names[code]
        unit.save()
    cells(public_service["DIV-A1-HR"], staff=3, active=2, completions=4, learners_completed=2, hours=60,
          mandatory_due=4, mandatory_done=3, overdue=1)  # fmt: skip
    cells(public_service["DIV-A1-ICT"], staff=2, active=1, completions=1, learners_completed=1, hours=15,
          mandatory_due=0, mandatory_done=0)  # fmt: skip
    cells(public_service["DIV-A2-HR"], staff=7, active=7, completions=70, hours=700)
    cells(public_service["DEPT-B1"], staff=777, active=555, completions=999, hours=9990, overdue=333)
    return public_service


@pytest.fixture
def manager_a1(tree):
    return hr_manager_of(tree["DEPT-A1"], **english())


@pytest.fixture
def admin():
    user = UserFactory(**english())
    RoleAssignment.objects.create(user=user, role=Role.PLATFORM_ADMIN)
    return user


def page(client, user, **params) -> str:
    client.force_login(user)
    response = client.get(reverse("analytics:dashboard"), params)
    assert response.status_code == 200
    return response.content.decode()


# ---------------------------------------------------------------------------
# Scoping
# ---------------------------------------------------------------------------


def test_an_hr_manager_sees_their_department_and_nothing_of_another(client, tree, manager_a1):
    board = dashboard(viewer=manager_a1, filters=DashboardFilters(fiscal_year=FY))
    assert board.scope_label == "Department Alpha One"
    assert figures_of(board)["staff"] == 5
    assert [row[0] for row in board.tables["by_unit"].rows] == [
        "Division Alpha One HR",
        "Division Alpha One ICT",
    ]

    html = page(client, manager_a1)
    assert figure_on_page(html, "staff") == "5"
    assert figure_on_page(html, "completions") == "5"
    for foreign in ("Department Alpha Two", "Ministry Bravo", "Department Bravo One", "Ministry Alpha"):
        assert foreign not in html
    for foreign_number in ("777", "555", "999", "333", "70"):
        assert f">{foreign_number}<" not in html


def test_a_unit_of_another_department_given_by_hand_is_ignored(client, tree, manager_a1):
    foreign = tree["DEPT-B1"]
    html = page(client, manager_a1, unit=foreign.pk)
    assert "Department Bravo One" not in html
    assert figure_on_page(html, "staff") == "5"  # still their own department, not widened
    assert "Not shown:" in html  # the form says the choice was not accepted

    assert dashboard_filters_from(_request(manager_a1, unit=foreign.pk)).unit_id is None
    board = dashboard(viewer=manager_a1, filters=DashboardFilters(fiscal_year=FY, unit_id=foreign.pk))
    assert figures_of(board)["staff"] == 5
    assert "people" not in board.tables  # no list of the foreign unit's people
    # Above their scope too: the ministry their department belongs to.
    board = dashboard(viewer=manager_a1, filters=DashboardFilters(fiscal_year=FY, unit_id=tree["MIN-A"].pk))
    assert figures_of(board)["staff"] == 5
    assert board.scope_label == "Department Alpha One"


def test_the_people_list_shows_only_people_the_manager_may_see(client, tree, manager_a1):
    division = tree["DIV-A1-HR"]
    mine = learner_in(division, first_name_en="Malee", last_name_en="Inscope", **english())
    contribution(mine, completions=2, hours=35, overdue=1)
    stranger = learner_in(tree["DEPT-B1"], first_name_en="Somsak", last_name_en="Outside", **english())
    contribution(stranger, completions=9)
    # A stale contribution that still names the division, for someone whose profile moved away:
    # the list follows people.permissions, not the contribution's unit.
    moved = learner_in(tree["DEPT-A2"], first_name_en="Wichai", last_name_en="Moved", **english())
    contribution(moved, unit=division)

    html = page(client, manager_a1, unit=division.pk)
    assert 'id="table-people"' in html
    assert "Malee Inscope" in html
    assert "Somsak Outside" not in html
    assert "Wichai Moved" not in html

    board = dashboard(viewer=manager_a1, filters=DashboardFilters(fiscal_year=FY, unit_id=division.pk))
    assert board.tables["people"].rows == [
        ["Mr. Malee Inscope", "Division Alpha One HR", "", "", 2, 3.5, 1, 0]
    ]
    # The foreign person's unit given by hand shows no people list at all.
    board = dashboard(viewer=manager_a1, filters=DashboardFilters(fiscal_year=FY, unit_id=tree["DEPT-B1"].pk))
    assert "people" not in board.tables


def test_a_platform_administrator_sees_every_agency(client, tree, admin):
    board = dashboard(viewer=admin, filters=DashboardFilters(fiscal_year=FY))
    assert board.scope_label == "All agencies"
    assert figures_of(board)["staff"] == 3 + 2 + 7 + 777
    by_unit = {row[0]: row for row in board.tables["by_unit"].rows}
    assert set(by_unit) == {"Ministry Alpha", "Ministry Bravo", "Public Organisation Charlie"}
    assert by_unit["Ministry Alpha"][1] == 12
    assert by_unit["Ministry Bravo"][1:4] == [777, 555, 999]
    html = page(client, admin, unit=tree["DEPT-B1"].pk)
    assert figure_on_page(html, "staff") == "777"


def test_a_manager_of_two_departments_sees_both_and_only_them(tree):
    manager = hr_manager_of(tree["DEPT-A1"], tree["DEPT-B1"], **english())
    board = dashboard(viewer=manager, filters=DashboardFilters(fiscal_year=FY))
    assert board.scope_label == "All units you manage"
    assert figures_of(board)["staff"] == 5 + 777
    assert [row[0] for row in board.tables["by_unit"].rows] == [
        "Department Alpha One",
        "Department Bravo One",
    ]
    assert [crumb.label for crumb in board.breadcrumbs] == ["All units you manage"]


def test_a_learner_is_refused_with_an_explanation_and_a_partner_is_sent_to_their_dashboard(client, tree):
    learner = learner_in(tree["DIV-A1-HR"], **english())
    client.force_login(learner)
    response = client.get(reverse("analytics:dashboard"))
    assert response.status_code == 403
    assert "HR managers see the units they manage" in response.content.decode()
    # Asked directly (as an export might), the selector has nothing to show a learner.
    board = dashboard(viewer=learner, filters=DashboardFilters(fiscal_year=FY, unit_id=tree["DIV-A1-HR"].pk))
    assert set(figures_of(board).values()) <= {0, None}
    assert all(not table.rows for table in board.tables.values())

    author = UserFactory(**english())
    RoleAssignment.objects.create(user=author, role=Role.PARTNER_AUTHOR, partner=ContentPartnerFactory())
    client.force_login(author)
    response = client.get(reverse("analytics:dashboard"))
    assert response.status_code == 302
    assert response.url == reverse("analytics:partner-dashboard")

    client.logout()
    response = client.get(reverse("analytics:dashboard"))
    assert response.status_code == 302
    assert "/account/sign-in/" in response.url


def test_the_header_links_to_the_dashboard_only_for_people_who_may_see_one(client, tree, manager_a1):
    learner = learner_in(tree["DIV-A1-HR"], **english())
    client.force_login(learner)
    home = client.get(reverse("learning:my-learning")).content.decode()
    assert 'href="/dashboard/"' not in home
    client.force_login(manager_a1)
    home = client.get(reverse("learning:my-learning")).content.decode()
    assert '<a href="/dashboard/" >Dashboard</a>' in home


# ---------------------------------------------------------------------------
# Figures and filters
# ---------------------------------------------------------------------------


def test_figures_are_computed_from_the_cells(tree, manager_a1):
    figures = figures_of(dashboard(viewer=manager_a1, filters=DashboardFilters(fiscal_year=FY)))
    assert figures == {
        "staff": 5,
        "active_learners": 3,
        "completions": 5,
        "learners_completed": 3,
        "hours_per_person": 1.5,  # 75 tenths of an hour ÷ 5 people
        "compliance": 75.0,  # 3 of 4 due done on time
        "overdue": 1,
    }
    ict = dashboard(
        viewer=manager_a1, filters=DashboardFilters(fiscal_year=FY, unit_id=tree["DIV-A1-ICT"].pk)
    )
    assert figures_of(ict)["compliance"] is None  # nothing due: nothing to comply with
    assert figures_of(ict)["hours_per_person"] == 0.8  # 1.5 hours ÷ 2 people, rounded


def test_every_filter_changes_the_numbers(client, tree, manager_a1):
    division = tree["DIV-A1-HR"]
    group = RoleGroupFactory(code="TEC", name_en="Digital technology specialists")
    cells(division, staff=10, completions=6, position_type=PositionType.GENERAL, role_group_id=group.pk,
          employment_type=EmploymentType.GOVERNMENT_EMPLOYEE)  # fmt: skip
    cells(division, fy=FY - 1, completions=40, hours=400)

    def staff_and_completions(**filters) -> tuple:
        figures = figures_of(
            dashboard(viewer=manager_a1, filters=DashboardFilters(fiscal_year=FY, **filters))
        )
        return figures["staff"], figures["completions"]

    assert staff_and_completions() == (15, 11)
    assert staff_and_completions(position_type=PositionType.GENERAL) == (10, 6)
    assert staff_and_completions(position_type=PositionType.EXECUTIVE) == (0, 0)
    assert staff_and_completions(role_group_id=group.pk) == (10, 6)
    assert staff_and_completions(employment_type=EmploymentType.CIVIL_SERVANT) == (5, 5)
    assert staff_and_completions(employment_type=EmploymentType.GOVERNMENT_EMPLOYEE) == (10, 6)
    last_year = figures_of(dashboard(viewer=manager_a1, filters=DashboardFilters(fiscal_year=FY - 1)))
    assert last_year["completions"] == 40
    assert last_year["staff"] == 15  # head count is "now", whatever the year

    # The same through the page's GET form.
    html = page(client, manager_a1, fy=FY - 1)
    assert figure_on_page(html, "completions") == "40"
    html = page(client, manager_a1, fy=FY, role_group=group.pk)
    assert figure_on_page(html, "staff") == "10"
    html = page(client, manager_a1, fy=FY, employment_type=EmploymentType.GOVERNMENT_EMPLOYEE,
                position_type=PositionType.GENERAL)  # fmt: skip
    assert figure_on_page(html, "completions") == "6"


def test_a_fiscal_year_without_data_falls_back_to_the_current_one(tree, manager_a1):
    assert dashboard_filters_from(_request(manager_a1, fy=2400)).fiscal_year == FY
    assert dashboard_filters_from(_request(manager_a1, fy="abc")).fiscal_year == FY
    cells(tree["DIV-A1-HR"], fy=FY - 3, completions=1)
    assert dashboard_filters_from(_request(manager_a1, fy=FY - 3)).fiscal_year == FY - 3


# ---------------------------------------------------------------------------
# Drill-down and breadcrumbs
# ---------------------------------------------------------------------------


def test_by_unit_rows_drill_down_with_the_same_filters(client, tree, admin):
    filters = DashboardFilters(fiscal_year=FY, position_type=PositionType.GENERAL)
    board = dashboard(viewer=admin, filters=filters)
    by_unit = dict(
        zip([row[0] for row in board.tables["by_unit"].rows], board.tables["by_unit"].links, strict=True)
    )
    ministry = by_unit["Ministry Alpha"]
    assert f"unit={tree['MIN-A'].pk}" in ministry
    assert "position_type=general" in ministry
    assert f"fy={FY}" in ministry

    board = dashboard(viewer=admin, filters=DashboardFilters(fiscal_year=FY, unit_id=tree["DEPT-A1"].pk))
    links = board.tables["by_unit"].links
    # Divisions have no units below them: their link opens the people list.
    assert links[0].endswith(f"unit={tree['DIV-A1-HR'].pk}#table-people")
    assert [crumb.label for crumb in board.breadcrumbs] == [
        "All agencies",
        "Ministry Alpha",
        "Department Alpha One",
    ]

    html = page(client, admin, unit=tree["DEPT-A1"].pk)
    assert (
        f'href="/dashboard/?fy={FY}&amp;unit={tree["DIV-A1-HR"].pk}#table-people">Division Alpha One HR</a>'
        in html
    )


def test_breadcrumbs_never_show_units_above_the_managers_scope(tree):
    manager = hr_manager_of(tree["DEPT-A1"], **english())
    board = dashboard(viewer=manager, filters=DashboardFilters(fiscal_year=FY, unit_id=tree["DIV-A1-HR"].pk))
    assert [crumb.label for crumb in board.breadcrumbs] == ["Department Alpha One", "Division Alpha One HR"]
    assert board.tables["by_unit"].rows == []
    assert "people" in board.tables


def test_people_placed_directly_in_a_unit_with_units_below_get_their_own_row(tree, admin):
    cells(tree["DEPT-A1"], staff=4, completions=1)
    board = dashboard(viewer=admin, filters=DashboardFilters(fiscal_year=FY, unit_id=tree["DEPT-A1"].pk))
    rows = board.tables["by_unit"].rows
    assert rows[-1][:2] == ["Department Alpha One (not in a unit below)", 4]
    assert board.tables["by_unit"].links[-1] is None
    assert sum(row[1] for row in rows) == figures_of(board)["staff"] == 9


# ---------------------------------------------------------------------------
# The tables behind the charts
# ---------------------------------------------------------------------------


@pytest.fixture
def competencies():
    framework = CompetencyFramework.objects.create(code="DSC", version="2024", name_th="สมรรถนะดิจิทัล")
    literacy = CompetencyNode.objects.create(
        framework=framework, code="1", name_th="การรู้ดิจิทัล", name_en="Digital literacy", sort_order=1
    )
    security = CompetencyNode.objects.create(
        framework=framework, code="7", name_th="ความมั่นคงปลอดภัย", name_en="Cyber security", sort_order=7
    )
    return literacy, security


def test_coverage_and_gaps_from_the_competency_cells(tree, manager_a1, competencies):
    literacy, security = competencies
    tec = RoleGroupFactory(code="TEC", name_en="Digital technology specialists")
    oth = RoleGroupFactory(code="OTH", name_en="Others")
    hr, ict = tree["DIV-A1-HR"], tree["DIV-A1-ICT"]
    cell(hr, Measure.COMPETENCY_REQUIRED, 4, item=literacy.pk, role_group_id=oth.pk)
    cell(hr, Measure.COMPETENCY_MET, 1, item=literacy.pk, role_group_id=oth.pk)
    cell(ict, Measure.COMPETENCY_REQUIRED, 2, item=literacy.pk, role_group_id=tec.pk)
    cell(ict, Measure.COMPETENCY_MET, 2, item=literacy.pk, role_group_id=tec.pk)
    cell(ict, Measure.COMPETENCY_REQUIRED, 2, item=security.pk, role_group_id=tec.pk)
    cell(tree["DEPT-B1"], Measure.COMPETENCY_REQUIRED, 50, item=security.pk, role_group_id=tec.pk)

    board = dashboard(viewer=manager_a1, filters=DashboardFilters(fiscal_year=FY))
    assert board.tables["coverage"].rows == [
        ["Others", "1 Digital literacy", 4, 1, 25.0],
        ["Digital technology specialists", "1 Digital literacy", 2, 2, 100.0],
        ["Digital technology specialists", "7 Cyber security", 2, 0, 0.0],
    ] or board.tables["coverage"].rows == [
        ["Digital technology specialists", "1 Digital literacy", 2, 2, 100.0],
        ["Digital technology specialists", "7 Cyber security", 2, 0, 0.0],
        ["Others", "1 Digital literacy", 4, 1, 25.0],
    ]
    gaps = board.tables["gaps"]
    assert [column.label for column in gaps.columns] == ["Unit", "1 Digital literacy", "7 Cyber security"]
    assert gaps.rows == [["Division Alpha One HR", 25.0, None], ["Division Alpha One ICT", 100.0, 0.0]]
    assert gaps.links[1].endswith(f"unit={ict.pk}#table-people")

    only_tec = dashboard(viewer=manager_a1, filters=DashboardFilters(fiscal_year=FY, role_group_id=tec.pk))
    assert [row[0] for row in only_tec.tables["coverage"].rows] == ["Digital technology specialists"] * 2


def test_trend_runs_october_to_september_with_a_running_total(tree, manager_a1):
    hr = tree["DIV-A1-HR"]
    cell(hr, Measure.COMPLETIONS_MONTH, 2, item=1)
    cell(hr, Measure.COMPLETIONS_MONTH, 3, item=4)
    cell(tree["DIV-A1-ICT"], Measure.COMPLETIONS_MONTH, 1, item=12)
    cell(tree["DEPT-B1"], Measure.COMPLETIONS_MONTH, 50, item=1)
    trend = dashboard(viewer=manager_a1, filters=DashboardFilters(fiscal_year=FY)).tables["trend"]
    assert [row[1] for row in trend.rows] == [2, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0, 1]
    assert [row[2] for row in trend.rows][-1] == 6
    assert trend.rows[0][0] == month_label(FY, 1)
    assert month_label(2570, 1, "th") == "ต.ค. 69"
    assert month_label(2570, 4, "th") == "ม.ค. 70"
    assert month_label(2570, 12, "en") == "Sep 2027"


def test_top_courses_rank_by_enrolments_with_completion_rates(tree, manager_a1):
    partner = ContentPartnerFactory()
    popular = course_with_lessons(partner=partner, lessons=1, title="หลักสูตรยอดนิยม", title_en="Popular course")
    quiet = course_with_lessons(partner=partner, lessons=1, title="หลักสูตรเงียบ", title_en="Quiet course")
    hr = tree["DIV-A1-HR"]
    cell(hr, Measure.ENROLMENTS_COURSE, 8, item=popular.pk)
    cell(hr, Measure.COMPLETIONS_COURSE, 2, item=popular.pk)
    cell(hr, Measure.ENROLMENTS_COURSE, 1, item=quiet.pk)
    cell(hr, Measure.COMPLETIONS_COURSE, 1, item=quiet.pk)
    cell(tree["DEPT-B1"], Measure.ENROLMENTS_COURSE, 900, item=quiet.pk)
    board = dashboard(viewer=manager_a1, filters=DashboardFilters(fiscal_year=FY))
    assert board.tables["top_courses"].rows == [
        ["Popular course", popular.code, 8, 2, 25.0],
        ["Quiet course", quiet.code, 1, 1, 100.0],
    ]


def test_overdue_assignments_of_people_in_scope_only(client, tree, manager_a1):
    course = course_with_lessons(lessons=1, title="PDPA", title_en="PDPA for everyone")
    today = timezone.localdate()
    late = learner_in(tree["DIV-A1-ICT"], first_name_en="Late", last_name_en="Learner", **english())
    Enrolment.objects.create(
        user=late, course=course, source=Enrolment.Source.ASSIGNMENT, due_date=today - dt.timedelta(days=5)
    )
    on_time = learner_in(tree["DIV-A1-ICT"], first_name_en="Ontime", last_name_en="Learner", **english())
    Enrolment.objects.create(
        user=on_time, course=course, source=Enrolment.Source.ASSIGNMENT, due_date=today + dt.timedelta(days=5)
    )
    finished = learner_in(tree["DIV-A1-ICT"], first_name_en="Finished", last_name_en="Learner", **english())
    Enrolment.objects.filter(pk=complete(finished, course).pk).update(
        source=Enrolment.Source.ASSIGNMENT, due_date=today - dt.timedelta(days=5)
    )
    foreign = learner_in(tree["DEPT-B1"], first_name_en="Foreign", last_name_en="Learner", **english())
    Enrolment.objects.create(
        user=foreign, course=course, source=Enrolment.Source.ASSIGNMENT, due_date=today - dt.timedelta(days=9)
    )
    overdue = dashboard(viewer=manager_a1, filters=DashboardFilters(fiscal_year=FY)).tables["overdue"]
    assert overdue.rows == [
        ["Mr. Late Learner", "Division Alpha One ICT", "PDPA for everyone", today - dt.timedelta(days=5), 5]
    ]
    html = page(client, manager_a1)
    assert "Late Learner" in html
    assert "Foreign Learner" not in html


def test_an_empty_year_says_so(client, public_service):
    manager = hr_manager_of(public_service["DEPT-A1"], **english())
    html = page(client, manager)
    assert "No data for" in html
    assert "Nothing to show here for these filters yet." in html


def test_the_page_shows_tables_for_every_chart_and_export_links_with_the_filters(client, tree, manager_a1):
    html = page(client, manager_a1, position_type=PositionType.GENERAL)
    for key in ("by_unit", "trend"):
        assert f'id="table-{key}"' in html
    assert 'id="chart-data-by_unit" type="application/json"' in html
    assert 'role="img" aria-label="By unit.' in html
    export = reverse("analytics:table-export", args=["by_unit", "csv"])
    assert f'href="{export}?fy={FY}&amp;position_type=general"' in html
    assert f'href="{reverse("analytics:report-pdf")}?fy={FY}&amp;position_type=general"' in html
    assert 'src="/static/analytics/vendor/plotly/plotly-cartesian.min.js" defer' in html


# ---------------------------------------------------------------------------
# Cost
# ---------------------------------------------------------------------------


def _people_with_numbers(unit, count: int) -> None:
    for _number in range(count):
        person = learner_in(unit)
        contribution(person, completions=1, hours=10)
        cells(unit, staff=1, completions=1, hours=10)


@pytest.mark.parametrize("people", [2, 40])
def test_the_dashboard_costs_the_same_queries_whatever_the_number_of_people(
    client, tree, manager_a1, django_assert_max_num_queries, people
):
    for division in ("DIV-A1-HR", "DIV-A1-ICT"):
        _people_with_numbers(tree[division], people)
    manager = type(manager_a1).objects.get(pk=manager_a1.pk)  # nothing cached on the object
    filters = DashboardFilters(fiscal_year=FY, unit_id=tree["DEPT-A1"].pk)
    with django_assert_max_num_queries(18):
        board = dashboard(viewer=manager, filters=filters)
    assert len(board.tables["people"].rows) == 2 * people
    assert figures_of(board)["staff"] == 5 + 2 * people

    client.force_login(manager_a1)
    with django_assert_max_num_queries(40):
        response = client.get(reverse("analytics:dashboard"), {"unit": tree["DEPT-A1"].pk})
    # Each person links to their competency profile.
    html = response.content.decode()
    assert (
        len(re.findall(r'<th scope="row"><a href="/competencies/people/\d+/">Mr\. Somchai', html))
        == 2 * people
    )


def _request(user, **params):
    from django.test import RequestFactory

    request = RequestFactory().get("/dashboard/", params)
    request.user = user
    return request
