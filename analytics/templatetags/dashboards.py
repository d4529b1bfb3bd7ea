"""Template helpers of the dashboards. `{% load dashboards %}`."""

import datetime as dt
from decimal import Decimal

from django import template
from django.urls import reverse

from analytics.selectors import can_view_agency_dashboard, can_view_partner_dashboard
from lms.thai_calendar import format_date

register = template.Library()

_DASHBOARD_URL_CACHE = "_thaksa_dashboard_url"


@register.simple_tag(takes_context=True)
def dashboard_url(context) -> str:
    """The dashboard the signed-in person may open ("" if none): the agency dashboard for HR
    managers and platform administrators, else the course dashboard for content partners.
    Asked once per request (the answer is kept on the user object)."""
    user = context.get("user")
    if user is None or not user.is_authenticated:
        return ""
    cached = getattr(user, _DASHBOARD_URL_CACHE, None)
    if cached is None:
        if can_view_agency_dashboard(user):
            cached = reverse("analytics:dashboard")
        elif can_view_partner_dashboard(user):
            cached = reverse("analytics:partner-dashboard")
        else:
            cached = ""
        setattr(user, _DASHBOARD_URL_CACHE, cached)
    return cached


@register.filter
def cell(value, kind: str = "text") -> str:
    """A table value as people read it: grouped thousands, one decimal, Thai dates, "–" for none."""
    if value is None or value == "":
        return "–"
    if kind == "date" and isinstance(value, dt.date):
        return format_date(value, style="short")
    if kind == "int" and isinstance(value, int):
        return f"{value:,}"
    if kind in {"decimal", "percent"} and isinstance(value, int | float | Decimal):
        return f"{float(value):,.1f}"
    return str(value)


@register.filter
def figure(value) -> str:
    """A headline figure: whole numbers grouped, others to one decimal, "–" when nothing counts."""
    if value is None:
        return "–"
    if isinstance(value, int):
        return f"{value:,}"
    return f"{float(value):,.1f}"
