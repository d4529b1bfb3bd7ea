"""Attempts graded on the server: scores, time limits, attempt limits, which attempt counts,
and what the course's completion rule makes of a post-test."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from assessments.drawing import DrawRule, attempt_questions, questions_available
from assessments.models import QuizAttempt
from assessments.question_kinds import SURVEY_KINDS, QuestionKind
from assessments.selectors import attempt_result, learning_gain_for
from assessments.services.attempts import (
    AttemptClosed,
    overdue_attempts_submit,
    quiz_answers_save,
    quiz_attempt_start,
    quiz_attempt_submit,
)
from assessments.tests.factories import bank_with_every_kind, full_marks, question, quiz_lesson
from courses.models import CoursePage, Enrolment, LessonProgress
from courses.tests.factories import enrolled
from people.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _start(lesson, enrolment, **kwargs):
    return quiz_attempt_start(enrolment=enrolment, lesson=lesson, block_id="quiz-1", **kwargs)


def _by_kind(attempt):
    return {item.spec["kind"]: item for item in attempt.items.all()}


def _key(spec, text):
    return next(o["key"] for o in spec["options"] if o["text"] == text)


def test_full_marks_pass_the_post_test_and_complete_the_course():
    lesson = quiz_lesson(bank=bank_with_every_kind())
    CoursePage.objects.filter(pk=lesson.course.pk).update(completion_minimum_score=60)
    enrolment = enrolled(UserFactory(), lesson)
    attempt = _start(lesson, enrolment)
    assert attempt.items.count() == 9
    attempt = quiz_attempt_submit(attempt=attempt, answers=full_marks(attempt))
    assert (attempt.score_points, attempt.max_points, attempt.score_percent) == (7, 7, Decimal("100.00"))
    assert attempt.passed is True
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.COMPLETED
    assert enrolment.score == Decimal("100.00")
    progress = LessonProgress.objects.get(enrolment=enrolment, lesson=lesson)
    assert progress.activities["quiz-1"] == {"submitted": True, "passed": True, "score": 100.0, "attempts": 1}


def test_a_mixed_attempt_is_graded_by_hand_computed_rules():
    lesson = quiz_lesson(bank=bank_with_every_kind())
    attempt = _start(lesson, enrolled(UserFactory(), lesson))
    items = _by_kind(attempt)
    multiple, matching, ordering = items["multiple"].spec, items["matching"].spec, items["ordering"].spec
    pairs = {p["text"]: p for p in matching["pairs"]}
    choices = {c["text"]: c["key"] for c in matching["choices"]}
    answers = {
        items["single"].position: _key(items["single"].spec, "2565"),  # right: 1
        # one right and one wrong under right-minus-wrong: (1 − 1) / 2 = 0
        items["multiple"].position: [_key(multiple, "ศาสนา"), _key(multiple, "ชื่อเล่น")],
        items["true_false"].position: next(
            o["key"] for o in items["true_false"].spec["options"] if not o["value"]
        ),
        # one of two pairs right, per option: 1 / 2 = 0.5
        items["matching"].position: {
            pairs["สิทธิเข้าถึง"]["key"]: choices["มาตรา 30"],
            pairs["สิทธิลบ"]["key"]: choices["มาตรา 99"],
        },
        items["ordering"].position: [o["key"] for o in ordering["options"]],  # right: 1
        items["numeric"].position: "๗๒",  # Thai digits: 1
        items["short_text"].position: " สคส ",  # spaces around: 1
    }
    attempt = quiz_attempt_submit(attempt=attempt, answers=answers)
    # 1 + 0 + 0 + 0.5 + 1 + 1 + 1 = 4.5 of 7 = 64.29%
    assert attempt.score_points == Decimal("4.50")
    assert attempt.score_percent == Decimal("64.29")
    assert attempt.passed is True
    survey = [item for item in attempt.items.all() if item.spec["kind"] in SURVEY_KINDS]
    assert all(item.fraction is None and item.points is None for item in survey)


def test_the_same_seed_draws_the_same_questions_and_a_saved_attempt_keeps_its_draw():
    bank = bank_with_every_kind()
    for number in range(20):
        question(bank, QuestionKind.SINGLE, f"คำถามสุ่ม {number}", topic="สุ่ม", difficulty="hard",
                 options=[("ก", True), ("ข", False), ("ค", False)])  # fmt: skip
    rules = [DrawRule(topic="สุ่ม", difficulty="hard", count=5)]
    available = questions_available(bank.questions.all())
    draw = {"questions": available, "rules": rules, "at_random": True, "shuffle_questions": True,
            "shuffle_options": True}  # fmt: skip
    first = attempt_questions(**draw, seed=1234)
    assert first == attempt_questions(**draw, seed=1234)
    assert len(first) == 5
    assert all(spec["topic"] == "สุ่ม" for spec in first)
    draws = {
        tuple(spec["question_id"] for spec in attempt_questions(**draw, seed=seed)) for seed in range(10)
    }
    assert len(draws) > 1  # other seeds, other draws

    lesson = quiz_lesson(bank=bank, random_draw=True, shuffle_questions=True,
                         draws=[{"topic": "สุ่ม", "difficulty": "hard", "count": 5}])  # fmt: skip
    enrolment = enrolled(UserFactory(), lesson)
    attempt = _start(lesson, enrolment)
    shown = [item.spec for item in attempt.items.all()]
    assert len(shown) == 5
    assert _start(lesson, enrolment).pk == attempt.pk  # coming back resumes the same attempt
    assert [item.spec for item in attempt.items.all()] == shown
    assert [s["question_id"] for s in attempt_questions(**draw, seed=attempt.seed)] == [
        s["question_id"] for s in shown
    ]


def test_answers_after_the_deadline_are_refused_and_the_saved_ones_are_graded(settings):
    settings.QUIZ_DEADLINE_GRACE_SECONDS = 15
    lesson = quiz_lesson(bank=bank_with_every_kind(), time_limit_minutes=10)
    start = timezone.now() - dt.timedelta(minutes=30)
    attempt = _start(lesson, enrolled(UserFactory(), lesson), now=start)
    assert attempt.deadline == start + dt.timedelta(minutes=10)
    items = _by_kind(attempt)
    right = full_marks(attempt)
    quiz_answers_save(attempt=attempt, answers={items["single"].position: right[items["single"].position]},
                      now=start + dt.timedelta(minutes=9))  # fmt: skip
    # Within the grace period (a slow network) an answer still counts.
    quiz_answers_save(attempt=attempt, answers={items["numeric"].position: "72"},
                      now=attempt.deadline + dt.timedelta(seconds=10))  # fmt: skip
    with pytest.raises(AttemptClosed) as closed:
        quiz_answers_save(attempt=attempt, answers=right, now=attempt.deadline + dt.timedelta(seconds=16))
    assert closed.value.code == "deadline_passed"
    attempt.refresh_from_db()
    assert attempt.is_submitted
    assert attempt.submitted_by == QuizAttempt.SubmittedBy.DEADLINE
    assert attempt.score_points == 2  # the two answers saved in time, nothing of the late ones
    # A late "submit" with every answer right changes nothing either.
    again = quiz_attempt_submit(
        attempt=attempt, answers=right, now=attempt.deadline + dt.timedelta(minutes=1)
    )
    assert again.score_points == 2


def test_an_abandoned_timed_attempt_is_submitted_by_the_task_with_what_was_saved():
    lesson = quiz_lesson(bank=bank_with_every_kind(), time_limit_minutes=5)
    start = timezone.now() - dt.timedelta(hours=1)
    attempt = _start(lesson, enrolled(UserFactory(), lesson), now=start)
    single = _by_kind(attempt)["single"]
    quiz_answers_save(attempt=attempt, answers={single.position: _key(single.spec, "2565")},
                      now=start + dt.timedelta(minutes=1))  # fmt: skip
    untimed_lesson = quiz_lesson(bank=bank_with_every_kind())
    untimed = _start(untimed_lesson, enrolled(UserFactory(), untimed_lesson), now=start)
    assert overdue_attempts_submit() == 1
    attempt.refresh_from_db()
    untimed.refresh_from_db()
    assert attempt.is_submitted
    assert attempt.score_points == 1
    assert attempt.submitted_by == QuizAttempt.SubmittedBy.DEADLINE
    assert not untimed.is_submitted  # no time limit: it waits for the learner


def test_a_double_submit_is_harmless():
    lesson = quiz_lesson(bank=bank_with_every_kind())
    enrolment = enrolled(UserFactory(), lesson)
    attempt = _start(lesson, enrolment)
    first = quiz_attempt_submit(attempt=attempt, answers=full_marks(attempt))
    second = quiz_attempt_submit(attempt=attempt, answers={1: None})
    assert second.score_percent == first.score_percent == 100
    assert second.submitted_at == first.submitted_at
    progress = LessonProgress.objects.get(enrolment=enrolment, lesson=lesson)
    assert progress.activities["quiz-1"]["attempts"] == 1
    with pytest.raises(AttemptClosed) as closed:
        quiz_answers_save(attempt=attempt, answers={1: None})
    assert closed.value.code == "submitted"


def test_the_attempt_limit_is_kept():
    lesson = quiz_lesson(bank=bank_with_every_kind(), max_attempts=2)
    enrolment = enrolled(UserFactory(), lesson)
    for _ in range(2):
        quiz_attempt_submit(attempt=_start(lesson, enrolment), answers={})
    with pytest.raises(ValidationError) as refused:
        _start(lesson, enrolment)
    assert refused.value.code == "no_attempts_left"
    assert QuizAttempt.objects.filter(enrolment=enrolment).count() == 2


def _take(lesson, enrolment, *, right: int):
    """An attempt with the first `right` graded items answered correctly."""
    attempt = _start(lesson, enrolment)
    return quiz_attempt_submit(attempt=attempt, answers=full_marks(attempt, right=right))


@pytest.mark.parametrize(("policy", "counted"), [("first", 42.86), ("best", 100.0), ("last", 57.14)])
def test_the_counted_attempt_follows_the_policy(policy, counted):
    lesson = quiz_lesson(bank=bank_with_every_kind(), counted_attempt=policy, required_outcome="submitted")
    enrolment = enrolled(UserFactory(), lesson)
    assert _take(lesson, enrolment, right=3).score_percent == Decimal("42.86")  # 3 of 7
    assert _take(lesson, enrolment, right=7).score_percent == 100
    assert _take(lesson, enrolment, right=4).score_percent == Decimal("57.14")  # 4 of 7: a fail
    progress = LessonProgress.objects.get(enrolment=enrolment, lesson=lesson)
    assert progress.activities["quiz-1"]["score"] == counted
    enrolment.refresh_from_db()
    assert float(enrolment.score) == counted  # the post-test score the course sees
    assert progress.activities["quiz-1"]["passed"] is True  # a pass is never undone


def test_a_failed_post_test_does_not_complete_the_course():
    lesson = quiz_lesson(bank=bank_with_every_kind(), pass_mark_percent=80)
    enrolment = enrolled(UserFactory(), lesson)
    attempt = _take(lesson, enrolment, right=5)  # 5 of 7 = 71.43% < 80%
    assert attempt.passed is False
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.ACTIVE
    assert LessonProgress.objects.get(enrolment=enrolment, lesson=lesson).status != "completed"


def test_a_survey_is_never_graded_and_counts_once_submitted():
    bank = bank_with_every_kind()
    lesson = quiz_lesson(bank=bank, purpose="survey", required_outcome="submitted", review="nothing",
                         draws=[{"topic": "", "difficulty": "", "count": None}])  # fmt: skip
    enrolment = enrolled(UserFactory(), lesson)
    attempt = _start(lesson, enrolment)
    attempt = quiz_attempt_submit(attempt=attempt, answers=full_marks(attempt))
    assert attempt.score_percent is None
    assert attempt.passed is None
    assert LessonProgress.objects.get(enrolment=enrolment, lesson=lesson).status == "completed"
    result = attempt_result(attempt=attempt)
    assert not result.show_score
    assert not result.show_answers


def test_editing_the_bank_later_does_not_change_a_recorded_grade():
    bank = bank_with_every_kind()
    lesson = quiz_lesson(bank=bank)
    attempt = _start(lesson, enrolled(UserFactory(), lesson))
    answers = full_marks(attempt)
    bank.questions.filter(kind=QuestionKind.NUMERIC).update(numeric_answer=Decimal("48"))
    bank.questions.filter(kind=QuestionKind.SHORT_TEXT).delete()
    attempt = quiz_attempt_submit(attempt=attempt, answers=answers)
    assert attempt.score_percent == 100


def test_learning_gain_compares_the_first_pre_test_with_the_counted_post_test():
    lesson = quiz_lesson(bank=bank_with_every_kind(), quizzes={
        "pre": {"purpose": "pre_test", "required_outcome": "submitted", "counted_attempt": "first"},
        "post": {"purpose": "post_test"},
    })  # fmt: skip
    enrolment = enrolled(UserFactory(), lesson)
    attempt = quiz_attempt_start(enrolment=enrolment, lesson=lesson, block_id="pre")
    quiz_attempt_submit(attempt=attempt, answers=full_marks(attempt, right=2))  # 2 of 7 = 28.57%
    attempt = quiz_attempt_start(enrolment=enrolment, lesson=lesson, block_id="post")
    quiz_attempt_submit(attempt=attempt, answers=full_marks(attempt))  # 100%
    gain = learning_gain_for(enrolment=enrolment)
    assert gain.pre == pytest.approx(28.57)
    assert gain.post == 100
    assert gain.points == pytest.approx(71.43)
    assert gain.normalised == pytest.approx(1.0)  # (100 − 28.57) / (100 − 28.57)
    assert attempt_result(attempt=attempt).gain == gain


def test_a_learner_who_is_not_enrolled_cannot_start():
    lesson = quiz_lesson(bank=bank_with_every_kind())
    enrolment = enrolled(UserFactory(), lesson)
    Enrolment.objects.filter(pk=enrolment.pk).update(status=Enrolment.Status.WITHDRAWN)
    enrolment.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        _start(lesson, enrolment)
    assert refused.value.code == "not_enrolled"
