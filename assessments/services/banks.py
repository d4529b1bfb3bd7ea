"""Question banks in and out of spreadsheets (the format: docs/question-bank-format.md).

An import is all or nothing: every row is checked first (assessments.bank_format), and if
any row has a problem nothing is stored and every problem is reported with its row number.
Imported questions are added to the bank; existing questions are never changed or removed.
"""

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

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
from competencies.models import CompetencyFramework, CompetencyNode


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


def _framework_versions_in_use() -> dict[str, CompetencyFramework]:
    """Per framework code (case-insensitive): the version a bank file's references mean, the
    current one, else the latest."""
    versions: dict[str, list[CompetencyFramework]] = defaultdict(list)
    for framework in CompetencyFramework.objects.all():
        versions[framework.code.casefold()].append(framework)
    return {
        code: max(
            frameworks,
            key=lambda f: (
                f.status == CompetencyFramework.Status.CURRENT,
                f.published_on or dt.date.min,
                f.version,
                f.pk,
            ),
        )
        for code, frameworks in versions.items()
    }


def competency_references_resolve(
    rows: list[QuestionRow],
) -> tuple[dict[str, CompetencyNode], list[RowProblem]]:
    """The competency each reference of the rows names ("FRAMEWORKCODE:NODECODE", codes in any
    case), and a problem for every reference that names no competency."""
    frameworks = _framework_versions_in_use()
    nodes: dict[tuple[int, str], CompetencyNode] = {}
    for node in CompetencyNode.objects.filter(framework__in=frameworks.values()).select_related("framework"):
        nodes.setdefault((node.framework_id, node.code.casefold()), node)
        nodes[(node.framework_id, node.code)] = node  # the exact spelling wins over another case
    found: dict[str, CompetencyNode] = {}
    problems = []
    for row in rows:
        for reference in row.competencies:
            framework_code, _colon, node_code = reference.partition(":")
            framework = frameworks.get(framework_code.casefold())
            node = None
            if framework is not None:
                node = nodes.get((framework.pk, node_code)) or nodes.get((framework.pk, node_code.casefold()))
            if node is not None:
                found[reference] = node
                continue
            if not frameworks:
                message = _(
                    "“%(reference)s”: no competency frameworks are set up yet. Leave the competencies "
                    "column empty, or ask a platform administrator to add the framework first."
                ) % {"reference": reference}
            elif framework is None:
                message = _(
                    "“%(reference)s”: no competency framework has the code %(code)s. Write one of "
                    "these framework codes before the colon: %(codes)s."
                ) % {
                    "reference": reference,
                    "code": framework_code,
                    "codes": ", ".join(sorted({f.code for f in frameworks.values()})),
                }
            else:
                message = _(
                    "“%(reference)s”: %(framework)s has no competency with the code %(code)s. "
                    "Write a competency code of that framework after the colon, or remove it."
                ) % {"reference": reference, "framework": framework, "code": node_code}
            problems.append(RowProblem(row=row.row, column="competencies", message=message))
    return found, problems


@transaction.atomic
def bank_import(*, bank: QuestionBank, name: str, data: bytes) -> list[Question]:
    """Add the file's questions to the bank, or raise BankFileRejected with every problem."""
    rows, problems = bank_file_read(name, data)
    competencies, unknown = competency_references_resolve(rows)
    problems = sorted([*problems, *unknown], key=lambda problem: problem.row)
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
        question.competencies.set([competencies[reference] for reference in row.competencies])
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
        competencies=[f"{node.framework.code}:{node.code}" for node in question.competencies.all()],
    )


def bank_export(*, bank: QuestionBank, file_format: str) -> bytes:
    """The bank's questions (in use or not) as CSV or XLSX that `bank_import` reads back."""
    questions = bank.questions.prefetch_related("options", "competencies__framework").order_by("pk")
    rows = [question_row(question, row) for row, question in enumerate(questions, start=2)]
    return bank_file_write_xlsx(rows) if file_format == "xlsx" else bank_file_write_csv(rows)
