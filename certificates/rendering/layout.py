"""The certificate's layout engine: blocks of lines that measure and draw themselves.

A page is built from `Lines` (lines of text in one style, Thai drawn through shaped
`Paragraph`s, plain Latin drawn directly) stacked, put side by side and gridded by the
`Block`s below; `stack` places the blocks in an `Area`, spreading spare height over the gaps.
Thai is broken and fitted by the shared toolkit in `lms.thai_pdf`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from xml.sax.saxutils import escape

from reportlab import rl_config
from reportlab.lib.colors import Color, HexColor
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph

from certificates.rendering.inputs import (
    Bilingual,
)
from lms.thai_pdf.fitting import fit
from lms.thai_pdf.fonts import (
    INK_ASCENT,
    INK_DESCENT,
)
from lms.thai_pdf.line_breaking import balanced_lines, break_lines, line_width
from lms.thai_pdf.shaping import NEEDS_SHAPING, paragraph_style

DARK = HexColor("#1f2730")
MUTED = HexColor("#5c6673")
RULE = HexColor("#9aa3ad")
PAGE_WIDTH, PAGE_HEIGHT = landscape(A4)

# Turned off only by the test that proves the reference images catch unshaped Thai.
_SHAPING = 1

# Extra width given to each Paragraph beyond the measured lines, so that HarfBuzz's kerned
# widths (a hair different from the plain advances `thai_lines` adds up) never make
# ReportLab wrap a line a second time.
_PARAGRAPH_SLACK = 24.0


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
    _, height = paragraph.wrap(width, PAGE_HEIGHT * 4)
    return paragraph, height


@dataclass
class Lines:
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
        return balanced_lines(self.balance[0], self.font_name, self.size, self.balance[1])

    @property
    def leading(self) -> float:
        return self.size * self.leading_factor

    @property
    def height(self) -> float:
        if not self.lines:
            return 0.0
        return (len(self.lines) - 1) * self.leading + (INK_ASCENT + INK_DESCENT) * self.size

    @property
    def width(self) -> float:
        return max((line_width(line, self.font_name, self.size) for line in self.drawn_lines), default=0.0)

    def draw(self, canvas: Canvas, x: float, top: float, width: float, alignment: int) -> None:
        """Draw with the first line's ink top at `top`, aligned within [x, x + width].

        Text that needs shaping (any Thai) goes through a shaped `Paragraph`. Plain Latin
        lines (English, the number, the address) need no shaping and are drawn directly:
        a `Paragraph` costs about 0.3 ms, and a certificate has some twenty such lines.
        """
        if not self.lines:
            return
        first_baseline = top - INK_ASCENT * self.size
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


def text_lines(
    text: str,
    font_name: str,
    size: float,
    colour: Color,
    width: float,
    *,
    leading_factor: float = 1.25,
    balanced: bool = False,
) -> Lines:
    broken = break_lines(text, font_name, size, width)
    return Lines(broken, font_name, size, colour, leading_factor, (text, width) if balanced else None)


class Block:
    """Something with a height that draws itself below a given top, within a given width."""

    height: float

    def draw(self, canvas: Canvas, x: float, top: float, width: float) -> None:
        raise NotImplementedError


@dataclass
class Stacked(Block):
    """Text blocks one under another (Thai above English), all with the same alignment."""

    parts: list[tuple[float, Lines]]  # (gap above, lines)
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


def stacked_pair(
    value: Bilingual,
    width: float,
    alignment: int,
    *,
    th: tuple[str, float, Color],
    en: tuple[str, float, Color],
    gap: float,
    balanced: bool = False,
) -> Stacked:
    """A Thai line (or lines) above its English counterpart."""
    return Stacked(
        [
            (0.0, text_lines(value.th, th[0], th[1], th[2], width, balanced=balanced)),
            (gap, text_lines(value.en, en[0], en[1], en[2], width, balanced=balanced)),
        ],
        alignment,
    )


@dataclass
class Rule(Block):
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
        diamond(canvas, centre, middle_y, 2.6)
        canvas.restoreState()


def diamond(canvas: Canvas, x: float, y: float, radius: float) -> None:
    path = canvas.beginPath()
    path.moveTo(x, y + radius)
    path.lineTo(x + radius, y)
    path.lineTo(x, y - radius)
    path.lineTo(x - radius, y)
    path.close()
    canvas.drawPath(path, fill=1, stroke=0)


@dataclass
class Columns(Block):
    """Cells side by side, each a block; optional thin separators between them."""

    cells: list[Block]
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
class Padded(Block):
    """A block drawn inset from its cell, so neighbouring cells do not touch."""

    inner: Block
    padding: float

    @property
    def height(self) -> float:  # type: ignore[override]
        return self.inner.height

    def draw(self, canvas: Canvas, x: float, top: float, width: float) -> None:
        self.inner.draw(canvas, x + self.padding, top, width - 2 * self.padding)


@dataclass
class Grid(Block):
    """Rows of `Columns`, for the competencies."""

    rows: list[Columns]
    row_gap: float

    @property
    def height(self) -> float:  # type: ignore[override]
        return sum(row.height for row in self.rows) + self.row_gap * max(0, len(self.rows) - 1)

    def draw(self, canvas: Canvas, x: float, top: float, width: float) -> None:
        for row in self.rows:
            row.draw(canvas, x, top, width)
            top -= row.height + self.row_gap


@dataclass
class Bulleted(Block):
    """A block with a small accent diamond before its first line (competencies, modern)."""

    inner: Stacked
    colour: Color
    first_size: float
    indent: float = 11.0

    @property
    def height(self) -> float:  # type: ignore[override]
        return self.inner.height

    def draw(self, canvas: Canvas, x: float, top: float, width: float) -> None:
        canvas.saveState()
        canvas.setFillColor(self.colour)
        diamond(canvas, x + 3.0, top - INK_ASCENT * self.first_size + 0.33 * self.first_size, 2.4)
        canvas.restoreState()
        self.inner.draw(canvas, x + self.indent, top, width - self.indent)


@dataclass
class Shifted(Block):
    inner: Block
    shift: float

    @property
    def height(self) -> float:  # type: ignore[override]
        return self.inner.height

    def draw(self, canvas: Canvas, x: float, top: float, width: float) -> None:
        self.inner.draw(canvas, x + self.shift, top, width - self.shift)


@dataclass
class VerticalGroup(Block):
    blocks: list[tuple[float, Block]]

    @property
    def height(self) -> float:  # type: ignore[override]
        return sum(block.height for _, block in self.blocks) + sum(gap for gap, _ in self.blocks[1:])

    def draw(self, canvas: Canvas, x: float, top: float, width: float) -> None:
        for index, (gap, block) in enumerate(self.blocks):
            if index:
                top -= gap
            block.draw(canvas, x, top, width)
            top -= block.height


@dataclass(frozen=True)
class Area:
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


def fitted_lines(
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
) -> Lines:
    """Text at the largest size that fits `max_lines` lines of `width` (see `fit`)."""
    fitted = fit(text, font_name, largest=largest, smallest=smallest, width=width, max_lines=max_lines)
    return Lines(
        fitted.lines, font_name, fitted.size, colour, leading_factor, (text, width) if balanced else None
    )


def stack(
    canvas: Canvas,
    area: Area,
    blocks: Sequence[tuple[float, Block]],
    *,
    bottom_block: Block | None,
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


def total_height(
    blocks: Sequence[tuple[float, Block]], bottom_block: Block | None, bottom_gap: float
) -> float:
    total = sum(block.height for _, block in blocks) + sum(gap for gap, _ in blocks[1:])
    if bottom_block is not None:
        total += bottom_block.height + bottom_gap
    return total
