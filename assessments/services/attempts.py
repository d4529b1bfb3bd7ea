"""A learner's attempts at a quiz: start, save answers, submit, grade, report to the lesson
(and, for a post-test, record the competency evidence it shows once the result is committed).

Grading happens here and only here, on the server, from the spec stored with each attempt
item. Time limits are the server's: an attempt's deadline is stored when it starts; answers
that arrive after it (plus a short grace for the network) are refused, and an attempt left
open past it is submitted with what was saved (by the learner's next request, or by the
`assessments.submit_overdue_attempts` task every minute).
"""

import datetime as dt
import secrets
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.blocks import CountedAttempt, QuizBlock
from assessments.drawing import attempt_questions, questions_available
from assessments.grading import grade, is_answered
from assessments.models import AttemptItem, QuizAttempt, QuizPurpose
from competencies.evidence_sources import evidence_record_queue
from courses.models import Enrolment, LessonPage
from courses.services import activity_progress_record

# The name the post-test evidence source registers under (assessments.competency_evidence).
POST_TEST_EVIDENCE = "post_test"


class AttemptClosed(Exception):
    """Answers arrived for an attempt that no longer takes them."""

    def __init__(self, message: str, *, code: str):
        super().__init__(message)
        self.message, self.code = message, code


@dataclass(frozen=True)
class Quiz:
    """A quiz block found in a lesson."""

    lesson: LessonPage
    block_id: str
    block: QuizBlock
    value: object

    @property
    def settings(self) -> dict:
        """What an attempt keeps of the block's settings when it starts."""
        value = self.value
        return {
            "title": value["title"],
            "purpose": value["purpose"],
            "pass_mark_percent": value["pass_mark_percent"],
            "max_attempts": value["max_attempts"],
            "time_limit_minutes": value["time_limit_minutes"],
            "counted_attempt": value["counted_attempt"],
            "review": value["review"],
            "required_outcome": value["required_outcome"],
        }


def quiz_find(*, lesson: LessonPage, block_id: str) -> Quiz:
    for activity_id, block, value in lesson.activities():
        if activity_id == block_id and isinstance(block, QuizBlock):
            return Quiz(lesson=lesson, block_id=block_id, block=block, value=value)
    raise ValidationError(_("This lesson has no such quiz."), code="unknown_quiz")


def _grace() -> dt.timedelta:
    return dt.timedelta(seconds=settings.QUIZ_DEADLINE_GRACE_SECONDS)


def attempt_is_past_deadline(attempt: QuizAttempt, now: dt.datetime) -> bool:
    return attempt.deadline is not None and now > attempt.deadline + _grace()


