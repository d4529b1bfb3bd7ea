"""The contract shared by the dashboard pages, the exports and the PDF report.

A `Dashboard` is a list of headline `Figure`s and a dict of `Table`s. Every chart on a page
is drawn from one table, and every table can be exported (CSV, XLSX) and printed (PDF)
without knowing what it holds. The filters travel as a URL (`dashboard_query`): the filter
form submits it, drill-down links and exports carry it.
"""

import datetime as dt
from dataclasses import dataclass, field, replace
from decimal import Decimal
from urllib.parse import urlencode

from django.urls import reverse

from lms.thai_calendar import format_date


@dataclass(frozen=True)
class DashboardFilters:
    fiscal_year: int  # Buddhist era, e.g. 2570
    unit_id: int | None = None  # None: the viewer's whole scope
    position_type: str = ""
    role_group_id: int | None = None
    employment_type: str = ""
    partner_id: int | None = None  # the partner dashboard's partner (None: the viewer's first)


@dataclass(frozen=True)
class Figure:
    key: str  # e.g. "staff", "active_learners", "completions", "hours_per_person", "compliance"
    label: str  # translated
    value: float | int | None  # None: nothing to count (e.g. no mandatory training due)
    unit: str = ""  # translated, e.g. "%", "ชั่วโมง"


def value_text(value: object, kind: str) -> str:
    """**The one way a dashboard value reads**, in the page's tables, the PDF report's tables and
    the charts' labels: whole numbers grouped ("1,234"), decimals and percentages to one decimal
    ("66.7"; the column's name says "(%)"), dates in the reader's calendar, "–" for nothing.
    (CSV and XLSX keep the values themselves.)"""
    if value is None or value == "":
        return "–"
    number = isinstance(value, int | float | Decimal) and not isinstance(value, bool)
    if kind == "int" and number:
        return f"{value:,.0f}"
    if kind in {"decimal", "percent"} and number:
        return f"{float(value):,.1f}"  # type: ignore[arg-type]
    if kind == "date" and isinstance(value, dt.date):
        return format_date(value, style="short")  # a datetime is read in Bangkok time there
    return str(value)


def figure_text(value: float | int | None) -> str:
    """A headline figure's number (without its unit), as `value_text` writes a count or a
    decimal: the page and the PDF report both print it so."""
    counted = isinstance(value, int) and not isinstance(value, bool)
    return value_text(value, "int" if counted else "decimal")


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


# The filters as a URL: what the filter form submits, drill-down links and exports


def dashboard_query(filters: DashboardFilters, **changes: object) -> str:
    """The query string of these filters (with `changes` applied, e.g. unit_id=child.pk)."""
    filters = replace(filters, **changes)
    params: dict[str, object] = {"fy": filters.fiscal_year}
    if filters.unit_id:
        params["unit"] = filters.unit_id
    if filters.position_type:
        params["position_type"] = filters.position_type
    if filters.role_group_id:
        params["role_group"] = filters.role_group_id
    if filters.employment_type:
        params["employment_type"] = filters.employment_type
    if filters.partner_id:
        params["partner"] = filters.partner_id
    return urlencode(params)


def dashboard_url(filters: DashboardFilters, *, fragment: str = "", **changes: object) -> str:
    url = f"{reverse('analytics:dashboard')}?{dashboard_query(filters, **changes)}"
    return f"{url}#{fragment}" if fragment else url
