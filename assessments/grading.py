"""Grading one answer to one question: pure functions, no database.

A question is graded against its *spec*, the plain dict stored with the attempt that
records the question exactly as the learner saw it (see the module's tests for examples).
Grading the stored spec rather than the live question means editing a question later
never changes the marks of attempts already taken.

A *response* is what the learner gave, as submitted: a key, a list of keys, a dict of
pair keys to choice keys, or typed text, depending on the kind. Responses come from the
browser and cannot be trusted, so every grader accepts anything: a response of the wrong
type counts as unanswered and keys the question does not have are ignored. A broken
*spec* (an unknown kind or partial-credit policy) is a programming error and raises
ValueError.

Fractions are Decimals, never floats, so that marks add up exactly in reports.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from assessments.question_kinds import SURVEY_KINDS, PartialCredit, QuestionKind
from lms.thai_text import thai_digits_to_arabic, thai_text_normalise

FRACTION_PLACES = Decimal("0.0001")
ZERO = Decimal(0)


@dataclass(frozen=True)
class Grade:
    """The result of grading one response.

    `fraction` is the share of the question's marks earned (0 to 1), or None for survey
    kinds, which are answered but never graded.
    """

    fraction: Decimal | None
    answered: bool

    @property
    def correct(self) -> bool | None:
        """True only for full marks; None for survey kinds, which have no right answer."""
        if self.fraction is None:
            return None
        return self.fraction == 1


UNANSWERED = Grade(fraction=ZERO, answered=False)
SURVEY_UNANSWERED = Grade(fraction=None, answered=False)
SURVEY_ANSWERED = Grade(fraction=None, answered=True)


def grade(spec: dict, response: Any) -> Grade:
    """Grade `response` against the question `spec`."""
    kind = _kind(spec)
    return GRADERS[kind](spec, response)


def is_answered(spec: dict, response: Any) -> bool:
    """Whether the learner gave some answer (one the question can make sense of)."""
    return grade(spec, response).answered


def correct_response(spec: dict) -> Any:
    """The response that earns full marks, in the same format a learner's response has.

    Review pages show it next to the learner's answer. Survey kinds have none (None).
    """
    kind = _kind(spec)
    if kind in SURVEY_KINDS:
        return None
    return CORRECT_RESPONSES[kind](spec)


# ----------------------------------------------------------------------------------------
# Reading the spec


def _kind(spec: dict) -> QuestionKind:
    """The spec's kind; an unknown kind is a bug in whoever built the spec."""
    kind = spec.get("kind")
    if kind not in QuestionKind.values:
        raise ValueError(f"Unknown question kind: {kind!r}")
    return QuestionKind(kind)


def _policy(spec: dict) -> PartialCredit:
    """The spec's partial-credit policy; absent means all or nothing, the strictest."""
    policy = spec.get("partial_credit") or PartialCredit.ALL_OR_NOTHING
    if policy not in PartialCredit.values:
        raise ValueError(f"Unknown partial-credit policy: {policy!r}")
    return PartialCredit(policy)


def _entries(spec: dict, name: str) -> list[dict]:
    """The spec's list `name` (options, pairs, choices), keeping only entries with a string key."""
    entries = spec.get(name)
    if not isinstance(entries, list):
        return []
    return [entry for entry in entries if isinstance(entry, dict) and isinstance(entry.get("key"), str)]


def _keys(spec: dict, name: str) -> list[str]:
    return [entry["key"] for entry in _entries(spec, name)]


def _correct_keys(spec: dict) -> list[str]:
    """Keys of the options flagged correct, in the order they were shown."""
    return [option["key"] for option in _entries(spec, "options") if option.get("correct") is True]


def _matches(spec: dict) -> dict[str, str]:
    """Each pair's key and the key of the choice it belongs with."""
    return {
        pair["key"]: pair["match"] for pair in _entries(spec, "pairs") if isinstance(pair.get("match"), str)
    }


def _accepted_answers(spec: dict) -> list[str]:
    """The accepted short-text answers; a lone string is taken as a list of one."""
    accepted = spec.get("accepted")
    if isinstance(accepted, str):
        accepted = [accepted]
    if not isinstance(accepted, list):
        return []
    return [answer for answer in accepted if isinstance(answer, str)]


# ----------------------------------------------------------------------------------------
# Arithmetic


def _fraction(earned: int | Decimal, out_of: int | Decimal) -> Decimal:
    """`earned / out_of`, clamped to 0..1 and rounded to four places.

    A question with nothing to earn (an empty spec) gives 0 rather than dividing by zero.
    """
    if out_of <= 0:
        return ZERO
    share = Decimal(earned) / Decimal(out_of)
    share = min(max(share, ZERO), Decimal(1))
    return share.quantize(FRACTION_PLACES, rounding=ROUND_HALF_UP)


