from django import template

register = template.Library()


@register.filter
def thousands(value) -> str:
    """12345 → "12,345" (Thai and English both group digits with commas)."""
    try:
        return f"{int(value):,}"
    except (TypeError, ValueError):
        return ""