@transaction.atomic
def quiz_attempt_start(
    *, enrolment: Enrolment, lesson: LessonPage, block_id: str, now: dt.datetime | None = None
) -> QuizAttempt:
    """The learner's attempt in progress, or a new one if they have attempts left.

    An attempt already past its deadline is submitted first. The new attempt draws its
    questions once, with a random seed it keeps, and stores them with their specs."""
    now = now or timezone.now()
    quiz = quiz_find(lesson=lesson, block_id=block_id)
    if not enrolment.is_open_for_learning:
        raise ValidationError(_("Enrol in the course to take this quiz."), code="not_enrolled")
    # One start at a time per learner: a double click must not open two attempts.
    Enrolment.objects.select_for_update().filter(pk=enrolment.pk).first()
    attempts = QuizAttempt.objects.filter(enrolment=enrolment, lesson=lesson, block_id=block_id)
    for open_attempt in attempts.filter(status=QuizAttempt.Status.IN_PROGRESS):
        if not attempt_is_past_deadline(open_attempt, now):
            return open_attempt
        _close(open_attempt, list(open_attempt.items.all()), now=now, by=QuizAttempt.SubmittedBy.DEADLINE)

    bank = quiz.value["bank"]
    if bank is None or bank.partner_id != lesson.course.partner_id:
        # A partner's quiz only ever draws from that partner's banks, whatever the block holds.
        raise ValidationError(
            _("This quiz's question bank is not available. Please tell the course's author."),
            code="no_questions",
        )
    max_attempts = quiz.value["max_attempts"]
    if max_attempts and attempts.count() >= max_attempts:
        raise ValidationError(
            _("You have used all %(count)s attempts at this quiz.") % {"count": max_attempts},
            code="no_attempts_left",
        )
    seed = secrets.randbits(48)
    specs = attempt_questions(
        questions=questions_available(bank.questions.all()),
        rules=QuizBlock.draw_rules(quiz.value),
        at_random=quiz.value["random_draw"],
        shuffle_questions=quiz.value["shuffle_questions"],
        shuffle_options=quiz.value["shuffle_options"],
        seed=seed,
    )
    if not specs:
        raise ValidationError(
            _("This quiz has no questions yet. Please tell the course's author."), code="no_questions"
        )
    limit = quiz.value["time_limit_minutes"]
    attempt = QuizAttempt.objects.create(
        enrolment=enrolment,
        user_id=enrolment.user_id,
        course_id=enrolment.course_id,
        lesson=lesson,
        block_id=block_id,
        title=quiz.value["title"],
        purpose=quiz.value["purpose"],
        number=(attempts.aggregate(last=Max("number"))["last"] or 0) + 1,
        seed=seed,
        settings=quiz.settings,
        started_at=now,
        deadline=now + dt.timedelta(minutes=limit) if limit else None,
    )
    AttemptItem.objects.bulk_create(
        AttemptItem(attempt=attempt, position=position, question_id=spec["question_id"], spec=spec)
        for position, spec in enumerate(specs, start=1)
    )
    return attempt


def _answers_apply(
    attempt: QuizAttempt, items: list[AttemptItem], answers: dict[int, object], now: dt.datetime
) -> None:
    changed = []
    for item in items:
        if item.position not in answers or answers[item.position] == item.response:
            continue
        item.response = answers[item.position]
        item.answered = is_answered(item.spec, item.response)
        changed.append(item)
    AttemptItem.objects.bulk_update(changed, ["response", "answered"])
    attempt.last_saved_at = now
    attempt.save(update_fields=["last_saved_at"])


def _locked(attempt: QuizAttempt) -> QuizAttempt:
    return QuizAttempt.objects.select_for_update().get(pk=attempt.pk)


def quiz_answers_save(
    *,
    attempt: QuizAttempt,
    answers: dict[int, object],
    items: list[AttemptItem] | None = None,
    now: dt.datetime | None = None,
) -> QuizAttempt:
    """Keep the learner's answers so far (autosave). Raises AttemptClosed when the attempt
    was already submitted or its time is up; in the second case it is submitted now, with
    the answers saved before the deadline. `items` are the attempt's items, if the caller
    has them already (it read the answers with them)."""
    now = now or timezone.now()
    with transaction.atomic():
        attempt = _locked(attempt)
        items = list(attempt.items.all()) if items is None else items
        if attempt.is_submitted:
            closed = AttemptClosed(
                _(
                    "These answers were already submitted: your result is shown on the quiz's page "
                    "in the lesson."
                ),
                code="submitted",
            )
        elif attempt_is_past_deadline(attempt, now):
            _close(attempt, items, now=now, by=QuizAttempt.SubmittedBy.DEADLINE)
            closed = AttemptClosed(
                _(
                    "The time limit has passed: answers after it are not accepted. Your attempt was "
                    "submitted with the answers saved before the deadline."
                ),
                code="deadline_passed",
            )
        else:
            _answers_apply(attempt, items, answers, now)
            return attempt
    raise closed


def quiz_attempt_submit(
    *,
    attempt: QuizAttempt,
    answers: dict[int, object] | None = None,
    items: list[AttemptItem] | None = None,
    now: dt.datetime | None = None,
    by: str = QuizAttempt.SubmittedBy.LEARNER,
) -> QuizAttempt:
    """Grade and close the attempt. Submitting twice changes nothing (the first one counts);
    answers arriving after the deadline are ignored and the saved ones are graded."""
    now = now or timezone.now()
    with transaction.atomic():
        attempt = _locked(attempt)
        if attempt.is_submitted:
            return attempt
        items = list(attempt.items.all()) if items is None else items
        if attempt_is_past_deadline(attempt, now):
            by = QuizAttempt.SubmittedBy.DEADLINE
        elif answers:
            _answers_apply(attempt, items, answers, now)
        _close(attempt, items, now=now, by=by)
    return attempt


