"""The one definition of "overdue": the queryset filter and the property on a loaded
enrolment agree on every combination of source, status, due date and account."""

import datetime as dt
import itertools

import pytest
from django.utils import timezone

from courses.models import Enrolment
from courses.tests.factories import course_with_lessons
from people.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 9, 30)  # the last day of fiscal year 2569
DUE_DATES = {
    "none": None,
    "yesterday": TODAY - dt.timedelta(days=1),
    "today": TODAY,
    "tomorrow": TODAY + dt.timedelta(days=1),
}


def test_the_filter_and_the_property_agree_on_every_case():
    course = course_with_lessons(lessons=1)
    cases = {}
    for source, status, due, active in itertools.product(
        Enrolment.Source.values, Enrolment.Status.values, DUE_DATES, [True, False]
    ):
        enrolment = Enrolment.objects.create(
            user=UserFactory(is_active=active),
            course=course,
            source=source,
            status=status,
            due_date=DUE_DATES[due],
            completed_at=timezone.now() if status == Enrolment.Status.COMPLETED else None,
        )
        cases[enrolment.pk] = (source, status, due, active)

    overdue = set(Enrolment.objects.overdue(on=TODAY).values_list("pk", flat=True))
    for enrolment in Enrolment.objects.select_related("user"):
        assert enrolment.is_overdue_on(TODAY) == (enrolment.pk in overdue), cases[enrolment.pk]

    # Only assigned, unfinished, due yesterday, active account: one case per unfinished status.
    assert sorted(cases[pk] for pk in overdue) == [
        ("assignment", "active", "yesterday", True),
        ("assignment", "pending", "yesterday", True),
    ]
