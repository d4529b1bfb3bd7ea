from typing import Any

from django import template

from lms.bilingual import in_active_language
from privacy.models import LawfulBasis

register = template.Library()


@register.filter
def bilingual(value: Any) -> str:
    """A {"th": ..., "en": ...} text of a published notice, in the active language."""
    if not isinstance(value, dict):
        return str(value or "")
    return in_active_language(str(value.get("th") or ""), str(value.get("en") or ""))


@register.filter
def lawful_basis_label(value: str) -> str:
    try:
        return str(LawfulBasis(value).label)
    except ValueError:
        return value
