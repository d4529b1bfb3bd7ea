"""The dashboard as a PDF to take to a meeting: A4 landscape, Thai shaped, charts as vectors.

Generic over the contract in analytics.selectors: the title, scope, filters and date of the
report, the headline figures, then for every table a chart drawn from it (when a chart says
something) and the table itself. Pure: give it a `Dashboard`, get bytes.

Thai is drawn the way certificates/rendering.py draws it, with its fonts and its line
breaking: every piece of text that may hold Thai is a `Paragraph` with HarfBuzz shaping
(ReportLab draws tone marks in the wrong place otherwise, `drawString` included), broken
into lines at Thai word boundaries beforehand (`thai_lines`), because ReportLab only breaks
at spaces. Numbers and Latin-only tick labels need no shaping and are drawn directly.

Charts are reportlab.graphics drawings (rectangles, lines, strings): vector graphics that
stay sharp when printed or projected, and no raster image enters the file. Their Thai
labels are shaped paragraphs placed beside the drawing by the `_Chart` flowable.

Which chart a table gets depends only on its columns (`chart_kind`):
- a first column of dates, or the table keyed "trend" → a line chart of its numeric columns;
- three or more percentage columns → a heatmap (rows × those columns), with a legend;
- otherwise a first column of labels with numeric columns → horizontal bars (up to three
  series of the first numeric column's kind, so counts and percentages never share an axis);
- lists of people ("people", "overdue") and tables without numbers → no chart.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import partial
from io import BytesIO
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _
from reportlab.graphics import renderPDF
from reportlab.graphics.shapes import Circle, Drawing, Line, PolyLine, Rect, String
from reportlab.lib.colors import Color, HexColor, white
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    LongTable,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from analytics.exports import NUMERIC_KINDS, dashboard_facts, display_value
from analytics.selectors import Column, Dashboard, Figure
from analytics.selectors import Table as DataTable

# The certificate renderer's Thai PDF pieces: the Sarabun fonts, Thai line breaking, which
# text needs shaping, the cached shaped paragraph style, and the lock and settings around a
# render (ReportLab's fonts are process-wide state that shaping changes).
from certificates.rendering import (
    FONT_BOLD,
    FONT_REGULAR,
    FONT_SEMIBOLD,
    NEEDS_SHAPING,
    paragraph_style,
    register_fonts,
    reportlab_settings,
    thai_lines,
)
from lms.thai_calendar import format_date
from lms.thai_text import printable

__all__ = ["ROWS_PER_TABLE", "chart_kind", "dashboard_pdf"]

PAGE_WIDTH, PAGE_HEIGHT = landscape(A4)
MARGIN = 36.0
FOOTER_HEIGHT = 18.0
FRAME_WIDTH = PAGE_WIDTH - 2 * MARGIN

ROWS_PER_TABLE = 100  # a printed table stops here; the spreadsheet export has every row
CHART_MAX_BARS = 15
CHART_MAX_POINTS = 36
HEATMAP_MAX_ROWS = 20
HEATMAP_MAX_COLUMNS = 12
KEEP_TOGETHER_ROWS = 20
UNCHARTED_TABLES = frozenset({"people", "overdue"})  # one row per person: a chart says nothing

_DARK = HexColor("#1f2730")
_MUTED = HexColor("#5c6673")
_RULE = HexColor("#c9ced6")
_GRID = HexColor("#e3e7ec")
_HEADER_FILL = HexColor("#eef1f5")
_STRIPE = HexColor("#f7f8fa")
_NO_DATA = HexColor("#d9d9d9")
# Okabe–Ito: told apart by people with any common colour-vision deficiency.
_SERIES = (HexColor("#0072B2"), HexColor("#E69F00"), HexColor("#009E73"))
# ColorBrewer "Blues", five classes of 20 percentage points each.
_HEAT = (
    HexColor("#eff3ff"),
    HexColor("#bdd7e7"),
    HexColor("#6baed6"),
    HexColor("#3182bd"),
    HexColor("#08519c"),
)
_HEAT_DARK_FROM = 3  # white text from this class on

_BODY_SIZE = 9.0
_CELL_PADDING = 4.0
_LINE_SLACK = 3.0  # HarfBuzz's kerned widths differ a hair from the advances thai_lines adds


# --------------------------------------------------------------------------------------------
# Text
# --------------------------------------------------------------------------------------------


def _markup(text: str, font: str, size: float, width: float | None, max_lines: int | None = None) -> str:
    text = printable(text)
    if width is None:
        return escape(text)
    lines = thai_lines(text, font_name=font, font_size=size, width=max(width - _LINE_SLACK, 1.0))
    if max_lines is not None and len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = _fit_with_ellipsis(lines[-1], font, size, width - _LINE_SLACK)
    return "<br/>".join(escape(line) for line in lines)


def _fit_with_ellipsis(line: str, font: str, size: float, width: float) -> str:
    while line and pdfmetrics.stringWidth(line + "…", font, size) > width:
        line = line[:-1]
    return line.rstrip() + "…"


def _paragraph(
    text: str,
    *,
    font: str = FONT_REGULAR,
    size: float = _BODY_SIZE,
    colour: Color = _DARK,
    width: float | None = None,
    alignment: int = TA_LEFT,
    leading: float | None = None,
    max_lines: int | None = None,
) -> Paragraph:
    """A shaped paragraph; with `width`, broken at Thai word boundaries to fit it."""
    style = paragraph_style(font, size, leading or round(size * 1.3, 2), colour.hexval(), alignment, 1)
    return Paragraph(_markup(text, font, size, width, max_lines), style)


def _figure_text(figure: Figure) -> str:
    value = figure.value
    if value is None:
        return "–"
    integer = isinstance(value, int) and not isinstance(value, bool)
    text = f"{value:,}" if integer else f"{float(value):,.1f}"
    if not figure.unit:
        return text
    return f"{text}{figure.unit}" if figure.unit == "%" else f"{text} {figure.unit}"


# --------------------------------------------------------------------------------------------
# Charts
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Label:
    """Text placed on a chart: drawn as a shaped paragraph if it holds Thai."""

    text: str
    x: float  # left edge of its box
    top: float  # top of its box
    width: float
    size: float = 8.0
    alignment: int = TA_LEFT
    colour: Color = _DARK
    max_lines: int = 1
    font: str = FONT_REGULAR

    def flowable(self) -> Paragraph:
        return _paragraph(
            self.text,
            font=self.font,
            size=self.size,
            colour=self.colour,
            width=self.width,
            alignment=self.alignment,
            max_lines=self.max_lines,
            leading=self.size * 1.2,
        )


class _Chart(Flowable):
    """A vector drawing with shaped labels laid over it."""

    def __init__(self, drawing: Drawing, labels: Sequence[_Label]):
        super().__init__()
        self.drawing = drawing
        self.labels = list(labels)
        self.width = drawing.width
        self.height = drawing.height

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        renderPDF.draw(self.drawing, self.canv, 0, 0)
        for label in self.labels:
            paragraph = label.flowable()
            _, height = paragraph.wrap(label.width, self.height)
            paragraph.drawOn(self.canv, label.x, label.top - height)


def _number(value) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def _nice_ceiling(value: float) -> float:
    """The axis end: 1, 2, 2.5 or 5 times a power of ten, at or above `value`."""
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * power + 1e-9:
            return step * power
    return 10 * power


def _axis_end(values: Sequence[float], kind: str) -> float:
    largest = max(values, default=0.0)
    if kind == "percent" and largest <= 100:
        return 100.0
    return _nice_ceiling(largest)


def _tick_text(value: float, kind: str) -> str:
    text = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"
    return f"{text}%" if kind == "percent" else text


def _legend_height(series: Sequence[Column]) -> float:
    return 16.0 if len(series) > 1 else 0.0


def _legend(series: Sequence[Column], x: float, top: float, width: float) -> tuple[list, list[_Label]]:
    """Coloured keys with the series' names in a row (only when there are several series)."""
    if len(series) < 2:
        return [], []
    shapes, labels = [], []
    slot = min(200.0, width / len(series))
    for index, column in enumerate(series):
        left = x + index * slot
        shapes.append(Rect(left, top - 10, 9, 9, fillColor=_SERIES[index], strokeColor=None))
        labels.append(_Label(column.label, left + 13, top + 0.5, slot - 18, size=8))
    return shapes, labels


