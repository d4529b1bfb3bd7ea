"""Every spreadsheet the platform hands out (CSV or Excel) is written here, guarded against
formula injection (the reading side is `lms.spreadsheets.reading`).

A spreadsheet runs a cell that starts with = + - or @ as a formula when the file is opened, and
Excel strips a leading tab or carriage return before it looks (OWASP, "CSV Injection"). Learner
names, SCORM responses, question texts and unit names come from users: a learner called
=HYPERLINK("http://x","y") would otherwise be a live link in the reader's Excel. So:

- CSV: a text cell that starts with one of those characters is written behind an apostrophe
  ('=…), which Excel and LibreOffice take as "text" and do not show. Numbers, and text that is
  only a negative number ("-5", "-0.25"), are written as they are: a spreadsheet reads them as
  numbers, never as formulas, and a numeric column stays summable.
- XLSX: cells are typed, so text is stored as a string cell marked quotePrefix (Excel's own
  "text, not a formula", which survives editing the cell) and needs no apostrophe.
- Text that already starts with an apostrophe before one of those characters (or another
  apostrophe) gets one more, in both formats, so `formula_unguard` gives back exactly what was
  written. The question-bank importer relies on that: an exported bank imports unchanged.

Why not the defusedcsv package (Apache-2.0, 3.0.0): it does not guard a leading tab or carriage
return, it rewrites "|" as "\\|" inside the cells it guards (the bank uses "|" between options)
with no way back, and it covers the csv module only, not openpyxl.

Every export uses `csv_bytes` or `xlsx_workbook` + `xlsx_cell`; lms/tests/test_spreadsheet_guard.py
fails if a module writes CSV or builds a workbook any other way.
"""

import csv
import io
import re
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
GUARD = "'"
# Excel keeps at most this many characters in a cell.
XLSX_CELL_TEXT_LIMIT = 32_767

_NEGATIVE_NUMBER = re.compile(r"-[0-9]+(?:\.[0-9]+)?")


def _is_guarded(text: str) -> bool:
    return text.startswith(GUARD) and text[1:].startswith((*FORMULA_TRIGGERS, GUARD))


def formula_guard(text: str) -> str:
    """The text as a CSV cell that no spreadsheet runs as a formula (see the module docstring)."""
    if _NEGATIVE_NUMBER.fullmatch(text):
        return text
    if text.startswith(FORMULA_TRIGGERS) or _is_guarded(text):
        return GUARD + text
    return text


def formula_unguard(text: str) -> str:
    """What was written before `formula_guard`: one apostrophe fewer before a formula-like cell.

    Also right for cells people type: '=x in a spreadsheet means the text =x.
    """
    return text[1:] if _is_guarded(text) else text


def _csv_cell(value: object) -> object:
    if value is None or isinstance(value, int | float | Decimal):
        return value
    return formula_guard(str(value))


def csv_bytes(rows: Iterable[Iterable]) -> bytes:
    """The rows as CSV, every text cell guarded: UTF-8 with a byte order mark, since without it
    Excel reads the file in the legacy Thai code page and every Thai letter turns to mojibake."""
    output = io.StringIO()
    writer = csv.writer(output, lineterminator="\r\n")
    for row in rows:
        writer.writerow([_csv_cell(value) for value in row])
    return output.getvalue().encode("utf-8-sig")


def xlsx_workbook(*, write_only: bool = False) -> Workbook:
    """A new workbook for an export; fill its sheets with `xlsx_cell`s only."""
    return Workbook(write_only=write_only)


def xlsx_cell(sheet: Any, value: object) -> Cell:
    """A cell to `sheet.append` (in a normal or a write-only sheet): numbers and dates as they
    are, text as text that never runs as a formula, without the control characters that make a
    workbook unreadable, cut to Excel's cell limit."""
    cell = WriteOnlyCell(sheet)
    if not isinstance(value, str):
        cell.value = value
        return cell
    text = ILLEGAL_CHARACTERS_RE.sub("", value)
    if _is_guarded(text):
        text = GUARD + text
    cell.value = text[:XLSX_CELL_TEXT_LIMIT]
    if text.startswith(FORMULA_TRIGGERS):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell
