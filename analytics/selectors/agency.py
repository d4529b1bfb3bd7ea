"""The agency dashboard (HR managers and platform administrators), read from the aggregate
cells (the overdue list aside, which reads `Enrolment.objects.overdue`, the one rule).
Scoping comes only from people.permissions (visible_units / visible_people)."""

from collections import Counter, defaultdict
from dataclasses import dataclass, replace

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet, Sum
from django.db.models.functions import Substr
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from analytics.models import SNAPSHOT, AggregateCell, Measure, PersonContribution
from analytics.selectors.cells import Totals, course_totals, share
from analytics.selectors.contract import (
    Breadcrumb,
    Column,
    Dashboard,
    DashboardFilters,
    Figure,
    Table,
    dashboard_url,
)
from competencies.models import CompetencyNode
from courses.models import CoursePage, Enrolment
from lms.thai_calendar import BUDDHIST_ERA_OFFSET, ENGLISH_MONTHS, THAI_MONTHS_SHORT, buddhist_year
from organisations.models import OrganisationUnit, within_units
from people.civil_service import PositionType
from people.models import RoleGroup, User
from people.permissions import (
    can_view_unit,
    is_platform_admin,
    managed_unit_paths,
    manages_people,
    visible_people,
    visible_units,
)


def can_view_agency_dashboard(user: User | AnonymousUser) -> bool:
    """HR managers (their units) and platform administrators (everything)."""
    return manages_people(user)


UnitRow = tuple[str, OrganisationUnit | None, Totals]  # a "by unit" row: label, unit to drill into, sums
PEOPLE_LIMIT = 500
OVERDUE_LIMIT = 200
TOP_COURSES = 10

_NOW_MEASURES = [Measure.STAFF, Measure.OVERDUE, Measure.OVERDUE_PEOPLE]
_COMPETENCY_MEASURES = [Measure.COMPETENCY_REQUIRED, Measure.COMPETENCY_MET]
_YEAR_MEASURES = [
    Measure.ACTIVE,
    Measure.COMPLETIONS,
    Measure.LEARNERS_COMPLETED,
    Measure.HOURS,
    Measure.MANDATORY_DUE,
    Measure.MANDATORY_DONE,
]


@dataclass(frozen=True)
class _Scope:
    """What the figures cover: one unit's subtree, or several (a manager's units, or all)."""

    unit: OrganisationUnit | None  # the one unit, when the scope is one subtree
    paths: list[str]  # the subtrees counted ("" = every unit)
    rows: list[OrganisationUnit]  # the units the "by unit" table compares
    label: str
    selected: bool  # the viewer chose this unit (filter or drill-down)

    def row_groups(self) -> dict[int, list[str]]:
        """Per length of the rows' tree paths, the subtrees whose cells fall into those rows:
        a cell belongs to the row whose path is the first `length` characters of its unit's."""
        if self.unit is not None:
            return {len(self.unit.path) + OrganisationUnit.steplen: [self.unit.path]}
        if self.paths == [""]:
            return {OrganisationUnit.steplen: [""]}
        groups: dict[int, list[str]] = defaultdict(list)
        for row in self.rows:
            groups[len(row.path)].append(row.path)
        return groups


def _scope(viewer: User, filters: DashboardFilters, *, admin: bool) -> _Scope:
    unit = None
    if filters.unit_id:
        unit = OrganisationUnit.objects.filter(pk=filters.unit_id).first()
        if unit is not None and not can_view_unit(viewer, unit):
            unit = None  # never widened: a unit outside the viewer's scope is ignored
    selected = unit is not None
    if unit is None:
        if admin:
            return _Scope(None, [""], list(OrganisationUnit.get_root_nodes()), _("All agencies"), False)
        tops = managed_unit_paths(viewer)
        managed = list(OrganisationUnit.objects.filter(path__in=tops).order_by("path"))
        if len(managed) != 1:
            return _Scope(None, tops, managed, _("All units you manage"), False)
        unit = managed[0]
    children = list(unit.get_children()) if not unit.is_leaf() else []
    return _Scope(unit, [unit.path], children, unit.name, selected)


