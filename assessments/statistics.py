"""Item analysis and quiz statistics from submitted attempts: pure functions, no database.

The selector turns attempt rows into `AttemptRecord`s and calls the functions here; the
pages for authors and admins show the results. Floats are fine here: these numbers are
read, never added up into marks.

What the numbers mean (the pages link to this explanation):

Per question (`item_analysis`)
    attempts
        How many submitted attempts contained the question. With random draws from a bank
        this can be fewer than the quiz's attempts.
    difficulty (p)
        The mean *fraction* of the question's marks earned over those attempts, i.e. the
        proportion correct, with partial credit counting its share. Higher means easier.
    point_biserial
        The corrected item–rest correlation: the Pearson correlation between the
        question's fraction and the *rest score*, the sum of the fractions of the attempt's
        OTHER graded questions, over the attempts containing the question. "Corrected"
        because leaving the question out of the total stops it correlating with itself.
        Positive means learners who did well on the rest also did well here. None with
        fewer than 2 such attempts, or when either the fractions or the rest scores do not
        vary (a correlation is undefined then).
    upper_lower (D)
        All attempts are ranked by score_percent, best first; ties go to the lower
        attempt_id (the earlier attempt) so the result never depends on row order. With N
        attempts, n = max(1, round(0.27 × N)); the upper group is the top n, the lower
        group the bottom n. D = mean fraction in the upper group − mean fraction in the
        lower group, each over the group's attempts that contained the question. None when
        N < 2 or either group has no attempt containing the question.
    choice_counts
        For choice questions, how often each option (by its stable id) was chosen over
        the attempts containing the question: the distractor analysis.
    flags
        Only when the question has at least MIN_ATTEMPTS_TO_JUDGE attempts, because a
        handful of answers says little. "too_easy" when p > TOO_EASY; "too_hard" when
        p < TOO_HARD; "negative_discrimination" when point_biserial < 0, or, when
        point_biserial is undefined, when upper_lower < 0: stronger learners do worse on
        the question than weaker ones, which usually means a wrong key or a misleading
        wording.

Per quiz (`quiz_statistics`)
    mean, median, standard_deviation
        Of score_percent. The standard deviation is the sample one (divides by n − 1), so
        it needs at least 2 attempts.
    pass_rate
        The share of attempts passed, 0 to 1.
    distribution
        Ten bands of ten percentage points: band i covers [10i, 10i + 10), except the last,
        which covers [90, 100] so that full marks have a band.
    reliability
        Cronbach's alpha = k / (k − 1) × (1 − Σ var(item) / var(total)), with population
        variances (divide by N), over k questions, where total = the sum of an attempt's
        fractions. When every fraction is 0 or 1 the same formula is KR-20 (an item's
        variance is then p × q), so the method is reported as "kr20"; otherwise "alpha".
        It needs every attempt to have answered the same graded questions, so quizzes that
        draw questions at random report no reliability. When it cannot be computed,
        reliability_note says why: "few_attempts" (fewer than 2 attempts), "different_items"
        (attempts answered different sets of graded questions), "few_items" (fewer than 2
        questions in common), "no_variance" (every attempt has the same total).

Survey questions (fraction None) are answered but never graded, so every statistic here
ignores them. If a question appears more than once in one attempt, its first graded
response counts.

Also here: learning gain between a pre-test and a post-test (points and Hake's normalised
gain g = (post − pre) / (100 − pre): the share of the possible improvement achieved), and
the summary of a rating-scale (Likert) survey question.
"""

import math
import statistics
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

MIN_ATTEMPTS_TO_JUDGE = 5  # fewer attempts than this: no flags (too little data), the page says so
TOO_EASY = 0.90  # difficulty (proportion correct) above this is flagged too easy
TOO_HARD = 0.20  # below this, too hard
UPPER_LOWER_SHARE = 0.27

BAND_COUNT = 10
BAND_WIDTH = 10
# Scores are rounded this far before banding so that 60 computed as 59.99999999999999
# lands in the 60 band, while a genuine 89.9 stays in the 80 band.
BAND_ROUNDING_PLACES = 6

