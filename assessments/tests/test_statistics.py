"""Item analysis and quiz statistics, checked against figures worked out by hand below."""

import math

import pytest

from assessments.statistics import (
    MIN_ATTEMPTS_TO_JUDGE,
    AttemptRecord,
    ItemResponse,
    LearningGain,
    RatingSummary,
    ScoreBand,
    item_analysis,
    learning_gain,
    mean_learning_gain,
    quiz_statistics,
    rating_summary,
)

SURVEY = 99  # a Likert item: answered, never graded


def attempt(
    attempt_id: int,
    fractions: dict[int, float | None],
    score: float,
    passed: bool = False,
    choices: dict[int, tuple[str, ...]] | None = None,
) -> AttemptRecord:
    choices = choices or {}
    items = tuple(ItemResponse(q, fraction, choices.get(q, ())) for q, fraction in fractions.items())
    return AttemptRecord(attempt_id=attempt_id, score_percent=score, passed=passed, items=items)


# The worked example: 5 attempts × 3 dichotomous questions (1 = right, 0 = wrong).
# Question 1 carries 2 marks and questions 2 and 3 one mark each (4 marks in all), so
# score_percent moves in quarters; the statistics use the unweighted fractions.
# The pass mark is 60%.
#
#   attempt   Q1  Q2  Q3 | total  score  passed
#   1          1   1   1 |   3     100    yes
#   2          1   1   0 |   2      75    yes
#   3          1   0   1 |   2      75    yes
#   4          1   0   0 |   1      50    no
#   5          0   0   0 |   0       0    no
#
# Attempt 1 also answers survey question 99 first, and attempt 3 answers it too: it must
# not show up anywhere, nor make the item sets look different.
# Q1 is a single-choice question with options "a" (the key), "b", "c".
WORKED = (
    attempt(1, {SURVEY: None, 1: 1, 2: 1, 3: 1}, 100, passed=True, choices={SURVEY: ("4",), 1: ("a",)}),
    attempt(2, {1: 1, 2: 1, 3: 0}, 75, passed=True, choices={1: ("a",)}),
    attempt(3, {1: 1, 2: 0, 3: 1, SURVEY: None}, 75, passed=True, choices={1: ("a",), SURVEY: ("2",)}),
    attempt(4, {1: 1, 2: 0, 3: 0}, 50, choices={1: ("a",)}),
    attempt(5, {1: 0, 2: 0, 3: 0}, 0, choices={1: ("b",)}),
)


def by_question(attempts) -> dict:
    return {item.question_id: item for item in item_analysis(attempts)}


# ---------------------------------------------------------------------------------------
# Item analysis: the worked example


def test_items_come_in_order_of_first_appearance_without_survey_items():
    assert [item.question_id for item in item_analysis(WORKED)] == [1, 2, 3]


def test_difficulty_is_the_proportion_correct():
    # p(Q1) = 4/5 = 0.8, p(Q2) = 2/5 = 0.4, p(Q3) = 2/5 = 0.4
    items = by_question(WORKED)
    assert [items[q].attempts for q in (1, 2, 3)] == [5, 5, 5]
    assert items[1].difficulty == pytest.approx(0.8)
    assert items[2].difficulty == pytest.approx(0.4)
    assert items[3].difficulty == pytest.approx(0.4)


def test_point_biserial_correlates_with_the_rest_score():
    # Q2: x = Q2 = 1, 1, 0, 0, 0          mean x = 0.4
    #     rest = Q1 + Q3 = 2, 1, 2, 1, 0  mean r = 6/5 = 1.2
    #     x − x̄ = 0.6, 0.6, −0.4, −0.4, −0.4
    #     r − r̄ = 0.8, −0.2, 0.8, −0.2, −1.2
    #     Σ(x − x̄)(r − r̄) = 0.48 − 0.12 − 0.32 + 0.08 + 0.48 = 0.60
    #     Σ(x − x̄)² = 3 × 0.16 + 2 × 0.36 = 1.20
    #     Σ(r − r̄)² = 0.64 + 0.04 + 0.64 + 0.04 + 1.44 = 2.80
    #     r = 0.60 / √(1.20 × 2.80) = 0.60 / √3.36 = 0.3273
    # Q1: x = 1, 1, 1, 1, 0 (mean 0.8); rest = Q2 + Q3 = 2, 1, 1, 0, 0 (mean 0.8)
    #     Σ products = 0.24 + 0.04 + 0.04 − 0.16 + 0.64 = 0.80
    #     Σ(x − x̄)² = 4 × 0.04 + 0.64 = 0.80;  Σ(r − r̄)² = 1.44 + 0.04 + 0.04 + 0.64 + 0.64 = 2.80
    #     r = 0.80 / √(0.80 × 2.80) = 0.80 / √2.24 = 0.5345
    # Q3 mirrors Q2 (x = 1, 0, 1, 0, 0; rest = 2, 2, 1, 1, 0): also 0.60 / √3.36.
    items = by_question(WORKED)
    assert items[2].point_biserial == pytest.approx(0.60 / math.sqrt(3.36))
    assert items[2].point_biserial == pytest.approx(0.3273, abs=1e-4)
    assert items[1].point_biserial == pytest.approx(0.80 / math.sqrt(2.24))
    assert items[3].point_biserial == pytest.approx(0.60 / math.sqrt(3.36))


def test_upper_lower_with_five_attempts_compares_the_best_and_the_worst():
    # N = 5, n = max(1, round(0.27 × 5)) = round(1.35) = 1.
    # Ranked by score: 1 (100), 2 (75), 3 (75, after 2 on the id tie-break), 4 (50), 5 (0).
    # Upper group = attempt 1, lower group = attempt 5.
    # D(Q1) = 1 − 0 = 1, D(Q2) = 1 − 0 = 1, D(Q3) = 1 − 0 = 1.
    items = by_question(WORKED)
    assert [items[q].upper_lower for q in (1, 2, 3)] == [pytest.approx(1.0)] * 3


def test_choice_counts_are_the_distractor_analysis():
    # Q1: four chose "a", attempt 5 chose "b"; nobody chose "c". Q2, Q3 recorded no choices.
    items = by_question(WORKED)
    assert items[1].choice_counts == {"a": 4, "b": 1}
    assert items[2].choice_counts == {}


def test_worked_example_raises_no_flags():
    # p between 0.20 and 0.90 and every point-biserial positive.
    assert all(item.flags == () for item in item_analysis(WORKED))


# ---------------------------------------------------------------------------------------
# Item analysis: flags and edge cases


def flagged_set() -> tuple[AttemptRecord, ...]:
    """5 attempts: an easy item, a hard one, three good ones, a miskeyed one, and a trap.

    easy (10) all right; hard (20) all wrong; good (31, 32, 33) right in attempts 1–3;
    miskeyed (40) right only in attempts 4–5, where the good ones were wrong;
    trap (50) half marks only in attempt 5, the weakest.
    """
    rows = {
        1: {10: 1, 20: 0, 31: 1, 32: 1, 33: 1, 40: 0, 50: 0},
        2: {10: 1, 20: 0, 31: 1, 32: 1, 33: 1, 40: 0, 50: 0},
        3: {10: 1, 20: 0, 31: 1, 32: 1, 33: 1, 40: 0, 50: 0},
        4: {10: 1, 20: 0, 31: 0, 32: 0, 33: 0, 40: 1, 50: 0},
        5: {10: 1, 20: 0, 31: 0, 32: 0, 33: 0, 40: 1, 50: 0.5},
    }
    return tuple(attempt(i, row, score=100 * sum(row.values()) / len(row)) for i, row in rows.items())


def test_flags_name_the_problem_items():
    # easy:  p = 1.0 > 0.90 → too_easy (its point-biserial is undefined, D = 1 − 1 = 0)
    # hard:  p = 0.0 < 0.20 → too_hard
    # good:  p = 0.6; rest = 3, 3, 3, 2, 2.5 rises with x → no flag
    # miskeyed: p = 0.4; rest = 4, 4, 4, 1, 1.5 falls as x rises → negative_discrimination
    # trap:  p = 0.5 / 5 = 0.1 < 0.20, and only the weakest attempt scored → both, in order
    items = by_question(flagged_set())
    assert items[10].flags == ("too_easy",)
    assert items[10].point_biserial is None
    assert items[20].flags == ("too_hard",)
    assert items[31].flags == ()
    assert items[31].point_biserial > 0
    assert items[40].flags == ("negative_discrimination",)
    assert items[40].point_biserial < 0
    assert items[50].difficulty == pytest.approx(0.1)
    assert items[50].flags == ("too_hard", "negative_discrimination")


def test_negative_upper_lower_flags_when_point_biserial_is_undefined():
    # Q2 is always right, so Q1's rest score is 1 in every attempt: point-biserial undefined.
    # The scores are taken as given (e.g. marks from questions outside this analysis):
    # attempt 1 ranks top with Q1 wrong, attempt 5 bottom with Q1 right → D = 0 − 1 = −1.
    attempts = [
        attempt(1, {1: 0, 2: 1}, 90),
        attempt(2, {1: 1, 2: 1}, 80),
        attempt(3, {1: 0, 2: 1}, 70),
        attempt(4, {1: 1, 2: 1}, 60),
        attempt(5, {1: 1, 2: 1}, 50),
    ]
    item = by_question(attempts)[1]
    assert item.point_biserial is None
    assert item.upper_lower == pytest.approx(-1.0)
    assert item.flags == ("negative_discrimination",)


def test_upper_lower_breaks_score_ties_by_attempt_id():
    # N = 5, n = 1. Attempts 3 and 7 tie at the top: 3 (earlier) ranks first → upper = 3.
    # Attempts 4 and 9 tie at the bottom: ranked 4 then 9 → lower = 9 (the last).
    # D = 1 (attempt 3) − 0.5 (attempt 9) = 0.5, whatever the row order.
    attempts = [
        attempt(9, {1: 0.5}, 10),
        attempt(7, {1: 0}, 90),
        attempt(5, {1: 0}, 50),
        attempt(4, {1: 1}, 10),
        attempt(3, {1: 1}, 90),
    ]
    assert item_analysis(attempts)[0].upper_lower == pytest.approx(0.5)
    assert item_analysis(reversed(attempts))[0].upper_lower == pytest.approx(0.5)


def test_upper_lower_is_none_when_a_group_lacks_the_item():
    # Random draws: Q2 was drawn only in the middle attempt, so neither group has it.
    attempts = [
        attempt(1, {1: 1}, 100),
        attempt(2, {1: 1, 2: 1}, 50),
        attempt(3, {1: 0}, 0),
    ]
    items = by_question(attempts)
    assert items[2].attempts == 1
    assert items[2].upper_lower is None
    assert items[2].point_biserial is None  # fewer than 2 attempts contain it


def test_fewer_than_five_attempts_raise_no_flags():
    # The first four rows of the flagged set: easy is still p = 1.0 and miskeyed still
    # correlates negatively, but four attempts are too few to judge.
    attempts = flagged_set()[: MIN_ATTEMPTS_TO_JUDGE - 1]
    items = by_question(attempts)
    assert items[10].difficulty == pytest.approx(1.0)
    assert items[40].point_biserial < 0
    assert all(item.flags == () for item in items.values())


def test_partial_credit_counts_its_share_of_difficulty():
    attempts = [attempt(1, {1: 0.5}, 50), attempt(2, {1: 1}, 100), attempt(3, {1: 0}, 0)]
    assert item_analysis(attempts)[0].difficulty == pytest.approx(0.5)


def test_a_single_attempt_has_no_correlation_or_upper_lower():
    item = item_analysis([attempt(1, {1: 1, 2: 0}, 50)])[0]
    assert item.attempts == 1
    assert item.difficulty == pytest.approx(1.0)
    assert item.point_biserial is None
    assert item.upper_lower is None
    assert item.flags == ()


def test_survey_only_attempts_give_no_items():
    assert item_analysis([attempt(1, {SURVEY: None}, 0)]) == []


def test_item_analysis_of_nothing_is_empty():
    assert item_analysis([]) == []


# ---------------------------------------------------------------------------------------
# Quiz statistics: the worked example


def test_score_summary():
    # scores 100, 75, 75, 50, 0
    # mean = 300 / 5 = 60; median = 75 (the middle of 0, 50, 75, 75, 100)
    # deviations 40, 15, 15, −10, −60 → squares 1600 + 225 + 225 + 100 + 3600 = 5750
    # sample variance = 5750 / 4 = 1437.5 → SD = √1437.5 = 37.914
    # passed 3 of 5 → pass rate 0.6
    stats = quiz_statistics(WORKED)
    assert stats.attempts == 5
    assert stats.mean == pytest.approx(60.0)
    assert stats.median == pytest.approx(75.0)
    assert stats.standard_deviation == pytest.approx(math.sqrt(1437.5))
    assert stats.standard_deviation == pytest.approx(37.914, abs=1e-3)
    assert stats.pass_rate == pytest.approx(0.6)