def _cells(filters: DashboardFilters, paths: list[str]) -> QuerySet[AggregateCell]:
    cells = AggregateCell.objects.filter(within_units(paths, through="unit"))
    if filters.position_type:
        cells = cells.filter(position_type=filters.position_type)
    if filters.role_group_id:
        cells = cells.filter(role_group_id=filters.role_group_id)
    if filters.employment_type:
        cells = cells.filter(employment_type=filters.employment_type)
    return cells


def _totals_by_row(filters: DashboardFilters, scope: _Scope) -> dict[str, Totals]:
    """Per row of the "by unit" table (keyed by the row unit's path; the scope unit's own
    path holds people placed directly in it), the sums of the per-unit measures."""
    totals: dict[str, Totals] = defaultdict(Counter)
    wanted = Q(fiscal_year=SNAPSHOT, measure__in=_NOW_MEASURES + _COMPETENCY_MEASURES) | Q(
        fiscal_year=filters.fiscal_year, measure__in=_YEAR_MEASURES
    )
    for length, paths in scope.row_groups().items():
        rows = (
            _cells(filters, paths)
            .filter(wanted)
            .annotate(row=Substr("unit__path", 1, length))
            .values("row", "measure", "item")
            .annotate(total=Sum("value"))
            .order_by()
        )
        for row in rows:
            totals[row["row"]][(row["measure"], row["item"])] += row["total"]
    return totals


def _per_person(tenths_of_hours: int, people: int) -> float | None:
    return round(tenths_of_hours / 10 / people, 1) if people else None


def _figures(total: Totals) -> list[Figure]:
    def get(measure: str) -> int:
        return total[(measure, 0)]

    staff, due = get(Measure.STAFF), get(Measure.MANDATORY_DUE)
    return [
        Figure("staff", _("Staff"), staff, _("people")),
        Figure("active_learners", _("Active learners"), get(Measure.ACTIVE), _("people")),
        Figure("completions", _("Course completions"), get(Measure.COMPLETIONS), _("courses")),
        Figure(
            "learners_completed",
            _("Learners who completed a course"),
            get(Measure.LEARNERS_COMPLETED),
            _("people"),
        ),
        Figure(
            "hours_per_person",
            _("Learning hours per person"),
            _per_person(get(Measure.HOURS), staff),
            _("hours"),
        ),
        Figure(
            "compliance", _("Mandatory training done on time"), share(get(Measure.MANDATORY_DONE), due), "%"
        ),
        Figure("overdue", _("Overdue assignments"), get(Measure.OVERDUE), _("assignments")),
    ]


def _row_links(filters: DashboardFilters, units: list[OrganisationUnit]) -> list[str]:
    """Drilling into a unit shows its own units; into a unit with none, its people."""
    return [
        dashboard_url(filters, unit_id=unit.pk, fragment="" if unit.numchild else "table-people")
        for unit in units
    ]


def _row_units(scope: _Scope, totals: dict[str, Totals]) -> list[UnitRow]:
    """(label, unit to drill into, totals) per row: the scope's units, then the people placed
    directly in the scope unit itself (above its own units), if any."""
    rows = [(unit.name, unit, totals.get(unit.path, Counter())) for unit in scope.rows]
    if scope.unit is not None and scope.rows and totals.get(scope.unit.path):
        own = totals[scope.unit.path]
        if own[(Measure.STAFF, 0)] or any(own[(m, 0)] for m in _YEAR_MEASURES):
            label = _("%(unit)s (not in a unit below)") % {"unit": scope.unit.name}
            rows.append((label, None, own))
    return rows


