"""Every spreadsheet people upload (the staff, evidence, question-bank and framework files) is
read here: bytes and a file name in, the rows with their spreadsheet row numbers out.

- CSV: UTF-8 with or without a byte-order mark ("CSV UTF-8", Google Sheets), UTF-16 with one
  (Excel's "Unicode text"), else Thai Windows cp874 / TIS-620 (Excel's plain "CSV" on a Thai
  Windows). Valid UTF-8 is tried first: Thai cp874 text is almost never valid UTF-8, while
  UTF-8 Thai always decodes as cp874 garbage. The delimiter is a comma unless the header row
  names more of the expected columns split on a semicolon (Excel in many locales) or a tab
  (copied from a sheet).
- XLSX: the first worksheet's values (not formulas), through openpyxl in read-only mode, after
  a zip-bomb guard: the parts' declared sizes (zipfile never inflates an entry past them)
  must stay under `MAX_UNPACKED_BYTES` and, beyond `RATIO_CHECKED_FROM_BYTES`, under
  `MAX_COMPRESSION_RATIO` times the packed size.
- Rows: a spreadsheet row's number is its position in the sheet (a CSV record spanning lines
  counts once), so an error names the row the person sees. Empty rows are skipped but keep
  their numbers. Cells are text, trimmed of blanks, zero-width spaces and byte-order marks,
  line breaks as "\\n". Thai digits are NOT changed here: numbers, codes and dates go through
  `lms.thai_text.thai_digits_to_arabic` (and `lms.thai_calendar.date_parse`) where they are read, free
  text keeps the digits its author typed.

One set of limits for every import, each checked while reading so that a huge file stops
early: `MAX_FILE_BYTES`, `MAX_ROWS` (below the header), `MAX_COLUMNS`, `MAX_CELL_CHARS`. An
import may ask for fewer rows (the question bank: 2,000 questions). A file that breaks one is
refused with `SpreadsheetRejected`: a translated message saying what to do, and the row.
"""

import codecs
import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import PurePath

from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from lms.spreadsheets.writing import XLSX_CELL_TEXT_LIMIT

EXTENSIONS = (".csv", ".xlsx")
MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
MAX_COLUMNS = 100
# Excel keeps at most this many characters in a cell (the writer's limit too).
MAX_CELL_CHARS = XLSX_CELL_TEXT_LIMIT
# 20,000 rows of a dozen short cells unpack to a few tens of megabytes.
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
# Worksheet XML packs about 5–20 to one; a bomb packs a thousand to one. Small files are not
# judged by their ratio: a sheet of one repeated value packs well and harms nobody.
MAX_COMPRESSION_RATIO = 100
RATIO_CHECKED_FROM_BYTES = 10 * 1024 * 1024
CSV_DELIMITERS = (",", ";", "\t")
# Spreadsheets and Thai text carry zero-width spaces and byte-order marks that nobody can see.
SURROUNDING_BLANKS = re.compile(r"^[\s\u200b\ufeff]+|[\s\u200b\ufeff]+$")
TOKEN_SEPARATORS = re.compile(r"[\s\-]+")
ZIP_SIGNATURE = b"PK\x03\x04"


@dataclass(frozen=True)
class SheetRow:
    """One non-empty row: its number in the spreadsheet (1 = the first row) and its cells."""

    number: int
    cells: list[str]


