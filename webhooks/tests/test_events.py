"""Each event is announced once, by the service that causes it."""

import datetime as dt
from collections import Counter

import pytest
from django.utils import timezone

from assignments.tests.factories import assignment_of
from certificates.models import Certificate
from certificates.services.status import certificate_revoke
from courses.services.enrolment import enrolment_assign
from courses.tests.factories import complete, course_with_lessons
from people.tests.factories import hr_manager_of, learner_in
from webhooks.models import Delivery
from webhooks.tasks import announce_overdue
from webhooks.tests.factories import ApplicationFactory, SubscriptionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def subscription(public_service, receiver):
    return SubscriptionFactory.create(
        application=ApplicationFactory.create(unit=public_service["MIN-A"]), target_url=receiver.url
    )


def _announced() -> Counter[str]:
    return Counter(Delivery.objects.values_list("event_type", flat=True))


def test_learning_a_course_announces_enrolment_lessons_completion_and_certificate(
    public_service, subscription, django_capture_on_commit_callbacks
):
    person = learner_in(public_service["DIV-A1-HR"])
    with django_capture_on_commit_callbacks(execute=True):
        enrolment = complete(person, course_with_lessons(lessons=2))
    assert _announced() == {
        "enrolment.created": 1,
        "lesson.completed": 2,
        "course.completed": 1,
        "certificate.issued": 1,
    }
    certificate = Certificate.objects.get(enrolment=enrolment)
    issued = Delivery.objects.get(event_type="certificate.issued")
    assert f'"number":"{certificate.number}"' in issued.payload
    assert all(delivery.status == Delivery.Status.DELIVERED for delivery in Delivery.objects.all())

    with django_capture_on_commit_callbacks(execute=True):
        certificate_revoke(certificate=certificate, reason=Certificate.Reason.ISSUED_IN_ERROR)
    assert _announced()["certificate.revoked"] == 1
    revoked = Delivery.objects.get(event_type="certificate.revoked")
    assert '"status":"revoked"' in revoked.payload


def test_an_assignment_announces_each_new_enrolment_once(
    public_service, subscription, django_capture_on_commit_callbacks
):
    unit = public_service["DIV-A1-HR"]
    people = [learner_in(unit), learner_in(unit)]
    with django_capture_on_commit_callbacks(execute=True):
        assignment_of(unit, created_by=hr_manager_of(unit))
    assert _announced() == {"enrolment.created": 2}
    assert set(Delivery.objects.values_list("person_id", flat=True)) == {person.pk for person in people}


def test_an_overdue_assignment_is_announced_once_per_due_date(
    public_service, subscription, django_capture_on_commit_callbacks
):
    person = learner_in(public_service["DIV-A1-HR"])
    manager = hr_manager_of(public_service["MIN-A"])
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    course = course_with_lessons(lessons=1)
    with django_capture_on_commit_callbacks(execute=True):
        enrolment = enrolment_assign(user=person, course=course, assigned_by=manager, due_date=yesterday)
        enrolment_assign(user=learner_in(public_service["DIV-A1-HR"]), course=course, assigned_by=manager)
    with django_capture_on_commit_callbacks(execute=True):
        assert announce_overdue.delay().get() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert announce_overdue.delay().get() == 0
    overdue = Delivery.objects.get(event_type="assignment.overdue")
    assert overdue.person_id == person.pk
    assert f'"due_date":"{yesterday.isoformat()}"' in overdue.payload
    # A new due date that passes too is announced again.
    enrolment.due_date = yesterday - dt.timedelta(days=3)
    enrolment.save()
    with django_capture_on_commit_callbacks(execute=True):
        assert announce_overdue.delay().get() == 1
    assert _announced()["assignment.overdue"] == 2