def _by_unit_table(filters: DashboardFilters, scope: _Scope, rows: list[UnitRow]) -> Table:
    def values(total: Totals) -> list:
        staff = total[(Measure.STAFF, 0)]
        return [
            staff,
            total[(Measure.ACTIVE, 0)],
            total[(Measure.COMPLETIONS, 0)],
            _per_person(total[(Measure.HOURS, 0)], staff),
            share(total[(Measure.MANDATORY_DONE, 0)], total[(Measure.MANDATORY_DUE, 0)]),
        ]

    links = _row_links(filters, [unit for _label, unit, _total in rows if unit is not None])
    links += [None] * (len(rows) - len(links))
    return Table(
        key="by_unit",
        title=_("By unit"),
        columns=[
            Column("unit", _("Unit")),
            Column("staff", _("Staff"), "int"),
            Column("active", _("Active learners"), "int"),
            Column("completions", _("Completions"), "int"),
            Column("hours_per_person", _("Hours per person"), "decimal"),
            Column("compliance", _("Mandatory training done on time (%)"), "percent"),
        ],
        rows=[[label, *values(total)] for label, _unit, total in rows],
        links=links,
        note=(
            _("Choose a unit to see the units below it; a unit with none below shows its people.")
            if scope.rows
            else _("This unit has no units below it: its people are listed below.")
        ),
    )


def _node_label(node: CompetencyNode) -> str:
    return f"{node.code} {node.name}"


def _gaps_table(
    filters: DashboardFilters,
    rows: list[UnitRow],
    nodes: dict[int, CompetencyNode],
) -> Table:
    required_nodes = [
        node
        for node in nodes.values()
        if any(total[(Measure.COMPETENCY_REQUIRED, node.pk)] for _label, _unit, total in rows)
    ]
    table_rows, links = [], []
    for label, unit, total in rows:
        table_rows.append(
            [label]
            + [
                share(total[(Measure.COMPETENCY_MET, node.pk)], total[(Measure.COMPETENCY_REQUIRED, node.pk)])
                for node in required_nodes
            ]
        )
        links.append(_row_links(filters, [unit])[0] if unit is not None else None)
    return Table(
        key="gaps",
        title=_("Competency gaps by unit"),
        columns=[Column("unit", _("Unit"))]
        + [Column(f"node_{node.pk}", _node_label(node), "percent") for node in required_nodes],
        rows=table_rows if required_nodes else [],
        links=links if required_nodes else [],
        note=_(
            "Each cell is the share (%) of the unit's people required to hold the competency who "
            "hold it at the required level or above; empty where nobody there needs it."
        ),
    )


def _coverage_table(
    filters: DashboardFilters,
    scope: _Scope,
    role_groups: dict[int, RoleGroup],
    nodes: dict[int, CompetencyNode],
) -> Table:
    sums: Totals = Counter()
    for row in (
        _cells(filters, scope.paths)
        .filter(fiscal_year=SNAPSHOT, measure__in=_COMPETENCY_MEASURES)
        .values("role_group_id", "item", "measure")
        .annotate(total=Sum("value"))
        .order_by()
    ):
        sums[(row["role_group_id"], row["item"], row["measure"])] += row["total"]
    pairs = sorted(
        {(group, item) for group, item, measure in sums if measure == Measure.COMPETENCY_REQUIRED},
        key=lambda pair: (
            _sort_key_of(role_groups.get(pair[0])),
            _sort_key_of(nodes.get(pair[1])),
        ),
    )
    rows = []
    for group, item in pairs:
        required = sums[(group, item, Measure.COMPETENCY_REQUIRED)]
        if not required:
            continue
        met = sums[(group, item, Measure.COMPETENCY_MET)]
        group_name = role_groups[group].name if group in role_groups else _("No role group")
        node_label = _node_label(nodes[item]) if item in nodes else str(item)
        rows.append([group_name, node_label, required, met, share(met, required)])
    return Table(
        key="coverage",
        title=_("Competency coverage by role group"),
        columns=[
            Column("role_group", _("Role group")),
            Column("competency", _("Competency")),
            Column("required", _("People required"), "int"),
            Column("met", _("People meeting it"), "int"),
            Column("met_percent", _("Meeting it (%)"), "percent"),
        ],
        rows=rows,
        note=_(
            "People meet a competency when their best valid evidence reaches the level their role "
            "group requires."
        ),
    )


