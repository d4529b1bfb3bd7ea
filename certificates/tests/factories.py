"""Completed courses and their certificates, for the certificates tests."""

from django.db import transaction

from certificates.models import Certificate
from certificates.services.issuance import certificate_issue
from courses.models import Enrolment
from courses.selectors import course_lessons
from courses.services import enrolment_request, lesson_progress_record
from courses.tests.factories import course_with_lessons
from people.tests.factories import UserFactory


def learner(**fields):
    fields.setdefault("title", "miss")
    fields.setdefault("first_name", "สุดารัตน์")
    fields.setdefault("last_name", "ทองดี")
    fields.setdefault("first_name_en", "Sudarat")
    fields.setdefault("last_name_en", "Thongdee")
    return UserFactory(**fields)


def complete(user, course) -> Enrolment:
    """Enrol `user` and complete every lesson, as the learner would (the completion event fires)."""
    enrolment = enrolment_request(user=user, course=course)
    for lesson in course_lessons(course=course):
        lesson_progress_record(enrolment=enrolment, lesson=lesson, seconds=60, reached_end=True)
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.COMPLETED
    return enrolment


def issued_certificate(*, user=None, course=None, **course_fields) -> Certificate:
    """A certificate issued through the completion event (tasks run in-process in tests)."""
    course_fields.setdefault("lessons", 1)
    course = course or course_with_lessons(**course_fields)
    user = user or learner()
    with transaction.atomic():
        enrolment = complete(user, course)
    # In a test's transaction on_commit callbacks wait for the test; issue directly as the task would.
    return certificate_issue(enrolment_id=enrolment.pk)
