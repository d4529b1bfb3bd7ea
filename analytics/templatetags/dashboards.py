"""Template helpers of the dashboards. `{% load dashboards %}`."""

from django import template
from django.urls import reverse

from analytics.selectors.agency import can_view_agency_dashboard
from analytics.selectors.contract import figure_text, value_text
from analytics.selectors.partner import can_view_partner_dashboard

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
    """A table value as people read it (`analytics.selectors.contract.value_text`)."""
    return value_text(value, kind)


@register.filter
def figure(value) -> str:
    """A headline figure's number (`analytics.selectors.contract.figure_text`)."""
    return figure_text(value)