def test_distribution_of_the_worked_example():
    # 0 → [0, 10); 50 → [50, 60); 75, 75 → [70, 80); 100 → [90, 100]
    counts = [band.count for band in quiz_statistics(WORKED).distribution]
    assert counts == [1, 0, 0, 0, 0, 1, 0, 2, 0, 1]


def test_kr20_of_the_worked_example():
    # k = 3 items, all fractions 0 or 1 → KR-20.
    # p = 0.8, 0.4, 0.4; pq = 0.16, 0.24, 0.24 → Σpq = 0.64
    # totals 3, 2, 2, 1, 0; mean 1.6; deviations 1.4, 0.4, 0.4, −0.6, −1.6
    # population variance = (1.96 + 0.16 + 0.16 + 0.36 + 2.56) / 5 = 5.2 / 5 = 1.04
    # KR-20 = 3/2 × (1 − 0.64 / 1.04) = 1.5 × 0.40 / 1.04 = 0.60 / 1.04 = 15/26 = 0.5769
    # (survey question 99, answered in only two attempts, is left out.)
    stats = quiz_statistics(WORKED)
    assert stats.reliability == pytest.approx(15 / 26)
    assert stats.reliability_method == "kr20"
    assert stats.reliability_note == ""


# ---------------------------------------------------------------------------------------
# Quiz statistics: edge cases


def test_distribution_band_edges():
    # 100 and 90 → the last band [90, 100]; 89.9 → [80, 90); 10 → [10, 20); 9.99 → [0, 10)
    scores = [100, 90, 89.9, 10, 9.99, 0]
    stats = quiz_statistics([attempt(i, {}, score) for i, score in enumerate(scores)])
    bands = {band.lower: band.count for band in stats.distribution}
    assert bands == {0: 2, 10: 1, 20: 0, 30: 0, 40: 0, 50: 0, 60: 0, 70: 0, 80: 1, 90: 2}
    assert stats.distribution[-1] == ScoreBand(lower=90, upper=100, count=2)


def test_float_noise_at_a_band_edge_does_not_move_a_score_down_a_band():
    # A score of 60 computed in floats can come out as 59.99999999999999 (e.g. 3 × 0.2 × 100
    # is 60.00000000000001, other sums undershoot); both belong in [60, 70).
    stats = quiz_statistics([attempt(1, {}, 59.99999999999999), attempt(2, {}, 3 * 0.2 * 100)])
    assert stats.distribution[6].count == 2


def test_partial_credit_makes_it_alpha():
    # 3 attempts × 2 items:   Q1   Q2 | total
    #                   a     1    1  |  2
    #                   b    0.5   0  |  0.5
    #                   c     0    0  |  0
    # var(Q1): mean 0.5, (0.25 + 0 + 0.25) / 3 = 1/6
    # var(Q2): mean 1/3, (4/9 + 1/9 + 1/9) / 3 = 2/9
    # var(total): mean 5/6, deviations 7/6, −1/3, −5/6 → (49 + 4 + 25)/36 / 3 = 13/18
    # alpha = 2/1 × (1 − (1/6 + 2/9) / (13/18)) = 2 × (1 − 7/13) = 12/13 = 0.923
    attempts = [
        attempt(1, {1: 1, 2: 1}, 100),
        attempt(2, {1: 0.5, 2: 0}, 25),
        attempt(3, {1: 0, 2: 0}, 0),
    ]
    stats = quiz_statistics(attempts)
    assert stats.reliability == pytest.approx(12 / 13)
    assert stats.reliability_method == "alpha"
    assert stats.reliability_note == ""


def test_different_item_sets_give_no_reliability():
    # Random draws: attempt 1 had Q1 and Q2, attempt 2 had Q1 and Q3.
    attempts = [attempt(1, {1: 1, 2: 1}, 100), attempt(2, {1: 0, 3: 1}, 50)]
    stats = quiz_statistics(attempts)
    assert stats.reliability is None
    assert stats.reliability_method == ""
    assert stats.reliability_note == "different_items"


