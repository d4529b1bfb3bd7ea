"""A dashboard chart in the PDF report: the figure `analytics.charts.figures` built for the
page, drawn with ReportLab's charts (`reportlab.graphics.charts`: bar charts, a line plot,
value axes with their grid), so the printout shows the same measure, values and labels as
the page. Vector graphics only: sharp when printed or projected, no raster image.

ReportLab's charts draw their strings unshaped, which misplaces Thai tone marks; so every
label that may hold Thai (categories, series names) is a shaped paragraph laid over the
drawing (`Label`, `Chart`), broken at Thai word boundaries beforehand with `thai_lines`.
Numbers (bar values, ticks) need no shaping and are drawn by the charts themselves.

A printed chart shows at most MAX_BARS categories lying down (MAX_COLUMNS standing up), and a
heat map at most HEATMAP_MAX_ROWS × HEATMAP_MAX_COLUMNS cells; the report says so under it, and
its table lists every row.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape

import plotly.graph_objects as go
from django.utils.translation import gettext as _
from reportlab.graphics import renderPDF
from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.lineplots import LinePlot
from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.graphics.widgets.markers import makeMarker
from reportlab.lib.colors import Color, HexColor, white
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import Flowable, Paragraph

from analytics.charts.figures import HEAT_CLASSES, HEAT_STEP, LINE_BREAK, TEXT_COLOUR
from lms.thai_pdf.fonts import FONT_REGULAR
from lms.thai_pdf.line_breaking import thai_lines
from lms.thai_pdf.shaping import paragraph_style
from lms.thai_text import printable

MAX_BARS = 15
MAX_COLUMNS = 36  # a vertical bar chart's categories (months of a trend, competencies)
HEATMAP_MAX_ROWS = 20
HEATMAP_MAX_COLUMNS = 12

DARK = HexColor(TEXT_COLOUR)
MUTED = HexColor("#5c6673")
RULE = HexColor("#c9ced6")
_GRID = HexColor("#e3e7ec")
_NO_DATA = HexColor("#d9d9d9")
_HEAT_DARK_FROM = 3  # white text from this class on
LINE_SLACK = 3.0  # HarfBuzz's kerned widths differ a hair from the advances thai_lines adds
_LABEL_SIZE = 8.0
_NUMBER_SIZE = 7.0


# --------------------------------------------------------------------------------------------
# Shaped text
# --------------------------------------------------------------------------------------------


def _fit_with_ellipsis(line: str, font: str, size: float, width: float) -> str:
    while line and pdfmetrics.stringWidth(line + "…", font, size) > width:
        line = line[:-1]
    return line.rstrip() + "…"


def _markup(text: str, font: str, size: float, width: float | None, max_lines: int | None) -> str:
    text = printable(text)
    if width is None:
        return escape(text)
    lines = thai_lines(text, font_name=font, font_size=size, width=max(width - LINE_SLACK, 1.0))
    if max_lines is not None and len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = _fit_with_ellipsis(lines[-1], font, size, width - LINE_SLACK)
    return "<br/>".join(escape(line) for line in lines)


def thai_paragraph(
    text: str,
    *,
    font: str = FONT_REGULAR,
    size: float = 9.0,
    colour: Color = DARK,
    width: float | None = None,
    alignment: int = TA_LEFT,
    leading: float | None = None,
    max_lines: int | None = None,
) -> Paragraph:
    """A shaped paragraph; with `width`, broken at Thai word boundaries to fit it (and cut
    with "…" after `max_lines`)."""
    style = paragraph_style(font, size, leading or round(size * 1.3, 2), colour.hexval(), alignment, 1)
    return Paragraph(_markup(text, font, size, width, max_lines), style)


@dataclass(frozen=True)
class Label:
    """Text placed on a chart as a shaped paragraph, its box's top-left corner at (x, top)."""

    text: str
    x: float
    top: float
    width: float
    size: float = _LABEL_SIZE
    alignment: int = TA_LEFT
    max_lines: int = 1

    def paragraph(self) -> Paragraph:
        return thai_paragraph(self.text, size=self.size, width=self.width, alignment=self.alignment,
                              max_lines=self.max_lines, leading=self.size * 1.2)  # fmt: skip


