"""Writing a question bank as CSV or XLSX, exactly as `reading` reads it back.

Every cell goes through the formula-injection guard of `lms.spreadsheets`.
"""

import io
from decimal import Decimal

from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from assessments.bank_format.columns import (
    AMBIGUOUS_BACKSLASHES,
    COLUMN_KINDS,
    COLUMNS,
    COMPETENCY_SEPARATOR,
    ESCAPE,
    MAX_ROWS,
    OPTION_SEPARATOR,
    PAIR_ARROW,
    XLSX_CHOICES,
    XLSX_WIDTHS,
    QuestionRow,
)
from assessments.question_kinds import (
    PARTIAL_CREDIT_KINDS,
    SURVEY_KINDS,
    QuestionKind,
)
from lms.spreadsheets import csv_bytes, xlsx_cell, xlsx_workbook

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


def _decimal_text(value: Decimal) -> str:
    """A number in plain digits (no exponent), as a spreadsheet shows it."""
    return format(value, "f")