@dataclass(frozen=True)
class _Series:
    columns: list[Column]
    indexes: list[int]
    kind: str


def _series(table: DataTable) -> _Series | None:
    numeric = [
        index for index, column in enumerate(table.columns[1:], start=1) if column.kind in NUMERIC_KINDS
    ]
    if not numeric:
        return None
    kind = table.columns[numeric[0]].kind
    indexes = [index for index in numeric if table.columns[index].kind == kind][: len(_SERIES)]
    return _Series([table.columns[index] for index in indexes], indexes, kind)


def chart_kind(table: DataTable) -> str | None:
    """ "line", "heatmap", "bar" or None: what chart (if any) shows this table; see the module
    docstring for the rule."""
    if table.key in UNCHARTED_TABLES or not table.rows or len(table.columns) < 2:
        return None
    if table.columns[0].kind in NUMERIC_KINDS or _series(table) is None:
        return None
    if table.columns[0].kind == "date" or table.key == "trend":
        return "line"
    if sum(1 for column in table.columns[1:] if column.kind == "percent") >= 3:
        return "heatmap"
    return "bar"


def _category(row: Sequence, table: DataTable) -> str:
    """What a row is called on a chart: its cells before the first number, e.g. "OTH · 1.1
    Digital literacy" for a role group and a competency."""
    parts = []
    for value, column in zip(row, table.columns, strict=False):
        if column.kind in NUMERIC_KINDS:
            break
        if value not in (None, ""):
            parts.append(display_value(value, column.kind))
    return " · ".join(parts) or "–"