class Chart(Flowable):
    """A vector drawing with shaped labels laid over it."""

    def __init__(self, drawing: Drawing, labels: Sequence[Label]) -> None:
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
            paragraph = label.paragraph()
            _, height = paragraph.wrap(label.width, self.height)
            paragraph.drawOn(self.canv, label.x, label.top - height)


# --------------------------------------------------------------------------------------------
# Reading the figure
# --------------------------------------------------------------------------------------------


def _plain(label: Any) -> str:
    """An axis label as text: the page's line breaks (LINE_BREAK) become spaces; the PDF wraps itself."""
    return str(label).replace(LINE_BREAK, " ")


def _values(values: Sequence[Any] | None) -> list[float | None]:
    return [None if value is None else float(value) for value in values or ()]


def _nice_ceiling(value: float) -> float:
    """The axis end: a round number at or above `value` whose fifths are whole (150, 400…)."""
    if value <= 0:
        return 1.0
    power = 10.0 ** math.floor(math.log10(value))
    for step in (1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10):
        end = step * power
        if value <= end + 1e-9 and (end < 5 or float(end / 5).is_integer()):
            return end
    return 10 * power


@dataclass(frozen=True)
class _Scale:
    """A value axis as the figure's layout describes it: its end and how ticks read."""

    end: float
    suffix: str

    @classmethod
    def of(cls, axis: Any, values: Sequence[float | None]) -> _Scale:
        suffix = axis.ticksuffix or ""
        if axis.range is not None:
            return cls(float(axis.range[1]), suffix)
        end = _nice_ceiling(max((value for value in values if value is not None), default=0.0))
        # Small counts: whole ticks, so five steps need an end divisible by five.
        return cls(5.0 if end < 5 else end, suffix)

    def tick(self, value: float) -> str:
        text = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"
        return f"{text}{self.suffix}"

    def configure(self, axis: Any) -> None:
        axis.valueMin, axis.valueMax, axis.valueStep = 0, self.end, self.end / 5
        axis.labels.fontName, axis.labels.fontSize, axis.labels.fillColor = FONT_REGULAR, _NUMBER_SIZE, MUTED
        axis.labelTextFormat = self.tick
        axis.strokeColor, axis.strokeWidth = MUTED, 0.7
        axis.visibleGrid, axis.gridStrokeColor, axis.gridStrokeWidth = 1, _GRID, 0.5


_KEY_ROW = 14.0