FLAG_TOO_EASY = "too_easy"
FLAG_TOO_HARD = "too_hard"
FLAG_NEGATIVE_DISCRIMINATION = "negative_discrimination"

METHOD_KR20 = "kr20"
METHOD_ALPHA = "alpha"

NOTE_FEW_ATTEMPTS = "few_attempts"
NOTE_FEW_ITEMS = "few_items"
NOTE_DIFFERENT_ITEMS = "different_items"
NOTE_NO_VARIANCE = "no_variance"


# ---------------------------------------------------------------------------------------
# Input


@dataclass(frozen=True)
class ItemResponse:
    question_id: int
    fraction: float | None  # share of the marks earned 0..1; None = a survey item (ignored here)
    choices: tuple[str, ...] = ()  # stable ids of the options chosen; empty if none


@dataclass(frozen=True)
class AttemptRecord:
    attempt_id: int
    score_percent: float  # 0..100
    passed: bool
    items: tuple[ItemResponse, ...]


# ---------------------------------------------------------------------------------------
# Output


@dataclass(frozen=True)
class ItemStatistics:
    question_id: int
    attempts: int
    difficulty: float | None
    point_biserial: float | None
    upper_lower: float | None
    choice_counts: dict[str, int]
    flags: tuple[str, ...]


@dataclass(frozen=True)
class ScoreBand:
    lower: int
    upper: int
    count: int


@dataclass(frozen=True)
class QuizStatistics:
    attempts: int
    mean: float | None
    median: float | None
    standard_deviation: float | None
    pass_rate: float | None
    distribution: tuple[ScoreBand, ...]
    reliability: float | None
    reliability_method: str
    reliability_note: str


@dataclass(frozen=True)
class LearningGain:
    pre: float
    post: float
    points: float
    normalised: float | None


@dataclass(frozen=True)
class RatingSummary:
    responses: int
    mean: float | None
    counts: tuple[int, ...]


# A graded attempt: question id → its response, survey items left out, fractions as floats.
_Graded = dict[int, ItemResponse]


# ---------------------------------------------------------------------------------------
# Shared helpers


def _graded(attempt: AttemptRecord) -> _Graded:
    """The attempt's graded responses by question id.

    Fractions are converted to float because grading works in Decimals and the statistics
    module refuses to mix the two.
    """
    graded: _Graded = {}
    for item in attempt.items:
        if item.fraction is None or item.question_id in graded:
            continue
        graded[item.question_id] = ItemResponse(item.question_id, float(item.fraction), item.choices)
    return graded


def _fraction(graded: _Graded, question_id: int) -> float:
    fraction = graded[question_id].fraction
    assert fraction is not None  # _graded keeps graded items only
    return fraction


def _is_constant(values: Sequence[float]) -> bool:
    """Whether the values do not vary, allowing for float rounding (sums like 0.1 + 0.2)."""
    first = values[0]
    return all(math.isclose(value, first, rel_tol=1e-9, abs_tol=1e-12) for value in values)