def _bar_chart(table: DataTable, width: float) -> tuple[_Chart, bool]:
    series = _series(table)
    assert series is not None
    rows = table.rows[:CHART_MAX_BARS]
    categories = [_category(row, table) for row in rows]
    values = [[_number(row[index]) for index in series.indexes] for row in rows]
    count = len(series.indexes)
    bar = 11.0 if count == 1 else 7.5
    band = count * bar + 7
    label_width = min(
        width * 0.32,
        max(pdfmetrics.stringWidth(printable(text), FONT_REGULAR, 8) for text in categories) + 8,
    )
    plot_left = label_width + 8
    plot_width = width - plot_left - 56
    legend_height = _legend_height(series.columns)
    axis_height = 16.0
    height = legend_height + len(rows) * band + axis_height + 4
    legend_shapes, legend_labels = _legend(series.columns, plot_left, height, plot_width)
    end = _axis_end([value for row in values for value in row if value is not None], series.kind)

    drawing = Drawing(width, height)
    plot_top = height - legend_height - 2
    plot_bottom = axis_height
    for step in range(6):
        tick = end * step / 5
        x = plot_left + plot_width * step / 5
        drawing.add(Line(x, plot_bottom, x, plot_top, strokeColor=_GRID, strokeWidth=0.5))
        drawing.add(
            String(x, plot_bottom - 10, _tick_text(tick, series.kind), fontName=FONT_REGULAR, fontSize=7,
                   fillColor=_MUTED, textAnchor="middle")
        )  # fmt: skip
    drawing.add(Line(plot_left, plot_bottom, plot_left, plot_top, strokeColor=_MUTED, strokeWidth=0.7))
    labels = []
    for row_index, (category, row_values) in enumerate(zip(categories, values, strict=True)):
        band_top = plot_top - row_index * band - 3.5
        labels.append(
            _Label(category, 0, band_top - (count * bar - 9.6) / 2, label_width, alignment=TA_RIGHT)
        )
        for series_index, value in enumerate(row_values):
            y = band_top - (series_index + 1) * bar
            length = 0.0 if value is None else plot_width * max(0.0, min(value, end)) / end
            if length > 0:
                drawing.add(Rect(plot_left, y + 0.5, length, bar - 1, fillColor=_SERIES[series_index],
                                 strokeColor=None))  # fmt: skip
            shown = display_value(row_values[series_index], series.kind) if value is not None else "–"
            drawing.add(
                String(plot_left + length + 3, y + bar / 2 - 2.5, shown, fontName=FONT_REGULAR, fontSize=7,
                       fillColor=_DARK)
            )  # fmt: skip
    for shape in legend_shapes:
        drawing.add(shape)
    return _Chart(drawing, labels + legend_labels), len(table.rows) > len(rows)


