import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from courses.events import course_completed
from courses.models import Enrolment, LearningHoursEntry, LessonPage, LessonProgress
from courses.selectors import course_lessons, course_outline
from courses.services import (
    activity_progress_record,
    enrolment_request,
    lesson_progress_record,
    lesson_visit,
)
from courses.tests.factories import CoursePageFactory, LessonPageFactory, course_with_lessons
from people.tests.factories import UserFactory

pytestmark = pytest.mark.django_db
BANGKOK = ZoneInfo("Asia/Bangkok")


def at(day: dt.date, minutes: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, 9, 0, tzinfo=BANGKOK) + dt.timedelta(minutes=minutes)


def test_text_lesson_needs_the_end_and_the_minimum_time():
    course = course_with_lessons(lessons=2, minimum_minutes=5)
    enrolment = enrolment_request(user=UserFactory(), course=course)
    lesson = course_lessons(course=course)[0]
    day = dt.date(2026, 11, 2)

    lesson_visit(enrolment=enrolment, lesson=lesson, now=at(day))
    early = lesson_progress_record(
        enrolment=enrolment, lesson=lesson, seconds=120, reached_end=True, now=at(day, 2)
    )
    assert early.status == LessonProgress.Status.IN_PROGRESS

    later = lesson_progress_record(enrolment=enrolment, lesson=lesson, seconds=200, now=at(day, 6))
    assert later.seconds_spent == 320
    assert later.status == LessonProgress.Status.COMPLETED
    enrolment.refresh_from_db()
    assert enrolment.progress_percent == 50


def test_claimed_time_never_exceeds_the_time_that_passed():
    course = course_with_lessons(lessons=1, minimum_minutes=30)
    enrolment = enrolment_request(user=UserFactory(), course=course)
    lesson = course_lessons(course=course)[0]
    day = dt.date(2026, 11, 2)
    lesson_visit(enrolment=enrolment, lesson=lesson, now=at(day))

    inflated = lesson_progress_record(enrolment=enrolment, lesson=lesson, seconds=3600, now=at(day, 1))
    replayed = lesson_progress_record(enrolment=enrolment, lesson=lesson, seconds=3600, now=at(day, 1))

    assert inflated.seconds_spent == 60
    assert replayed.seconds_spent == 60


def test_video_lesson_counts_once_enough_of_the_video_was_watched():
    course = CoursePageFactory()
    lesson = LessonPageFactory(parent=course, body__0__video__minimum_watched_percent=80)
    enrolment = enrolment_request(user=UserFactory(), course=course)
    lesson_progress_record(enrolment=enrolment, lesson=lesson, reached_end=True)

    partly = activity_progress_record(
        enrolment=enrolment, lesson=lesson, block_id="video-1", state={"watched_percent": 60}
    )
    assert partly.status == LessonProgress.Status.IN_PROGRESS
    # A later, shorter report (say, from a phone) never undoes what was watched.
    replayed = activity_progress_record(
        enrolment=enrolment, lesson=lesson, block_id="video-1", state={"watched_percent": 30}
    )
    assert replayed.activities["video-1"]["watched_percent"] == 60
    enough = activity_progress_record(
        enrolment=enrolment, lesson=lesson, block_id="video-1", state={"watched_percent": 85}
    )
    assert enough.status == LessonProgress.Status.COMPLETED
    with pytest.raises(ValidationError):
        activity_progress_record(enrolment=enrolment, lesson=lesson, block_id="no-such-block", state={})


def complete_every_lesson(enrolment, course, now):
    for lesson in course_lessons(course=course):
        lesson_progress_record(enrolment=enrolment, lesson=lesson, reached_end=True, now=now)


def test_completion_is_recorded_once_with_hours_in_the_fiscal_year_and_one_event(
    django_capture_on_commit_callbacks,
):
    course = course_with_lessons(lessons=2, estimated_hours=Decimal("2.5"))
    learner = UserFactory()
    enrolment = enrolment_request(user=learner, course=course)
    received = []

    def receiver(sender, enrolment, **kwargs):
        received.append(enrolment.pk)

    course_completed.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            # 2 October 2026 is in fiscal year 2570 (1 Oct 2026 – 30 Sep 2027).
            complete_every_lesson(enrolment, course, at(dt.date(2026, 10, 2)))
            complete_every_lesson(enrolment, course, at(dt.date(2026, 10, 3)))
    finally:
        course_completed.disconnect(receiver)

    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.COMPLETED
    assert enrolment.completed_at == at(dt.date(2026, 10, 2))
    entry = LearningHoursEntry.objects.get(user=learner)
    assert (entry.fiscal_year, entry.hours) == (2570, Decimal("2.5"))
    assert received == [enrolment.pk]


