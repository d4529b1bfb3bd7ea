"""Question bank files: the CSV and XLSX format partners author in Excel or Google Sheets.

A university writes hundreds of questions in a spreadsheet, one question per row, and uploads
it; later it downloads the bank in the same format, edits it and uploads it again. So reading
and writing are exact inverses (`bank_file_read(bank_file_write_csv(rows))` gives `rows` back,
apart from the row numbers), and reading never stops at the first mistake: every problem in
every row is reported with the spreadsheet's own row number and the column, saying what is
wrong and what to write instead. The import service refuses the whole file if there is any
problem, so the author fixes the file and uploads it again; a half-imported bank helps nobody.

This module only turns bytes into `QuestionRow`s and back. It touches no database: the service
that stores the questions is elsewhere. The format is documented for authors in
`docs/question-bank-format.md`; keep the two in step.
"""

import codecs
import csv
import datetime
import io
import re
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import PurePath

from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from assessments.question_kinds import (
    PARTIAL_CREDIT_KINDS,
    SURVEY_KINDS,
    Difficulty,
    PartialCredit,
    QuestionKind,
)
from lms.spreadsheets import csv_bytes, formula_unguard, xlsx_cell, xlsx_workbook


@dataclass
class OptionRow:
    """One option of a choice question, one pair of a matching question, one item to order,
    or one label of a rating scale."""

    text: str
    is_correct: bool = False  # single/multiple
    match_text: str = ""  # matching: the right side


@dataclass
class QuestionRow:
    """One question as a bank file holds it: plain values, already checked."""

    row: int  # the spreadsheet's row number (the header is row 1)
    kind: str  # a QuestionKind value
    text: str
    topic: str = ""
    difficulty: str = "medium"  # a Difficulty value
    points: Decimal = Decimal("1")
    # single/multiple: the options; matching: the pairs (an empty `text` is an extra right side);
    # ordering: the items in the correct order; likert: custom scale labels (empty = the default)
    options: list[OptionRow] = field(default_factory=list)
    true_false_answer: bool | None = None
    numeric_answer: Decimal | None = None
    tolerance: Decimal = Decimal("0")
    accepted_answers: list[str] = field(default_factory=list)
    case_sensitive: bool = False
    partial_credit: str = "all_or_nothing"
    feedback_correct: str = ""
    feedback_incorrect: str = ""
    explanation: str = ""
    # Competency references "FRAMEWORKCODE:NODECODE", as written (the import service finds the
    # competencies: the framework's current version, else its latest).
    competencies: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class RowProblem:
    """Something the author must fix: where it is, and what to write instead."""

    row: int  # 1 = the header; 0 = the file as a whole
    column: str  # "" when it is about the whole row or file
    message: str  # translated, says what is wrong AND what to write instead


# The export column order; on import the order is free.
COLUMNS: tuple[str, ...] = (
    "kind",
    "text",
    "topic",
    "difficulty",
    "points",
    "options",
    "correct",
    "partial_credit",
    "tolerance",
    "case_sensitive",
    "feedback_correct",
    "feedback_incorrect",
    "explanation",
    "competencies",
)
REQUIRED_COLUMNS = ("kind", "text")
MAX_ROWS = 2000
MAX_FILE_BYTES = 5 * 1024 * 1024
# An .xlsx is a zip: 5 MB of it could inflate to gigabytes. Real banks of MAX_ROWS questions
# unpack to a few megabytes, so anything beyond this is refused before openpyxl parses it.
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
# Points are stored with two decimals; more would be rounded away silently by the database.
POINTS_MAX = Decimal("1000")
POINTS_DECIMAL_PLACES = 2
# Excel keeps at most this many characters in a cell (openpyxl cuts longer text silently), so a
# longer cell could not be exported and imported again unchanged.
MAX_CELL_CHARS = 32_767
# What the database holds (assessments/models.py, not imported: this module stays model-free).
TOPIC_MAX_CHARS = 100
OPTION_MAX_CHARS = 500
NUMBER_DECIMAL_PLACES = 6  # numeric answers and tolerances
NUMBER_INTEGER_DIGITS = 12
MIN_OPTIONS = 2
LIKERT_MIN_LABELS = 2
LIKERT_MAX_LABELS = 10

# Which kinds use a column; for the others the cell must be empty.
COLUMN_KINDS: dict[str, frozenset[str]] = {
    "options": frozenset(
        {
            QuestionKind.SINGLE,
            QuestionKind.MULTIPLE,
            QuestionKind.MATCHING,
            QuestionKind.ORDERING,
            QuestionKind.LIKERT,
        }
    ),
    "correct": frozenset(
        {
            QuestionKind.SINGLE,
            QuestionKind.MULTIPLE,
            QuestionKind.TRUE_FALSE,
            QuestionKind.NUMERIC,
            QuestionKind.SHORT_TEXT,
        }
    ),
    "partial_credit": PARTIAL_CREDIT_KINDS,
    "tolerance": frozenset({QuestionKind.NUMERIC}),
    "case_sensitive": frozenset({QuestionKind.SHORT_TEXT}),
}

# Words authors write, Thai beside English, lower-cased.
DIFFICULTY_WORDS = {
    "easy": Difficulty.EASY.value,
    "medium": Difficulty.MEDIUM.value,
    "hard": Difficulty.HARD.value,
    "ง่าย": Difficulty.EASY.value,
    "ปานกลาง": Difficulty.MEDIUM.value,
    "ยาก": Difficulty.HARD.value,
}
TRUE_FALSE_WORDS = {
    **dict.fromkeys(("true", "t", "1", "จริง", "ถูก"), True),
    **dict.fromkeys(("false", "f", "0", "เท็จ", "ผิด"), False),
}
YES_NO_WORDS = {
    **dict.fromkeys(("yes", "y", "true", "1", "ใช่"), True),
    **dict.fromkeys(("no", "n", "false", "0", "ไม่ใช่"), False),
}

