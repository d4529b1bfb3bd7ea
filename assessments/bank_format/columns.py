"""The question bank format's columns, the words and separators authors write, and the rows
read from a file or written to one (see the package docstring)."""

import re
from dataclasses import dataclass, field
from decimal import Decimal

from assessments.question_kinds import (
    PARTIAL_CREDIT_KINDS,
    Difficulty,
    PartialCredit,
    QuestionKind,
)


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
# Questions in one file (below the reader's own row limit): a bank is checked and shown whole.
MAX_ROWS = 2000
# Points are stored with two decimals; more would be rounded away silently by the database.
POINTS_MAX = Decimal("1000")
POINTS_DECIMAL_PLACES = 2
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

# Digits with "," grouping thousands, or plain digits; a dot for decimals.
NUMBER_PATTERN = re.compile(r"[+-]?(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?|[+-]?\.[0-9]+")
OPTION_NUMBER_PATTERN = re.compile(r"[0-9]+(?:\.0+)?")
OPTION_NUMBERS_SEPARATORS = re.compile(r"[,;\s]+")
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


def decimal_places(value: Decimal) -> int:
    """How many decimals matter: 2.50 has one."""
    exponent = value.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


class RowReport:
    """Collects the problems of one row, so every cell is checked even after one is wrong."""

    def __init__(self, row: int) -> None:
        self.row = row
        self.problems: list[RowProblem] = []

    def add(self, column: str, message: str) -> None:
        self.problems.append(RowProblem(row=self.row, column=column, message=message))