def _sort_key_of(item: RoleGroup | CompetencyNode | None) -> tuple[int, int, str]:
    if item is None:
        return (1, 0, "")
    return (0, getattr(item, "sort_order", 0), item.code)


def month_label(fiscal_year: int, month: int, language: str | None = None) -> str:
    """Month `month` of a fiscal year (1 = October … 12 = September): "ต.ค. 69" / "Oct 2026"."""
    calendar_month = (month + 8) % 12 + 1
    gregorian_year = fiscal_year - BUDDHIST_ERA_OFFSET - (1 if calendar_month >= 10 else 0)
    language = (language or translation.get_language() or "th")[:2]
    if language == "th":
        return f"{THAI_MONTHS_SHORT[calendar_month - 1]} {buddhist_year(gregorian_year) % 100:02d}"
    return f"{ENGLISH_MONTHS[calendar_month - 1][:3]} {gregorian_year}"


def _trend_table(filters: DashboardFilters, scope: _Scope) -> Table:
    by_month = dict(
        _cells(filters, scope.paths)
        .filter(fiscal_year=filters.fiscal_year, measure=Measure.COMPLETIONS_MONTH)
        .values("item")
        .annotate(total=Sum("value"))
        .order_by()
        .values_list("item", "total")
    )
    rows, running = [], 0
    for month in range(1, 13):
        running += by_month.get(month, 0)
        rows.append([month_label(filters.fiscal_year, month), by_month.get(month, 0), running])
    return Table(
        key="trend",
        title=_("Completions month by month"),
        columns=[
            Column("month", _("Month")),
            Column("completions", _("Completions"), "int"),
            Column("cumulative", _("Since the start of the fiscal year"), "int"),
        ],
        rows=rows if running else [],
        note=_("The fiscal year runs from October to September."),
    )


def _top_courses_table(filters: DashboardFilters, scope: _Scope) -> Table:
    per_course = course_totals(
        _cells(filters, scope.paths).filter(
            fiscal_year=filters.fiscal_year,
            measure__in=[Measure.ENROLMENTS_COURSE, Measure.COMPLETIONS_COURSE],
        )
    )
    top = sorted(
        per_course.items(),
        key=lambda pair: (-pair[1][Measure.ENROLMENTS_COURSE], -pair[1][Measure.COMPLETIONS_COURSE], pair[0]),
    )[:TOP_COURSES]
    courses = CoursePage.objects.only("title", "title_en", "code").in_bulk(
        [course_id for course_id, _t in top]
    )
    rows = []
    for course_id, totals in top:
        course = courses.get(course_id)
        enrolments, completions = totals[Measure.ENROLMENTS_COURSE], totals[Measure.COMPLETIONS_COURSE]
        rows.append(
            [
                course.display_title if course else _("(deleted course)"),
                course.code if course else "",
                enrolments,
                completions,
                share(completions, enrolments),
            ]
        )
    return Table(
        key="top_courses",
        title=_("Most taken courses"),
        columns=[
            Column("course", _("Course")),
            Column("code", _("Code")),
            Column("enrolments", _("Enrolments"), "int"),
            Column("completions", _("Completions"), "int"),
            Column("completion_rate", _("Completion rate (%)"), "percent"),
        ],
        rows=rows,
        note=_("The %(count)s courses with the most enrolments started in the fiscal year; completion "
               "rate = completions in the year ÷ enrolments started in it.") % {"count": TOP_COURSES},
    )  # fmt: skip


def _people_in_scope(viewer: User, filters: DashboardFilters, scope: _Scope) -> QuerySet[PersonContribution]:
    people = PersonContribution.objects.filter(
        within_units(scope.paths, through="unit"), user__in=visible_people(viewer)
    )
    if filters.position_type:
        people = people.filter(position_type=filters.position_type)
    if filters.role_group_id:
        people = people.filter(role_group_id=filters.role_group_id)
    if filters.employment_type:
        people = people.filter(employment_type=filters.employment_type)
    return people


