"""Certificate PDFs in correct Thai: one A4 landscape page, drawn with ReportLab.

Three things about Thai in ReportLab decide how this module is written (see
docs/certificates.md in the shared notes):

- Thai is only drawn correctly when HarfBuzz shapes it: tone marks sit at the right height
  above upper vowels and tall consonants only then. ReportLab shapes text in `Paragraph`s
  whose style has `shaping=1` and a registered TrueType font; `canvas.drawString` silently
  does not shape. So every line holding Thai is drawn by `_Lines.draw` as a shaped
  `Paragraph`; only lines of plain Latin text (which need no shaping) take the faster
  `drawString` route, and a test makes sure no Thai ever reaches it.
- ReportLab breaks lines at spaces and splits an overlong "word" wherever it runs out of
  room. Thai puts no spaces between words, so a Thai course title would be cut in the middle
  of a word. `thai_lines` cuts the text into words first (pythainlp's `newmm`, as
  `lms.thai_text` does for search), fills lines greedily, and the lines are handed to
  `Paragraph` already broken, joined with `<br/>`.
- The output must be byte-for-byte reproducible (reference images in tests, and a signed PDF
  whose hash is recorded), so the canvas runs in ReportLab's invariant mode: fixed creation
  date and a document ID computed from the content only.

The fonts are Sarabun (the design of TH Sarabun New, the Thai government's document font),
shipped in `certificates/fonts/` so that a certificate looks the same on every host.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property, lru_cache
from io import BytesIO
from pathlib import Path
from xml.sax.saxutils import escape

import segno
from PIL import Image, UnidentifiedImageError
from reportlab import rl_config
from reportlab.lib.colors import Color, HexColor, white
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph

from lms.thai_text import THAI_RUN, printable, word_tokenizer

__all__ = [
    "FONT_BOLD",
    "FONT_ITALIC",
    "FONT_REGULAR",
    "FONT_SEMIBOLD",
    "Bilingual",
    "CertificateText",
    "Design",
    "Labels",
    "Signatory",
    "certificate_pdf",
    "thai_lines",
]


# --------------------------------------------------------------------------------------------
# What the caller hands in
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Bilingual:
    """The same words in Thai and English: a certificate shows Thai first, English below."""

    th: str
    en: str


@dataclass(frozen=True)
class Signatory:
    """Someone who signs for the issuer; the signature is an image (PNG or JPEG bytes)."""

    name: Bilingual
    position: Bilingual
    signature_image: bytes | None = None


LAYOUTS = ("classic", "modern")
MAX_SIGNATORIES = 3


@dataclass(frozen=True)
class Design:
    """How a certificate looks; an issuer keeps one (or a few) and reuses it for every course.

    `layout` is "classic" (centred, double border) or "modern" (coloured band on the left
    holding the logo, the issuer and the QR code).
    """

    layout: str
    primary_colour: str
    accent_colour: str
    heading: Bilingual
    statement: Bilingual
    completion: Bilingual
    background_image: bytes | None = None
    logo_image: bytes | None = None
    signatories: tuple[Signatory, ...] = ()


@dataclass(frozen=True)
class Labels:
    """Fixed captions. The caller translates them, so this module holds no user-facing words."""

    number: Bilingual
    verification_code: Bilingual
    completed_on: Bilingual
    hours: Bilingual
    score: Bilingual
    valid_until: Bilingual
    competencies: Bilingual
    verify_at: Bilingual
    issued_by: Bilingual


@dataclass(frozen=True)
class CertificateText:
    """What one certificate says: everything already formatted by the caller (dates, hours)."""

    holder_name: Bilingual
    course_title: Bilingual
    partner_name: Bilingual
    issuer_name: Bilingual
    completed_on: Bilingual
    hours: Bilingual
    competencies: tuple[Bilingual, ...]
    score: Bilingual | None
    valid_until: Bilingual | None
    number: str
    verification_code: str
    verification_url: str


# --------------------------------------------------------------------------------------------
# Fonts
# --------------------------------------------------------------------------------------------

FONT_DIR = Path(__file__).resolve().parent / "fonts"
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


def register_fonts() -> None:
    """Register the Sarabun fonts with ReportLab, once per process.

    Done on first use rather than at import: reading four TrueType files costs time that a
    Django process which never renders a certificate should not pay.
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


# Sarabun's vertical extent of ink, as a share of the font size: tone marks stacked over upper
# vowels reach about 0.95 above the baseline, lower vowels (ุ ู) about 0.25 below. Blocks of
# text are spaced by these, not by the font's line gap, so the white space looks even.
_INK_ASCENT = 0.95
_INK_DESCENT = 0.27

# Characters that need HarfBuzz: anything beyond Latin letters and general punctuation
# (Thai above all; also combining marks, which only shaping places correctly).
NEEDS_SHAPING = re.compile(r"[^\u0000-\u024F\u2000-\u206F\u20AC]")

# Turned off only by the test that proves the reference images catch unshaped Thai.
_SHAPING = 1


# --------------------------------------------------------------------------------------------
# Line breaking at Thai word boundaries
# --------------------------------------------------------------------------------------------

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
    return pdfmetrics.stringWidth(unit, font_name, 1.0)


def thai_lines(text: str, *, font_name: str, font_size: float, width: float) -> list[str]:
    """Break `text` into lines no wider than `width`, only at word boundaries.

    Works for Thai, English and the two mixed. Lines are filled greedily; whitespace where a
    line breaks is dropped. A dictionary compound too wide for a line of its own is broken
    between its words (see `_compound_parts`); a single word still too wide gets a line of
    its own (never cut, never lost: the caller decides whether to shrink the font).
    """
    register_fonts()
    return list(_break_lines(text, font_name, font_size, width))


@lru_cache(maxsize=4096)
def _break_lines(text: str, font_name: str, font_size: float, width: float) -> tuple[str, ...]:
    """`thai_lines`, remembered: fitting a page tries the same text at the same sizes often."""
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


def _line_width(line: str, font_name: str, font_size: float) -> float:
    return pdfmetrics.stringWidth(line, font_name, font_size)


def _balanced_lines(text: str, font_name: str, font_size: float, width: float) -> tuple[str, ...]:
    """Lines as `thai_lines` gives them, but as even in length as the same line count allows.

    A centred title whose second line holds one short word looks like a mistake; narrowing
    the width until one more line would be needed spreads the words evenly.
    """
    lines = _break_lines(text, font_name, font_size, width)
    if len(lines) < 2:
        return lines
    low, high = width * 0.4, width
    best = lines
    for _ in range(8):
        middle = (low + high) / 2
        trial = _break_lines(text, font_name, font_size, middle)
        if len(trial) <= len(lines):
            best, high = trial, middle
        else:
            low = middle
    return best


@dataclass(frozen=True)
class _Fitted:
    size: float
    lines: tuple[str, ...]