def _all_or_nothing(is_right: bool) -> Decimal:
    return _fraction(1 if is_right else 0, 1)


# ----------------------------------------------------------------------------------------
# Numbers as learners type them

# Separators a learner may put between groups of three digits: comma, space, no-break
# space, thin space and narrow no-break space.
THOUSANDS_SEPARATORS = ", \u00a0\u2009\u202f"
NUMBER = re.compile(
    rf"""
    (?P<sign>[+-]?)
    (?P<integer>[0-9]{{1,3}}(?:[{THOUSANDS_SEPARATORS}][0-9]{{3}})+ | [0-9]+)?
    (?:\.(?P<decimals>[0-9]*))?
    """,
    re.VERBOSE,
)
UNICODE_MINUS = "\u2212"


def numeric_value(text: str) -> Decimal | None:
    """Parse a number as a learner typed it, or return None if it is not one.

    Accepted: Thai digits, surrounding spaces, a leading "+", "-" or Unicode minus (which
    word processors and some keyboards produce), thousands separators (comma, space, thin
    space) between groups of three digits, and a decimal point. Separators must sit between
    groups of three so that "1,25", meant as a decimal comma, is refused rather than read
    as 125. Exponents ("1e5"), "NaN" and "Infinity" are refused: learners do not type them
    on purpose and Decimal would otherwise accept them.
    """
    if not isinstance(text, str):
        return None
    text = thai_digits_to_arabic(text).strip().replace(UNICODE_MINUS, "-")
    match = NUMBER.fullmatch(text)
    if match is None:
        return None
    integer = match["integer"] or ""
    decimals = match["decimals"] or ""
    if not integer and not decimals:
        return None
    for separator in THOUSANDS_SEPARATORS:
        integer = integer.replace(separator, "")
    return Decimal(f"{match['sign']}{integer or '0'}.{decimals or '0'}")


def _spec_number(value: Any) -> Decimal | None:
    """A number from the spec: normally a decimal string, but tolerate JSON numbers."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | Decimal):
        return Decimal(value)
    if isinstance(value, float):
        # str() gives the shortest decimal that round-trips, so 0.05 stays 0.05.
        return Decimal(str(value))
    return numeric_value(value)


# ----------------------------------------------------------------------------------------
# Graders, one per kind


def _chosen_key(spec: dict, response: Any) -> str | None:
    """The option key a single-answer response chose, or None if it chose no known option."""
    if isinstance(response, str) and response in _keys(spec, "options"):
        return response
    return None


def _grade_single(spec: dict, response: Any) -> Grade:
    """Single choice and true/false: full marks for the correct option, nothing otherwise."""
    chosen = _chosen_key(spec, response)
    if chosen is None:
        return UNANSWERED
    return Grade(fraction=_all_or_nothing(chosen in _correct_keys(spec)), answered=True)


def _grade_multiple(spec: dict, response: Any) -> Grade:
    """Multiple response, under the spec's partial-credit policy."""
    if not isinstance(response, list | tuple):
        return UNANSWERED
    option_keys = set(_keys(spec, "options"))
    chosen = {key for key in response if isinstance(key, str) and key in option_keys}
    if not chosen:
        # Also what keeps per_option from paying for "not choosing" the wrong options.
        return UNANSWERED
    correct = set(_correct_keys(spec))
    wrong = option_keys - correct
    right_chosen = len(chosen & correct)
    wrong_chosen = len(chosen & wrong)
    policy = _policy(spec)
    if policy == PartialCredit.RIGHT_MINUS_WRONG:
        fraction = _fraction(right_chosen - wrong_chosen, len(correct))
    elif policy == PartialCredit.PER_OPTION:
        judged_right = right_chosen + (len(wrong) - wrong_chosen)
        fraction = _fraction(judged_right, len(option_keys))
    else:
        fraction = _all_or_nothing(chosen == correct)
    return Grade(fraction=fraction, answered=True)


def _grade_matching(spec: dict, response: Any) -> Grade:
    """Matching: each pair is right, wrong, or left unanswered."""
    if not isinstance(response, dict):
        return UNANSWERED
    matches = _matches(spec)
    choice_keys = set(_keys(spec, "choices")) | set(matches.values())
    given = {
        pair: choice
        for pair, choice in response.items()
        if isinstance(pair, str) and pair in matches and isinstance(choice, str) and choice in choice_keys
    }
    if not given:
        return UNANSWERED
    right = sum(1 for pair, choice in given.items() if matches[pair] == choice)
    wrong = len(given) - right
    policy = _policy(spec)
    if policy == PartialCredit.RIGHT_MINUS_WRONG:
        fraction = _fraction(right - wrong, len(matches))
    elif policy == PartialCredit.PER_OPTION:
        fraction = _fraction(right, len(matches))
    else:
        fraction = _all_or_nothing(right == len(matches))
    return Grade(fraction=fraction, answered=True)