def _gap_count(values: dict) -> int:
    prefix = f"{SNAPSHOT}:{Measure.COMPETENCY_REQUIRED}:"
    return sum(
        1
        for key, required in values.items()
        if key.startswith(prefix)
        and required
        and not values.get(key.replace(Measure.COMPETENCY_REQUIRED, Measure.COMPETENCY_MET, 1))
    )


def _people_table(
    viewer: User,
    filters: DashboardFilters,
    scope: _Scope,
    role_groups: dict[int, RoleGroup],
    limit: int | None,
) -> Table:
    people = _people_in_scope(viewer, filters, scope)
    listed = list(
        people.select_related("user", "user__profile", "unit").order_by(
            "unit__path", "user__first_name", "user__last_name", "user_id"
        )[: limit + 1 if limit else None]
    )
    note = _(
        "Completions and hours in the fiscal year; overdue assigned courses and competencies below "
        "the level the role group requires, as of today."
    )
    if limit and len(listed) > limit:
        note = _(
            "The first %(shown)s of %(total)s people are shown; choose a smaller unit or download the list."
        ) % {"shown": limit, "total": people.count()}
        listed = listed[:limit]
    fy = filters.fiscal_year
    rows = []
    links = []
    for person in listed:
        links.append(reverse("competencies:person", args=[person.user_id]))
        values = person.values or {}
        profile = getattr(person.user, "profile", None)
        position = (profile.position_title if profile else "") or (
            PositionType(person.position_type).label if person.position_type in PositionType.values else ""
        )
        group = role_groups.get(person.role_group_id)
        rows.append(
            [
                person.user.full_name(),
                person.unit.name if person.unit else "",
                position,
                group.name if group else "",
                values.get(f"{fy}:{Measure.COMPLETIONS}:0", 0),
                round(values.get(f"{fy}:{Measure.HOURS}:0", 0) / 10, 1),
                values.get(f"{SNAPSHOT}:{Measure.OVERDUE}:0", 0),
                _gap_count(values),
            ]
        )
    return Table(
        key="people",
        title=_("People"),
        columns=[
            Column("name", _("Name")),
            Column("unit", _("Unit")),
            Column("position", _("Position")),
            Column("role_group", _("Role group")),
            Column("completions", _("Completions"), "int"),
            Column("hours", _("Learning hours"), "decimal"),
            Column("overdue", _("Overdue"), "int"),
            Column("gaps", _("Competency gaps"), "int"),
        ],
        rows=rows,
        links=links,
        note=note,
    )


def _overdue_table(viewer: User, filters: DashboardFilters, scope: _Scope, limit: int | None) -> Table:
    today = timezone.localdate()
    overdue = Enrolment.objects.overdue(on=today).filter(
        within_units(scope.paths, through="user__profile__unit"), user__in=visible_people(viewer)
    )
    if filters.position_type:
        overdue = overdue.filter(user__profile__position_type=filters.position_type)
    if filters.role_group_id:
        overdue = overdue.filter(user__profile__role_group_id=filters.role_group_id)
    if filters.employment_type:
        overdue = overdue.filter(user__profile__employment_type=filters.employment_type)
    listed = list(
        overdue.select_related("user", "user__profile__unit", "course").order_by("due_date", "pk")[
            : limit + 1 if limit else None
        ]
    )
    note = _("Assigned courses not completed by their due date, the longest overdue first.")
    if limit and len(listed) > limit:
        note = _("The %(shown)s longest overdue are shown; download the list for all of them.") % {
            "shown": limit
        }
        listed = listed[:limit]
    return Table(
        key="overdue",
        title=_("Overdue assignments"),
        columns=[
            Column("person", _("Person")),
            Column("unit", _("Unit")),
            Column("course", _("Course")),
            Column("due_date", _("Due"), "date"),
            Column("days_overdue", _("Days overdue"), "int"),
        ],
        rows=[
            [
                enrolment.user.full_name(),
                enrolment.user.profile.unit.name,
                enrolment.course.display_title,
                enrolment.due_date,
                (today - enrolment.due_date).days,
            ]
            for enrolment in listed
        ],
        note=note,
    )