def _fit(
    text: str,
    font_name: str,
    *,
    largest: float,
    smallest: float,
    width: float,
    max_lines: int,
) -> _Fitted:
    """The largest size in [smallest, largest] (in half points) at which `text` fits in
    `max_lines` lines.

    If even `smallest` needs more lines, more lines it gets (the page layout then shrinks
    everything a little). Only a single word wider than the whole width pushes the size
    below `smallest`, because the alternative is ink outside the page.
    """

    def attempt(size: float) -> tuple[bool, tuple[str, ...], float]:
        lines = _break_lines(text, font_name, size, width)
        widest = max((_line_width(line, font_name, size) for line in lines), default=0.0)
        return len(lines) <= max_lines and widest <= width + 1e-6, lines, widest

    fits, lines, widest = attempt(largest)
    size = largest
    if not fits:
        # Fewer lines and narrower words as the size drops: binary search on half points.
        steps = max(0, int((largest - smallest) / 0.5))
        sizes = [largest - 0.5 * step for step in range(1, steps + 1)] + [smallest]
        low, high = 0, len(sizes) - 1
        found = None
        while low <= high:
            middle = (low + high) // 2
            if attempt(sizes[middle])[0]:
                found, high = middle, middle - 1
            else:
                low = middle + 1
        size = sizes[found] if found is not None else smallest
        fits, lines, widest = attempt(size)
    if widest > width + 1e-6:
        size = max(4.0, size * width / widest)
        lines = _break_lines(text, font_name, size, width)
    return _Fitted(size, lines)


# --------------------------------------------------------------------------------------------
# Drawing primitives: Thai through shaped Paragraphs, plain Latin drawn directly
# --------------------------------------------------------------------------------------------

_DARK = HexColor("#1f2730")
_MUTED = HexColor("#5c6673")
_RULE = HexColor("#9aa3ad")
_PAGE_WIDTH, _PAGE_HEIGHT = landscape(A4)
# Extra width given to each Paragraph beyond the measured lines, so that HarfBuzz's kerned
# widths (a hair different from the plain advances `thai_lines` adds up) never make
# ReportLab wrap a line a second time.
_PARAGRAPH_SLACK = 24.0


@lru_cache(maxsize=256)
def paragraph_style(
    font_name: str, size: float, leading: float, colour: str, alignment: int, shaping: int
) -> ParagraphStyle:
    return ParagraphStyle(
        name=f"{font_name}-{size}-{colour}-{alignment}",
        fontName=font_name,
        fontSize=size,
        leading=leading,
        textColor=HexColor(colour),
        alignment=alignment,
        shaping=shaping,
        # Lines arrive already broken at word boundaries; ReportLab must never cut one.
        splitLongWords=0,
    )


@lru_cache(maxsize=512)
def _wrapped_paragraph(
    markup: str, style_key: tuple[str, float, float, str, int, int], width: float
) -> tuple[Paragraph, float]:
    """A shaped and wrapped `Paragraph`, kept for the next certificate of the same design.

    Parsing, shaping and wrapping are most of a paragraph's cost, and most paragraphs
    (captions, heading, statement, issuer, signatories, course title) are the same on
    every certificate of a course. A wrapped Paragraph may be drawn any number of times.
    """
    paragraph = Paragraph(markup, paragraph_style(*style_key))
    _, height = paragraph.wrap(width, _PAGE_HEIGHT * 4)
    return paragraph, height


@dataclass
class _Lines:
    """Lines of text in one style: the unit every layout is built from.

    `balance`, when set to (text, width), evens out the line lengths when drawn; the line
    count (and so the height) stays the same, so the page is laid out with the greedy lines
    and only the lines finally drawn are balanced.
    """

    lines: tuple[str, ...]
    font_name: str
    size: float
    colour: Color
    leading_factor: float = 1.25
    balance: tuple[str, float] | None = None

    @cached_property
    def drawn_lines(self) -> tuple[str, ...]:
        if self.balance is None or len(self.lines) < 2:
            return self.lines
        return _balanced_lines(self.balance[0], self.font_name, self.size, self.balance[1])

    @property
    def leading(self) -> float:
        return self.size * self.leading_factor

    @property
    def height(self) -> float:
        if not self.lines:
            return 0.0
        return (len(self.lines) - 1) * self.leading + (_INK_ASCENT + _INK_DESCENT) * self.size

    @property
    def width(self) -> float:
        return max((_line_width(line, self.font_name, self.size) for line in self.drawn_lines), default=0.0)

    def draw(self, canvas: Canvas, x: float, top: float, width: float, alignment: int) -> None:
        """Draw with the first line's ink top at `top`, aligned within [x, x + width].

        Text that needs shaping (any Thai) goes through a shaped `Paragraph`. Plain Latin
        lines (English, the number, the address) need no shaping and are drawn directly:
        a `Paragraph` costs about 0.3 ms, and a certificate has some twenty such lines.
        """
        if not self.lines:
            return
        first_baseline = top - _INK_ASCENT * self.size
        if not any(NEEDS_SHAPING.search(line) for line in self.drawn_lines):
            self._draw_plain(canvas, x, first_baseline, width, alignment)
            return
        paragraph, height = _wrapped_paragraph(
            "<br/>".join(escape(line) for line in self.drawn_lines),
            (self.font_name, self.size, self.leading, self.colour.hexval(), alignment, _SHAPING),
            width + _PARAGRAPH_SLACK,
        )
        # ReportLab puts the first baseline one font size (or one ascent) below the top.
        if rl_config.paraFontSizeHeightOffset:
            offset = self.size
        else:
            offset = pdfmetrics.getAscentDescent(self.font_name, self.size)[0]
        shift = {TA_LEFT: 0.0, TA_CENTER: _PARAGRAPH_SLACK / 2, TA_RIGHT: _PARAGRAPH_SLACK}[alignment]
        paragraph.drawOn(canvas, x - shift, first_baseline + offset - height)

    def _draw_plain(
        self, canvas: Canvas, x: float, first_baseline: float, width: float, alignment: int
    ) -> None:
        canvas.saveState()
        canvas.setFont(self.font_name, self.size)
        canvas.setFillColor(self.colour)
        for index, line in enumerate(self.drawn_lines):
            baseline = first_baseline - index * self.leading
            if alignment == TA_CENTER:
                canvas.drawCentredString(x + width / 2, baseline, line)
            elif alignment == TA_RIGHT:
                canvas.drawRightString(x + width, baseline, line)
            else:
                canvas.drawString(x, baseline, line)
        canvas.restoreState()


def _lines(
    text: str,
    font_name: str,
    size: float,
    colour: Color,
    width: float,
    *,
    leading_factor: float = 1.25,
    balanced: bool = False,
) -> _Lines:
    broken = _break_lines(text, font_name, size, width)
    return _Lines(broken, font_name, size, colour, leading_factor, (text, width) if balanced else None)


class _Block:
    """Something with a height that draws itself below a given top, within a given width."""

    height: float

    def draw(self, canvas: Canvas, x: float, top: float, width: float) -> None:
        raise NotImplementedError


