"""Reading a question bank file: every problem of every row, with its row and column.

The file itself is read by `lms.spreadsheets.reading`; this module reads the cells.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from assessments.bank_format.columns import (
    COLUMN_KINDS,
    COLUMNS,
    COMPETENCY_CODE_SEPARATOR,
    COMPETENCY_SEPARATOR,
    DIFFICULTY_WORDS,
    MAX_ROWS,
    POINTS_DECIMAL_PLACES,
    POINTS_MAX,
    REQUIRED_COLUMNS,
    TOPIC_MAX_CHARS,
    QuestionRow,
    RowProblem,
    RowReport,
    decimal_places,
)
from assessments.bank_format.kinds import KIND_READERS, decimal_read
from assessments.question_kinds import (
    PARTIAL_CREDIT_KINDS,
    SURVEY_KINDS,
    Difficulty,
    PartialCredit,
    QuestionKind,
)
from lms.spreadsheets import formula_unguard
from lms.spreadsheets.reading import (
    SheetRow,
    SpreadsheetRejected,
    cell_clean,
    column_token,
    spreadsheet_rows,
)

# Reading ----------------------------------------------------------------------------------


def bank_file_read(name: str, data: bytes) -> tuple[list[QuestionRow], list[RowProblem]]:
    """Read a .csv or .xlsx question bank: the questions that are right, and every problem.

    The file is read by `lms.spreadsheets.reading` (its limits, and at most `MAX_ROWS`
    questions). The service imports nothing unless the problem list is empty.
    """
    try:
        table = spreadsheet_rows(name=name, data=data, columns=COLUMNS, max_rows=MAX_ROWS)
    except SpreadsheetRejected as rejected:
        return [], [RowProblem(row=rejected.row, column="", message=rejected.message)]
    return _table_parse(table)


def _file_problem(message: str) -> RowProblem:
    return RowProblem(row=0, column="", message=message)


def _empty_file_problem() -> RowProblem:
    return _file_problem(
        _(
            "The file is empty. Write the column names in row 1 and one question per row "
            "below it, then upload the file again."
        )
    )


# Rows -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Header:
    """Where each known column is; `ignored` columns were already reported in row 1."""

    positions: dict[int, str]
    ignored: frozenset[int]


def _table_parse(table: list[SheetRow]) -> tuple[list[QuestionRow], list[RowProblem]]:
    """Header, then every question row; a row is returned only if nothing in it is wrong."""
    if not table:
        return [], [_empty_file_problem()]
    header_number, header_cells = table[0].number, table[0].cells
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
    for row in body:
        report = RowReport(row.number)
        values = _record(header, row.cells, report)
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
    tokens = [column_token(cell) for cell in cells]
    if not any(token in COLUMNS for token in tokens):
        return None, [_no_header_problem()]
    report = RowReport(1)
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


def _record(header: _Header, cells: list[str], report: RowReport) -> dict[str, str]:
    """A row's cells by column name, every column present ("" when empty or absent)."""
    values = dict.fromkeys(COLUMNS, "")
    for index, cell in enumerate(cells):
        if index in header.positions:
            column = header.positions[index]
            # Export guards formula-like text (lms.spreadsheets); an author may type '=… too.
            values[column] = formula_unguard(cell)
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


def _question_parse(values: dict[str, str], report: RowReport) -> QuestionRow:
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


def _kind_read(value: str, report: RowReport) -> str | None:
    token = column_token(value)
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


def _text_read(value: str, report: RowReport) -> str:
    if not value:
        report.add("text", _("The question text is empty. Write the question in the text column."))
    return value


def _topic_read(value: str, report: RowReport) -> str:
    if len(value) > TOPIC_MAX_CHARS:
        report.add(
            "topic",
            _("The topic is %(length)s characters long; write at most %(limit)s.")
            % {"length": len(value), "limit": TOPIC_MAX_CHARS},
        )
    return value


def _competencies_read(value: str, report: RowReport) -> list[str]:
    """The competency references of a cell, each "FRAMEWORKCODE:NODECODE", separated by ";"."""
    references: list[str] = []
    for written in value.split(COMPETENCY_SEPARATOR):
        written = cell_clean(written)
        if not written:
            continue
        framework, _colon, node = (cell_clean(part) for part in written.partition(COMPETENCY_CODE_SEPARATOR))
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


def _difficulty_read(value: str, report: RowReport) -> str:
    if not value:
        return Difficulty.MEDIUM.value
    difficulty = DIFFICULTY_WORDS.get(column_token(value))
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


def _points_read(value: str, report: RowReport) -> Decimal:
    if not value:
        return Decimal("1")
    points = decimal_read(value)
    if (
        points is None
        or not Decimal("0") < points <= POINTS_MAX
        or decimal_places(points) > POINTS_DECIMAL_PLACES
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


def _partial_credit_read(value: str, report: RowReport) -> str:
    if not value:
        return PartialCredit.ALL_OR_NOTHING.value
    token = column_token(value)
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


def _unused_columns_check(kind: str, values: dict[str, str], report: RowReport) -> None:
    """Cells this kind has no use for must be empty: a value there is a mistake somewhere."""
    for column, kinds in COLUMN_KINDS.items():
        if values[column] and kind not in kinds:
            report.add(column, _unused_column_message(kind, column))


def _unused_column_message(kind: str, column: str) -> str:
    """Why the cell must be empty, and where that information goes instead."""
    specific: dict[tuple[str, str], str] = {
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
