"""Question banks in and out of spreadsheets (the format: docs/question-bank-format.md).

An import is all or nothing: every row is checked first (assessments.bank_format), and if
any row has a problem nothing is stored and every problem is reported with its row number.
Imported questions are added to the bank; existing questions are never changed or removed.
"""

from decimal import Decimal

from django.db import transaction

from assessments.bank_format import (
    OptionRow,
    QuestionRow,
    RowProblem,
    bank_file_read,
    bank_file_write_csv,
    bank_file_write_xlsx,
)
from assessments.models import Question, QuestionBank, QuestionOption
from assessments.question_kinds import QuestionKind


class BankFileRejected(Exception):
    def __init__(self, problems: list[RowProblem]):
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems


def _options(row: QuestionRow) -> list[QuestionOption]:
    return [
        QuestionOption(
            sort_order=index, text=option.text, is_correct=option.is_correct, match_text=option.match_text
        )
        for index, option in enumerate(row.options)
    ]


@transaction.atomic
def bank_import(*, bank: QuestionBank, name: str, data: bytes) -> list[Question]:
    """Add the file's questions to the bank, or raise BankFileRejected with every problem."""
    rows, problems = bank_file_read(name, data)
    if problems:
        raise BankFileRejected(problems)
    created = []
    for row in rows:
        question = Question(
            bank=bank,
            kind=row.kind,
            text=row.text,
            topic=row.topic,
            difficulty=row.difficulty,
            points=row.points,
            partial_credit=row.partial_credit,
            true_false_answer=row.true_false_answer,
            numeric_answer=row.numeric_answer,
            numeric_tolerance=row.tolerance,
            accepted_answers="\n".join(row.accepted_answers),
            case_sensitive=row.case_sensitive,
            feedback_correct=row.feedback_correct,
            feedback_incorrect=row.feedback_incorrect,
            explanation=row.explanation,
        )
        question.options = _options(row)
        question.save()
        created.append(question)
    return created


def _plain(number: Decimal | None) -> Decimal | None:
    """72.000000 as 72 and 0.500000 as 0.5 (never 1E+2), as an author would write it."""
    if number is None:
        return None
    return number.quantize(Decimal(1)) if number == number.to_integral_value() else number.normalize()


def question_row(question: Question, row: int = 0) -> QuestionRow:
    options = [
        OptionRow(text=o.text, is_correct=o.is_correct, match_text=o.match_text)
        for o in question.options.all()
        if question.kind != QuestionKind.LIKERT or o.text
    ]
    return QuestionRow(
        row=row,
        kind=question.kind,
        text=question.text,
        topic=question.topic,
        difficulty=question.difficulty,
        points=_plain(question.points),
        options=options,
        true_false_answer=question.true_false_answer,
        numeric_answer=_plain(question.numeric_answer),
        tolerance=_plain(question.numeric_tolerance),
        accepted_answers=question.accepted_answer_list(),
        case_sensitive=question.case_sensitive,
        partial_credit=question.partial_credit,
        feedback_correct=question.feedback_correct,
        feedback_incorrect=question.feedback_incorrect,
        explanation=question.explanation,
    )


def bank_export(*, bank: QuestionBank, file_format: str) -> bytes:
    """The bank's questions (in use or not) as CSV or XLSX that `bank_import` reads back."""
    questions = bank.questions.prefetch_related("options").order_by("pk")
    rows = [question_row(question, row) for row, question in enumerate(questions, start=2)]
    return bank_file_write_xlsx(rows) if file_format == "xlsx" else bank_file_write_csv(rows)