def _line_chart(table: DataTable, width: float) -> tuple[_Chart, bool]:
    series = _series(table)
    assert series is not None
    rows = table.rows[:CHART_MAX_POINTS]
    categories = [_category(row, table) for row in rows]
    values = [[_number(row[index]) for index in series.indexes] for row in rows]
    plot_left, axis_height, height = 44.0, 26.0, 190.0
    plot_width = width - plot_left - 12
    legend_shapes, legend_labels = _legend(series.columns, plot_left, height, plot_width)
    plot_top = height - _legend_height(series.columns) - 6
    plot_bottom = axis_height
    end = _axis_end([value for row in values for value in row if value is not None], series.kind)

    drawing = Drawing(width, height)
    for step in range(6):
        tick = end * step / 5
        y = plot_bottom + (plot_top - plot_bottom) * step / 5
        drawing.add(Line(plot_left, y, plot_left + plot_width, y, strokeColor=_GRID, strokeWidth=0.5))
        drawing.add(
            String(plot_left - 4, y - 2.5, _tick_text(tick, series.kind), fontName=FONT_REGULAR, fontSize=7,
                   fillColor=_MUTED, textAnchor="end")
        )  # fmt: skip
    drawing.add(Line(plot_left, plot_bottom, plot_left + plot_width, plot_bottom, strokeColor=_MUTED,
                     strokeWidth=0.7))  # fmt: skip
    step_x = plot_width / max(len(rows), 1)

    def point(index: int, value: float) -> tuple[float, float]:
        return (
            plot_left + step_x * (index + 0.5),
            plot_bottom + (plot_top - plot_bottom) * max(0.0, min(value, end)) / end,
        )

    for series_index in range(len(series.indexes)):
        colour = _SERIES[series_index]
        segment: list[float] = []
        for index, row_values in enumerate(values):
            value = row_values[series_index]
            if value is None:  # a gap in the data is a gap in the line, not a fall to zero
                if len(segment) >= 4:
                    drawing.add(PolyLine(segment, strokeColor=colour, strokeWidth=1.6))
                segment = []
                continue
            x, y = point(index, value)
            segment += [x, y]
            drawing.add(Circle(x, y, 2.2, fillColor=colour, strokeColor=white, strokeWidth=0.6))
        if len(segment) >= 4:
            drawing.add(PolyLine(segment, strokeColor=colour, strokeWidth=1.6))

    # Every category labelled if they fit, else every second, third…
    widest = max(pdfmetrics.stringWidth(printable(text), FONT_REGULAR, 7) for text in categories) + 4
    every = max(1, math.ceil(widest / step_x))
    label_width = step_x * every
    labels = [
        _Label(text, plot_left + step_x * (index + 0.5) - label_width / 2, plot_bottom - 4, label_width,
               size=7, alignment=TA_CENTER)
        for index, text in enumerate(categories)
        if index % every == 0
    ]  # fmt: skip
    for shape in legend_shapes:
        drawing.add(shape)
    return _Chart(drawing, labels + legend_labels), len(table.rows) > len(rows)


