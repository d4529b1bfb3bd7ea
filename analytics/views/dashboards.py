"""The dashboard pages: /dashboard/ (HR managers and platform administrators) and
/dashboard/partner/ (content partners). Each table of the selector's `Dashboard` becomes a
chart (drawn by dashboard.js with Plotly when it arrives) with the same numbers in a table
below it, so the page is complete without JavaScript."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from analytics import selectors
from analytics.forms import DashboardFilterForm
from analytics.selectors import (
    Dashboard,
    Table,
    can_view_agency_dashboard,
    can_view_partner_dashboard,
    dashboard_query,
)
from lms.thai_calendar import FiscalYear

YEAR_FIGURES = {"active_learners", "completions", "hours_per_person", "compliance"}
AGENCY_FILTER_FIELDS = ["fy", "unit", "position_type", "role_group", "employment_type"]


def _bars(table: Table, value_columns: list[int], *, horizontal: bool, axis: str) -> dict:
    return {
        "type": "bars",
        "horizontal": horizontal,
        "categories": [row[0] for row in table.rows],
        "series": [
            {"name": table.columns[index].label, "values": [_number(row[index]) for row in table.rows]}
            for index in value_columns
        ],
        "links": table.links,
        "axis": axis,
    }


def _number(value) -> float | int | None:
    return value if value is None or isinstance(value, int) else float(value)


def _coverage_bars(table: Table) -> dict:
    """Per competency, one bar per role group: the share of its people meeting it."""
    competencies = list(dict.fromkeys(row[1] for row in table.rows))
    groups: dict[str, dict[str, float | None]] = {}
    for group, competency, _required, _met, share in table.rows:
        groups.setdefault(group, {})[competency] = _number(share)
    return {
        "type": "bars",
        "horizontal": False,
        # The axis shows codes ("GOV-2"); full names are in the table and the hover text.
        "categories": [_code_of(label) for label in competencies],
        "names": competencies,
        "series": [
            {"name": group, "values": [shares.get(competency) for competency in competencies]}
            for group, shares in groups.items()
        ],
        "links": [],
        "axis": _("People meeting it (%)"),
        "percent": True,
    }


def _code_of(label: str) -> str:
    """ "GOV-2 การคุ้มครองข้อมูลส่วนบุคคล" → "GOV-2": competency names are too long for an axis."""
    return str(label).split(" ", 1)[0]


def _heatmap(table: Table) -> dict:
    return {
        "type": "heatmap",
        "x": [_code_of(column.label) for column in table.columns[1:]],
        "names": [str(column.label) for column in table.columns[1:]],
        "y": [row[0] for row in table.rows],
        "z": [[_number(value) for value in row[1:]] for row in table.rows],
        "links": table.links,
        "axis": _("People meeting it (%)"),
    }


def _trend(table: Table) -> dict:
    return {
        "type": "trend",
        "categories": [row[0] for row in table.rows],
        "series": [
            {"name": table.columns[1].label, "values": [row[1] for row in table.rows]},
            {"name": table.columns[2].label, "values": [row[2] for row in table.rows]},
        ],
        "axis": _("Completions"),
    }


CHARTS = {
    "by_unit": lambda table: _bars(table, [1, 2, 3], horizontal=True, axis=_("People or courses")),
    "coverage": _coverage_bars,
    "gaps": _heatmap,
    "trend": _trend,
    "top_courses": lambda table: _bars(table, [2, 3], horizontal=True, axis=_("Enrolments or completions")),
    "courses": lambda table: _bars(table, [2, 3], horizontal=True, axis=_("Enrolments or completions")),
}

CHART_DESCRIPTIONS = {
    "bars": gettext_lazy("Bar chart. The same numbers are in the table below it."),
    "heatmap": gettext_lazy("Heat map. The same numbers are in the table below it."),
    "trend": gettext_lazy("Line chart. The same numbers are in the table below it."),
}

AGENCY_ORDER = ["by_unit", "gaps", "coverage", "trend", "top_courses", "people", "overdue"]
AGENCY_LEAF_ORDER = ["people", "overdue", "coverage", "trend", "top_courses"]
PARTNER_ORDER = ["courses", "quizzes", "surveys"]


def _sections(board: Dashboard, order: list[str], *, exportable: bool) -> list[dict]:
    sections = []
    for key in order:
        table = board.tables.get(key)
        if table is None:
            continue
        chart = CHARTS[key](table) if key in CHARTS and table.rows else None
        links = table.links or [None] * len(table.rows)
        sections.append(
            {
                "table": table,
                "rows": [{"cells": list(zip(row, table.columns, strict=True)), "link": link}
                         for row, link in zip(table.rows, links, strict=True)],
                "chart": chart,
                "chart_id": f"chart-data-{key}",
                "chart_label": f"{table.title}. {CHART_DESCRIPTIONS[chart['type']]}" if chart else "",
                "exportable": exportable,
            }
        )  # fmt: skip
    return sections


def _no_dashboard(request):
    return TemplateResponse(request, "analytics/no_dashboard.html", status=403)


@login_required
def agency_dashboard(request):
    if not can_view_agency_dashboard(request.user):
        if can_view_partner_dashboard(request.user):
            return redirect("analytics:partner-dashboard")
        return _no_dashboard(request)
    form = DashboardFilterForm.for_request(request)
    board = selectors.dashboard(viewer=request.user, filters=form.filters())
    order = AGENCY_ORDER
    if "people" in board.tables and not board.tables["by_unit"].rows:
        order = AGENCY_LEAF_ORDER  # no units below: the people come first
    # Head counts are "now"; the year has data once anyone learned or had training due in it.
    has_data = any(figure.value for figure in board.figures if figure.key in YEAR_FIGURES)
    return TemplateResponse(
        request,
        "analytics/dashboard.html",
        {
            "board": board,
            "form": form,
            "filter_fields": [form[name] for name in AGENCY_FILTER_FIELDS],
            "query": dashboard_query(board.filters),
            "fiscal_year_label": FiscalYear(board.filters.fiscal_year).label(),
            "has_data": has_data,
            "sections": _sections(board, order, exportable=True),
            "also_partner": can_view_partner_dashboard(request.user),
        },
    )


@login_required
def partner_dashboard(request):
    if not can_view_partner_dashboard(request.user):
        return _no_dashboard(request)
    form = DashboardFilterForm.for_request(request)
    filters = form.filters()
    board = selectors.partner_dashboard(
        viewer=request.user, partner_id=filters.partner_id, fiscal_year=filters.fiscal_year
    )
    partner_field = form["partner"]
    fields = [form["fy"]]
    if len(partner_field.field.queryset) > 1:
        fields.insert(0, partner_field)
    return TemplateResponse(
        request,
        "analytics/partner_dashboard.html",
        {
            "board": board,
            "form": form,
            "filter_fields": fields,
            "query": dashboard_query(board.filters),
            "fiscal_year_label": FiscalYear(board.filters.fiscal_year).label(),
            "has_data": bool(board.tables["courses"].rows),
            "sections": _sections(board, PARTNER_ORDER, exportable=False),
            "also_agency": can_view_agency_dashboard(request.user),
        },
    )
