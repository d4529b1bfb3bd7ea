"""Thaksa stores names and texts in Thai and English side by side; this picks the one to show."""

from django.utils.translation import get_language


def in_active_language(thai: str, english: str) -> str:
    """English when English is active and an English text exists; Thai otherwise."""
    if english and (get_language() or "").startswith("en"):
        return english
    return thai