OPTION_SEPARATOR = "|"
COMPETENCY_SEPARATOR = ";"
COMPETENCY_CODE_SEPARATOR = ":"
PAIR_ARROW = "=>"
ESCAPE = "\\"

CSV_DELIMITERS = (",", ";", "\t")
THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
# Digits with "," grouping thousands, or plain digits; a dot for decimals.
NUMBER_PATTERN = re.compile(r"[+-]?(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?|[+-]?\.[0-9]+")
OPTION_NUMBER_PATTERN = re.compile(r"[0-9]+(?:\.0+)?")
OPTION_NUMBERS_SEPARATORS = re.compile(r"[,;\s]+")
# Spreadsheets and Thai text carry zero-width spaces and byte-order marks that nobody can see.
SURROUNDING_BLANKS = re.compile(r"^[\s\u200b\ufeff]+|[\s\u200b\ufeff]+$")
TOKEN_SEPARATORS = re.compile(r"[\s\-]+")
# A run of backslashes the importer would read as escapes: two or more, or one before "|",
# "=>" or the end of the item.
AMBIGUOUS_BACKSLASHES = re.compile(r"\\{2,}|\\(?=\||=>|\Z)")

XLSX_WIDTHS = {
    "kind": 14,
    "text": 60,
    "topic": 20,
    "difficulty": 12,
    "points": 8,
    "options": 50,
    "correct": 16,
    "partial_credit": 18,
    "tolerance": 10,
    "case_sensitive": 14,
    "feedback_correct": 36,
    "feedback_incorrect": 36,
    "explanation": 44,
    "competencies": 24,
}
XLSX_CHOICES = {
    "kind": QuestionKind.values,
    "difficulty": Difficulty.values,
    "partial_credit": PartialCredit.values,
}

# One spreadsheet row as read: its number and its cells as trimmed text.
RawRow = tuple[int, list[str]]


# Reading ----------------------------------------------------------------------------------


def bank_file_read(name: str, data: bytes) -> tuple[list[QuestionRow], list[RowProblem]]:
    """Read a .csv or .xlsx question bank: the questions that are right, and every problem.

    The service imports nothing unless the problem list is empty.
    """
    extension = PurePath(name).suffix.lower()
    problems = _file_problems(extension, data)
    if problems:
        return [], problems
    if extension == ".csv":
        table, problems = _csv_table(data)
    else:
        table, problems = _xlsx_table(data)
    if problems:
        return [], problems
    return _table_parse(table)


def _file_problems(extension: str, data: bytes) -> list[RowProblem]:
    """What is wrong with the file before looking inside it."""
    problems = []
    if extension not in (".csv", ".xlsx"):
        problems.append(
            _file_problem(
                _(
                    "Files of type “%(extension)s” cannot be imported. Save the sheet as an "
                    "Excel workbook (.xlsx) or as CSV UTF-8 (.csv) and upload that file."
                )
                % {"extension": extension or _("(no extension)")}
            )
        )
    if len(data) > MAX_FILE_BYTES:
        problems.append(
            _file_problem(
                _(
                    "The file is %(size)s; the largest file accepted is %(limit)s. Split the "
                    "questions into several smaller files."
                )
                % {"size": filesizeformat(len(data)), "limit": filesizeformat(MAX_FILE_BYTES)}
            )
        )
    elif not data.strip():
        problems.append(_empty_file_problem())
    return problems


def _file_problem(message: str) -> RowProblem:
    return RowProblem(row=0, column="", message=message)


def _empty_file_problem() -> RowProblem:
    return _file_problem(
        _(
            "The file is empty. Write the column names in row 1 and one question per row "
            "below it, then upload the file again."
        )
    )


def _csv_table(data: bytes) -> tuple[list[RawRow], list[RowProblem]]:
    """The non-empty rows of a CSV file, however Excel or Google Sheets saved it."""
    if data.startswith(b"PK\x03\x04"):
        return [], [
            _file_problem(
                _(
                    "This file is an Excel workbook, not a CSV file. Rename it to end in .xlsx, "
                    "or save it from Excel as CSV UTF-8."
                )
            )
        ]
    text = _csv_decode(data)
    if text is None:
        return [], [
            _file_problem(
                _(
                    "The file is not readable text. Save it from Excel as “CSV UTF-8 (Comma "
                    "delimited)”, or download it from Google Sheets as .csv, and upload it again."
                )
            )
        ]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_csv_delimiter(text))
    try:
        return _rows_collect(enumerate(reader, start=1))
    except csv.Error as error:
        return [], [
            _file_problem(
                _(
                    "The CSV file is damaged near line %(line)s (%(error)s). Open it in Excel or "
                    "Google Sheets, save it again as CSV UTF-8 and upload it again."
                )
                % {"line": reader.line_num, "error": error}
            )
        ]


