"""Progress through lessons and the one place a course's completion rule is applied."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.events import course_completed, lesson_completed
from courses.models import CoursePage, Enrolment, LearningHoursEntry, LessonPage, LessonProgress
from courses.selectors import course_lessons
from lms.thai_calendar import fiscal_year_of

# The browser reports time every few seconds; a report can never credit more than the time
# that really passed since the previous one, and a single report no more than this (a tab
# left open overnight is not an hour of study).
MAX_SECONDS_PER_REPORT = 30 * 60


def lesson_is_complete(*, lesson: LessonPage, progress: LessonProgress) -> bool:
    """Reached the end, stayed the minimum time, and completed every activity block."""
    if not progress.reached_end or progress.seconds_spent < lesson.minimum_minutes * 60:
        return False
    return all(
        block.is_complete(value, progress.activities.get(block_id, {}))
        for block_id, block, value in lesson.activities()
    )


def _locked_progress(*, enrolment: Enrolment, lesson: LessonPage) -> LessonProgress:
    if not enrolment.is_open_for_learning:
        raise ValidationError(_("Enrol in the course to record your progress."), code="not_enrolled")
    progress, _created = LessonProgress.objects.select_for_update().get_or_create(
        enrolment=enrolment, lesson=lesson
    )
    return progress


@transaction.atomic
def lesson_visit(
    *, enrolment: Enrolment, lesson: LessonPage, now: dt.datetime | None = None
) -> LessonProgress:
    """The learner opened a lesson: it becomes the place to resume, and time starts counting."""
    now = now or timezone.now()
    progress = _locked_progress(enrolment=enrolment, lesson=lesson)
    progress.last_seen_at = now
    progress.save(update_fields=["last_seen_at"])
    Enrolment.objects.filter(pk=enrolment.pk).update(last_lesson=lesson, last_activity_at=now)
    enrolment.last_lesson, enrolment.last_activity_at = lesson, now
    return progress


@transaction.atomic
def lesson_progress_record(
    *,
    enrolment: Enrolment,
    lesson: LessonPage,
    seconds: int | None = None,
    reached_end: bool = False,
    now: dt.datetime | None = None,
) -> LessonProgress:
    """Add reading time and whether the learner reached the end of the lesson.

    `seconds` is what the browser measured while the page was visible; without it (a form
    posted with JavaScript off) the time since the previous report counts. Either way the
    credit is capped by the time that really passed, so replayed or inflated reports add
    nothing."""
    now = now or timezone.now()
    progress = _locked_progress(enrolment=enrolment, lesson=lesson)
    elapsed = max(0, int((now - progress.last_seen_at).total_seconds()))
    claimed = elapsed if seconds is None else max(0, int(seconds))
    progress.seconds_spent += min(claimed, elapsed, MAX_SECONDS_PER_REPORT)
    progress.last_seen_at = now
    progress.reached_end = progress.reached_end or reached_end
    newly_complete = _progress_save(lesson=lesson, progress=progress, now=now)
    # Reports arrive every few seconds from every learner: the course rule runs only when they
    # can change its outcome (a lesson just completed, or only the minimum time is missing).
    if newly_complete or enrolment.progress_percent == 100:
        course_completion_evaluate(enrolment=enrolment, now=now)
    return progress


@transaction.atomic
def activity_progress_record(
    *, enrolment: Enrolment, lesson: LessonPage, block_id: str, state: dict, now: dt.datetime | None = None
) -> LessonProgress:
    """The completion interface for activity blocks (video, document, SCORM, quiz).

    The block merges `state` into what is stored for it, and its own `is_complete` decides
    whether it counts, then the lesson and the course are evaluated again."""
    now = now or timezone.now()
    activities = {activity_id: block for activity_id, block, _value in lesson.activities()}
    if block_id not in activities:
        raise ValidationError(_("This lesson has no such activity."), code="unknown_activity")
    progress = _locked_progress(enrolment=enrolment, lesson=lesson)
    stored = progress.activities.get(block_id, {})
    progress.activities = {**progress.activities, block_id: activities[block_id].merge_state(stored, state)}
    _progress_save(lesson=lesson, progress=progress, now=now)
    course_completion_evaluate(enrolment=enrolment, now=now)  # a score may have changed
    return progress


def _progress_save(*, lesson: LessonPage, progress: LessonProgress, now: dt.datetime) -> bool:
    """Save the progress, marking the lesson complete if it now is; True if it just became so."""
    newly_complete = progress.status != LessonProgress.Status.COMPLETED and lesson_is_complete(
        lesson=lesson, progress=progress
    )
    if newly_complete:
        progress.status = LessonProgress.Status.COMPLETED
        progress.completed_at = now
        transaction.on_commit(lambda: lesson_completed.send(sender=LessonProgress, progress=progress))
    progress.save()
    return newly_complete


def _post_test_score(
    lessons: list[LessonPage], progress_by_lesson: dict[int, LessonProgress]
) -> Decimal | None:
    scores = []
    for lesson in lessons:
        progress = progress_by_lesson.get(lesson.pk)
        for block_id, block, value in lesson.activities():
            score = block.post_test_score(value, progress.activities.get(block_id, {}) if progress else {})
            if score is not None:
                scores.append(Decimal(str(score)))
    return max(scores, default=None)


@transaction.atomic
def course_completion_evaluate(
    *, enrolment: Enrolment, now: dt.datetime | None = None, lessons: list[LessonPage] | None = None
) -> bool:
    """Apply the course's completion rule to an enrolment; return whether it is complete.

    The rule, in one place: every *live* required lesson complete (a course whose lessons are
    all optional needs them all), the minimum post-test score reached if the course sets one,
    and the minimum learning time spent. Lessons removed or unpublished no longer count; work
    in them is kept. Completion is recorded once, with its time; it credits the course's hours
    to the ledger for the fiscal year of completion and sends `course_completed` after commit.
    A completed enrolment stays completed whatever later versions of the course require.
    `lessons` (the course's live lessons) may be passed by callers evaluating many enrolments."""
    now = now or timezone.now()
    enrolment = Enrolment.objects.select_for_update().select_related("course").get(pk=enrolment.pk)
    course = enrolment.course
    if lessons is None:
        lessons = course_lessons(course=course)
    # Every row counts for time, including work in lessons since removed; only live ones for the rest.
    progress_rows = list(LessonProgress.objects.filter(enrolment=enrolment))
    progress_by_lesson = {row.lesson_id: row for row in progress_rows if row.lesson_id is not None}
    counted = [lesson for lesson in lessons if lesson.is_required] or lessons
    done = [
        lesson
        for lesson in counted
        if lesson.pk in progress_by_lesson
        and progress_by_lesson[lesson.pk].status == LessonProgress.Status.COMPLETED
    ]
    enrolment.progress_percent = round(100 * len(done) / len(counted)) if counted else 0
    enrolment.score = _post_test_score(lessons, progress_by_lesson)
    seconds = sum(row.seconds_spent for row in progress_rows)

    if enrolment.status == Enrolment.Status.COMPLETED:
        enrolment.save(update_fields=["score"])
        return True
    complete = (
        enrolment.status == Enrolment.Status.ACTIVE
        and bool(counted)
        and len(done) == len(counted)
        and seconds >= course.completion_minimum_minutes * 60
        and (
            course.completion_minimum_score is None
            or (enrolment.score is not None and enrolment.score >= course.completion_minimum_score)
        )
    )
    if not complete:
        enrolment.save(update_fields=["progress_percent", "score"])
        return False
    _course_complete(enrolment=enrolment, course=course, now=now)
    return True


def _course_complete(*, enrolment: Enrolment, course: CoursePage, now: dt.datetime) -> None:
    enrolment.status = Enrolment.Status.COMPLETED
    enrolment.completed_at = now
    enrolment.progress_percent = 100
    enrolment.save(update_fields=["status", "completed_at", "progress_percent", "score"])
    LearningHoursEntry.objects.create(
        user_id=enrolment.user_id,
        enrolment=enrolment,
        course=course,
        fiscal_year=fiscal_year_of(now).year,
        hours=course.estimated_hours,
        credited_at=now,
    )
    transaction.on_commit(lambda: course_completed.send(sender=Enrolment, enrolment=enrolment))


def course_enrolments_reevaluate(*, course: CoursePage) -> int:
    """After a new version of a course is published, or a lesson is removed, apply the rule to
    everyone in progress again (removing the last lesson they lacked completes them).
    Returns how many enrolments became complete."""
    lessons = course_lessons(course=course)
    completed = 0
    for enrolment in Enrolment.objects.filter(course=course).in_progress().iterator():
        completed += course_completion_evaluate(enrolment=enrolment, lessons=lessons)
    return completed
