"""Lines of Thai (and English) broken only between words, for ReportLab to draw as given.

ReportLab breaks lines at spaces and splits an overlong "word" wherever it runs out of room.
Thai puts no spaces between words, so the text is cut into words first (pythainlp's `newmm`,
as `lms.thai_text` does for search) and lines are filled greedily.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from reportlab.pdfbase import pdfmetrics

from lms.thai_pdf.fonts import register_fonts
from lms.thai_text import THAI_RUN, printable, word_tokenizer

__all__ = ["balanced_lines", "break_lines", "line_width", "thai_lines"]

# Thai repetition and abbreviation marks belong to the word before them.
_NO_BREAK_BEFORE_THAI = frozenset("ๆฯ")
# A dictionary compound ("สำนักงานคณะกรรมการข้าราชการพลเรือน" is one newmm token) is only
# split into parts this long or longer, so "ไซเบอร์" never becomes "ไซ" + "เบอร์".
_MIN_COMPOUND_PART = 4

_Unit = tuple[str, ...]  # newmm tokens that must stay on one line


def _units(tokens: Sequence[str]) -> list[_Unit]:
    """Group tokens into units a line may end after; whitespace tokens stand alone.

    A line may break at whitespace, and between two Thai words. It may not break inside a
    run of non-Thai characters ("e-Learning", "86.5%", a URL), nor between a word and
    punctuation stuck to it ("ภาครัฐ:"), nor before ๆ or ฯ.
    """
    units: list[list[str]] = []
    for token in tokens:
        if not token:
            continue
        previous = units[-1] if units else None
        if token.isspace() or previous is None or previous[-1].isspace():
            units.append([token])
            continue
        breakable = (
            THAI_RUN.match(previous[-1][-1])
            and THAI_RUN.match(token[0])
            and token[0] not in _NO_BREAK_BEFORE_THAI
        )
        if breakable:
            units.append([token])
        else:
            previous.append(token)
    return [tuple(unit) for unit in units]


@lru_cache(maxsize=1024)
def _break_units(text: str) -> tuple[_Unit, ...]:
    return tuple(_units(word_tokenizer()(text, engine="newmm", keep_whitespace=True)))


@lru_cache(maxsize=1024)
def _compound_parts(token: str) -> tuple[str, ...]:
    """Split a dictionary compound into the dictionary words it is made of, if it is one.

    Thai dictionaries list names of institutions as single words; on a narrow line such a
    name is better broken between its words than shrunk to an unreadable size. The longest
    dictionary word the token starts with is taken, and newmm cuts the rest; the split is
    accepted only if every part is a dictionary word of at least four characters.
    """
    if not THAI_RUN.match(token[0]) or len(token) < 2 * _MIN_COMPOUND_PART:
        return (token,)
    from pythainlp.tokenize import word_dict_trie

    dictionary = word_dict_trie()
    prefixes = [prefix for prefix in dictionary.prefixes(token) if len(prefix) < len(token)]
    for prefix in sorted(prefixes, key=len, reverse=True):
        rest = word_tokenizer()(token[len(prefix) :], engine="newmm")
        parts = (prefix, *rest)
        if all(len(part) >= _MIN_COMPOUND_PART and part in dictionary for part in parts):
            return parts
    return (token,)


@lru_cache(maxsize=4096)
def _unit_width(unit: str, font_name: str) -> float:
    """Width of `unit` at 1 pt; widths scale linearly with size, so one measure serves all."""
    return float(pdfmetrics.stringWidth(unit, font_name, 1.0))


def thai_lines(text: str, *, font_name: str, font_size: float, width: float) -> list[str]:
    """Break `text` into lines no wider than `width`, only at word boundaries.

    Works for Thai, English and the two mixed. Lines are filled greedily; whitespace where a
    line breaks is dropped. A dictionary compound too wide for a line of its own is broken
    between its words (see `_compound_parts`); a single word still too wide gets a line of
    its own (never cut, never lost: the caller decides whether to shrink the font).
    """
    register_fonts()
    return list(break_lines(text, font_name, font_size, width))


@lru_cache(maxsize=4096)
def break_lines(text: str, font_name: str, font_size: float, width: float) -> tuple[str, ...]:
    """`thai_lines`, remembered: fitting a page tries the same text at the same sizes often.

    The fonts must be registered already (`register_fonts`)."""
    text = printable(text)
    lines: list[str] = []
    line = ""
    line_width = 0.0
    pending_space = ""
    pending = list(_break_units(text))
    pending.reverse()
    while pending:
        unit = pending.pop()
        unit_text = "".join(unit)
        if unit_text.isspace():
            if line:
                pending_space += unit_text
            continue
        unit_width = _unit_width(unit_text, font_name) * font_size
        if unit_width > width + 1e-6:
            expanded = [part for token in unit for part in _compound_parts(token)]
            if len(expanded) > len(unit):
                pending.extend(reversed(_units(expanded)))
                continue
        if not line:
            line, line_width = unit_text, unit_width
        else:
            space_width = _unit_width(pending_space, font_name) * font_size
            if line_width + space_width + unit_width <= width + 1e-6:
                line += pending_space + unit_text
                line_width += space_width + unit_width
            else:
                lines.append(line)
                line, line_width = unit_text, unit_width
        pending_space = ""
    if line:
        lines.append(line)
    return tuple(lines)


def line_width(line: str, font_name: str, font_size: float) -> float:
    """The advance width of `line` (unshaped; HarfBuzz's kerned width differs by a hair)."""
    return float(pdfmetrics.stringWidth(line, font_name, font_size))


def balanced_lines(text: str, font_name: str, font_size: float, width: float) -> tuple[str, ...]:
    """Lines as `thai_lines` gives them, but as even in length as the same line count allows.

    A centred title whose second line holds one short word looks like a mistake; narrowing
    the width until one more line would be needed spreads the words evenly.
    """
    lines = break_lines(text, font_name, font_size, width)
    if len(lines) < 2:
        return lines
    low, high = width * 0.4, width
    best = lines
    for _ in range(8):
        middle = (low + high) / 2
        trial = break_lines(text, font_name, font_size, middle)
        if len(trial) <= len(lines):
            best, high = trial, middle
        else:
            low = middle
    return best
