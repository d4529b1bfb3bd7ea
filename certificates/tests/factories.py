"""Certificates issued for completed courses, for the certificates tests."""

from django.db import transaction

from certificates.models import Certificate
from certificates.services.issuance import certificate_issue
from courses.tests.factories import complete, course_with_lessons
from people.tests.factories import learner


def issued_certificate(*, user=None, course=None, **course_fields) -> Certificate:
    """A certificate issued through the completion event (tasks run in-process in tests)."""
    course_fields.setdefault("lessons", 1)
    course = course or course_with_lessons(**course_fields)
    user = user or learner()
    with transaction.atomic():
        enrolment = complete(user, course)
    # In a test's transaction on_commit callbacks wait for the test; issue directly as the task would.
    return certificate_issue(enrolment_id=enrolment.pk)
