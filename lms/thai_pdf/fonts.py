"""The Sarabun fonts every Thai PDF embeds, and how much room their ink takes."""

from __future__ import annotations

import threading
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

__all__ = [
    "FONT_BOLD",
    "FONT_DIR",
    "FONT_ITALIC",
    "FONT_REGULAR",
    "FONT_SEMIBOLD",
    "INK_ASCENT",
    "INK_DESCENT",
    "register_fonts",
]

# The one place the font files are looked for (see sarabun/README.md for where they come from).
FONT_DIR = Path(__file__).resolve().parent / "sarabun"
FONT_REGULAR = "Sarabun"
FONT_SEMIBOLD = "Sarabun-SemiBold"
FONT_BOLD = "Sarabun-Bold"
FONT_ITALIC = "Sarabun-Italic"
_FONT_FILES = {
    FONT_REGULAR: "Sarabun_400Regular.ttf",
    FONT_SEMIBOLD: "Sarabun_600SemiBold.ttf",
    FONT_BOLD: "Sarabun_700Bold.ttf",
    FONT_ITALIC: "Sarabun_400Regular_Italic.ttf",
}
_fonts_lock = threading.Lock()
_fonts_registered = False

# Sarabun's vertical extent of ink, as a share of the font size: tone marks stacked over upper
# vowels reach about 0.95 above the baseline, lower vowels (ุ ู) about 0.25 below. Blocks of
# text are spaced by these, not by the font's line gap, so the white space looks even.
INK_ASCENT = 0.95
INK_DESCENT = 0.27


def register_fonts() -> None:
    """Register the Sarabun fonts with ReportLab, once per process.

    Done on first use rather than at import: reading four TrueType files costs time that a
    Django process which never draws a PDF should not pay.
    """
    global _fonts_registered
    if _fonts_registered:
        return
    with _fonts_lock:
        if _fonts_registered:
            return
        for name, filename in _FONT_FILES.items():
            pdfmetrics.registerFont(TTFont(name, FONT_DIR / filename))
        _fonts_registered = True