def _heat_class(value: float) -> int:
    return min(len(_HEAT) - 1, max(0, int(value // 20)))


def _heatmap(table: DataTable, width: float) -> tuple[_Chart, bool]:
    columns = [index for index, column in enumerate(table.columns[1:], start=1) if column.kind == "percent"]
    shown_columns = columns[:HEATMAP_MAX_COLUMNS]
    rows = table.rows[:HEATMAP_MAX_ROWS]
    categories = [_category(row, table) for row in rows]
    label_width = min(
        width * 0.28,
        max(pdfmetrics.stringWidth(printable(text), FONT_REGULAR, 8) for text in categories) + 8,
    )
    cell_width = min(64.0, (width - label_width - 8) / len(shown_columns))
    cell_height = 15.0
    header_lines = max(
        min(3, len(thai_lines(printable(table.columns[index].label), font_name=FONT_REGULAR, font_size=7,
                              width=cell_width - 2 - _LINE_SLACK)))
        for index in shown_columns
    )  # fmt: skip
    header_height = header_lines * 8.4 + 4
    legend_height = 22.0
    height = legend_height + len(rows) * cell_height + header_height
    left = label_width + 8

    drawing = Drawing(width, height)
    labels = []
    grid_top = height - header_height
    for position, index in enumerate(shown_columns):
        lines = min(
            3,
            len(
                thai_lines(
                    printable(table.columns[index].label),
                    font_name=FONT_REGULAR,
                    font_size=7,
                    width=cell_width - 2 - _LINE_SLACK,
                )
            ),
        )
        labels.append(  # set on the grid, whatever its number of lines
            _Label(table.columns[index].label, left + position * cell_width + 1, grid_top + lines * 8.4 + 2,
                   cell_width - 2, size=7, alignment=TA_CENTER, max_lines=3)
        )  # fmt: skip
    for row_index, (category, row) in enumerate(zip(categories, rows, strict=True)):
        top = grid_top - row_index * cell_height
        labels.append(_Label(category, 0, top - 2.5, label_width, alignment=TA_RIGHT))
        for position, index in enumerate(shown_columns):
            value = _number(row[index])
            x = left + position * cell_width
            fill = _NO_DATA if value is None else _HEAT[_heat_class(value)]
            drawing.add(Rect(x, top - cell_height, cell_width, cell_height, fillColor=fill, strokeColor=white,
                             strokeWidth=1))  # fmt: skip
            text_colour = white if value is not None and _heat_class(value) >= _HEAT_DARK_FROM else _DARK
            drawing.add(
                String(x + cell_width / 2, top - cell_height / 2 - 2.5,
                       "–" if value is None else f"{value:.0f}%", fontName=FONT_REGULAR, fontSize=7,
                       fillColor=text_colour, textAnchor="middle")
            )  # fmt: skip
    # The legend: one key per class, and one for "no data".
    key_width = 54.0
    for position, colour in enumerate((*_HEAT, _NO_DATA)):
        x = left + position * (key_width + 6)
        drawing.add(Rect(x, 4, 12, 10, fillColor=colour, strokeColor=_RULE, strokeWidth=0.4))
        if position < len(_HEAT):
            text = f"{position * 20}–{position * 20 + 20}%"
            drawing.add(String(x + 15, 6, text, fontName=FONT_REGULAR, fontSize=7, fillColor=_DARK))
        else:
            labels.append(_Label(_("no data"), x + 15, 13.0, key_width, size=7))
    truncated = len(table.rows) > len(rows) or len(columns) > len(shown_columns)
    return _Chart(drawing, labels), truncated


def _chart(table: DataTable, width: float) -> tuple[_Chart, bool] | None:
    kind = chart_kind(table)
    if kind == "line":
        return _line_chart(table, width)
    if kind == "heatmap":
        return _heatmap(table, width)
    if kind == "bar":
        return _bar_chart(table, width)
    return None


# --------------------------------------------------------------------------------------------
# Tables
# --------------------------------------------------------------------------------------------


def _longest_word_width(text: str, font: str, size: float) -> float:
    lines = thai_lines(printable(text), font_name=font, font_size=size, width=1.0)
    return max((pdfmetrics.stringWidth(line, font, size) for line in lines), default=0.0)


def _column_widths(table: DataTable, rows: Sequence[Sequence], available: float) -> list[float]:
    """Numbers and dates get the room they need on one line; text columns share the rest, in
    proportion to what they would need, and wrap between words."""
    pad = 2 * _CELL_PADDING + _LINE_SLACK
    natural, least = [], []
    for index, column in enumerate(table.columns):
        texts = [display_value(row[index] if index < len(row) else None, column.kind) for row in rows[:200]]
        content = max((pdfmetrics.stringWidth(printable(text), FONT_REGULAR, _BODY_SIZE) for text in texts),
                      default=0.0)  # fmt: skip
        header = pdfmetrics.stringWidth(printable(column.label), FONT_SEMIBOLD, _BODY_SIZE)
        header_word = _longest_word_width(column.label, FONT_SEMIBOLD, _BODY_SIZE)
        if column.kind == "text":
            natural.append(max(content, header_word) + pad)
            least.append(min(max(header_word, 60.0), 140.0) + pad)
        else:
            width = max(content, header_word, min(header, 60.0)) + pad
            natural.append(width)
            least.append(width)
    if sum(natural) <= available:
        return natural
    fixed = sum(width for width, column in zip(least, table.columns, strict=True) if column.kind != "text")
    text_natural = sum(
        width for width, column in zip(natural, table.columns, strict=True) if column.kind == "text"
    )
    room = available - fixed
    widths = []
    for width, minimum, column in zip(natural, least, table.columns, strict=True):
        if column.kind != "text":
            widths.append(width)
        else:
            widths.append(max(minimum, room * width / text_natural) if text_natural else minimum)
    total = sum(widths)
    if total > available:  # too many columns even so: everything narrows alike
        widths = [width * available / total for width in widths]
    return widths


def _cell(value, column: Column, width: float):
    text = display_value(value, column.kind)
    if column.kind in NUMERIC_KINDS and not NEEDS_SHAPING.search(text):
        return text
    alignment = TA_RIGHT if column.kind in NUMERIC_KINDS else TA_LEFT
    return _paragraph(text, width=width - 2 * _CELL_PADDING, alignment=alignment)


def _data_table(table: DataTable, rows: Sequence[Sequence]) -> LongTable:
    widths = _column_widths(table, rows, FRAME_WIDTH)
    header = [
        _paragraph(
            column.label,
            font=FONT_SEMIBOLD,
            width=width - 2 * _CELL_PADDING,
            alignment=TA_RIGHT if column.kind in NUMERIC_KINDS else TA_LEFT,
        )
        for column, width in zip(table.columns, widths, strict=True)
    ]
    body = [
        [
            _cell(row[index] if index < len(row) else None, column, width)
            for index, (column, width) in enumerate(zip(table.columns, widths, strict=True))
        ]
        for row in rows
    ]
    style = [
        ("FONT", (0, 0), (-1, -1), FONT_REGULAR, _BODY_SIZE),
        ("TEXTCOLOR", (0, 0), (-1, -1), _DARK),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), _CELL_PADDING),
        ("RIGHTPADDING", (0, 0), (-1, -1), _CELL_PADDING),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3.5),
        ("BACKGROUND", (0, 0), (-1, 0), _HEADER_FILL),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, _MUTED),
        ("LINEBELOW", (0, 1), (-1, -1), 0.3, _RULE),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [white, _STRIPE]),
    ]
    for index, column in enumerate(table.columns):
        if column.kind in NUMERIC_KINDS:
            style.append(("ALIGN", (index, 1), (index, -1), "RIGHT"))
    return LongTable([header, *body], colWidths=widths, repeatRows=1, style=TableStyle(style), hAlign="LEFT")


