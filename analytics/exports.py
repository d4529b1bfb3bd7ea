"""The dashboards' tables as files: CSV and XLSX, for any `Table` (analytics.selectors.contract).

Everything here is generic over columns and their kinds ("text", "int", "decimal",
"percent", "date"), so a new table on a dashboard is exportable without a line changed here.

- CSV is UTF-8 with a byte order mark: without it Excel reads the file as the legacy Thai
  code page (or Latin-1) and every Thai letter turns into mojibake. The first line is the
  header (the column labels); the filters travel in the file name.
- XLSX cells are typed: numbers are numbers (summable in Excel), percentages carry a percent
  format, dates are dates.
- Spreadsheet formula injection: unit names, course titles and people's names come from
  users, so both formats are written through lms.spreadsheets, which keeps a cell starting
  with = + - @ (or a tab or carriage return) from running as a formula.

Percent values in a `Table` are percentages (85.5 means 85.5 %), as the figures' "%" unit
says; in XLSX they are stored as fractions (0.855) with a percent format, as Excel expects.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import quote

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from analytics.selectors.contract import Column, Dashboard, DashboardFilters, Table, value_text
from lms.spreadsheets import csv_bytes, xlsx_cell, xlsx_workbook
from lms.thai_calendar import FiscalYear, format_date
from lms.thai_text import word_tokenizer

__all__ = [
    "NUMERIC_KINDS",
    "DownloadNames",
    "Fact",
    "Progress",
    "dashboard_facts",
    "dashboard_xlsx",
    "download_names",
    "sheet_title",
    "table_csv",
    "table_xlsx",
]

NUMERIC_KINDS = frozenset({"int", "decimal", "percent"})

# Excel's limits: a sheet name of 31 UTF-16 code units without []:*?/\, not starting or
# ending with an apostrophe, not "History" (reserved).
SHEET_TITLE_LIMIT = 31
_SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_RESERVED_SHEET_TITLES = frozenset({"history"})

_NUMBER_FORMATS = {"int": "#,##0", "decimal": "#,##0.00", "percent": "0.0%", "date": "yyyy-mm-dd"}
_HEADER_FONT = Font(bold=True)
_TITLE_FONT = Font(bold=True, size=14)
_NOTE_FONT = Font(italic=True, color="5C6673")
_WRAP = Alignment(wrap_text=True, vertical="top")
_WIDTH_SAMPLE_ROWS = 2000  # column widths are measured on the first rows only: enough, and fast
_PROGRESS_EVERY = 500

Progress = Callable[[float], None]  # called with the share done, 0.0 … 1.0


# --------------------------------------------------------------------------------------------
# Values
# --------------------------------------------------------------------------------------------


def _as_date(value: dt.date | dt.datetime) -> dt.date:
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def _csv_value(value, kind: str) -> str:
    if value is None:
        return ""
    if kind in NUMERIC_KINDS and isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        if kind == "int":
            return str(round(value))
        return f"{round(Decimal(str(value)), 2 if kind == 'decimal' else 1)}"
    if kind == "date" and isinstance(value, dt.date):
        return _as_date(value).isoformat()
    return str(value)


def _csv_header(column: Column) -> str:
    # In a CSV a percentage is a bare number; say in the header that it is one.
    if column.kind == "percent" and "%" not in column.label:
        return f"{column.label} (%)"
    return column.label


def _report(progress: Progress | None, done: int, total: int) -> None:
    if progress is not None and total and done % _PROGRESS_EVERY == 0:
        progress(done / total)


# --------------------------------------------------------------------------------------------
# CSV
# --------------------------------------------------------------------------------------------


def table_csv(table: Table, *, progress: Progress | None = None) -> bytes:
    """The table as CSV: UTF-8 with a BOM, the column labels on the first line."""
    kinds = [column.kind for column in table.columns]
    total = len(table.rows)

    def lines():
        yield [_csv_header(column) for column in table.columns]
        for done, row in enumerate(table.rows, start=1):
            yield [_csv_value(value, kind) for value, kind in zip(row, kinds, strict=False)]
            _report(progress, done, total)

    return csv_bytes(lines())


# --------------------------------------------------------------------------------------------
# XLSX
# --------------------------------------------------------------------------------------------


def _utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _starts_cluster(character: str) -> bool:
    """Whether a cut may fall before this character: not before a combining mark (a Thai
    vowel or tone mark above or below its consonant), nor before sara am."""
    return (
        not unicodedata.combining(character) and unicodedata.category(character) != "Mn" and character != "ำ"
    )


def _cut(text: str, limit: int) -> str:
    """The longest start of `text` within `limit` UTF-16 units, cut between words if it can
    be, else between letters with their marks (never leaving a Thai leading vowel dangling)."""
    if _utf16_length(text) <= limit:
        return text
    kept = ""
    for word in word_tokenizer()(text, engine="newmm", keep_whitespace=True):
        if _utf16_length(kept + word) > limit:
            break
        kept += word
    if kept.strip():
        return kept.rstrip()
    end = 0
    for index in range(1, len(text) + 1):
        if _utf16_length(text[:index]) > limit:
            break
        if index == len(text) or _starts_cluster(text[index]):
            end = index
    kept = text[:end]
    while kept and kept[-1] in "เแโใไ":
        kept = kept[:-1]
    return kept


def sheet_title(title: str, taken: Iterable[str] = ()) -> str:
    """A sheet name Excel accepts, as close to `title` as its rules allow and different
    (ignoring case, as Excel does) from the names in `taken`."""
    name = _SHEET_TITLE_FORBIDDEN.sub(" ", ILLEGAL_CHARACTERS_RE.sub("", title))
    name = " ".join(name.split()).strip("'").strip() or _("Sheet")
    used = {existing.casefold() for existing in taken}
    candidate = _cut(name, SHEET_TITLE_LIMIT).strip().strip("'").strip() or _("Sheet")
    number = 1
    while candidate.casefold() in used or candidate.casefold() in _RESERVED_SHEET_TITLES:
        number += 1
        suffix = f" ({number})"
        candidate = _cut(name, SHEET_TITLE_LIMIT - len(suffix)).strip().strip("'").strip() + suffix
    return candidate


def _display_width(text: str) -> int:
    """Roughly how many character widths `text` takes: Thai marks above and below take none."""
    longest = max(text.split("\n"), key=len) if text else ""
    return sum(1 for character in longest if not unicodedata.combining(character))


def _xlsx_value(value, kind: str):
    if value is None:
        return None
    if kind in NUMERIC_KINDS and isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        if kind == "percent":
            return float(value) / 100
        return value
    if kind == "date" and isinstance(value, dt.date):
        return _as_date(value)
    return str(value)


def _column_widths(table: Table) -> list[float]:
    widths = []
    for index, column in enumerate(table.columns):
        widest = _display_width(column.label)
        for row in table.rows[:_WIDTH_SAMPLE_ROWS]:
            value = row[index] if index < len(row) else None
            widest = max(widest, _display_width(value_text(value, column.kind)))
        widths.append(min(60.0, max(8.0, widest * 1.1 + 2)))
    return widths


def _write_table_sheet(
    workbook: Workbook,
    table: Table,
    taken: list[str],
    progress: Progress | None = None,
) -> None:
    sheet = workbook.create_sheet(sheet_title(table.title, taken))
    taken.append(sheet.title)
    for index, width in enumerate(_column_widths(table), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"

    header = []
    for column in table.columns:
        cell = xlsx_cell(sheet, column.label)
        cell.font = _HEADER_FONT
        cell.alignment = _WRAP
        header.append(cell)
    sheet.append(header)

    kinds = [column.kind for column in table.columns]
    total = len(table.rows)
    for done, row in enumerate(table.rows, start=1):
        cells = []
        for value, kind in zip(row, kinds, strict=False):
            cell = xlsx_cell(sheet, _xlsx_value(value, kind))
            if kind in _NUMBER_FORMATS and not isinstance(cell.value, str | None):
                cell.number_format = _NUMBER_FORMATS[kind]
            cells.append(cell)
        sheet.append(cells)
        _report(progress, done, total)

    if table.note:
        sheet.append([])
        note = xlsx_cell(sheet, table.note)
        note.font = _NOTE_FONT
        sheet.append([note])


def _workbook_bytes(workbook: Workbook) -> bytes:
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def table_xlsx(table: Table, *, progress: Progress | None = None) -> bytes:
    """The table as a one-sheet workbook: bold frozen header, typed cells, fitted widths."""
    workbook = xlsx_workbook(write_only=True)
    _write_table_sheet(workbook, table, [], progress)
    return _workbook_bytes(workbook)


# --------------------------------------------------------------------------------------------
# What a dashboard covers, for the summary sheet and the PDF report
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Fact:
    label: str
    value: str


def dashboard_facts(dashboard: Dashboard) -> list[Fact]:
    """The dashboard's period, scope and filters in words, e.g. ("Period", "ปีงบประมาณ 2570 ·
    1 ต.ค. 2569 – 30 ก.ย. 2570").

    Reads the role group's name from the database; everything else is in the dashboard.
    """
    from people.civil_service import EmploymentType, PositionType
    from people.models import RoleGroup

    filters: DashboardFilters = dashboard.filters
    year = FiscalYear(filters.fiscal_year)
    period = (
        f"{year.label()} · {format_date(year.start, style='short')} – {format_date(year.end, style='short')}"
    )
    facts = [
        Fact(_("Period"), period),
        Fact(_("Scope"), dashboard.scope_label),
    ]
    if filters.position_type:
        label = dict(PositionType.choices).get(filters.position_type, filters.position_type)
        facts.append(Fact(_("Position type"), str(label)))
    if filters.role_group_id:
        group = RoleGroup.objects.filter(pk=filters.role_group_id).first()
        facts.append(Fact(_("Role group"), group.name if group else str(filters.role_group_id)))
    if filters.employment_type:
        label = dict(EmploymentType.choices).get(filters.employment_type, filters.employment_type)
        facts.append(Fact(_("Employment type"), str(label)))
    return facts


def dashboard_xlsx(
    dashboard: Dashboard,
    *,
    generated_at: dt.datetime | None = None,
    progress: Progress | None = None,
) -> bytes:
    """The whole dashboard as a workbook: a summary sheet (title, scope, filters, headline
    figures), then one sheet per table in the dashboard's order."""
    workbook = xlsx_workbook(write_only=True)
    summary = workbook.create_sheet(sheet_title(_("Summary")))
    taken = [summary.title]
    summary.column_dimensions["A"].width = 36
    summary.column_dimensions["B"].width = 48
    summary.column_dimensions["C"].width = 14

    title = xlsx_cell(summary, dashboard.title)
    title.font = _TITLE_FONT
    summary.append([title])
    for fact in dashboard_facts(dashboard):
        summary.append([xlsx_cell(summary, fact.label), xlsx_cell(summary, fact.value)])
    if generated_at is not None:
        summary.append(
            [
                xlsx_cell(summary, _("Generated")),
                xlsx_cell(summary, format_date(generated_at, with_time=True)),
            ]
        )
    summary.append([])
    header = []
    for label in (_("Figure"), _("Value"), _("Unit")):
        cell = xlsx_cell(summary, label)
        cell.font = _HEADER_FONT
        header.append(cell)
    summary.append(header)
    for figure in dashboard.figures:
        value = xlsx_cell(summary, figure.value if figure.value is not None else "–")
        if isinstance(figure.value, float | Decimal):
            value.number_format = "#,##0.0"
        elif isinstance(figure.value, int):
            value.number_format = "#,##0"
        summary.append([xlsx_cell(summary, figure.label), value, xlsx_cell(summary, figure.unit)])

    tables = list(dashboard.tables.values())
    total_rows = sum(len(table.rows) for table in tables) or 1
    done_rows = 0
    for table in tables:
        table_progress = None
        if progress is not None:
            before = done_rows

            def table_progress(share: float, before: int = before, size: int = len(table.rows)) -> None:
                progress((before + share * size) / total_rows)

        _write_table_sheet(workbook, table, taken, table_progress)
        done_rows += len(table.rows)
    return _workbook_bytes(workbook)