@dataclass
class _Stacked(_Block):
    """Text blocks one under another (Thai above English), all with the same alignment."""

    parts: list[tuple[float, _Lines]]  # (gap above, lines)
    alignment: int

    @property
    def height(self) -> float:  # type: ignore[override]
        visible = [(gap, part) for gap, part in self.parts if part.lines]
        return sum(part.height for _, part in visible) + sum(gap for gap, _ in visible[1:])

    def draw(self, canvas: Canvas, x: float, top: float, width: float) -> None:
        first = True
        for gap, part in self.parts:
            if not part.lines:
                continue
            if not first:
                top -= gap
            part.draw(canvas, x, top, width, self.alignment)
            top -= part.height
            first = False


def _pair(
    value: Bilingual,
    width: float,
    alignment: int,
    *,
    th: tuple[str, float, Color],
    en: tuple[str, float, Color],
    gap: float,
    balanced: bool = False,
) -> _Stacked:
    """A Thai line (or lines) above its English counterpart."""
    return _Stacked(
        [
            (0.0, _lines(value.th, th[0], th[1], th[2], width, balanced=balanced)),
            (gap, _lines(value.en, en[0], en[1], en[2], width, balanced=balanced)),
        ],
        alignment,
    )


@dataclass
class _Rule(_Block):
    """A short ornamental rule: two accent lines either side of a small diamond."""

    length: float
    colour: Color
    alignment: int
    height: float = 6.0

    def draw(self, canvas: Canvas, x: float, top: float, width: float) -> None:
        middle_y = top - self.height / 2
        if self.alignment == TA_CENTER:
            centre = x + width / 2
            start = centre - self.length / 2
        else:
            start = x
            centre = x + self.length / 2
        canvas.saveState()
        canvas.setStrokeColor(self.colour)
        canvas.setFillColor(self.colour)
        canvas.setLineWidth(0.8)
        canvas.line(start, middle_y, centre - 6, middle_y)
        canvas.line(centre + 6, middle_y, start + self.length, middle_y)
        _diamond(canvas, centre, middle_y, 2.6)
        canvas.restoreState()


def _diamond(canvas: Canvas, x: float, y: float, radius: float) -> None:
    path = canvas.beginPath()
    path.moveTo(x, y + radius)
    path.lineTo(x + radius, y)
    path.lineTo(x, y - radius)
    path.lineTo(x - radius, y)
    path.close()
    canvas.drawPath(path, fill=1, stroke=0)


@dataclass
class _Columns(_Block):
    """Cells side by side, each a block; optional thin separators between them."""

    cells: list[_Block]
    cell_width: float
    alignment: int
    separator: Color | None = None

    @property
    def height(self) -> float:  # type: ignore[override]
        return max((cell.height for cell in self.cells), default=0.0)

    def draw(self, canvas: Canvas, x: float, top: float, width: float) -> None:
        total = self.cell_width * len(self.cells)
        left = x + (width - total) / 2 if self.alignment == TA_CENTER else x
        for index, cell in enumerate(self.cells):
            cell.draw(canvas, left + index * self.cell_width, top, self.cell_width)
            if self.separator is not None and index:
                canvas.saveState()
                canvas.setStrokeColor(self.separator)
                canvas.setLineWidth(0.5)
                separator_x = left + index * self.cell_width
                canvas.line(separator_x, top + 1, separator_x, top - self.height - 1)
                canvas.restoreState()


@dataclass
class _Padded(_Block):
    """A block drawn inset from its cell, so neighbouring cells do not touch."""

    inner: _Block
    padding: float

    @property
    def height(self) -> float:  # type: ignore[override]
        return self.inner.height

    def draw(self, canvas: Canvas, x: float, top: float, width: float) -> None:
        self.inner.draw(canvas, x + self.padding, top, width - 2 * self.padding)


@dataclass
class _Grid(_Block):
    """Rows of `_Columns`, for the competencies."""

    rows: list[_Columns]
    row_gap: float

    @property
    def height(self) -> float:  # type: ignore[override]
        return sum(row.height for row in self.rows) + self.row_gap * max(0, len(self.rows) - 1)

    def draw(self, canvas: Canvas, x: float, top: float, width: float) -> None:
        for row in self.rows:
            row.draw(canvas, x, top, width)
            top -= row.height + self.row_gap


@dataclass
class _Bulleted(_Block):
    """A block with a small accent diamond before its first line (competencies, modern)."""

    inner: _Stacked
    colour: Color
    first_size: float
    indent: float = 11.0

    @property
    def height(self) -> float:  # type: ignore[override]
        return self.inner.height

    def draw(self, canvas: Canvas, x: float, top: float, width: float) -> None:
        canvas.saveState()
        canvas.setFillColor(self.colour)
        _diamond(canvas, x + 3.0, top - _INK_ASCENT * self.first_size + 0.33 * self.first_size, 2.4)
        canvas.restoreState()
        self.inner.draw(canvas, x + self.indent, top, width - self.indent)


# --------------------------------------------------------------------------------------------
# Images
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Picture:
    reader: ImageReader
    width: int
    height: int


class _UnreadableImage(Exception):
    pass


def _picture(data: bytes, what: str) -> _Picture:
    """Read PNG or JPEG bytes, or raise ValueError naming which image is broken.

    ReportLab would otherwise fail deep inside `drawImage`, or worse embed bytes that make a
    PDF reader show an error, so the image is checked whole with Pillow first.
    """
    try:
        return _decoded_picture(data)
    except _UnreadableImage as error:
        raise ValueError(f"The {what} {error}: upload it again as a PNG or JPEG file.") from error.__cause__


@lru_cache(maxsize=16)
def _decoded_picture(data: bytes) -> _Picture:
    """The checked image, kept: logo, signatures and background repeat on every certificate
    of a design, and the reader keeps its decoded pixels for the next document."""
    try:
        with Image.open(BytesIO(data)) as probe:
            image_format = probe.format
            probe.verify()
        with Image.open(BytesIO(data)) as image:
            image.load()
            size = image.size
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as error:
        raise _UnreadableImage("could not be read (the file is damaged or incomplete)") from error
    if image_format not in ("PNG", "JPEG"):
        raise _UnreadableImage(f"is a {image_format} image; certificates take PNG or JPEG")
    # JPEG is embedded as it is; PNG is decoded by ReportLab and compressed again (for a
    # full-page background that is most of a render's time: prefer JPEG backgrounds).
    return _Picture(ImageReader(BytesIO(data)), size[0], size[1])


def _draw_picture(
    canvas: Canvas,
    picture: _Picture,
    x: float,
    y: float,
    box_width: float,
    box_height: float,
    *,
    horizontal: str = "centre",
    vertical: str = "middle",
) -> None:
    """Draw `picture` as large as fits in the box, keeping its proportions."""
    scale = min(box_width / picture.width, box_height / picture.height)
    width, height = picture.width * scale, picture.height * scale
    left = {"left": x, "centre": x + (box_width - width) / 2, "right": x + box_width - width}[horizontal]
    bottom = {"bottom": y, "middle": y + (box_height - height) / 2, "top": y + box_height - height}[vertical]
    canvas.drawImage(picture.reader, left, bottom, width, height, mask="auto")