# --------------------------------------------------------------------------------------------
# The document
# --------------------------------------------------------------------------------------------


def _figures(figures: Sequence[Figure]) -> Table | None:
    if not figures:
        return None
    per_row = math.ceil(len(figures) / math.ceil(len(figures) / 6))  # 7 figures: rows of 4 and 3
    width = FRAME_WIDTH / per_row
    cells = [
        [
            _paragraph(_figure_text(figure), font=FONT_BOLD, size=17, colour=HexColor("#0b4f8a"),
                       width=width - 12, leading=21),
            _paragraph(figure.label, size=9, colour=_MUTED, width=width - 12, max_lines=2),
        ]
        for figure in figures
    ]  # fmt: skip
    grid = [cells[start : start + per_row] for start in range(0, len(cells), per_row)]
    grid[-1] += [""] * (per_row - len(grid[-1]))
    return Table(
        grid,
        colWidths=[width] * per_row,
        hAlign="LEFT",
        style=TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BOX", (0, 0), (-1, -1), 0.6, _RULE),
                ("INNERGRID", (0, 0), (-1, -1), 0.6, _RULE),
                ("BACKGROUND", (0, 0), (-1, -1), _STRIPE),
                ("LEFTPADDING", (0, 0), (-1, -1), 6),
                ("TOPPADDING", (0, 0), (-1, -1), 5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
            ]
        ),
    )