def _pearson(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    """Pearson's r, or None where it is undefined (under 2 pairs, or no variance)."""
    if len(xs) < 2 or _is_constant(xs) or _is_constant(ys):
        return None
    return statistics.correlation(xs, ys)


# ---------------------------------------------------------------------------------------
# Item analysis


def item_analysis(attempts: Iterable[AttemptRecord]) -> list[ItemStatistics]:
    """One ItemStatistics per graded question, ordered by first appearance in the attempts."""
    records = tuple(attempts)
    graded = [_graded(record) for record in records]
    groups = _upper_lower_groups(records, graded)
    return [_analyse_item(question_id, graded, groups) for question_id in _question_order(graded)]


def _question_order(graded: Sequence[_Graded]) -> list[int]:
    """Question ids in order of first appearance, so the page follows the quiz's order."""
    seen: dict[int, None] = {}
    for attempt in graded:
        seen.update(dict.fromkeys(attempt))
    return list(seen)


def _upper_lower_groups(
    records: Sequence[AttemptRecord], graded: Sequence[_Graded]
) -> tuple[list[_Graded], list[_Graded]] | None:
    """The top and bottom 27% of attempts by score, or None with fewer than 2 attempts.

    n = max(1, round(0.27 × N)) is at most N / 2 for N ≥ 2, so the groups never overlap.
    """
    count = len(records)
    if count < 2:
        return None
    ranked = sorted(range(count), key=lambda i: (-records[i].score_percent, records[i].attempt_id))
    size = max(1, round(UPPER_LOWER_SHARE * count))
    upper = [graded[i] for i in ranked[:size]]
    lower = [graded[i] for i in ranked[-size:]]
    return upper, lower


def _analyse_item(
    question_id: int,
    graded: Sequence[_Graded],
    groups: tuple[list[_Graded], list[_Graded]] | None,
) -> ItemStatistics:
    containing = [attempt for attempt in graded if question_id in attempt]
    fractions = [_fraction(attempt, question_id) for attempt in containing]
    rests = [_rest_score(attempt, question_id) for attempt in containing]
    difficulty = statistics.fmean(fractions)
    point_biserial = _pearson(fractions, rests)
    upper_lower = _discrimination_index(question_id, groups)
    return ItemStatistics(
        question_id=question_id,
        attempts=len(containing),
        difficulty=difficulty,
        point_biserial=point_biserial,
        upper_lower=upper_lower,
        choice_counts=_choice_counts(question_id, containing),
        flags=_flags(len(containing), difficulty, point_biserial, upper_lower),
    )


def _rest_score(attempt: _Graded, question_id: int) -> float:
    """The sum of the attempt's other graded fractions: the total without this question."""
    return math.fsum(_fraction(attempt, other) for other in attempt if other != question_id)


def _discrimination_index(
    question_id: int, groups: tuple[list[_Graded], list[_Graded]] | None
) -> float | None:
    if groups is None:
        return None
    upper = _group_mean(question_id, groups[0])
    lower = _group_mean(question_id, groups[1])
    if upper is None or lower is None:
        return None
    return upper - lower


def _group_mean(question_id: int, group: Sequence[_Graded]) -> float | None:
    fractions = [_fraction(attempt, question_id) for attempt in group if question_id in attempt]
    return statistics.fmean(fractions) if fractions else None


def _choice_counts(question_id: int, containing: Sequence[_Graded]) -> dict[str, int]:
    """Option id → times chosen, in order of first choice (Counter keeps insertion order)."""
    counts: Counter[str] = Counter()
    for attempt in containing:
        counts.update(attempt[question_id].choices)
    return dict(counts)


def _flags(
    attempts: int, difficulty: float, point_biserial: float | None, upper_lower: float | None
) -> tuple[str, ...]:
    """The warnings for an item; none on too little data, where they would mostly be noise."""
    if attempts < MIN_ATTEMPTS_TO_JUDGE:
        return ()
    flags: list[str] = []
    if difficulty > TOO_EASY:
        flags.append(FLAG_TOO_EASY)
    if difficulty < TOO_HARD:
        flags.append(FLAG_TOO_HARD)
    discrimination = point_biserial if point_biserial is not None else upper_lower
    if discrimination is not None and discrimination < 0:
        flags.append(FLAG_NEGATIVE_DISCRIMINATION)
    return tuple(flags)


# ---------------------------------------------------------------------------------------
# Quiz statistics


def quiz_statistics(attempts: Iterable[AttemptRecord]) -> QuizStatistics:
    """Score summary, distribution and reliability over the quiz's submitted attempts."""
    records = tuple(attempts)
    scores = [float(record.score_percent) for record in records]
    reliability, method, note = _reliability([_graded(record) for record in records])
    return QuizStatistics(
        attempts=len(records),
        mean=statistics.fmean(scores) if scores else None,
        median=statistics.median(scores) if scores else None,
        standard_deviation=statistics.stdev(scores) if len(scores) >= 2 else None,
        pass_rate=sum(record.passed for record in records) / len(records) if records else None,
        distribution=_distribution(scores),
        reliability=reliability,
        reliability_method=method,
        reliability_note=note,
    )


def _distribution(scores: Iterable[float]) -> tuple[ScoreBand, ...]:
    """Always the ten bands, so the chart's axis does not change with the data."""
    counts = Counter(_band_index(score) for score in scores)
    return tuple(
        ScoreBand(lower=i * BAND_WIDTH, upper=(i + 1) * BAND_WIDTH, count=counts[i])
        for i in range(BAND_COUNT)
    )


def _band_index(score: float) -> int:
    """The band of a score; scores outside 0..100 (which should not occur) go to the end bands."""
    index = int(round(score, BAND_ROUNDING_PLACES) // BAND_WIDTH)
    return min(max(index, 0), BAND_COUNT - 1)


def _reliability(graded: Sequence[_Graded]) -> tuple[float | None, str, str]:
    """(reliability, method, note): alpha or KR-20, or None with the reason code."""
    if len(graded) < 2:
        return None, "", NOTE_FEW_ATTEMPTS
    question_ids = set(graded[0])
    if any(set(attempt) != question_ids for attempt in graded[1:]):
        return None, "", NOTE_DIFFERENT_ITEMS
    if len(question_ids) < 2:
        return None, "", NOTE_FEW_ITEMS
    columns = [[_fraction(attempt, q) for attempt in graded] for q in sorted(question_ids)]
    totals = [math.fsum(row) for row in zip(*columns, strict=True)]
    if _is_constant(totals):
        return None, "", NOTE_NO_VARIANCE
    k = len(columns)
    item_variance = math.fsum(statistics.pvariance(column) for column in columns)
    alpha = k / (k - 1) * (1 - item_variance / statistics.pvariance(totals))
    dichotomous = all(fraction in (0.0, 1.0) for column in columns for fraction in column)
    return alpha, METHOD_KR20 if dichotomous else METHOD_ALPHA, ""


# ---------------------------------------------------------------------------------------
# Learning gain


def learning_gain(pre: float | None, post: float | None) -> LearningGain | None:
    """The gain from a pre-test to a post-test score (both percentages), or None unless both exist."""
    if pre is None or post is None:
        return None
    return _gain(float(pre), float(post))


def mean_learning_gain(pairs: Iterable[tuple[float | None, float | None]]) -> LearningGain | None:
    """The gain of the mean pre and mean post scores over learners who took both tests.

    Hake's g is defined on class means (the gain of the means, not the mean of each
    learner's g), which also keeps learners with a perfect pre-test in the figure. Pairs
    missing either score are skipped; None when no learner has both.
    """
    complete = [(float(pre), float(post)) for pre, post in pairs if pre is not None and post is not None]
    if not complete:
        return None
    return _gain(statistics.fmean(pre for pre, _ in complete), statistics.fmean(post for _, post in complete))


def _gain(pre: float, post: float) -> LearningGain:
    """Points and Hake's g; g is None when the pre-test left nothing to gain (pre ≥ 100)."""
    normalised = (post - pre) / (100 - pre) if pre < 100 else None
    return LearningGain(pre=pre, post=post, points=post - pre, normalised=normalised)


# ---------------------------------------------------------------------------------------
# Rating scales


def rating_summary(values: Iterable[int], scale_size: int) -> RatingSummary:
    """Responses, mean and per-point counts of a rating-scale question (points 1..scale_size).

    Values outside the scale are ignored: they can only come from a scale that was
    shortened after people answered, and counting them would skew the mean.
    """
    counts = [0] * max(scale_size, 0)
    for value in values:
        if 1 <= value <= scale_size:
            counts[value - 1] += 1
    responses = sum(counts)
    total = sum(point * count for point, count in enumerate(counts, start=1))
    return RatingSummary(
        responses=responses,
        mean=total / responses if responses else None,
        counts=tuple(counts),
    )