def _draw_background(canvas: Canvas, picture: _Picture) -> None:
    """Cover the whole page with the background, cropping what overflows (never distorting)."""
    scale = max(_PAGE_WIDTH / picture.width, _PAGE_HEIGHT / picture.height)
    width, height = picture.width * scale, picture.height * scale
    canvas.drawImage(
        picture.reader, (_PAGE_WIDTH - width) / 2, (_PAGE_HEIGHT - height) / 2, width, height, mask="auto"
    )


# --------------------------------------------------------------------------------------------
# QR code
# --------------------------------------------------------------------------------------------

QR_QUIET_ZONE = 4  # modules of white around the code, as ISO/IEC 18004 requires


def _qr_matrix(url: str) -> tuple[bytearray, ...]:
    """The QR code's modules, without the quiet zone. Level M survives a worn print."""
    return segno.make(url, error="m", micro=False).matrix


@dataclass(frozen=True)
class _PathCode:
    """Ready-made PDF path operators, for `Canvas.drawPath` (which only asks for `getCode`).

    Formatting a few hundred rectangles through ReportLab's path object costs about 2 ms in
    pure-Python number formatting; module coordinates are small integers, so plain `str`
    does the same job in a tenth of the time.
    """

    code: str

    def getCode(self) -> str:  # noqa: N802 - the name ReportLab calls
        return self.code


def _draw_qr(canvas: Canvas, url: str, x: float, y: float, size: float) -> None:
    """Draw the QR code as vector squares filling the box, quiet zone included.

    The box is painted white first, so the code scans on a coloured band or a background
    image. Dark modules in a row are merged into one rectangle: fewer path segments, and no
    hairline seams between neighbours in anti-aliased viewers. Coordinates are in modules,
    counted from the top left corner of the quiet zone (the canvas is scaled to match).
    """
    matrix = _qr_matrix(url)
    modules = len(matrix) + 2 * QR_QUIET_ZONE
    rectangles: list[str] = ["n"]
    for row_index, row in enumerate(matrix):
        top = row_index + QR_QUIET_ZONE
        column = 0
        while column < len(row):
            if not row[column]:
                column += 1
                continue
            start = column
            while column < len(row) and row[column]:
                column += 1
            rectangles.append(f"{start + QR_QUIET_ZONE} {top} {column - start} 1 re")
    canvas.saveState()
    canvas.setFillColor(white)
    canvas.rect(x, y, size, size, stroke=0, fill=1)
    canvas.setFillColor(HexColor("#000000"))
    canvas.translate(x, y + size)
    canvas.scale(size / modules, -size / modules)
    canvas.drawPath(_PathCode(" ".join(rectangles)), fill=1, stroke=0)
    canvas.restoreState()


# --------------------------------------------------------------------------------------------
# Layouts
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Palette:
    primary: Color
    accent: Color


def _colour(value: str, what: str) -> Color:
    if not re.fullmatch(r"#[0-9a-fA-F]{6}", value or ""):
        raise ValueError(f"The {what} must be a colour written as #rrggbb, not {value!r}.")
    return HexColor(value)


def _luminance(colour: Color) -> float:
    return 0.2126 * colour.red + 0.7152 * colour.green + 0.0722 * colour.blue


@dataclass(frozen=True)
class _Area:
    """A rectangle on the page (PDF coordinates: y grows upwards)."""

    left: float
    bottom: float
    right: float
    top: float

    @property
    def width(self) -> float:
        return self.right - self.left

    @property
    def height(self) -> float:
        return self.top - self.bottom


# Where each layout puts its QR code: (left, bottom, size) in points, quiet zone included.
# Tests read it to find the code on the rendered page.
_CLASSIC_MARGIN = 56.0
_CLASSIC_QR = (_PAGE_WIDTH - _CLASSIC_MARGIN - 68, _PAGE_HEIGHT - _CLASSIC_MARGIN - 68, 68.0)
_MODERN_BAND_WIDTH = 232.0
_MODERN_QR = (36.0, 100.0, 84.0)


def _qr_box(layout: str) -> tuple[float, float, float]:
    return _CLASSIC_QR if layout == "classic" else _MODERN_QR


# Captions stay readable however much the rest shrinks.
_CAPTION_TH_FLOOR = 7.0
_CAPTION_EN_FLOOR = 6.5


def _size(base: float, scale: float, floor: float = 0.0) -> float:
    return max(floor, base * scale)


def _fitted(
    text: str,
    font_name: str,
    colour: Color,
    width: float,
    *,
    largest: float,
    smallest: float,
    max_lines: int,
    leading_factor: float = 1.25,
    balanced: bool = True,
) -> _Lines:
    """Text at the largest size that fits `max_lines` lines of `width` (see `_fit`)."""
    fitted = _fit(text, font_name, largest=largest, smallest=smallest, width=width, max_lines=max_lines)
    return _Lines(
        fitted.lines, font_name, fitted.size, colour, leading_factor, (text, width) if balanced else None
    )


def _details(text: CertificateText, labels: Labels) -> list[tuple[Bilingual, Bilingual]]:
    details = [(labels.completed_on, text.completed_on), (labels.hours, text.hours)]
    if text.score is not None:
        details.append((labels.score, text.score))
    if text.valid_until is not None:
        details.append((labels.valid_until, text.valid_until))
    return details


def _detail_cell(label: Bilingual, value: Bilingual, width: float, alignment: int, scale: float) -> _Stacked:
    """Caption (Thai, then English) above the value (Thai, then English)."""
    return _Stacked(
        [
            (0.0, _lines(label.th, FONT_SEMIBOLD, _size(8.5, scale, _CAPTION_TH_FLOOR), _MUTED, width)),
            (1.5, _lines(label.en, FONT_REGULAR, _size(7.5, scale, _CAPTION_EN_FLOOR), _MUTED, width)),
            (4.0 * scale, _lines(value.th, FONT_BOLD, _size(12.0, scale, 9.5), _DARK, width)),
            (1.5, _lines(value.en, FONT_REGULAR, _size(9.5, scale, 8.0), _DARK, width)),
        ],
        alignment,
    )


def _details_block(
    text: CertificateText,
    labels: Labels,
    width: float,
    alignment: int,
    scale: float,
    palette: _Palette,
    *,
    per_row: int,
) -> _Block:
    """Completion date, hours, score and expiry: caption over value, columns with thin rules."""
    details = _details(text, labels)
    per_row = min(per_row, len(details))
    cell_width = min(172.0, width / per_row)
    rows: list[_Columns] = []
    for start in range(0, len(details), per_row):
        cells: list[_Block] = []
        for index, (label, value) in enumerate(details[start : start + per_row]):
            if alignment == TA_CENTER:
                cells.append(_Padded(_detail_cell(label, value, cell_width - 16, alignment, scale), 8.0))
            else:
                shift = 12.0 if index else 0.0
                cell = _detail_cell(label, value, cell_width - shift - 8, alignment, scale)
                cells.append(_Shifted(cell, shift))
        rows.append(_Columns(cells, cell_width, alignment, separator=palette.accent))
    return _Grid(rows, 9.0 * scale)