def _percent(earned: Decimal, possible: Decimal) -> Decimal:
    return (earned * 100 / possible).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _close(attempt: QuizAttempt, items: list[AttemptItem], *, now: dt.datetime, by: str) -> None:
    """Grade every item, record the result and tell the lesson (inside the caller's transaction)."""
    earned = possible = Decimal(0)
    for item in items:
        result = grade(item.spec, item.response)
        item.answered = result.answered
        item.fraction = result.fraction
        if result.fraction is not None:
            points = Decimal(item.spec["points"])
            item.points = (points * result.fraction).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
            earned += item.points
            possible += points
    AttemptItem.objects.bulk_update(items, ["answered", "fraction", "points"])
    graded = possible > 0 and attempt.purpose != QuizPurpose.SURVEY
    attempt.status = QuizAttempt.Status.SUBMITTED
    attempt.submitted_at = now
    attempt.submitted_by = by
    attempt.score_points = earned if graded else None
    attempt.max_points = possible if graded else None
    attempt.score_percent = _percent(earned, possible) if graded else None
    attempt.passed = attempt.score_percent >= attempt.settings["pass_mark_percent"] if graded else None
    attempt.save()
    _report_to_lesson(attempt, now=now)
    if attempt.purpose == QuizPurpose.POST_TEST:
        # Evidence is a consequence of the recorded result, written by a retried task after
        # commit (assessments.competency_evidence): a failure there must not undo it.
        evidence_record_queue(source=POST_TEST_EVIDENCE, object_id=attempt.pk)


def counted_attempt(attempts: list[QuizAttempt], policy: str) -> QuizAttempt | None:
    """Of the submitted attempts (in order), the one whose score counts."""
    submitted = [a for a in attempts if a.is_submitted]
    if not submitted:
        return None
    if policy == CountedAttempt.FIRST:
        return submitted[0]
    if policy == CountedAttempt.LAST:
        return submitted[-1]
    return max(submitted, key=lambda a: (a.score_percent or Decimal(-1), -a.number))


def quiz_activity_state(attempts: list[QuizAttempt], policy: str) -> dict:
    """What the lesson stores for the quiz block, over all the learner's attempts."""
    submitted = [a for a in attempts if a.is_submitted]
    counted = counted_attempt(submitted, policy)
    score = counted.score_percent if counted else None
    return {
        "submitted": bool(submitted),
        "passed": any(a.passed for a in submitted),
        "score": float(score) if score is not None else None,
        "attempts": len(submitted),
    }


def _report_to_lesson(attempt: QuizAttempt, *, now: dt.datetime) -> None:
    lesson = attempt.lesson
    enrolment = attempt.enrolment
    if lesson is None or not enrolment.is_open_for_learning:
        return  # the lesson was deleted, or the learner left the course: the attempt stays on record
    try:
        quiz_find(lesson=lesson, block_id=attempt.block_id)
    except ValidationError:
        return  # the quiz was removed from the lesson since the attempt started
    attempts = list(QuizAttempt.objects.filter(enrolment=enrolment, lesson=lesson, block_id=attempt.block_id))
    state = quiz_activity_state(attempts, attempt.settings["counted_attempt"])
    activity_progress_record(
        enrolment=enrolment, lesson=lesson, block_id=attempt.block_id, state=state, now=now
    )


def overdue_attempts_submit(*, now: dt.datetime | None = None) -> int:
    """Submit, with what was saved, every attempt left open past its deadline."""
    now = now or timezone.now()
    overdue = QuizAttempt.objects.filter(status=QuizAttempt.Status.IN_PROGRESS, deadline__lt=now - _grace())
    count = 0
    for attempt in overdue.iterator():
        quiz_attempt_submit(attempt=attempt, now=now, by=QuizAttempt.SubmittedBy.DEADLINE)
        count += 1
    return count