def test_zero_total_variance_gives_no_reliability():
    # Every attempt totals 1 (one of the two right), so var(total) = 0.
    attempts = [attempt(1, {1: 1, 2: 0}, 50), attempt(2, {1: 0, 2: 1}, 50), attempt(3, {1: 1, 2: 0}, 50)]
    stats = quiz_statistics(attempts)
    assert stats.reliability is None
    assert stats.reliability_note == "no_variance"
    assert stats.standard_deviation == pytest.approx(0.0)


def test_one_common_item_gives_no_reliability():
    attempts = [attempt(1, {1: 1, SURVEY: None}, 100), attempt(2, {1: 0}, 0)]
    stats = quiz_statistics(attempts)
    assert stats.reliability is None
    assert stats.reliability_note == "few_items"


def test_one_attempt_gives_a_mean_but_no_spread():
    stats = quiz_statistics([attempt(1, {1: 1, 2: 0}, 50, passed=True)])
    assert stats.attempts == 1
    assert stats.mean == pytest.approx(50.0)
    assert stats.median == pytest.approx(50.0)
    assert stats.standard_deviation is None
    assert stats.pass_rate == pytest.approx(1.0)
    assert stats.reliability is None
    assert stats.reliability_note == "few_attempts"


def test_quiz_statistics_of_nothing():
    stats = quiz_statistics([])
    assert stats.attempts == 0
    assert stats.mean is None
    assert stats.median is None
    assert stats.standard_deviation is None
    assert stats.pass_rate is None
    assert stats.distribution == tuple(ScoreBand(lower=i, upper=i + 10, count=0) for i in range(0, 100, 10))
    assert stats.reliability is None
    assert stats.reliability_method == ""
    assert stats.reliability_note == "few_attempts"


def test_accepts_a_generator():
    assert quiz_statistics(a for a in WORKED).attempts == 5
    assert len(item_analysis(a for a in WORKED)) == 3


# ---------------------------------------------------------------------------------------
# Learning gain


def test_learning_gain():
    # pre 40, post 70: points = 30; g = 30 / (100 − 40) = 0.5
    gain = learning_gain(40, 70)
    assert gain == LearningGain(pre=40, post=70, points=pytest.approx(30), normalised=pytest.approx(0.5))


def test_learning_gain_from_a_perfect_pre_test_has_no_normalised_gain():
    gain = learning_gain(100, 90)
    assert gain is not None
    assert gain.points == pytest.approx(-10)
    assert gain.normalised is None


def test_a_loss_gives_a_negative_gain():
    # pre 50, post 40: g = −10 / 50 = −0.2
    gain = learning_gain(50, 40)
    assert gain is not None
    assert gain.normalised == pytest.approx(-0.2)


@pytest.mark.parametrize(("pre", "post"), [(None, 70), (40, None), (None, None)])
def test_learning_gain_needs_both_scores(pre, post):
    assert learning_gain(pre, post) is None


def test_mean_learning_gain_is_the_gain_of_the_means():
    # pre 40, 60 → mean 50; post 70, 80 → mean 75; points 25; g = 25 / 50 = 0.5
    # (the mean of the individual g's would be (0.5 + 0.5) / 2 here too; see the next test)
    gain = mean_learning_gain([(40, 70), (60, 80)])
    assert gain is not None
    assert gain.pre == pytest.approx(50)
    assert gain.post == pytest.approx(75)
    assert gain.points == pytest.approx(25)
    assert gain.normalised == pytest.approx(0.5)


def test_mean_learning_gain_keeps_a_perfect_pre_test_in_the_means():
    # pre 100, 50 → mean 75; post 100, 100 → mean 100; g = 25 / 25 = 1.0
    gain = mean_learning_gain([(100, 100), (50, 100)])
    assert gain is not None
    assert gain.normalised == pytest.approx(1.0)


def test_mean_learning_gain_of_nothing_is_none():
    assert mean_learning_gain([]) is None


# ---------------------------------------------------------------------------------------
# Rating scales


def test_rating_summary_ignores_values_off_the_scale():
    # In range: 1, 2, 2, 5 → 4 responses, mean 10 / 4 = 2.5; 0, 6 and −1 are ignored.
    summary = rating_summary([1, 2, 0, 2, 6, 5, -1], scale_size=5)
    assert summary.responses == 4
    assert summary.mean == pytest.approx(2.5)
    assert summary.counts == (1, 2, 0, 0, 1)


def test_rating_summary_of_nothing():
    assert rating_summary([], scale_size=5) == RatingSummary(responses=0, mean=None, counts=(0, 0, 0, 0, 0))
