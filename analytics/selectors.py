"""What the dashboards show, read from the pre-computed aggregates (analytics.models).

Contract shared by the dashboard pages, the exports and the PDF report: a `Dashboard` is a
list of headline `Figure`s and a dict of `Table`s. Every chart on a page is drawn from one
table, and every table can be exported (CSV, XLSX) and printed (PDF) without knowing what
it holds. Scoping comes only from people.permissions (visible_units / visible_people).
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class DashboardFilters:
    fiscal_year: int  # Buddhist era, e.g. 2570
    unit_id: int | None = None  # None: the viewer's whole scope
    position_type: str = ""
    role_group_id: int | None = None
    employment_type: str = ""


@dataclass(frozen=True)
class Figure:
    key: str  # e.g. "staff", "active_learners", "completions", "hours_per_person", "compliance"
    label: str  # translated
    value: float | int | None  # None: nothing to count (e.g. no mandatory training due)
    unit: str = ""  # translated, e.g. "%", "ชั่วโมง"


@dataclass(frozen=True)
class Column:
    key: str
    label: str  # translated
    kind: str = "text"  # "text", "int", "decimal", "percent", "date"


@dataclass(frozen=True)
class Table:
    """A table of plain values (str, int, float, Decimal, date, None): the chart's data, its
    accessible alternative and its export. `links` (same length as rows, optional) holds the
    drill-down URL of each row."""

    key: str  # e.g. "by_unit", "coverage", "gaps", "trend", "top_courses", "overdue", "people"
    title: str  # translated
    columns: list[Column]
    rows: list[list]
    links: list[str | None] = field(default_factory=list)
    note: str = ""  # translated, e.g. how a figure is counted


@dataclass(frozen=True)
class Breadcrumb:
    label: str
    url: str


@dataclass(frozen=True)
class Dashboard:
    title: str
    filters: DashboardFilters
    scope_label: str  # the unit (or "all agencies") the figures cover, translated
    breadcrumbs: list[Breadcrumb]
    figures: list[Figure]
    tables: dict[str, Table]
