"""The vocabulary of questions, shared by the models, grading, statistics and bank files.

Kept free of Django models so the pure modules (grading, statistics, bank_format) can use it.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple response")
    TRUE_FALSE = "true_false", _("True or false")
    MATCHING = "matching", _("Matching")
    ORDERING = "ordering", _("Ordering")
    NUMERIC = "numeric", _("Numeric")
    SHORT_TEXT = "short_text", _("Short text")
    LIKERT = "likert", _("Rating scale (survey)")
    FREE_TEXT = "free_text", _("Free text (survey)")


# Survey items are answered but never graded.
SURVEY_KINDS = frozenset({QuestionKind.LIKERT, QuestionKind.FREE_TEXT})
# Kinds whose answer is one or more of the question's options (counted for distractor analysis).
CHOICE_KINDS = frozenset({QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.TRUE_FALSE})
# Kinds that may give part of the marks.
PARTIAL_CREDIT_KINDS = frozenset({QuestionKind.MULTIPLE, QuestionKind.MATCHING, QuestionKind.ORDERING})


class Difficulty(models.TextChoices):
    EASY = "easy", _("Easy")
    MEDIUM = "medium", _("Medium")
    HARD = "hard", _("Hard")


class PartialCredit(models.TextChoices):
    ALL_OR_NOTHING = "all_or_nothing", _("All or nothing")
    RIGHT_MINUS_WRONG = "right_minus_wrong", _("Right answers minus wrong answers (never below zero)")
    PER_OPTION = "per_option", _("Share of options or pairs judged correctly")


# The default rating scale for Likert items (1 = strongly disagree … 5 = strongly agree).
LIKERT_DEFAULT_LABELS = (
    _("Strongly disagree"),
    _("Disagree"),
    _("Neutral"),
    _("Agree"),
    _("Strongly agree"),
)
