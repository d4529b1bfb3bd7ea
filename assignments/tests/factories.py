"""Assignments for tests: created through the service, as an HR manager would."""

import datetime as dt

from django.utils import timezone

from assignments.services.assignments import assignment_create
from courses.tests.factories import course_with_lessons
from people.tests.factories import hr_manager_of


def assignment_of(unit, *, created_by=None, course=None, days=60, **fields):
    """An assignment of `course` (a new one-lesson course if not given) to `unit`, due in `days`."""
    return assignment_create(
        created_by=created_by or hr_manager_of(unit),
        course=course or course_with_lessons(lessons=1),
        unit=unit,
        due_date=fields.pop("due_date", timezone.localdate() + dt.timedelta(days=days)),
        **fields,
    )