@dataclass
class _Shifted(_Block):
    inner: _Block
    shift: float

    @property
    def height(self) -> float:  # type: ignore[override]
        return self.inner.height

    def draw(self, canvas: Canvas, x: float, top: float, width: float) -> None:
        self.inner.draw(canvas, x + self.shift, top, width - self.shift)


def _competencies(
    text: CertificateText,
    labels: Labels,
    width: float,
    alignment: int,
    scale: float,
    palette: _Palette,
    columns: int,
) -> _Block | None:
    """The competencies the course certifies: a caption, then a grid of Thai/English names."""
    if not text.competencies:
        return None
    count = len(text.competencies)
    per_row = min(columns, count)
    if count == 4 and columns >= 3:
        per_row = 2  # 2 + 2 reads better than 3 + 1
    cell_width = min(240.0, width / per_row) if alignment == TA_CENTER else width / per_row
    caption = _pair(
        labels.competencies,
        width,
        alignment,
        th=(FONT_SEMIBOLD, _size(8.5, scale, _CAPTION_TH_FLOOR), _MUTED),
        en=(FONT_REGULAR, _size(7.5, scale, _CAPTION_EN_FLOOR), _MUTED),
        gap=1.5,
    )
    th_size, en_size = _size(10.0, scale, 8.0), _size(8.5, scale, _CAPTION_EN_FLOOR)
    rows: list[_Columns] = []
    for start in range(0, count, per_row):
        cells: list[_Block] = []
        for competency in text.competencies[start : start + per_row]:
            if alignment == TA_CENTER:
                inner = _pair(
                    competency,
                    cell_width - 16,
                    TA_CENTER,
                    th=(FONT_SEMIBOLD, th_size, _DARK),
                    en=(FONT_REGULAR, en_size, _MUTED),
                    gap=1.0,
                    balanced=True,
                )
                cells.append(_Padded(inner, 8.0))
            else:
                inner = _pair(
                    competency,
                    cell_width - 11 - 12,
                    TA_LEFT,
                    th=(FONT_SEMIBOLD, th_size, _DARK),
                    en=(FONT_REGULAR, en_size, _MUTED),
                    gap=1.0,
                )
                cells.append(_Bulleted(inner, palette.accent, th_size))
        rows.append(_Columns(cells, cell_width, alignment))
    return _VerticalGroup([(0.0, caption), (6.0 * scale, _Grid(rows, 6.0 * scale))])


@dataclass
class _VerticalGroup(_Block):
    blocks: list[tuple[float, _Block]]

    @property
    def height(self) -> float:  # type: ignore[override]
        return sum(block.height for _, block in self.blocks) + sum(gap for gap, _ in self.blocks[1:])

    def draw(self, canvas: Canvas, x: float, top: float, width: float) -> None:
        for index, (gap, block) in enumerate(self.blocks):
            if index:
                top -= gap
            block.draw(canvas, x, top, width)
            top -= block.height


@dataclass
class _SignatoryBlock(_Block):
    """Signature image above a dotted line, then the name in brackets (Thai custom), position."""

    picture: _Picture | None
    text: _Stacked
    line_width: float
    alignment: int
    signature_height: float

    @property
    def height(self) -> float:  # type: ignore[override]
        return self.signature_height + 5.0 + self.text.height

    def draw(self, canvas: Canvas, x: float, top: float, width: float) -> None:
        line_y = top - self.signature_height
        line_left = x + (width - self.line_width) / 2 if self.alignment == TA_CENTER else x
        if self.picture is not None:
            _draw_picture(
                canvas,
                self.picture,
                line_left + 6,
                line_y + 1.5,
                self.line_width - 12,
                self.signature_height - 2,
                horizontal="centre",
                vertical="bottom",
            )
        canvas.saveState()
        canvas.setStrokeColor(_RULE)
        canvas.setLineWidth(0.6)
        canvas.setDash(1, 1.6)
        canvas.line(line_left, line_y, line_left + self.line_width, line_y)
        canvas.restoreState()
        self.text.draw(canvas, x, line_y - 5.0, width)


def _signatories(
    signatories: Sequence[Signatory],
    pictures: Sequence[_Picture | None],
    width: float,
    alignment: int,
    scale: float,
) -> _Columns | None:
    """Signatories side by side, each column as wide as three would need (or less)."""
    if not signatories:
        return None
    cell_width = min(236.0, width / len(signatories))
    text_width = cell_width - 16
    cells: list[_Block] = []
    for signatory, picture in zip(signatories, pictures, strict=True):
        text = _Stacked(
            [
                (
                    0.0,
                    _fitted(
                        f"({signatory.name.th})",
                        FONT_SEMIBOLD,
                        _DARK,
                        text_width,
                        largest=_size(10.5, scale, 8.5),
                        smallest=8.0,
                        max_lines=1,
                    ),
                ),
                (
                    1.5,
                    _fitted(
                        signatory.name.en,
                        FONT_REGULAR,
                        _MUTED,
                        text_width,
                        largest=_size(8.5, scale, 7.0),
                        smallest=6.5,
                        max_lines=1,
                    ),
                ),
                (
                    3.0 * scale,
                    _lines(signatory.position.th, FONT_REGULAR, _size(9.5, scale, 7.5), _DARK, text_width),
                ),
                (
                    1.5,
                    _lines(
                        signatory.position.en,
                        FONT_REGULAR,
                        _size(8.0, scale, _CAPTION_EN_FLOOR),
                        _MUTED,
                        text_width,
                    ),
                ),
            ],
            alignment,
        )
        block = _SignatoryBlock(picture, text, min(150.0, text_width), alignment, 38.0 * scale)
        cells.append(_Padded(block, 8.0) if alignment == TA_CENTER else _Shifted(block, 0.0))
    return _Columns(cells, cell_width, alignment)


def _stack(
    canvas: Canvas,
    area: _Area,
    blocks: Sequence[tuple[float, _Block]],
    *,
    bottom_block: _Block | None,
    bottom_gap: float,
) -> None:
    """Draw `blocks` top-down in `area`, spreading spare height over the gaps.

    Gaps grow with spare room (up to 1.8 times their natural size) so a certificate with
    little to say does not bunch up at the top; what is left over goes above and below in
    equal parts. `bottom_block` (the signatures) stays at the foot of the area.
    """
    bottom = area.bottom
    if bottom_block is not None:
        bottom_block.draw(canvas, area.left, area.bottom + bottom_block.height, area.width)
        bottom += bottom_block.height + bottom_gap
    content = sum(block.height for _, block in blocks)
    gaps = [gap for gap, _ in blocks[1:]]
    spare = (area.top - bottom) - content - sum(gaps)
    stretch = min(0.8, spare / sum(gaps)) if gaps and spare > 0 else 0.0
    spare -= stretch * sum(gaps)
    top = area.top - max(0.0, spare) / 2
    for index, (gap, block) in enumerate(blocks):
        if index:
            top -= gap * (1 + stretch)
        block.draw(canvas, area.left, top, area.width)
        top -= block.height