def _csv_decode(data: bytes) -> str | None:
    """The file's text: UTF-8 (with or without a BOM), else Thai Windows (cp874).

    Excel's plain "CSV" on a Thai Windows saves cp874; "CSV UTF-8" and Google Sheets save UTF-8.
    Excel's "Unicode text" is UTF-16 with a BOM. Valid UTF-8 is tried first because Thai cp874
    text is almost never valid UTF-8, while UTF-8 Thai is always "valid" cp874 garbage.
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encodings = ("utf-16",)
    else:
        encodings = ("utf-8-sig", "cp874")
    for encoding in encodings:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return None if "\x00" in text else text
    return None


def _csv_delimiter(text: str) -> str:
    """Comma, unless the header reads better split on semicolons or tabs.

    Excel in many locales saves "CSV" with semicolons, and copying from a sheet gives tabs.
    """
    first_line = text.split("\n", 1)[0]

    def known_columns(delimiter: str) -> int:
        cells = next(csv.reader([first_line], delimiter=delimiter), [])
        return sum(_token(cell) in COLUMNS for cell in cells)

    return max(CSV_DELIMITERS, key=known_columns)  # the first (comma) wins a tie


def _xlsx_table(data: bytes) -> tuple[list[RawRow], list[RowProblem]]:
    """The non-empty rows of the first worksheet, as the cells' values (not their formulas)."""
    not_a_workbook = _file_problem(
        _(
            "The file is not a valid Excel workbook (.xlsx). Open it in Excel or Google Sheets, "
            "save or download it again as .xlsx (or as CSV UTF-8) and upload that file."
        )
    )
    unpacked = _xlsx_unpacked_bytes(data)
    if unpacked is None:
        return [], [not_a_workbook]
    if unpacked > MAX_UNPACKED_BYTES:
        return [], [
            _file_problem(
                _(
                    "The workbook unpacks to %(size)s, more than the %(limit)s accepted. Delete "
                    "other worksheets, images and formatting, or split the questions into "
                    "several files."
                )
                % {"size": filesizeformat(unpacked), "limit": filesizeformat(MAX_UNPACKED_BYTES)}
            )
        ]
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - someone else's file: any failure means "not a workbook"
        return [], [not_a_workbook]
    try:
        if not workbook.worksheets:
            return [], [not_a_workbook]
        sheet = workbook.worksheets[0]
        # Some tools write a wrong size into the sheet, and read-only mode would cut rows to it.
        sheet.reset_dimensions()
        rows = (
            (number, [_cell_text(value) for value in values])
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1)
        )
        return _rows_collect(rows)
    except Exception:  # noqa: BLE001 - rows are parsed lazily, so damage can surface here too
        return [], [not_a_workbook]
    finally:
        workbook.close()


def _xlsx_unpacked_bytes(data: bytes) -> int | None:
    """How large the workbook's parts say they are, or None if it is not a zip at all.

    zipfile stops every entry at its declared size, so the declared sizes bound the memory used.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return sum(entry.file_size for entry in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        return None


def _cell_text(value: object) -> str:
    """A worksheet cell as the text the author sees: 2.0 → "2", TRUE → "true"."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return _decimal_text(Decimal(repr(value)))  # repr is the shortest exact text; no 1e-05
    if isinstance(value, datetime.datetime) and value.time() == datetime.time():
        return value.date().isoformat()  # Excel stores dates as midnight
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return str(value)


def _rows_collect(rows: Iterable[tuple[int, Iterable[str]]]) -> tuple[list[RawRow], list[RowProblem]]:
    """The rows with something in them, trimmed; stops as soon as there are too many."""
    table: list[RawRow] = []
    for number, cells in rows:
        cleaned = [_clean(cell) for cell in cells]
        if not any(cleaned):
            continue  # blank rows separate groups of questions; they keep their numbers
        table.append((number, cleaned))
        if len(table) > MAX_ROWS + 1:  # the header and MAX_ROWS questions
            return [], [
                _file_problem(
                    _(
                        "The file has more than %(limit)s questions. Split it into files of at "
                        "most %(limit)s questions each."
                    )
                    % {"limit": MAX_ROWS}
                )
            ]
    return table, []


def _clean(cell: str) -> str:
    """One cell's text without surrounding blanks and with line breaks as "\\n"."""
    return SURROUNDING_BLANKS.sub("", cell.replace("\r\n", "\n").replace("\r", "\n"))


def _token(value: str) -> str:
    """A keyword as written, in the form compared: "Short Text" → "short_text"."""
    return TOKEN_SEPARATORS.sub("_", _clean(value).lower())


# Rows -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Header:
    """Where each known column is; `ignored` columns were already reported in row 1."""

    positions: dict[int, str]
    ignored: frozenset[int]


class _Report:
    """Collects the problems of one row, so every cell is checked even after one is wrong."""

    def __init__(self, row: int) -> None:
        self.row = row
        self.problems: list[RowProblem] = []

    def add(self, column: str, message: str) -> None:
        self.problems.append(RowProblem(row=self.row, column=column, message=message))


def _table_parse(table: list[RawRow]) -> tuple[list[QuestionRow], list[RowProblem]]:
    """Header, then every question row; a row is returned only if nothing in it is wrong."""
    if not table:
        return [], [_empty_file_problem()]
    header_number, header_cells = table[0]
    header, problems = (None, [_no_header_problem()]) if header_number != 1 else _header_parse(header_cells)
    if header is None:
        return [], problems
    body = table[1:]
    if not body:
        problems.append(
            _file_problem(
                _(
                    "The file has column names but no questions. Write one question per row, "
                    "starting in row 2."
                )
            )
        )
    questions = []
    for number, cells in body:
        report = _Report(number)
        values = _record(header, cells, report)
        question = _question_parse(values, report)
        problems.extend(report.problems)
        if not report.problems:
            questions.append(question)
    return questions, problems


def _no_header_problem() -> RowProblem:
    return RowProblem(
        row=1,
        column="",
        message=_(
            "Row 1 must hold the column names, for example: kind, text, options, correct. "
            "Put them in row 1 and the questions below."
        ),
    )


