"""The dashboard as a PDF to take to a meeting: A4 landscape, Thai shaped, charts as vectors.

Generic over the contract in analytics.selectors.contract: the title, scope, filters and date of the
report, the headline figures, then for every table its chart, when the table has one, and
the table itself. Pure: give it a `Dashboard`, get bytes.

Thai is drawn with the shared toolkit `lms/thai_pdf/` (Sarabun, HarfBuzz shaping, line
breaking at Thai word boundaries): every piece of text that may hold Thai is a shaped
paragraph (`analytics.charts.pdf.thai_paragraph`), since ReportLab draws tone marks in the
wrong place otherwise, `drawString` included. Numbers need no shaping and are drawn directly.

A table's chart is the figure the page shows (`analytics.charts.figures.table_figure`),
drawn by `analytics.charts.pdf.figure_chart`: the same measure, values and labels as the
page, as vector graphics.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from functools import partial
from io import BytesIO
from typing import Any

from django.utils.translation import gettext as _
from reportlab.lib.colors import HexColor, white
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
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

from analytics.charts.figures import table_figure
from analytics.charts.pdf import DARK, LINE_SLACK, MUTED, RULE, figure_chart, thai_paragraph
from analytics.exports import NUMERIC_KINDS, dashboard_facts
from analytics.selectors.contract import Column, Dashboard, Figure, figure_text, value_text
from analytics.selectors.contract import Table as DataTable
from lms.thai_calendar import format_date
from lms.thai_pdf.fonts import FONT_BOLD, FONT_REGULAR, FONT_SEMIBOLD, register_fonts
from lms.thai_pdf.line_breaking import thai_lines
from lms.thai_pdf.shaping import NEEDS_SHAPING, reportlab_settings
from lms.thai_text import printable

__all__ = ["ROWS_PER_TABLE", "dashboard_pdf"]

PAGE_WIDTH, PAGE_HEIGHT = landscape(A4)
MARGIN = 36.0
FOOTER_HEIGHT = 18.0
FRAME_WIDTH = PAGE_WIDTH - 2 * MARGIN

ROWS_PER_TABLE = 100  # a printed table stops here; the spreadsheet export has every row
KEEP_TOGETHER_ROWS = 20

_HEADER_FILL = HexColor("#eef1f5")
_STRIPE = HexColor("#f7f8fa")

_BODY_SIZE = 9.0
_CELL_PADDING = 4.0


def _figure_text(figure: Figure) -> str:
    text = figure_text(figure.value)
    if figure.value is None or not figure.unit:
        return text
    return f"{text}{figure.unit}" if figure.unit == "%" else f"{text} {figure.unit}"


# --------------------------------------------------------------------------------------------
# Tables
# --------------------------------------------------------------------------------------------


def _longest_word_width(text: str, font: str, size: float) -> float:
    lines = thai_lines(printable(text), font_name=font, font_size=size, width=1.0)
    return max((float(pdfmetrics.stringWidth(line, font, size)) for line in lines), default=0.0)


def _column_widths(table: DataTable, rows: Sequence[Sequence[Any]], available: float) -> list[float]:
    """Numbers and dates get the room they need on one line; text columns share the rest, in
    proportion to what they would need, and wrap between words."""
    pad = 2 * _CELL_PADDING + LINE_SLACK
    natural, least = [], []
    for index, column in enumerate(table.columns):
        texts = [value_text(row[index] if index < len(row) else None, column.kind) for row in rows[:200]]
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


def _cell(value: Any, column: Column, width: float) -> str | Paragraph:
    text = value_text(value, column.kind)
    if column.kind in NUMERIC_KINDS and not NEEDS_SHAPING.search(text):
        return text
    alignment = TA_RIGHT if column.kind in NUMERIC_KINDS else TA_LEFT
    return thai_paragraph(text, width=width - 2 * _CELL_PADDING, alignment=alignment)


def _data_table(table: DataTable, rows: Sequence[Sequence[Any]]) -> LongTable:
    widths = _column_widths(table, rows, FRAME_WIDTH)
    header = [
        thai_paragraph(
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
        ("TEXTCOLOR", (0, 0), (-1, -1), DARK),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), _CELL_PADDING),
        ("RIGHTPADDING", (0, 0), (-1, -1), _CELL_PADDING),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3.5),
        ("BACKGROUND", (0, 0), (-1, 0), _HEADER_FILL),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, MUTED),
        ("LINEBELOW", (0, 1), (-1, -1), 0.3, RULE),
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
            thai_paragraph(_figure_text(figure), font=FONT_BOLD, size=17, colour=HexColor("#0b4f8a"),
                       width=width - 12, leading=21),
            thai_paragraph(figure.label, size=9, colour=MUTED, width=width - 12, max_lines=2),
        ]
        for figure in figures
    ]  # fmt: skip
    grid: list[list[Any]] = [cells[start : start + per_row] for start in range(0, len(cells), per_row)]
    grid[-1] += [""] * (per_row - len(grid[-1]))
    return Table(
        grid,
        colWidths=[width] * per_row,
        hAlign="LEFT",
        style=TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BOX", (0, 0), (-1, -1), 0.6, RULE),
                ("INNERGRID", (0, 0), (-1, -1), 0.6, RULE),
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
            thai_paragraph(label, font=FONT_SEMIBOLD, colour=MUTED, width=label_width - 4),
            thai_paragraph(value, width=FRAME_WIDTH - label_width - 4),
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
        thai_paragraph(table.title, font=FONT_BOLD, size=13, width=FRAME_WIDTH, leading=17),
        Spacer(1, 3),
    ]
    if table.note:
        heading += [thai_paragraph(table.note, size=8.5, colour=MUTED, width=FRAME_WIDTH), Spacer(1, 4)]
    figure = table_figure(table)
    if figure is not None:
        drawing, partial_chart = figure_chart(figure, width=FRAME_WIDTH * 0.9)
        heading.append(drawing)
        if partial_chart:
            heading.append(
                thai_paragraph(_("The chart shows the first rows and columns only; the table lists more."),
                           size=8, colour=MUTED, width=FRAME_WIDTH)
            )  # fmt: skip
        heading.append(Spacer(1, 8))
    rows = table.rows[:ROWS_PER_TABLE]
    if len(table.rows) > len(rows):
        heading += [
            thai_paragraph(
                _(
                    "The table below shows the first %(shown)s of %(total)s rows. The spreadsheet export "
                    "(CSV or XLSX) has them all."
                )
                % {"shown": f"{len(rows):,}", "total": f"{len(table.rows):,}"},
                size=8.5,
                colour=MUTED,
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
        section.append(
            thai_paragraph(_("Nothing to show for these filters."), colour=MUTED, width=FRAME_WIDTH)
        )
    section.append(Spacer(1, 16))
    return section


class _NumberedCanvas(Canvas):
    """Holds the pages back until the end, so that each can say "page n of N"."""

    def __init__(self, *args: Any, footer_title: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._footer_title = footer_title
        self._pages: list[dict[str, Any]] = []

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
        self.setStrokeColor(RULE)
        self.setLineWidth(0.5)
        self.line(MARGIN, MARGIN - 4, PAGE_WIDTH - MARGIN, MARGIN - 4)
        title = thai_paragraph(self._footer_title, size=8, colour=MUTED, width=FRAME_WIDTH * 0.7, max_lines=1)
        title.wrap(FRAME_WIDTH * 0.7, FOOTER_HEIGHT)
        title.drawOn(self, MARGIN, MARGIN - 16)
        page = thai_paragraph(
            _("Page %(number)s/%(total)s") % {"number": number, "total": total},
            size=8,
            colour=MUTED,
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
        thai_paragraph(dashboard.title, font=FONT_BOLD, size=20, width=FRAME_WIDTH, leading=26),
        thai_paragraph(dashboard.scope_label, font=FONT_SEMIBOLD, size=13, colour=MUTED, width=FRAME_WIDTH),
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