def _total_height(
    blocks: Sequence[tuple[float, _Block]], bottom_block: _Block | None, bottom_gap: float
) -> float:
    total = sum(block.height for _, block in blocks) + sum(gap for gap, _ in blocks[1:])
    if bottom_block is not None:
        total += bottom_block.height + bottom_gap
    return total


_SCALES = (1.0, 0.95, 0.9, 0.85, 0.8, 0.75, 0.7)


def _body_blocks(
    text: CertificateText,
    design: Design,
    labels: Labels,
    palette: _Palette,
    width: float,
    alignment: int,
    scale: float,
    *,
    title_width: float,
    opening_width: float,
) -> list[tuple[float, _Block]]:
    """The certificate's wording, top to bottom, at `scale` times the natural sizes.

    The opening lines (heading, statement, name, completion) are kept within
    `opening_width`: on the classic page they run between the corner blocks.
    """
    gap = scale * scale  # white space gives way faster than text
    blocks: list[tuple[float, _Block]] = [
        (
            0.0,
            _Stacked(
                [
                    (0.0, _lines(design.heading.th, FONT_BOLD, 34 * scale, palette.primary, opening_width)),
                    (
                        2.0,
                        _lines(
                            design.heading.en.upper(),
                            FONT_SEMIBOLD,
                            12 * scale,
                            palette.accent,
                            opening_width,
                        ),
                    ),
                ],
                alignment,
            ),
        ),
        (
            16.0 * gap,
            _pair(
                design.statement,
                opening_width,
                alignment,
                th=(FONT_REGULAR, _size(13, scale, 10), _DARK),
                en=(FONT_ITALIC, _size(10.5, scale, 8), _MUTED),
                gap=1.5,
            ),
        ),
        (
            10.0 * gap,
            _Stacked(
                [
                    (
                        0.0,
                        _fitted(
                            text.holder_name.th,
                            FONT_BOLD,
                            palette.primary,
                            opening_width,
                            largest=31 * scale,
                            smallest=20 * scale,
                            max_lines=1,
                        ),
                    ),
                    (
                        4.0 * scale,
                        _fitted(
                            text.holder_name.en,
                            FONT_SEMIBOLD,
                            _DARK,
                            opening_width,
                            largest=15 * scale,
                            smallest=11 * scale,
                            max_lines=1,
                        ),
                    ),
                ],
                alignment,
            ),
        ),
        (7.0 * gap, _Rule(220.0 if alignment == TA_CENTER else 160.0, palette.accent, alignment)),
        (
            8.0 * gap,
            _pair(
                design.completion,
                opening_width,
                alignment,
                th=(FONT_REGULAR, _size(13, scale, 10), _DARK),
                en=(FONT_ITALIC, _size(10.5, scale, 8), _MUTED),
                gap=1.5,
            ),
        ),
    ]
    title = _fitted(
        text.course_title.th,
        FONT_BOLD,
        palette.primary,
        title_width,
        largest=21 * scale,
        smallest=15 * scale,
        max_lines=2,
        leading_factor=1.38,
    )
    title_en = _fitted(
        text.course_title.en,
        FONT_SEMIBOLD,
        _DARK,
        title_width,
        largest=min(13.0 * scale, title.size * 0.64),
        smallest=10 * scale,
        max_lines=2,
        leading_factor=1.2,
    )
    blocks.append(
        (
            8.0 * gap,
            _Stacked(
                [
                    (0.0, title),
                    (3.0 * scale, title_en),
                    (
                        6.0 * scale,
                        _lines(text.partner_name.th, FONT_REGULAR, _size(10.5, scale, 8), _MUTED, width),
                    ),
                    (1.5, _lines(text.partner_name.en, FONT_REGULAR, _size(9, scale, 7), _MUTED, width)),
                ],
                alignment,
            ),
        )
    )
    blocks.append((16.0 * gap, _details_block(text, labels, width, alignment, scale, palette, per_row=4)))
    columns = 3 if alignment == TA_CENTER else 2
    competencies = _competencies(text, labels, width, alignment, scale, palette, columns)
    if competencies is not None:
        blocks.append((14.0 * gap, competencies))
    return blocks


_Body = tuple[list[tuple[float, _Block]], _Block | None]  # blocks top-down, signatures at the foot


def _body_fits(body: _Body, area: _Area, bottom_gap: float) -> bool:
    return _total_height(body[0], body[1], bottom_gap) <= area.height


def _draw_classic(
    canvas: Canvas,
    text: CertificateText,
    design: Design,
    labels: Labels,
    palette: _Palette,
    logo: _Picture | None,
    signatures: Sequence[_Picture | None],
) -> None:
    """Centred, framed by a double border: the look of a Thai government certificate.

    Emblem and issuing body at the top centre, the certificate number in the top left
    corner, the QR code with its short code in the top right corner, the wording centred
    below, signatures side by side at the foot. When the wording does not fit, the emblem
    moves beside the issuer's name (saving a line of height) before sizes shrink further.
    """
    _draw_classic_frame(canvas, palette)
    margin = _CLASSIC_MARGIN
    inner = _Area(margin, margin - 10, _PAGE_WIDTH - margin, _PAGE_HEIGHT - margin)

    corner_width = 176.0
    _number_block(text, labels, corner_width).draw(canvas, inner.left, inner.top, corner_width)
    qr_left, qr_bottom, qr_size = _CLASSIC_QR
    _draw_qr(canvas, text.verification_url, qr_left, qr_bottom, qr_size)
    _verification_block(text, labels, corner_width, TA_RIGHT, _DARK, _MUTED).draw(
        canvas, inner.right - corner_width, qr_bottom - 7, corner_width
    )

    letterhead_width = inner.width - 2 * corner_width - 24
    arrangements: list[tuple[_Block, Sequence[float]]] = []
    if logo is not None:
        arrangements.append((_EmblemAbove(logo, _letterhead(text, palette, letterhead_width)), _SCALES[:4]))
        lockup_text = _letterhead(text, palette, letterhead_width - 60, alignment=TA_LEFT)
        arrangements.append((_EmblemBeside(logo, lockup_text), _SCALES))
    else:
        arrangements.append((_letterhead(text, palette, letterhead_width), _SCALES))

    def body_at(scale: float, area: _Area) -> _Body:
        blocks = _body_blocks(
            text,
            design,
            labels,
            palette,
            area.width,
            TA_CENTER,
            scale,
            title_width=area.width * 0.86,
            opening_width=letterhead_width,
        )
        return blocks, _signatories(design.signatories, signatures, area.width, TA_CENTER, scale)

    bottom_gap = 16.0
    for letterhead, scales in arrangements:
        area = _Area(inner.left, inner.bottom, inner.right, inner.top + 4 - letterhead.height - 14)
        for scale in scales:
            body = body_at(scale, area)
            if _body_fits(body, area, bottom_gap * scale):
                break
        else:
            continue
        break
    letterhead.draw(canvas, inner.left, inner.top + 4, inner.width)
    _stack(canvas, area, body[0], bottom_block=body[1], bottom_gap=bottom_gap * scale)