def _header_parse(cells: list[str]) -> tuple[_Header | None, list[RowProblem]]:
    """Which column is which. None if the rows cannot be read (a required column is missing).

    Unknown and repeated columns are reported, but the rows are still checked so the author
    sees every problem in one upload.
    """
    tokens = [_token(cell) for cell in cells]
    if not any(token in COLUMNS for token in tokens):
        return None, [_no_header_problem()]
    report = _Report(1)
    positions: dict[int, str] = {}
    first_position: dict[str, int] = {}
    ignored = set()
    for index, (cell, token) in enumerate(zip(cells, tokens, strict=True)):
        if not cell:
            continue
        if token not in COLUMNS:
            ignored.add(index)
            report.add(
                cell,
                _(
                    "“%(name)s” is not a column of a question bank. Rename it to one of: "
                    "%(columns)s; or delete the column."
                )
                % {"name": cell, "columns": ", ".join(COLUMNS)},
            )
        elif token in first_position:
            ignored.add(index)
            report.add(
                token,
                _(
                    "The %(column)s column appears twice (columns %(first)s and %(second)s). "
                    "Keep one of them and delete the other."
                )
                % {
                    "column": token,
                    "first": get_column_letter(first_position[token] + 1),
                    "second": get_column_letter(index + 1),
                },
            )
        else:
            positions[index] = token
            first_position[token] = index
    missing = [column for column in REQUIRED_COLUMNS if column not in first_position]
    for column in missing:
        report.add(
            column,
            _("The %(column)s column is missing. Add a column with %(column)s in row 1.")
            % {"column": column},
        )
    header = None if missing else _Header(positions=positions, ignored=frozenset(ignored))
    return header, report.problems


def _record(header: _Header, cells: list[str], report: _Report) -> dict[str, str]:
    """A row's cells by column name, every column present ("" when empty or absent)."""
    values = dict.fromkeys(COLUMNS, "")
    for index, cell in enumerate(cells):
        if index in header.positions:
            column = header.positions[index]
            # Export guards formula-like text (lms.spreadsheets); an author may type '=… too.
            values[column] = formula_unguard(cell)
            if len(cell) > MAX_CELL_CHARS:
                report.add(
                    column,
                    _(
                        "This cell holds %(length)s characters; a spreadsheet cell holds at most "
                        "%(limit)s. Shorten the text."
                    )
                    % {"length": len(cell), "limit": MAX_CELL_CHARS},
                )
        elif cell and index not in header.ignored:
            report.add(
                "",
                _(
                    "Column %(letter)s has a value but no column name in row 1. Name the column "
                    "in row 1 or delete the value."
                )
                % {"letter": get_column_letter(index + 1)},
            )
    return values


def _question_parse(values: dict[str, str], report: _Report) -> QuestionRow:
    """One question from its cells; what is wrong goes to `report`."""
    kind = _kind_read(values["kind"], report)
    question = QuestionRow(
        row=report.row,
        kind=kind or values["kind"],
        text=_text_read(values["text"], report),
        topic=_topic_read(values["topic"], report),
        difficulty=_difficulty_read(values["difficulty"], report),
        feedback_correct=values["feedback_correct"],
        feedback_incorrect=values["feedback_incorrect"],
        explanation=values["explanation"],
        competencies=_competencies_read(values["competencies"], report),
    )
    if kind not in SURVEY_KINDS:  # surveys are never graded: their points are not used
        question.points = _points_read(values["points"], report)
    if kind is None:
        return question  # what the other cells must hold depends on the kind
    _unused_columns_check(kind, values, report)
    if kind in PARTIAL_CREDIT_KINDS:
        question.partial_credit = _partial_credit_read(values["partial_credit"], report)
    KIND_READERS[kind](question, values, report)
    return question


def _kind_read(value: str, report: _Report) -> str | None:
    token = _token(value)
    if token in QuestionKind.values:
        return token
    kinds = ", ".join(QuestionKind.values)
    if not value:
        report.add("kind", _("The kind is empty. Write one of: %(kinds)s.") % {"kinds": kinds})
    else:
        report.add(
            "kind",
            _("“%(value)s” is not a question kind. Write one of: %(kinds)s.")
            % {"value": value, "kinds": kinds},
        )
    return None


def _text_read(value: str, report: _Report) -> str:
    if not value:
        report.add("text", _("The question text is empty. Write the question in the text column."))
    return value


def _topic_read(value: str, report: _Report) -> str:
    if len(value) > TOPIC_MAX_CHARS:
        report.add(
            "topic",
            _("The topic is %(length)s characters long; write at most %(limit)s.")
            % {"length": len(value), "limit": TOPIC_MAX_CHARS},
        )
    return value


def _competencies_read(value: str, report: _Report) -> list[str]:
    """The competency references of a cell, each "FRAMEWORKCODE:NODECODE", separated by ";"."""
    references: list[str] = []
    for written in value.split(COMPETENCY_SEPARATOR):
        written = _clean(written)
        if not written:
            continue
        framework, _colon, node = (_clean(part) for part in written.partition(COMPETENCY_CODE_SEPARATOR))
        if not framework or not node or any(character.isspace() for character in framework):
            report.add(
                "competencies",
                _(
                    "“%(value)s” is not a competency reference. Write the framework's code and the "
                    "competency's code joined by a colon, for example DIGCOMP:1.1, and separate "
                    "several with ; (for example DIGCOMP:1.1; DIGCOMP:4.2)."
                )
                % {"value": written},
            )
            continue
        reference = f"{framework}{COMPETENCY_CODE_SEPARATOR}{node}"
        if reference not in references:
            references.append(reference)
    return references


def _difficulty_read(value: str, report: _Report) -> str:
    if not value:
        return Difficulty.MEDIUM.value
    difficulty = DIFFICULTY_WORDS.get(_token(value))
    if difficulty is None:
        report.add(
            "difficulty",
            _(
                "“%(value)s” is not a difficulty. Write easy, medium or hard (or ง่าย, ปานกลาง, "
                "ยาก), or leave it empty for medium."
            )
            % {"value": value},
        )
        return Difficulty.MEDIUM.value
    return difficulty


def _points_read(value: str, report: _Report) -> Decimal:
    if not value:
        return Decimal("1")
    points = _decimal_read(value)
    if (
        points is None
        or not Decimal("0") < points <= POINTS_MAX
        or _decimal_places(points) > POINTS_DECIMAL_PLACES
    ):
        report.add(
            "points",
            _(
                "“%(value)s” is not a number of points. Write a number above 0 and at most "
                "%(max)s, with at most two decimals, for example 1 or 2.5; or leave it empty for 1."
            )
            % {"value": value, "max": POINTS_MAX},
        )
        return Decimal("1")
    return points