class SpreadsheetRejected(Exception):
    """The file cannot be read (type, size, encoding, damage, a limit); `row` is 0 when the
    problem is the file as a whole."""

    def __init__(self, message: str, *, row: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.row = row


def cell_clean(text: str) -> str:
    """A cell's text without surrounding blanks, with line breaks as "\\n"."""
    return SURROUNDING_BLANKS.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def column_token(cell: str) -> str:
    """A column name as compared: "Unit Code", "unit-code" and "unit_code" are the same."""
    return TOKEN_SEPARATORS.sub("_", cell_clean(cell).lower())


def spreadsheet_rows(
    *,
    name: str,
    data: bytes,
    columns: Collection[str],
    max_rows: int = MAX_ROWS,
) -> list[SheetRow]:
    """The non-empty rows of a .csv or .xlsx file, header row included.

    `columns` are the column names the import knows (as `column_token` gives them); they pick
    a CSV file's delimiter. `max_rows` counts the rows below the header, at most `MAX_ROWS`.
    """
    extension = PurePath(name).suffix.lower()
    if extension not in EXTENSIONS:
        raise SpreadsheetRejected(
            _(
                "Files of type “%(extension)s” cannot be imported. Save the sheet as an Excel "
                "workbook (.xlsx) or as CSV UTF-8 (.csv) and upload that file."
            )
            % {"extension": extension or _("(no extension)")}
        )
    if len(data) > MAX_FILE_BYTES:
        raise SpreadsheetRejected(file_too_large_message(len(data)))
    if not data.strip():
        return []  # an empty upload, whatever its type: each import says what belongs in it
    cells = _csv_cells(data, columns) if extension == ".csv" else _xlsx_cells(data)
    return _rows_collect(cells, max_rows=min(max_rows, MAX_ROWS))


def file_too_large_message(size: int) -> str:
    """Said as soon as the upload's size is known, before anything is read."""
    return _(
        "The file is larger than %(limit)s, the largest file accepted. Split it into several "
        "smaller files and upload them one after another."
    ) % {"limit": filesizeformat(MAX_FILE_BYTES)}


def csv_text_decode(data: bytes) -> str | None:
    """The text of a CSV (or JSON) file in any of the encodings above, or None."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encodings: tuple[str, ...] = ("utf-16",)
    else:
        encodings = ("utf-8-sig", "cp874")
    for encoding in encodings:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return None if "\x00" in text else text
    return None


def csv_delimiter(text: str, columns: Collection[str]) -> str:
    """Comma, unless the header names more known columns split on a semicolon or a tab."""
    first_line = text.split("\n", 1)[0]

    def known_columns(delimiter: str) -> int:
        cells = next(csv.reader([first_line], delimiter=delimiter), [])
        return sum(column_token(cell) in columns for cell in cells)

    return max(CSV_DELIMITERS, key=known_columns)  # the first (comma) wins a tie


def _csv_cells(data: bytes, columns: Collection[str]) -> Iterator[tuple[int, list[str]]]:
    if data.startswith(ZIP_SIGNATURE):
        raise SpreadsheetRejected(
            _(
                "This file is an Excel workbook, not a CSV file. Rename it to end in .xlsx, "
                "or save it from Excel as CSV UTF-8."
            )
        )
    text = csv_text_decode(data)
    if text is None:
        raise SpreadsheetRejected(
            _(
                "The file is not readable text. Save it from Excel as “CSV UTF-8 (Comma "
                "delimited)”, or download it from Google Sheets as .csv, and upload it again."
            )
        )
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=csv_delimiter(text, columns))
    try:
        yield from enumerate(reader, start=1)
    except csv.Error as error:
        raise SpreadsheetRejected(
            _(
                "The CSV file is damaged near line %(line)s (%(error)s). Open it in Excel or "
                "Google Sheets, save it again as CSV UTF-8 and upload it again."
            )
            % {"line": reader.line_num, "error": error}
        ) from error


def _not_a_workbook() -> SpreadsheetRejected:
    return SpreadsheetRejected(
        _(
            "The file is not a valid Excel workbook (.xlsx). Open it in Excel or Google Sheets, "
            "save or download it again as .xlsx (or as CSV UTF-8) and upload that file."
        )
    )


def xlsx_unpacked_bytes(data: bytes) -> int | None:
    """How large a workbook's parts say they are, or None if it is not a zip at all."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return sum(entry.file_size for entry in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        return None


def _xlsx_guard(data: bytes) -> None:
    """Refuse a workbook that would unpack to too much before openpyxl parses any of it."""
    unpacked = xlsx_unpacked_bytes(data)
    if unpacked is None:
        raise _not_a_workbook()
    too_packed = unpacked > RATIO_CHECKED_FROM_BYTES and unpacked > MAX_COMPRESSION_RATIO * len(data)
    if unpacked > MAX_UNPACKED_BYTES or too_packed:
        raise SpreadsheetRejected(
            _(
                "The workbook unpacks to %(size)s, more than the %(limit)s accepted. Delete "
                "other worksheets, images and formatting, or split the rows into several "
                "files."
            )
            % {
                "size": filesizeformat(unpacked),
                "limit": filesizeformat(min(MAX_UNPACKED_BYTES, MAX_COMPRESSION_RATIO * len(data))),
            }
        )


def _xlsx_cells(data: bytes) -> Iterator[tuple[int, list[str]]]:
    _xlsx_guard(data)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - someone else's file: any failure means "not a workbook"
        raise _not_a_workbook() from None
    try:
        if not workbook.worksheets:
            raise _not_a_workbook()
        sheet = workbook.worksheets[0]
        # Some tools write a wrong size into the sheet, and read-only mode would cut rows to it.
        sheet.reset_dimensions()  # type: ignore[union-attr]
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, [xlsx_cell_text(value) for value in values]
    except SpreadsheetRejected:
        raise
    except Exception:  # noqa: BLE001 - rows are parsed lazily, so damage can surface here too
        raise _not_a_workbook() from None
    finally:
        workbook.close()


def xlsx_cell_text(value: object) -> str:
    """A worksheet cell as the text the person sees: 2.0 → "2", TRUE → "true", a date cell
    (Excel stores it as midnight) → "2026-03-31"."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return format(Decimal(repr(value)), "f")  # repr is the shortest exact text; no 1e-05
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        return value.date().isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


def _rows_collect(cells: Iterable[tuple[int, list[str]]], *, max_rows: int) -> list[SheetRow]:
    """The rows with something in them, cleaned; stops at the first row beyond a limit."""
    rows: list[SheetRow] = []
    for number, raw in cells:
        cleaned = [cell_clean(cell) for cell in raw]
        while cleaned and not cleaned[-1]:
            cleaned.pop()
        if not cleaned:
            continue
        if len(cleaned) > MAX_COLUMNS:
            raise SpreadsheetRejected(
                _("Row %(row)s has %(count)s columns; at most %(limit)s are read. Delete the extra columns.")
                % {"row": number, "count": len(cleaned), "limit": MAX_COLUMNS},
                row=number,
            )
        for position, cell in enumerate(cleaned):
            if len(cell) > MAX_CELL_CHARS:
                raise SpreadsheetRejected(
                    _(
                        "Cell %(cell)s holds %(length)s characters; a spreadsheet cell holds at most "
                        "%(limit)s. Shorten the text."
                    )
                    % {
                        "cell": f"{get_column_letter(position + 1)}{number}",
                        "length": f"{len(cell):,}",
                        "limit": f"{MAX_CELL_CHARS:,}",
                    },
                    row=number,
                )
        rows.append(SheetRow(number=number, cells=cleaned))
        if len(rows) > max_rows + 1:  # the header and max_rows rows
            raise SpreadsheetRejected(
                _(
                    "The file has more than %(limit)s rows below the column names. Split it into "
                    "files of at most %(limit)s rows each and import them one after another."
                )
                % {"limit": f"{max_rows:,}"}
            )
    return rows


def cells_by_column(header: dict[int, str], row: SheetRow) -> dict[str, str]:
    """A row's cells under the column names of `header` (position → name); a missing cell is ""."""
    cells = row.cells
    return {column: (cells[position] if position < len(cells) else "") for position, column in header.items()}