def _facts_table(facts: Sequence[tuple[str, str]]) -> Table:
    label_width = 130.0
    rows = [
        [
            _paragraph(label, font=FONT_SEMIBOLD, colour=_MUTED, width=label_width - 4),
            _paragraph(value, width=FRAME_WIDTH - label_width - 4),
        ]
        for label, value in facts
    ]
    return Table(
        rows,
        colWidths=[label_width, FRAME_WIDTH - label_width],
        hAlign="LEFT",
        style=TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
            ]
        ),
    )


def _table_section(table: DataTable) -> list[Flowable]:
    heading = [
        _paragraph(table.title, font=FONT_BOLD, size=13, width=FRAME_WIDTH, leading=17),
        Spacer(1, 3),
    ]
    if table.note:
        heading += [_paragraph(table.note, size=8.5, colour=_MUTED, width=FRAME_WIDTH), Spacer(1, 4)]
    chart = _chart(table, FRAME_WIDTH * 0.9)
    if chart is not None:
        drawing, partial_chart = chart
        heading.append(drawing)
        if partial_chart:
            heading.append(
                _paragraph(_("The chart shows the first rows and columns only; the table lists more."),
                           size=8, colour=_MUTED, width=FRAME_WIDTH)
            )  # fmt: skip
        heading.append(Spacer(1, 8))
    rows = table.rows[:ROWS_PER_TABLE]
    if len(table.rows) > len(rows):
        heading += [
            _paragraph(
                _(
                    "The table below shows the first %(shown)s of %(total)s rows. The spreadsheet export "
                    "(CSV or XLSX) has them all."
                )
                % {"shown": f"{len(rows):,}", "total": f"{len(table.rows):,}"},
                size=8.5,
                colour=_MUTED,
                width=FRAME_WIDTH,
            ),
            Spacer(1, 4),
        ]
    section: list[Flowable] = [CondPageBreak(120), KeepTogether(heading)]
    if len(rows) > KEEP_TOGETHER_ROWS:
        section.append(_data_table(table, rows))
    elif rows:  # a short table moves to the next page whole rather than leave two rows behind
        section.append(KeepTogether([_data_table(table, rows)]))
    else:
        section.append(_paragraph(_("Nothing to show for these filters."), colour=_MUTED, width=FRAME_WIDTH))
    section.append(Spacer(1, 16))
    return section