def _partial_credit_read(value: str, report: _Report) -> str:
    if not value:
        return PartialCredit.ALL_OR_NOTHING.value
    token = _token(value)
    if token in PartialCredit.values:
        return token
    report.add(
        "partial_credit",
        _(
            "“%(value)s” is not a partial-credit rule. Write all_or_nothing, right_minus_wrong "
            "or per_option, or leave it empty for all_or_nothing."
        )
        % {"value": value},
    )
    return PartialCredit.ALL_OR_NOTHING.value


def _unused_columns_check(kind: str, values: dict[str, str], report: _Report) -> None:
    """Cells this kind has no use for must be empty: a value there is a mistake somewhere."""
    for column, kinds in COLUMN_KINDS.items():
        if values[column] and kind not in kinds:
            report.add(column, _unused_column_message(kind, column))


def _unused_column_message(kind: str, column: str) -> str:
    """Why the cell must be empty, and where that information goes instead."""
    specific = {
        ("options", QuestionKind.TRUE_FALSE): _(
            "Questions of kind true_false have no options: leave options empty and write true or "
            "false in the correct column."
        ),
        ("options", QuestionKind.NUMERIC): _(
            "Questions of kind numeric have no options: leave options empty and write the answer "
            "number in the correct column."
        ),
        ("options", QuestionKind.SHORT_TEXT): _(
            "Questions of kind short_text have no options: leave options empty and write the "
            "accepted answers in the correct column, separated by |."
        ),
        ("correct", QuestionKind.MATCHING): _(
            "Questions of kind matching take their answer from the pairs in options "
            "(left => right): leave correct empty."
        ),
        ("correct", QuestionKind.ORDERING): _(
            "Questions of kind ordering take their answer from the order of the options: write "
            "the options in the correct order and leave correct empty."
        ),
    }
    if (column, kind) in specific:
        return specific[column, kind]
    general = {
        "options": _("Questions of kind %(kind)s have no options: leave the options cell empty."),
        "correct": _(
            "Questions of kind %(kind)s are survey questions with no correct answer: leave the "
            "correct cell empty."
        ),
        "partial_credit": _(
            "Partial credit applies only to kinds multiple, matching and ordering: leave "
            "partial_credit empty for a question of kind %(kind)s."
        ),
        "tolerance": _(
            "Tolerance applies only to kind numeric: leave tolerance empty for a question of kind %(kind)s."
        ),
        "case_sensitive": _(
            "case_sensitive applies only to kind short_text: leave it empty for a question of kind %(kind)s."
        ),
    }
    return general[column] % {"kind": kind}


# Kinds ------------------------------------------------------------------------------------


def _single_read(question: QuestionRow, values: dict[str, str], report: _Report) -> None:
    texts = _choices_read(values["options"], report)
    if texts is None:
        return  # the correct number can only be checked against valid options
    correct = _option_number_read(values["correct"], len(texts), report)
    question.options = [OptionRow(text, is_correct=number == correct) for number, text in enumerate(texts, 1)]


def _multiple_read(question: QuestionRow, values: dict[str, str], report: _Report) -> None:
    texts = _choices_read(values["options"], report)
    if texts is None:
        return
    correct = _option_numbers_read(values["correct"], len(texts), report)
    question.options = [OptionRow(text, is_correct=number in correct) for number, text in enumerate(texts, 1)]


def _true_false_read(question: QuestionRow, values: dict[str, str], report: _Report) -> None:
    value = values["correct"]
    answer = TRUE_FALSE_WORDS.get(_token(value).translate(THAI_DIGITS))
    if answer is None:
        message = _("Write true or false in the correct column (or จริง / เท็จ).")
        if value:
            message = _("“%(value)s” is not true or false. Write true or false (or จริง / เท็จ).") % {
                "value": value
            }
        report.add("correct", message)
    question.true_false_answer = answer


def _matching_read(question: QuestionRow, values: dict[str, str], report: _Report) -> None:
    pairs = _pairs_read(values["options"], report)
    if pairs is None:
        return
    if sum(bool(pair.text) for pair in pairs) < MIN_OPTIONS:
        report.add(
            "options",
            _(
                "A question of kind matching needs at least 2 pairs in the options column, each "
                "written left => right and separated by |, for example: ช้าง => elephant | "
                "แมว => cat."
            ),
        )
        return
    if not _duplicates_report([pair.text for pair in pairs if pair.text], report, _same_left_message):
        question.options = pairs


def _pairs_read(cell: str, report: _Report) -> list[OptionRow] | None:
    """The pairs `left => right` of a matching question (`=> right`: an extra right side)."""
    pairs = []
    wrong = False
    for number, parts in enumerate(_items_split(cell), 1):
        left, right = parts[0].strip(), PAIR_ARROW.join(parts[1:]).strip()
        if len(parts) > 1 and right:
            pairs.append(OptionRow(left, match_text=right))
            wrong = _too_long_report(number, left, report) or wrong
            wrong = _too_long_report(number, right, report) or wrong
            continue
        wrong = True
        if len(parts) > 1:
            message = _(
                "Pair %(number)s has nothing after =>. Write the matching answer on the right, "
                "for example ช้าง => elephant."
            ) % {"number": number}
        elif left:
            message = _(
                "Pair %(number)s (“%(text)s”) has no =>. Write each pair as left => right, or as "
                "=> right for an extra answer that matches nothing."
            ) % {"number": number, "text": left}
        else:
            message = _empty_item_message(number)
        report.add("options", message)
    return None if wrong else pairs