# --------------------------------------------------------------------------------------------
# File names
# --------------------------------------------------------------------------------------------

_NOT_FILENAME_SAFE = re.compile(r"[^A-Za-z0-9._-]+")
_NOT_IN_TITLE = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


@dataclass(frozen=True)
class DownloadNames:
    ascii: str  # e.g. "thaksa-by_unit-DGA-2570.xlsx": safe in every browser and file system
    readable: str  # e.g. "สรุปรายหน่วยงาน DGA 2570.xlsx": what a Thai reader would call it

    def content_disposition(self) -> str:
        """Both names: browsers that know RFC 6266 take the readable one."""
        return f"attachment; filename=\"{self.ascii}\"; filename*=UTF-8''{quote(self.readable, safe='')}"


def download_names(
    *, key: str, title: str, scope_code: str, fiscal_year: int, extension: str
) -> DownloadNames:
    """File names carrying what the file holds: the table (or report), the scope and the
    fiscal year."""
    parts = ["thaksa", key, scope_code, str(fiscal_year)]
    ascii_name = "-".join(filter(None, (_NOT_FILENAME_SAFE.sub("_", part).strip("_") for part in parts)))
    readable = " ".join(_NOT_IN_TITLE.sub(" ", f"{title} {scope_code} {fiscal_year}").split())
    return DownloadNames(f"{ascii_name}.{extension}", f"{readable}.{extension}")