def _grade_ordering(spec: dict, response: Any) -> Grade:
    """Ordering: the options list is the correct order."""
    if not isinstance(response, list | tuple):
        return UNANSWERED
    correct_order = _keys(spec, "options")
    if not any(isinstance(key, str) and key in correct_order for key in response):
        return UNANSWERED
    if _policy(spec) == PartialCredit.ALL_OR_NOTHING:
        fraction = _all_or_nothing(list(response) == correct_order)
    else:
        # Compared position by position, so a list with missing or repeated keys still
        # earns the places it got right.
        in_place = sum(1 for given, right in zip(response, correct_order, strict=False) if given == right)
        fraction = _fraction(in_place, len(correct_order))
    return Grade(fraction=fraction, answered=True)


def _grade_numeric(spec: dict, response: Any) -> Grade:
    """Numeric: right when within the tolerance of the answer (at the tolerance counts)."""
    if not isinstance(response, str) or not response.strip():
        return UNANSWERED
    value = numeric_value(response)
    answer = _spec_number(spec.get("answer"))
    tolerance = _spec_number(spec.get("tolerance")) or ZERO
    is_right = value is not None and answer is not None and abs(value - answer) <= abs(tolerance)
    return Grade(fraction=_all_or_nothing(is_right), answered=True)


def _grade_short_text(spec: dict, response: Any) -> Grade:
    """Short text: right when it matches an accepted answer once both are normalised."""
    if not isinstance(response, str):
        return UNANSWERED
    case_sensitive = spec.get("case_sensitive") is True
    typed = thai_text_normalise(response, case_sensitive=case_sensitive)
    if not typed:
        return UNANSWERED
    accepted = {
        thai_text_normalise(answer, case_sensitive=case_sensitive) for answer in _accepted_answers(spec)
    }
    return Grade(fraction=_all_or_nothing(typed in accepted), answered=True)


def _grade_likert(spec: dict, response: Any) -> Grade:
    """Likert: answered when a point on the scale was chosen; never graded."""
    if _chosen_key(spec, response) is None:
        return SURVEY_UNANSWERED
    return SURVEY_ANSWERED


def _grade_free_text(spec: dict, response: Any) -> Grade:
    """Free text: answered when something visible was typed; never graded."""
    if not isinstance(response, str) or not thai_text_normalise(response):
        return SURVEY_UNANSWERED
    return SURVEY_ANSWERED


GRADERS: dict[QuestionKind, Callable[[dict, Any], Grade]] = {
    QuestionKind.SINGLE: _grade_single,
    QuestionKind.TRUE_FALSE: _grade_single,
    QuestionKind.MULTIPLE: _grade_multiple,
    QuestionKind.MATCHING: _grade_matching,
    QuestionKind.ORDERING: _grade_ordering,
    QuestionKind.NUMERIC: _grade_numeric,
    QuestionKind.SHORT_TEXT: _grade_short_text,
    QuestionKind.LIKERT: _grade_likert,
    QuestionKind.FREE_TEXT: _grade_free_text,
}


# ----------------------------------------------------------------------------------------
# Correct responses, one per graded kind


def _correct_single(spec: dict) -> str | None:
    correct = _correct_keys(spec)
    return correct[0] if correct else None


def _correct_ordering(spec: dict) -> list[str]:
    return _keys(spec, "options")


def _correct_numeric(spec: dict) -> str | None:
    """The answer as the author wrote it (a JSON number, though off-contract, is shown too)."""
    answer = spec.get("answer")
    if isinstance(answer, str):
        return answer
    if _spec_number(answer) is not None:
        return str(answer)
    return None


def _correct_short_text(spec: dict) -> str | None:
    accepted = _accepted_answers(spec)
    return accepted[0] if accepted else None


CORRECT_RESPONSES: dict[QuestionKind, Callable[[dict], Any]] = {
    QuestionKind.SINGLE: _correct_single,
    QuestionKind.TRUE_FALSE: _correct_single,
    QuestionKind.MULTIPLE: _correct_keys,
    QuestionKind.MATCHING: _matches,
    QuestionKind.ORDERING: _correct_ordering,
    QuestionKind.NUMERIC: _correct_numeric,
    QuestionKind.SHORT_TEXT: _correct_short_text,
}