def _same_left_message(first: int, second: int, text: str) -> str:
    return _(
        "Pairs %(first)s and %(second)s have the same left side (“%(text)s”). Make every left side different."
    ) % {"first": first, "second": second, "text": text}


def _ordering_read(question: QuestionRow, values: dict[str, str], report: _Report) -> None:
    items = _items_read(values["options"], report)
    if items is None:
        return
    if len(items) < MIN_OPTIONS:
        report.add(
            "options",
            _(
                "A question of kind ordering needs at least 2 items in the options column, in the "
                "correct order and separated by |, for example: วางแผน | ลงมือทำ | ตรวจสอบ | ปรับปรุง."
            ),
        )
        return
    if not _duplicates_report(items, report, _same_options_message):
        question.options = [OptionRow(item) for item in items]


def _numeric_read(question: QuestionRow, values: dict[str, str], report: _Report) -> None:
    value = values["correct"]
    answer = _decimal_read(value)
    if answer is None:
        message = _(
            "A question of kind numeric needs its answer: write a number in the correct column, "
            "for example 12.5."
        )
        if value:
            message = _(
                "“%(value)s” is not a number. Write the answer as a number, for example 12.5 or "
                "-3 (a dot for decimals)."
            ) % {"value": value}
        report.add("correct", message)
    elif not _number_fits(answer):
        report.add("correct", _too_many_digits_message(value))
    question.numeric_answer = answer
    question.tolerance = _tolerance_read(values["tolerance"], report)


def _tolerance_read(value: str, report: _Report) -> Decimal:
    if not value:
        return Decimal("0")
    tolerance = _decimal_read(value)
    if tolerance is None or tolerance < 0:
        report.add(
            "tolerance",
            _(
                "“%(value)s” is not a tolerance. Write a number of 0 or more, for example 0.5 "
                "(answers within 0.5 of the correct one count as right), or leave it empty for "
                "an exact answer."
            )
            % {"value": value},
        )
        return Decimal("0")
    if not _number_fits(tolerance):
        report.add("tolerance", _too_many_digits_message(value))
    return tolerance


def _number_fits(value: Decimal) -> bool:
    """Whether the database keeps the number exactly (it would round more decimals away)."""
    return (
        _decimal_places(value) <= NUMBER_DECIMAL_PLACES and abs(value) < Decimal(10) ** NUMBER_INTEGER_DIGITS
    )


def _too_many_digits_message(value: str) -> str:
    return _(
        "“%(value)s” has too many digits. Write at most %(places)s decimals and %(digits)s digits "
        "before the decimal point."
    ) % {"value": value, "places": NUMBER_DECIMAL_PLACES, "digits": NUMBER_INTEGER_DIGITS}


def _short_text_read(question: QuestionRow, values: dict[str, str], report: _Report) -> None:
    answers = []
    for number, parts in enumerate(_items_split(values["correct"]), 1):
        answer = PAIR_ARROW.join(parts).strip()
        if not answer:
            report.add(
                "correct",
                _("Accepted answer %(number)s is empty. Remove the extra | or write the answer.")
                % {"number": number},
            )
        elif "\n" in answer:
            report.add(
                "correct",
                _(
                    "Accepted answer %(number)s has a line break. Write every accepted answer on "
                    "one line, separated by |."
                )
                % {"number": number},
            )
        answers.append(answer)
    if not answers:
        report.add(
            "correct",
            _(
                "A question of kind short_text needs at least one accepted answer in the correct "
                "column; separate several with |, for example: กรุงเทพมหานคร | กรุงเทพฯ | Bangkok."
            ),
        )
    question.accepted_answers = answers
    question.case_sensitive = _yes_no_read(values["case_sensitive"], report)


def _yes_no_read(value: str, report: _Report) -> bool:
    if not value:
        return False
    answer = YES_NO_WORDS.get(_token(value).translate(THAI_DIGITS))
    if answer is None:
        report.add(
            "case_sensitive",
            _(
                "“%(value)s” is not yes or no. Write yes if capital and small letters must match "
                "exactly, no if they need not, or leave it empty for no."
            )
            % {"value": value},
        )
        return False
    return answer


def _likert_read(question: QuestionRow, values: dict[str, str], report: _Report) -> None:
    labels = _items_read(values["options"], report)
    if labels is None or not labels:
        return  # no labels: the default five-point scale
    if not LIKERT_MIN_LABELS <= len(labels) <= LIKERT_MAX_LABELS:
        report.add(
            "options",
            _(
                "A rating scale needs %(min)s to %(max)s labels separated by |, for example: "
                "ไม่เห็นด้วยอย่างยิ่ง | ไม่เห็นด้วย | เฉยๆ | เห็นด้วย | เห็นด้วยอย่างยิ่ง; or leave "
                "options empty for the standard 5-point scale."
            )
            % {"min": LIKERT_MIN_LABELS, "max": LIKERT_MAX_LABELS},
        )
        return
    if not _duplicates_report(labels, report, _same_options_message):
        question.options = [OptionRow(label) for label in labels]


def _free_text_read(question: QuestionRow, values: dict[str, str], report: _Report) -> None:
    """Free text has nothing beyond the common columns (all checked already)."""


KIND_READERS: dict[str, Callable[[QuestionRow, dict[str, str], _Report], None]] = {
    QuestionKind.SINGLE: _single_read,
    QuestionKind.MULTIPLE: _multiple_read,
    QuestionKind.TRUE_FALSE: _true_false_read,
    QuestionKind.MATCHING: _matching_read,
    QuestionKind.ORDERING: _ordering_read,
    QuestionKind.NUMERIC: _numeric_read,
    QuestionKind.SHORT_TEXT: _short_text_read,
    QuestionKind.LIKERT: _likert_read,
    QuestionKind.FREE_TEXT: _free_text_read,
}


# Cells ------------------------------------------------------------------------------------