def _legend_layout(traces: Sequence[Any], width: float) -> tuple[float, int]:
    """The width of one key and how many keys fit in a row: as wide as the longest name
    (at most 200 points), so a long list of role groups wraps rather than being cut."""
    widest = max(pdfmetrics.stringWidth(printable(trace.name), FONT_REGULAR, _LABEL_SIZE) for trace in traces)
    slot = min(200.0, widest + 24, width)
    return slot, max(1, int(width // slot))


def _legend_height(traces: Sequence[Any], width: float) -> float:
    if len(traces) < 2:
        return 0.0
    _slot, per_row = _legend_layout(traces, width)
    return math.ceil(len(traces) / per_row) * _KEY_ROW + 2


def _legend(traces: Sequence[Any], x: float, top: float, width: float) -> tuple[list[Any], list[Label]]:
    """Coloured keys with the series' names, in rows (only when there are several series)."""
    if len(traces) < 2:
        return [], []
    shapes: list[Any] = []
    labels: list[Label] = []
    slot, per_row = _legend_layout(traces, width)
    for index, trace in enumerate(traces):
        left = x + (index % per_row) * slot
        row_top = top - (index // per_row) * _KEY_ROW
        if trace.type == "scatter":
            shapes.append(Line(left, row_top - 5.5, left + 9, row_top - 5.5, strokeColor=_colour(trace),
                               strokeWidth=2))  # fmt: skip
        else:
            shapes.append(Rect(left, row_top - 10, 9, 9, fillColor=_colour(trace), strokeColor=None))
        labels.append(Label(trace.name, left + 13, row_top + 0.5, slot - 18))
    return shapes, labels


def _axis_title(axis: Any) -> str:
    return str(axis.title.text or "") if axis.title else ""


def _colour(trace: Any) -> Color:
    colour = trace.line.color if trace.type == "scatter" else trace.marker.color
    return HexColor(colour)


def _label_column_width(categories: Sequence[str], width: float, share: float) -> float:
    widest = max(
        float(pdfmetrics.stringWidth(printable(text), FONT_REGULAR, _LABEL_SIZE)) for text in categories
    )
    return min(width * share, widest + 8)


def _fill_bars(
    chart: HorizontalBarChart | VerticalBarChart,
    traces: Sequence[Any],
    series: Sequence[Sequence[float | None]],
    texts: Sequence[Sequence[str]],
    *,
    scale: _Scale,
    anchor: str,
) -> None:
    """A ReportLab bar chart with the figure's bars: its values, colours and value labels
    (`text`, drawn at the end of each bar, on the `anchor` side), category labels left to
    the shaped overlay."""
    chart.data = [list(values) for values in series]
    chart.categoryAxis.categoryNames = [""] * len(series[0])
    chart.categoryAxis.visibleLabels = 0
    chart.categoryAxis.visibleTicks = 0
    chart.categoryAxis.strokeColor = MUTED
    scale.configure(chart.valueAxis)
    for index, trace in enumerate(traces):
        chart.bars[index].fillColor = _colour(trace)
        chart.bars[index].strokeColor = None
    chart.barLabelFormat = "values"
    chart.barLabelArray = [list(row) for row in texts]
    chart.barLabels.fontName, chart.barLabels.fontSize = FONT_REGULAR, _NUMBER_SIZE
    chart.barLabels.fillColor = DARK
    chart.barLabels.boxAnchor = anchor
    chart.barLabels.boxTarget = "hi"
    if anchor == "w":
        chart.barLabels.dx = 3
    else:
        chart.barLabels.dy = 2


# --------------------------------------------------------------------------------------------
# The charts
# --------------------------------------------------------------------------------------------


def _horizontal_bars(figure: go.Figure, width: float) -> tuple[Chart, bool]:
    traces = list(figure.data)
    categories = [_plain(label) for label in traces[0].y]
    rows = min(len(categories), MAX_BARS)
    categories = categories[:rows]
    series = [_values(trace.x)[:rows] for trace in traces]
    scale = _Scale.of(figure.layout.xaxis, [value for values in series for value in values])
    bar = 11.0 if len(traces) == 1 else 7.5
    band = len(traces) * bar + 7
    label_width = _label_column_width(categories, width, 0.32)
    title = _axis_title(figure.layout.xaxis)
    plot_left, axis_height = label_width + 8, 28.0 if title else 16.0
    plot_width = width - plot_left - 56  # room for the last bar's value
    legend_height = _legend_height(traces, width - plot_left)
    height = legend_height + rows * band + axis_height + 4
    plot_top = height - legend_height - 2

    # ReportLab stacks categories and a group's bars bottom-up; the page lists them top-down
    # (first row on top, first series on top of its group): both orders are turned round.
    chart = HorizontalBarChart()
    chart.x, chart.y, chart.width, chart.height = plot_left, axis_height, plot_width, plot_top - axis_height
    _fill_bars(
        chart,
        list(reversed(traces)),
        [values[::-1] for values in reversed(series)],
        [list(trace.text or ())[:rows][::-1] for trace in reversed(traces)],
        scale=scale,
        anchor="w",
    )
    chart.groupSpacing, chart.barSpacing = 7, 0

    drawing = Drawing(width, height)
    drawing.add(chart)
    legend_shapes, labels = _legend(traces, plot_left, height, width - plot_left)
    for shape in legend_shapes:
        drawing.add(shape)
    if title:  # under the ticks, as on the page
        labels.append(Label(title, plot_left, 13.0, plot_width, alignment=TA_CENTER))
    row_height = chart.height / rows
    for index, category in enumerate(categories):
        middle = plot_top - (index + 0.5) * row_height
        labels.append(Label(category, 0, middle + _LABEL_SIZE * 0.6, label_width, alignment=TA_RIGHT))
    return Chart(drawing, labels), len(traces[0].y) > rows


def _vertical_bars(figure: go.Figure, width: float) -> tuple[Chart, bool]:
    """Bars per category (grouped by series), and a line on a second axis if the figure has
    one (the trend's running total)."""
    bars = [trace for trace in figure.data if trace.type == "bar"]
    lines = [trace for trace in figure.data if trace.type == "scatter"]
    categories = [_plain(label) for label in bars[0].x]
    columns = min(len(categories), MAX_COLUMNS)
    categories = categories[:columns]
    series = [_values(trace.y)[:columns] for trace in bars]
    scale = _Scale.of(figure.layout.yaxis, [value for values in series for value in values])
    plot_left, axis_height = 44.0, 26.0
    title = _axis_title(figure.layout.yaxis)
    title_height = 12.0 if title else 0.0
    legend_height = _legend_height([*bars, *lines], width - plot_left)
    height = 174.0 + title_height + legend_height
    # Bars no wider than about 28 points: a few categories make a narrow chart, not fat bars.
    plot_right = min(width - (44.0 if lines else 12.0), plot_left + columns * (len(bars) * 28 + 16))
    plot_top = height - title_height - legend_height - 10

    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = (
        plot_left,
        axis_height,
        plot_right - plot_left,
        plot_top - axis_height,
    )
    texts = [list(trace.text or ())[:columns] for trace in bars]
    _fill_bars(chart, bars, series, texts, scale=scale, anchor="s")
    chart.groupSpacing, chart.barSpacing = 6, 1
    chart.valueAxis.labels.dx = -3

    drawing = Drawing(width, height)
    drawing.add(chart)
    for trace in lines:
        drawing.add(_line_on_second_axis(figure, trace, chart, columns))
    legend_shapes, labels = _legend([*bars, *lines], plot_left, height - title_height, width - plot_left)
    if title:  # above the value axis: a shaped paragraph cannot be turned on its side
        labels.append(Label(title, 0, height, width))
    for shape in legend_shapes:
        drawing.add(shape)
    step = chart.width / columns
    widest = (
        max(pdfmetrics.stringWidth(printable(text), FONT_REGULAR, _NUMBER_SIZE) for text in categories) + 4
    )
    every = max(1, math.ceil(widest / step))  # every category labelled if they fit, else every n-th
    labels += [
        Label(text, plot_left + step * (index + 0.5) - step * every / 2, axis_height - 4, step * every,
              size=_NUMBER_SIZE, alignment=TA_CENTER)
        for index, text in enumerate(categories)
        if index % every == 0
    ]  # fmt: skip
    return Chart(drawing, labels), len(bars[0].x) > columns


def _line_on_second_axis(figure: go.Figure, trace: Any, chart: VerticalBarChart, columns: int) -> LinePlot:
    """The line through the middle of each category, on the right-hand axis (`yaxis2`)."""
    values = _values(trace.y)[:columns]
    plot = LinePlot()
    plot.x, plot.y, plot.width, plot.height = chart.x, chart.y, chart.width, chart.height
    plot.data = [[(index + 0.5, value) for index, value in enumerate(values) if value is not None]]
    plot.xValueAxis.valueMin, plot.xValueAxis.valueMax = 0, columns
    plot.xValueAxis.visible = 0
    scale = _Scale.of(figure.layout.yaxis2, values)
    scale.configure(plot.yValueAxis)
    plot.yValueAxis.visibleGrid = 0
    plot.yValueAxis.joinAxisMode = "right"
    plot.yValueAxis.labels.boxAnchor = "w"
    plot.yValueAxis.labels.dx = 4
    plot.yValueAxis.labels.fillColor = _colour(trace)
    plot.lines[0].strokeColor = _colour(trace)
    plot.lines[0].strokeWidth = 1.6
    plot.lines[0].strokeDashArray = (2, 2)
    plot.lines[0].symbol = makeMarker("Diamond", size=5, fillColor=_colour(trace), strokeColor=white)
    return plot


def _heat_class(value: float) -> int:
    return min(len(HEAT_CLASSES) - 1, max(0, int(value // HEAT_STEP)))


def _heatmap(figure: go.Figure, width: float) -> tuple[Chart, bool]:
    """Cells coloured in the figure's five classes, each with the figure's text, and a key."""
    trace = figure.data[0]
    names = list(trace.hovertext[0]) if trace.hovertext else [str(x) for x in trace.x]
    shown_columns = min(len(names), HEATMAP_MAX_COLUMNS)
    rows = min(len(trace.y), HEATMAP_MAX_ROWS)
    categories = [_plain(label) for label in trace.y[:rows]]
    label_width = _label_column_width(categories, width, 0.28)
    cell_width = min(64.0, (width - label_width - 8) / shown_columns)
    cell_height = 15.0
    header_lines = [
        min(3, len(thai_lines(printable(name), font_name=FONT_REGULAR, font_size=_NUMBER_SIZE,
                              width=cell_width - 2 - LINE_SLACK)))
        for name in names[:shown_columns]
    ]  # fmt: skip
    header_height = max(header_lines) * 8.4 + 4
    legend_height = 22.0
    height = legend_height + rows * cell_height + header_height
    left = label_width + 8

    drawing = Drawing(width, height)
    labels = []
    grid_top = height - header_height
    for position, (name, lines) in enumerate(zip(names, header_lines, strict=False)):
        labels.append(  # set on the grid, whatever its number of lines
            Label(name, left + position * cell_width + 1, grid_top + lines * 8.4 + 2, cell_width - 2,
                  size=_NUMBER_SIZE, alignment=TA_CENTER, max_lines=3)
        )  # fmt: skip
    heat = [HexColor(colour) for colour in HEAT_CLASSES]
    for row_index in range(rows):
        top = grid_top - row_index * cell_height
        labels.append(Label(categories[row_index], 0, top - 2.5, label_width, alignment=TA_RIGHT))
        for position in range(shown_columns):
            value = trace.z[row_index][position]
            x = left + position * cell_width
            fill = _NO_DATA if value is None else heat[_heat_class(value)]
            drawing.add(Rect(x, top - cell_height, cell_width, cell_height, fillColor=fill, strokeColor=white,
                             strokeWidth=1))  # fmt: skip
            text_colour = white if value is not None and _heat_class(value) >= _HEAT_DARK_FROM else DARK
            text = trace.text[row_index][position] or "–"
            drawing.add(
                String(x + cell_width / 2, top - cell_height / 2 - 2.5, text, fontName=FONT_REGULAR,
                       fontSize=_NUMBER_SIZE, fillColor=text_colour, textAnchor="middle")
            )  # fmt: skip
    key_width = 54.0  # one key per class, and one for "no data"
    for position, colour in enumerate((*heat, _NO_DATA)):
        x = left + position * (key_width + 6)
        drawing.add(Rect(x, 4, 12, 10, fillColor=colour, strokeColor=RULE, strokeWidth=0.4))
        if position < len(heat):
            text = f"{position * HEAT_STEP:.0f}–{(position + 1) * HEAT_STEP:.0f}%"
            drawing.add(String(x + 15, 6, text, fontName=FONT_REGULAR, fontSize=_NUMBER_SIZE, fillColor=DARK))
        else:
            labels.append(Label(_("no data"), x + 15, 13.0, key_width, size=_NUMBER_SIZE))
    truncated = len(trace.y) > rows or len(names) > shown_columns
    return Chart(drawing, labels), truncated


def figure_chart(figure: go.Figure, *, width: float) -> tuple[Chart, bool]:
    """The figure drawn `width` points wide, and whether it had to leave rows or columns out."""
    kinds = {trace.type for trace in figure.data}
    if "heatmap" in kinds:
        return _heatmap(figure, width)
    if figure.data[0].orientation == "h":
        return _horizontal_bars(figure, width)
    return _vertical_bars(figure, width)
