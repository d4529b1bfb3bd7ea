"""Template filters for Thai-first pages. `{% load thaksa %}`."""

from django import template

from lms.thai_calendar import fiscal_year_of, format_date

register = template.Library()


@register.filter
def thai_date(value, style: str = "long"):
    """{{ value|thai_date }} → "20 พฤศจิกายน 2569" in Thai, "20 November 2026" in English.
    {{ value|thai_date:"short" }}, {{ value|thai_date:"datetime" }} (with the time)."""
    if style == "datetime":
        return format_date(value, with_time=True)
    return format_date(value, style="short" if style == "short" else "long")


@register.filter
def fiscal_year(value):
    """{{ value|fiscal_year }} → "ปีงบประมาณ 2570" (or its English form)."""
    if value in (None, ""):
        return ""
    return fiscal_year_of(value).label()