def _choices_read(cell: str, report: _Report) -> list[str] | None:
    """The options of a single or multiple question: at least two, all different."""
    texts = _items_read(cell, report)
    if texts is None:
        return None
    if len(texts) < MIN_OPTIONS:
        report.add(
            "options",
            _(
                "A choice question needs at least 2 options in the options column, separated by "
                "|, for example: เชียงใหม่ | ขอนแก่น | ภูเก็ต."
            ),
        )
        return None
    if _duplicates_report(texts, report, _same_options_message):
        return None
    return texts


def _items_read(cell: str, report: _Report) -> list[str] | None:
    """A cell's items separated by "|", or None (reported) if one of them is empty."""
    items = [PAIR_ARROW.join(parts).strip() for parts in _items_split(cell)]
    wrong = False
    for number, item in enumerate(items, 1):
        if not item:
            report.add("options", _empty_item_message(number))
            wrong = True
        wrong = _too_long_report(number, item, report) or wrong
    return None if wrong else items


def _too_long_report(number: int, text: str, report: _Report) -> bool:
    """Report an option (or a side of a pair) longer than the database keeps."""
    if len(text) <= OPTION_MAX_CHARS:
        return False
    report.add(
        "options",
        _("Option %(number)s is %(length)s characters long; an option holds at most %(limit)s. Shorten it.")
        % {"number": number, "length": len(text), "limit": OPTION_MAX_CHARS},
    )
    return True


def _empty_item_message(number: int) -> str:
    return _(
        "Option %(number)s is empty. Remove the extra | or write the option; write \\| for a | "
        "inside an option."
    ) % {"number": number}


def _same_options_message(first: int, second: int, text: str) -> str:
    return _("Options %(first)s and %(second)s are the same (“%(text)s”). Make every option different.") % {
        "first": first,
        "second": second,
        "text": text,
    }


def _duplicates_report(texts: list[str], report: _Report, message: Callable[[int, int, str], str]) -> bool:
    """Report items written twice (ignoring case): a learner could not tell them apart."""
    seen: dict[str, int] = {}
    found = False
    for number, text in enumerate(texts, 1):
        key = text.casefold()
        if key in seen:
            report.add("options", message(seen[key], number, text))
            found = True
        else:
            seen[key] = number
    return found


def _items_split(cell: str) -> list[list[str]]:
    """Split a cell on "|", and each item on "=>", honouring the escapes \\|, \\=> and \\\\.

    A backslash before anything else is an ordinary character, so a Windows path such as
    C:\\Temp needs no escaping.
    """
    if not cell:
        return []
    items: list[list[str]] = [[""]]
    index = 0
    while index < len(cell):
        if cell.startswith((ESCAPE + ESCAPE, ESCAPE + OPTION_SEPARATOR), index):
            items[-1][-1] += cell[index + 1]
            index += 2
        elif cell.startswith(ESCAPE + PAIR_ARROW, index):
            items[-1][-1] += PAIR_ARROW
            index += 1 + len(PAIR_ARROW)
        elif cell.startswith(OPTION_SEPARATOR, index):
            items.append([""])
            index += 1
        elif cell.startswith(PAIR_ARROW, index):
            items[-1].append("")
            index += len(PAIR_ARROW)
        else:
            items[-1][-1] += cell[index]
            index += 1
    return items


def _option_number_read(value: str, count: int, report: _Report) -> int | None:
    """The 1-based number of the one correct option of a single-choice question."""
    parts = [part for part in OPTION_NUMBERS_SEPARATORS.split(value) if part]
    if len(parts) > 1 and all(_option_number(part) is not None for part in parts):
        report.add(
            "correct",
            _(
                "A question of kind single has exactly one correct option. Write one number from "
                "1 to %(count)s, or change the kind to multiple if several options are correct."
            )
            % {"count": count},
        )
        return None
    number = _option_number(value)
    if number is None:
        report.add(
            "correct",
            _("Write the number of the correct option (1 to %(count)s), for example 2.") % {"count": count},
        )
        return None
    if not 1 <= number <= count:
        report.add("correct", _option_range_message(number, count))
        return None
    return number


def _option_numbers_read(value: str, count: int, report: _Report) -> set[int]:
    """The 1-based numbers of the correct options of a multiple-response question."""
    numbers = set()
    wrong = out_of_range = False
    for part in OPTION_NUMBERS_SEPARATORS.split(value):
        number = _option_number(part) if part else None
        if part and number is None:
            wrong = True
        elif number is not None and not 1 <= number <= count:
            out_of_range = True
            report.add("correct", _option_range_message(number, count))
        elif number is not None:
            numbers.add(number)
    if wrong or not (numbers or out_of_range):
        report.add(
            "correct",
            _(
                "Write the numbers of the correct options (1 to %(count)s) separated by commas, "
                "for example 1,3. At least one option must be correct."
            )
            % {"count": count},
        )
    return numbers


def _option_range_message(number: int, count: int) -> str:
    return _(
        "There is no option %(number)s: this question has %(count)s options. Write a number from "
        "1 to %(count)s."
    ) % {"number": number, "count": count}


def _option_number(value: str) -> int | None:
    text = value.strip().translate(THAI_DIGITS)
    if not OPTION_NUMBER_PATTERN.fullmatch(text):
        return None
    return int(Decimal(text))