class _NumberedCanvas(Canvas):
    """Holds the pages back until the end, so that each can say "page n of N"."""

    def __init__(self, *args, footer_title: str, **kwargs):
        super().__init__(*args, **kwargs)
        self._footer_title = footer_title
        self._pages: list[dict] = []

    def showPage(self) -> None:  # noqa: N802 (ReportLab's name)
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for number, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            self._draw_footer(number, total)
            super().showPage()
        super().save()

    def _draw_footer(self, number: int, total: int) -> None:
        self.saveState()
        self.setStrokeColor(_RULE)
        self.setLineWidth(0.5)
        self.line(MARGIN, MARGIN - 4, PAGE_WIDTH - MARGIN, MARGIN - 4)
        title = _paragraph(self._footer_title, size=8, colour=_MUTED, width=FRAME_WIDTH * 0.7, max_lines=1)
        title.wrap(FRAME_WIDTH * 0.7, FOOTER_HEIGHT)
        title.drawOn(self, MARGIN, MARGIN - 16)
        page = _paragraph(
            _("Page %(number)s/%(total)s") % {"number": number, "total": total},
            size=8,
            colour=_MUTED,
            width=FRAME_WIDTH * 0.3,
            alignment=TA_RIGHT,
        )
        page.wrap(FRAME_WIDTH * 0.3, FOOTER_HEIGHT)
        page.drawOn(self, PAGE_WIDTH - MARGIN - FRAME_WIDTH * 0.3, MARGIN - 16)
        self.restoreState()


def dashboard_pdf(dashboard: Dashboard, *, generated_at: dt.datetime, viewer_name: str) -> bytes:
    """The dashboard as an A4 landscape PDF: title, scope, filters, the date it was made (in
    the reader's calendar) and for whom, the headline figures, then each table with its chart.
    Printed tables stop at ROWS_PER_TABLE rows, with a note saying so."""
    register_fonts()
    story: list[Flowable] = [
        _paragraph(dashboard.title, font=FONT_BOLD, size=20, width=FRAME_WIDTH, leading=26),
        _paragraph(dashboard.scope_label, font=FONT_SEMIBOLD, size=13, colour=_MUTED, width=FRAME_WIDTH),
        Spacer(1, 8),
    ]
    facts = [(fact.label, fact.value) for fact in dashboard_facts(dashboard)]
    facts.append(
        (
            _("Generated"),
            _("%(date)s by %(name)s")
            % {"date": format_date(generated_at, with_time=True), "name": viewer_name},
        )
    )
    story += [_facts_table(facts), Spacer(1, 12)]
    figures = _figures(dashboard.figures)
    if figures is not None:
        story += [figures, Spacer(1, 16)]
    for table in dashboard.tables.values():
        story += _table_section(table)

    output = BytesIO()
    document = BaseDocTemplate(
        output,
        pagesize=(PAGE_WIDTH, PAGE_HEIGHT),
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN + FOOTER_HEIGHT,
        title=printable(f"{dashboard.title} – {dashboard.scope_label}"),
        author=printable(viewer_name),
        subject=printable(dashboard.scope_label),
        creator="Thaksa",
        producer="Thaksa",
        lang="th",
        initialFontName=FONT_REGULAR,
        pageCompression=1,
        invariant=1,
    )
    frame = Frame(
        MARGIN,
        MARGIN + FOOTER_HEIGHT,
        FRAME_WIDTH,
        PAGE_HEIGHT - 2 * MARGIN - FOOTER_HEIGHT,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id="body",
    )
    document.addPageTemplates([PageTemplate(id="page", frames=[frame])])
    with reportlab_settings():
        document.build(story, canvasmaker=partial(_NumberedCanvas, footer_title=dashboard.title))
    return output.getvalue()