def _letterhead(
    text: CertificateText, palette: _Palette, width: float, alignment: int = TA_CENTER
) -> _Stacked:
    """The issuing body's name, as on official letter paper."""
    return _Stacked(
        [
            (
                0.0,
                _fitted(
                    text.issuer_name.th,
                    FONT_SEMIBOLD,
                    palette.primary,
                    width,
                    largest=12.5,
                    smallest=10,
                    max_lines=2,
                ),
            ),
            (
                1.5,
                _fitted(
                    text.issuer_name.en, FONT_REGULAR, _MUTED, width, largest=9.5, smallest=8, max_lines=2
                ),
            ),
        ],
        alignment,
    )


_EMBLEM_HEIGHT = 48.0


@dataclass
class _EmblemAbove(_Block):
    """The emblem centred above the issuer's name: the traditional letterhead."""

    logo: _Picture
    name: _Stacked
    gap: float = 7.0

    @property
    def height(self) -> float:  # type: ignore[override]
        return _EMBLEM_HEIGHT + self.gap + self.name.height

    def draw(self, canvas: Canvas, x: float, top: float, width: float) -> None:
        _draw_picture(
            canvas, self.logo, x + width / 2 - 60, top - _EMBLEM_HEIGHT, 120, _EMBLEM_HEIGHT, vertical="top"
        )
        self.name.draw(canvas, x, top - _EMBLEM_HEIGHT - self.gap, width)


@dataclass
class _EmblemBeside(_Block):
    """The emblem left of the issuer's name, the pair centred: a line of height saved."""

    logo: _Picture
    name: _Stacked
    emblem_height: float = 40.0
    gap: float = 12.0

    @property
    def emblem_width(self) -> float:
        return min(80.0, self.emblem_height * self.logo.width / self.logo.height)

    @property
    def height(self) -> float:  # type: ignore[override]
        return max(self.emblem_height, self.name.height)

    def draw(self, canvas: Canvas, x: float, top: float, width: float) -> None:
        text_width = max(part.width for _, part in self.name.parts)
        group = self.emblem_width + self.gap + text_width
        left = x + (width - group) / 2
        _draw_picture(canvas, self.logo, left, top - self.height, self.emblem_width, self.height)
        self.name.draw(
            canvas,
            left + self.emblem_width + self.gap,
            top - (self.height - self.name.height) / 2,
            text_width,
        )


def _draw_classic_frame(canvas: Canvas, palette: _Palette) -> None:
    """Double border (primary outside, accent inside) with small corner ornaments."""
    canvas.saveState()
    canvas.setStrokeColor(palette.primary)
    canvas.setLineWidth(3.2)
    canvas.rect(20, 20, _PAGE_WIDTH - 40, _PAGE_HEIGHT - 40, stroke=1, fill=0)
    canvas.setStrokeColor(palette.accent)
    canvas.setLineWidth(0.9)
    inset = 28.0
    canvas.rect(inset, inset, _PAGE_WIDTH - 2 * inset, _PAGE_HEIGHT - 2 * inset, stroke=1, fill=0)
    canvas.setFillColor(palette.accent)
    arm = 22.0
    for x, y, dx, dy in (
        (inset, inset, 1, 1),
        (_PAGE_WIDTH - inset, inset, -1, 1),
        (inset, _PAGE_HEIGHT - inset, 1, -1),
        (_PAGE_WIDTH - inset, _PAGE_HEIGHT - inset, -1, -1),
    ):
        canvas.setLineWidth(1.6)
        canvas.line(x + dx * 5, y + dy * 5, x + dx * (5 + arm), y + dy * 5)
        canvas.line(x + dx * 5, y + dy * 5, x + dx * 5, y + dy * (5 + arm))
        _diamond(canvas, x + dx * 11, y + dy * 11, 2.6)
    canvas.restoreState()


def _number_block(text: CertificateText, labels: Labels, width: float) -> _Stacked:
    return _Stacked(
        [
            (0.0, _lines(labels.number.th, FONT_SEMIBOLD, 8.5, _MUTED, width)),
            (1.5, _lines(labels.number.en, FONT_REGULAR, 7.5, _MUTED, width)),
            (4.0, _fitted(text.number, FONT_SEMIBOLD, _DARK, width, largest=11, smallest=8, max_lines=1)),
        ],
        TA_LEFT,
    )


_URL_BREAK_AFTER = re.compile(r"[^/?&=.\-]*[/?&=.\-]?")


def _address_lines(
    url: str, colour: Color, width: float, *, largest: float = 7.5, smallest: float = 6.0
) -> _Lines:
    """The verification address on one line if it fits at a readable size, else broken after
    "/", "?", "&", "=", "." or "-" (and, for a run longer than the line, anywhere): an address
    must be printed whole, however long the site's host name is."""
    natural = pdfmetrics.stringWidth(url, FONT_REGULAR, 1.0)
    if natural * smallest <= width:
        return _Lines((url,), FONT_REGULAR, min(largest, width / natural), colour, 1.3)

    def fits(piece: str) -> bool:
        return pdfmetrics.stringWidth(piece, FONT_REGULAR, smallest) <= width

    lines: list[str] = []
    line = ""
    for piece in filter(None, _URL_BREAK_AFTER.findall(url)):
        if fits(line + piece):
            line += piece
            continue
        if line:
            lines.append(line)
        while not fits(piece):
            cut = 1
            while cut < len(piece) and fits(piece[: cut + 1]):
                cut += 1
            lines.append(piece[:cut])
            piece = piece[cut:]
        line = piece
    if line:
        lines.append(line)
    return _Lines(tuple(lines), FONT_REGULAR, smallest, colour, 1.3)


def _verification_block(
    text: CertificateText, labels: Labels, width: float, alignment: int, strong: Color, soft: Color
) -> _Stacked:
    """The short code and the address to check it at: what a reader types without a phone."""
    return _Stacked(
        [
            (0.0, _lines(labels.verification_code.th, FONT_SEMIBOLD, 8, soft, width)),
            (1.5, _lines(labels.verification_code.en, FONT_REGULAR, 7, soft, width)),
            (
                3.0,
                _fitted(
                    text.verification_code, FONT_BOLD, strong, width, largest=12, smallest=9, max_lines=1
                ),
            ),
            (6.0, _lines(labels.verify_at.th, FONT_SEMIBOLD, 8, soft, width)),
            (1.5, _lines(labels.verify_at.en, FONT_REGULAR, 7, soft, width)),
            (
                3.0,
                _address_lines(text.verification_url, strong, width),
            ),
        ],
        alignment,
    )