def _decimal_read(value: str) -> Decimal | None:
    """A number as authors write it: Thai digits, "," between thousands, a dot for decimals."""
    text = value.strip().translate(THAI_DIGITS).replace("\u2212", "-")  # the typographic minus
    if not NUMBER_PATTERN.fullmatch(text):
        return None
    try:
        return Decimal(text.replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the pattern admits only valid numbers
        return None


# Writing ----------------------------------------------------------------------------------


def bank_file_write_csv(rows: list[QuestionRow]) -> bytes:
    """The bank as CSV: UTF-8 with a BOM, so that Excel shows Thai instead of mojibake."""
    lines = ([_csv_cell(values[column]) for column in COLUMNS] for values in map(_row_values, rows))
    return csv_bytes([COLUMNS, *lines])


def bank_file_write_xlsx(rows: list[QuestionRow]) -> bytes:
    """The bank as a workbook ready for editing: bold frozen header, wrapped text, dropdowns."""
    workbook = xlsx_workbook()
    sheet = workbook.active
    sheet.title = "questions"
    wrap = Alignment(wrap_text=True, vertical="top")
    header = []
    for index, column in enumerate(COLUMNS, 1):
        cell = xlsx_cell(sheet, column)
        cell.font = Font(bold=True)
        cell.alignment = wrap
        header.append(cell)
        sheet.column_dimensions[get_column_letter(index)].width = XLSX_WIDTHS[column]
    sheet.append(header)
    for question in rows:
        values = _row_values(question)
        cells = [xlsx_cell(sheet, _xlsx_value(values[column])) for column in COLUMNS]
        for cell in cells:
            cell.alignment = wrap
        sheet.append(cells)
    sheet.freeze_panes = "A2"
    _xlsx_choices_add(sheet)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _row_values(question: QuestionRow) -> dict[str, str | Decimal | int]:
    """The cells of one question: text as str, numbers as Decimal or int (never guarded)."""
    kind = str(question.kind)
    values: dict[str, str | Decimal | int] = dict.fromkeys(COLUMNS, "")
    values.update(
        kind=kind,
        text=question.text,
        topic=question.topic,
        difficulty=str(question.difficulty),
        options=_options_cell(question),
        correct=_correct_cell(question),
        feedback_correct=question.feedback_correct,
        feedback_incorrect=question.feedback_incorrect,
        explanation=question.explanation,
        competencies=f"{COMPETENCY_SEPARATOR} ".join(question.competencies),
    )
    if kind not in SURVEY_KINDS:
        values["points"] = question.points
    if kind in PARTIAL_CREDIT_KINDS:
        values["partial_credit"] = str(question.partial_credit)
    if kind == QuestionKind.NUMERIC:
        values["tolerance"] = question.tolerance
    if kind == QuestionKind.SHORT_TEXT:
        values["case_sensitive"] = "yes" if question.case_sensitive else "no"
    return values


def _options_cell(question: QuestionRow) -> str:
    if question.kind not in COLUMN_KINDS["options"]:
        return ""
    if question.kind == QuestionKind.MATCHING:
        items = [
            f"{_item_escape(option.text, arrow=True)} {PAIR_ARROW} {_item_escape(option.match_text)}".lstrip()
            for option in question.options
        ]
    else:
        items = [_item_escape(option.text) for option in question.options]
    return f" {OPTION_SEPARATOR} ".join(items)


def _correct_cell(question: QuestionRow) -> str | Decimal | int:
    kind = question.kind
    if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        numbers = [number for number, option in enumerate(question.options, 1) if option.is_correct]
        if kind == QuestionKind.SINGLE and len(numbers) == 1:
            return numbers[0]
        return ",".join(map(str, numbers))
    if kind == QuestionKind.TRUE_FALSE and question.true_false_answer is not None:
        return "true" if question.true_false_answer else "false"
    if kind == QuestionKind.NUMERIC and question.numeric_answer is not None:
        return question.numeric_answer
    if kind == QuestionKind.SHORT_TEXT:
        return f" {OPTION_SEPARATOR} ".join(_item_escape(answer) for answer in question.accepted_answers)
    return ""


def _item_escape(text: str, *, arrow: bool = False) -> str:
    """Write one item so that `_items_split` reads it back unchanged.

    Only backslashes the reader would take for escapes are doubled, so ordinary text such as
    C:\\Temp stays as the author wrote it. `arrow`: a matching pair's left side, where "=>"
    would end the side.
    """
    escaped = AMBIGUOUS_BACKSLASHES.sub(lambda match: match.group() * 2, text)
    escaped = escaped.replace(OPTION_SEPARATOR, ESCAPE + OPTION_SEPARATOR)
    if arrow:
        escaped = escaped.replace(PAIR_ARROW, ESCAPE + PAIR_ARROW)
    return escaped


def _csv_cell(value: str | Decimal | int) -> str | int:
    """Numbers in plain digits (a Decimal could print as 1E+1); text guarded by csv_bytes."""
    return _decimal_text(value) if isinstance(value, Decimal) else value


def _xlsx_value(value: str | Decimal | int) -> str | int | float:
    """Numbers as numbers (Excel shows no "number stored as text"); text guarded by xlsx_cell."""
    return _xlsx_number(value) if isinstance(value, int | Decimal) else value


def _xlsx_number(value: int | Decimal) -> int | float | str:
    """A cell number that reads back exactly; text for what a float cannot hold."""
    if isinstance(value, int):
        return value
    if value == value.to_integral_value() and abs(value) < 2**53:
        return int(value)
    number = float(value)
    return number if Decimal(repr(number)) == value else _decimal_text(value)


def _xlsx_choices_add(sheet: Worksheet) -> None:
    """Dropdowns for the keyword columns, as hints (other spellings, such as Thai, still pass)."""
    for column, choices in XLSX_CHOICES.items():
        letter = get_column_letter(COLUMNS.index(column) + 1)
        validation = DataValidation(
            type="list",
            formula1='"{}"'.format(",".join(choices)),
            allow_blank=True,
            showErrorMessage=False,
        )
        validation.add(f"{letter}2:{letter}{MAX_ROWS + 1}")
        sheet.add_data_validation(validation)


def _decimal_places(value: Decimal) -> int:
    """How many decimals matter: 2.50 has one."""
    exponent = value.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def _decimal_text(value: Decimal) -> str:
    """A number in plain digits (no exponent), as a spreadsheet shows it."""
    return format(value, "f")