def test_hours_go_to_the_fiscal_year_of_completion_not_of_enrolment():
    course = course_with_lessons(lessons=1)
    enrolment = enrolment_request(user=UserFactory(), course=course)

    complete_every_lesson(enrolment, course, at(dt.date(2026, 9, 30)))

    assert LearningHoursEntry.objects.get(enrolment=enrolment).fiscal_year == 2569


def test_minimum_learning_time_of_the_course_is_part_of_the_rule():
    course = course_with_lessons(lessons=1, completion_minimum_minutes=10)
    enrolment = enrolment_request(user=UserFactory(), course=course)
    lesson = course_lessons(course=course)[0]
    day = dt.date(2026, 11, 2)
    lesson_visit(enrolment=enrolment, lesson=lesson, now=at(day))
    lesson_progress_record(enrolment=enrolment, lesson=lesson, reached_end=True, now=at(day, 1))
    enrolment.refresh_from_db()
    assert (enrolment.status, enrolment.progress_percent) == (Enrolment.Status.ACTIVE, 100)

    lesson_progress_record(enrolment=enrolment, lesson=lesson, now=at(day, 11))
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.COMPLETED


def test_optional_lessons_do_not_hold_completion_back():
    course = course_with_lessons(lessons=2)
    optional = course_lessons(course=course)[1]
    optional.is_required = False
    optional.save_revision().publish()
    enrolment = enrolment_request(user=UserFactory(), course=course)

    lesson_progress_record(enrolment=enrolment, lesson=course_lessons(course=course)[0], reached_end=True)

    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.COMPLETED


def learner_through_two_of_three_lessons():
    course = course_with_lessons(lessons=3)
    lessons = course_lessons(course=course)
    enrolment = enrolment_request(user=UserFactory(), course=course)
    for lesson in lessons[:2]:
        lesson_progress_record(enrolment=enrolment, lesson=lesson, reached_end=True)
    return course, lessons, enrolment


def test_new_version_of_a_course_keeps_progress_and_a_new_lesson_is_required(
    django_capture_on_commit_callbacks,
):
    course, (first, _second, _third), enrolment = learner_through_two_of_three_lessons()

    # The author rewrites the first lesson and adds a fourth; both are published.
    with django_capture_on_commit_callbacks(execute=True):
        first.title = "บทที่ 1 (ฉบับปรับปรุง)"
        first.save_revision().publish()
        LessonPageFactory(parent=course, title="บทที่ 4", slug="lesson-4")

    outline = course_outline(course=course, user=enrolment.user)
    assert [entry.state for entry in outline.lessons] == [
        "completed",
        "completed",
        "not_started",
        "not_started",
    ]
    enrolment.refresh_from_db()
    assert enrolment.progress_percent == 50


def test_removing_the_only_missing_lesson_completes_learners_who_did_the_rest(
    django_capture_on_commit_callbacks,
):
    _course, (_first, _second, third), enrolment = learner_through_two_of_three_lessons()

    with django_capture_on_commit_callbacks(execute=True):
        third.unpublish()

    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.COMPLETED


def test_deleting_a_lesson_keeps_the_record_of_work_done_in_it():
    course = course_with_lessons(lessons=2)
    first, second = course_lessons(course=course)
    enrolment = enrolment_request(user=UserFactory(), course=course)
    lesson_progress_record(enrolment=enrolment, lesson=first, reached_end=True)

    LessonPage.objects.get(pk=first.pk).delete()

    record = LessonProgress.objects.get(enrolment=enrolment)
    assert record.lesson is None
    assert record.status == LessonProgress.Status.COMPLETED
    outline = course_outline(course=course, user=enrolment.user)
    assert [entry.lesson.pk for entry in outline.lessons] == [second.pk]


def test_lessons_in_order_are_locked_until_the_previous_required_one_is_done():
    course = course_with_lessons(lessons=3, lessons_in_order=True)
    enrolment = enrolment_request(user=UserFactory(), course=course)
    assert [e.state for e in course_outline(course=course, user=enrolment.user).lessons] == [
        "not_started", "locked", "locked",
    ]  # fmt: skip

    lesson_progress_record(enrolment=enrolment, lesson=course_lessons(course=course)[0], reached_end=True)

    assert [e.state for e in course_outline(course=course, user=enrolment.user).lessons] == [
        "completed", "not_started", "locked",
    ]  # fmt: skip