def _draw_modern(
    canvas: Canvas,
    text: CertificateText,
    design: Design,
    labels: Labels,
    palette: _Palette,
    logo: _Picture | None,
    signatures: Sequence[_Picture | None],
) -> None:
    """A coloured band on the left (logo, issuer, number, QR code), the wording on the right."""
    band = _MODERN_BAND_WIDTH
    canvas.saveState()
    canvas.setFillColor(palette.primary)
    canvas.rect(0, 0, band, _PAGE_HEIGHT, stroke=0, fill=1)
    canvas.setFillColor(palette.accent)
    canvas.rect(band, 0, 5, _PAGE_HEIGHT, stroke=0, fill=1)
    canvas.restoreState()

    # Text on the band must stay readable whatever colour the issuer chose.
    light_band = _luminance(palette.primary) > 0.55
    strong = _DARK if light_band else white
    soft = _MUTED if light_band else HexColor("#d5dce6")
    pad = 36.0
    inner_width = band - 2 * pad
    top = _PAGE_HEIGHT - 44
    if logo is not None:
        tile = 92.0
        canvas.saveState()
        canvas.setFillColor(white)
        canvas.roundRect(pad, top - tile, tile, tile, 10, stroke=0, fill=1)
        canvas.restoreState()
        _draw_picture(canvas, logo, pad + 10, top - tile + 10, tile - 20, tile - 20)
        top -= tile + 24
    issuer = _Stacked(
        [
            (0.0, _lines(labels.issued_by.th, FONT_SEMIBOLD, 8.5, soft, inner_width)),
            (1.5, _lines(labels.issued_by.en, FONT_REGULAR, 7.5, soft, inner_width)),
            (
                7.0,
                _fitted(
                    text.issuer_name.th,
                    FONT_BOLD,
                    strong,
                    inner_width,
                    largest=14,
                    smallest=11,
                    max_lines=3,
                    balanced=False,
                ),
            ),
            (
                3.0,
                _fitted(
                    text.issuer_name.en,
                    FONT_REGULAR,
                    soft,
                    inner_width,
                    largest=10,
                    smallest=8,
                    max_lines=3,
                    balanced=False,
                ),
            ),
        ],
        TA_LEFT,
    )
    issuer.draw(canvas, pad, top, inner_width)
    top -= issuer.height + 22
    number = _Stacked(
        [
            (0.0, _lines(labels.number.th, FONT_SEMIBOLD, 8.5, soft, inner_width)),
            (1.5, _lines(labels.number.en, FONT_REGULAR, 7.5, soft, inner_width)),
            (
                4.0,
                _fitted(text.number, FONT_SEMIBOLD, strong, inner_width, largest=12, smallest=8, max_lines=1),
            ),
        ],
        TA_LEFT,
    )
    number.draw(canvas, pad, top, inner_width)

    qr_left, qr_bottom, qr_size = _MODERN_QR
    _draw_qr(canvas, text.verification_url, qr_left, qr_bottom, qr_size)
    code_left = qr_left + qr_size + 12
    code_width = band - code_left - 12
    code = _Stacked(
        [
            (0.0, _lines(labels.verification_code.th, FONT_SEMIBOLD, 8, soft, code_width)),
            (1.5, _lines(labels.verification_code.en, FONT_REGULAR, 7, soft, code_width)),
            (
                4.0,
                _fitted(
                    text.verification_code, FONT_BOLD, strong, code_width, largest=13, smallest=8, max_lines=1
                ),
            ),
        ],
        TA_LEFT,
    )
    code.draw(canvas, code_left, qr_bottom + qr_size - 2, code_width)
    address = _Stacked(
        [
            (0.0, _lines(labels.verify_at.th, FONT_SEMIBOLD, 8, soft, inner_width)),
            (1.5, _lines(labels.verify_at.en, FONT_REGULAR, 7, soft, inner_width)),
            (
                3.0,
                _address_lines(text.verification_url, strong, inner_width),
            ),
        ],
        TA_LEFT,
    )
    address.draw(canvas, pad, qr_bottom - 14, inner_width)

    main = _Area(band + 5 + 52, 44, _PAGE_WIDTH - 48, _PAGE_HEIGHT - 48)

    bottom_gap = 18.0
    for scale in _SCALES:
        blocks = _body_blocks(
            text,
            design,
            labels,
            palette,
            main.width,
            TA_LEFT,
            scale,
            title_width=main.width,
            opening_width=main.width,
        )
        body = (blocks, _signatories(design.signatories, signatures, main.width, TA_LEFT, scale))
        if _body_fits(body, main, bottom_gap * scale):
            break
    _stack(canvas, main, body[0], bottom_block=body[1], bottom_gap=bottom_gap * scale)


# --------------------------------------------------------------------------------------------
# The certificate
# --------------------------------------------------------------------------------------------


_render_lock = threading.Lock()


@contextmanager
def reportlab_settings() -> Iterator[None]:
    """ReportLab settings for one render, restored afterwards.

    ASCII85-encoding streams only serves 7-bit mail transport; without it the file is a
    quarter smaller and a render 1.5 ms faster. ReportLab reads this from process-wide
    configuration, hence the lock (ReportLab's font objects are shared state as well).
    """
    with _render_lock:
        use_a85 = rl_config.useA85
        rl_config.useA85 = 0
        try:
            yield
        finally:
            rl_config.useA85 = use_a85


def certificate_pdf(text: CertificateText, design: Design, labels: Labels) -> bytes:
    """Render one certificate as a one-page A4 landscape PDF and return its bytes.

    The same inputs always give the same bytes. Raises ValueError for an unknown layout, a
    badly written colour, more than three signatories, or an image that is not a readable
    PNG or JPEG, so a broken upload is reported rather than turned into a broken PDF.
    """
    if design.layout not in LAYOUTS:
        raise ValueError(f"Unknown certificate layout {design.layout!r}; expected one of {LAYOUTS}.")
    if len(design.signatories) > MAX_SIGNATORIES:
        raise ValueError(
            f"A certificate has room for {MAX_SIGNATORIES} signatories, not {len(design.signatories)}."
        )
    palette = _Palette(
        _colour(design.primary_colour, "primary colour"), _colour(design.accent_colour, "accent colour")
    )
    background = _picture(design.background_image, "background image") if design.background_image else None
    logo = _picture(design.logo_image, "logo image") if design.logo_image else None
    signatures = [
        _picture(signatory.signature_image, f"signature image of signatory {index} ({signatory.name.th})")
        if signatory.signature_image
        else None
        for index, signatory in enumerate(design.signatories, start=1)
    ]
    register_fonts()

    output = BytesIO()
    with reportlab_settings():
        canvas = Canvas(
            output,
            pagesize=(_PAGE_WIDTH, _PAGE_HEIGHT),
            invariant=1,
            pageCompression=1,
            lang="th",
            # Not ReportLab's default Helvetica, which the PDF would list without embedding it.
            initialFontName=FONT_REGULAR,
        )
        canvas.setTitle(f"{design.heading.th} {design.heading.en} {text.number}")
        canvas.setAuthor(f"{text.issuer_name.th} ({text.issuer_name.en})")
        canvas.setSubject(f"{text.course_title.th} ({text.course_title.en})")
        canvas.setCreator("Thaksa")
        canvas.setProducer("Thaksa")
        if background is not None:
            _draw_background(canvas, background)
        draw = _draw_classic if design.layout == "classic" else _draw_modern
        draw(canvas, text, design, labels, palette, logo, signatures)
        canvas.showPage()
        canvas.save()
    return output.getvalue()