def _breadcrumbs(viewer: User, filters: DashboardFilters, scope: _Scope, *, admin: bool) -> list[Breadcrumb]:
    crumbs = []
    if admin:
        crumbs.append(Breadcrumb(_("All agencies"), dashboard_url(filters, unit_id=None)))
    elif len(managed_unit_paths(viewer)) > 1:
        crumbs.append(Breadcrumb(_("All units you manage"), dashboard_url(filters, unit_id=None)))
    if scope.unit is not None:
        path, step = scope.unit.path, OrganisationUnit.steplen
        # The unit and those above it, as far up as the viewer may see: nothing above their scope.
        chain = visible_units(viewer).filter(
            path__in=[path[:end] for end in range(step, len(path) + 1, step)]
        )
        crumbs += [
            Breadcrumb(unit.name, dashboard_url(filters, unit_id=unit.pk)) for unit in chain.order_by("path")
        ]
    return crumbs


def dashboard(*, viewer: User, filters: DashboardFilters, full_lists: bool = False) -> Dashboard:
    """The agency dashboard of `viewer` under `filters`, read from the aggregate cells only
    (the overdue list aside). The scope is the chosen unit if the viewer may see it, else
    every unit they manage (everything for a platform administrator); nothing outside
    `people.permissions`' answer is ever read. `full_lists` lifts the caps on the people and
    overdue lists (exports)."""
    admin = is_platform_admin(viewer)
    scope = _scope(viewer, filters, admin=admin)
    totals = _totals_by_row(filters, scope)
    grand_total: Totals = Counter()
    for total in totals.values():
        grand_total.update(total)
    rows = _row_units(scope, totals)
    node_ids = {item for measure, item in grand_total if measure == Measure.COMPETENCY_REQUIRED}
    coverage_role_groups = RoleGroup.objects.in_bulk()
    nodes = CompetencyNode.objects.in_bulk(node_ids)
    coverage = _coverage_table(filters, scope, coverage_role_groups, nodes)
    tables = {
        "by_unit": _by_unit_table(filters, scope, rows),
        "coverage": coverage,
        "gaps": _gaps_table(filters, rows, dict(sorted(nodes.items(), key=lambda p: _sort_key_of(p[1])))),
        "trend": _trend_table(filters, scope),
        "top_courses": _top_courses_table(filters, scope),
        "overdue": _overdue_table(viewer, filters, scope, None if full_lists else OVERDUE_LIMIT),
    }
    if scope.selected or (scope.unit is not None and not scope.rows):
        tables["people"] = _people_table(
            viewer, filters, scope, coverage_role_groups, None if full_lists else PEOPLE_LIMIT
        )
    return Dashboard(
        title=_("Learning dashboard"),
        filters=replace(filters, unit_id=scope.unit.pk if scope.selected else None),
        scope_label=scope.label,
        breadcrumbs=_breadcrumbs(viewer, filters, scope, admin=admin),
        figures=_figures(grand_total),
        tables=tables,
    )


@dataclass(frozen=True)
class UnitHeadline:
    """One unit's headline figures and its learning hours, as the dashboard shows them when
    that unit is chosen."""

    figures: list[Figure]
    hours_tenths: int  # the cells hold tenths of an hour


def unit_headline(*, unit: OrganisationUnit, filters: DashboardFilters) -> UnitHeadline:
    """The headline figures of `unit`'s subtree, from the same aggregate cells and sums as the
    dashboard (`dashboard`), for a reader who has already been allowed to see that unit (the
    API's unit figures, scoped by api.principals)."""
    scope = _Scope(unit=unit, paths=[unit.path], rows=[], label=unit.name, selected=True)
    total: Totals = Counter()
    for row_total in _totals_by_row(filters, scope).values():
        total.update(row_total)
    return UnitHeadline(figures=_figures(total), hours_tenths=total[(Measure.HOURS, 0)])
