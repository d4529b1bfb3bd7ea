"""The dashboard pages: /dashboard/ (HR managers and platform administrators) and
/dashboard/partner/ (content partners). Each table of the selector's `Dashboard` with a
chart specification (`analytics.charts.figures`) carries its figure as JSON, drawn by
dashboard.js with Plotly when it arrives, with the same numbers in a table below it, so the
page is complete without JavaScript."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.template.response import TemplateResponse

from analytics.charts.figures import figure_json, table_figure
from analytics.forms import DashboardFilterForm
from analytics.selectors import agency, partner
from analytics.selectors.agency import can_view_agency_dashboard
from analytics.selectors.contract import Dashboard, dashboard_query
from analytics.selectors.partner import can_view_partner_dashboard
from audit.services import audit_view_of
from lms.thai_calendar import FiscalYear

YEAR_FIGURES = {"active_learners", "completions", "hours_per_person", "compliance"}
AGENCY_FILTER_FIELDS = ["fy", "unit", "position_type", "role_group", "employment_type"]

AGENCY_ORDER = ["by_unit", "gaps", "coverage", "trend", "top_courses", "people", "overdue"]
AGENCY_LEAF_ORDER = ["people", "overdue", "coverage", "trend", "top_courses"]
PARTNER_ORDER = ["courses", "quizzes", "surveys"]
NAMED_TABLES = ["people", "overdue"]  # the tables that name people (counted in the audit log)


def _sections(board: Dashboard, order: list[str], *, exportable: bool) -> list[dict]:
    sections = []
    for key in order:
        table = board.tables.get(key)
        if table is None:
            continue
        figure = table_figure(table)
        links = table.links or [None] * len(table.rows)
        sections.append(
            {
                "table": table,
                "rows": [{"cells": list(zip(row, table.columns, strict=True)), "link": link}
                         for row, link in zip(table.rows, links, strict=True)],
                "chart": figure_json(figure) if figure else None,
                "chart_id": f"chart-data-{key}",
                "chart_label": figure.layout.meta["label"] if figure else "",
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
    board = agency.dashboard(viewer=request.user, filters=form.filters())
    order = AGENCY_ORDER
    if "people" in board.tables and not board.tables["by_unit"].rows:
        order = AGENCY_LEAF_ORDER  # no units below: the people come first
    # Head counts are "now"; the year has data once anyone learned or had training due in it.
    has_data = any(figure.value for figure in board.figures if figure.key in YEAR_FIGURES)
    audit_view_of(
        request,
        what="analytics.dashboard",
        people=sum(len(board.tables[key].rows) for key in NAMED_TABLES if key in board.tables),
    )
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
    board = partner.partner_dashboard(
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
