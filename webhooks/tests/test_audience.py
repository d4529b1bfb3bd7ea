"""Who hears of an event: only applications that may see the person (api.principals), hold
the scope that reads such records, and, for a partner's application, only its own courses."""

import json

import pytest

from api.scopes import CERTIFICATES_READ, LEARNING_READ
from courses.services.enrolment import enrolment_request
from courses.tests.factories import course_with_lessons
from organisations.tests.factories import ContentPartnerFactory
from people.tests.factories import learner_in
from webhooks.models import Delivery, Subscription
from webhooks.tests.factories import ApplicationFactory, SubscriptionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def enrol(django_capture_on_commit_callbacks):
    def enrol_in(person, course=None):
        with django_capture_on_commit_callbacks(execute=True):
            return enrolment_request(user=person, course=course or course_with_lessons(lessons=1))

    return enrol_in


def _subscribed(receiver, **application_fields) -> Subscription:
    return SubscriptionFactory.create(
        application=ApplicationFactory.create(**application_fields), target_url=receiver.url
    )


def test_an_agency_application_hears_only_of_people_in_its_subtree(public_service, receiver, enrol):
    division = _subscribed(receiver, unit=public_service["DIV-A1-HR"])
    department = _subscribed(receiver, unit=public_service["DEPT-A1"])
    ministry_b = _subscribed(receiver, unit=public_service["MIN-B"])
    inside = learner_in(public_service["DIV-A1-HR"])
    sibling = learner_in(public_service["DIV-A1-ICT"])
    elsewhere = learner_in(public_service["DEPT-A2"])
    for person in (inside, sibling, elsewhere):
        enrol(person)
    heard = {
        subscription: set(
            Delivery.objects.filter(subscription=subscription).values_list("person_id", flat=True)
        )
        for subscription in (division, department, ministry_b)
    }
    assert heard[division] == {inside.pk}
    assert heard[department] == {inside.pk, sibling.pk}
    assert heard[ministry_b] == set()
    assert len(receiver.received) == 3
    posted_about = [json.loads(received.body)["data"]["person"]["id"] for received in receiver.received]
    assert sorted(posted_about) == sorted([inside.pk, inside.pk, sibling.pk])


def test_an_application_without_the_scope_hears_nothing(public_service, receiver, enrol):
    # Subscribed while it had learning:read; the scope was taken away since.
    subscription = _subscribed(receiver, unit=public_service["MIN-A"], allowed_scopes=CERTIFICATES_READ)
    enrol(learner_in(public_service["DIV-A1-HR"]))
    assert not Delivery.objects.filter(subscription=subscription).exists()
    assert receiver.received == []


def test_an_application_bound_to_nobody_hears_nothing(public_service, receiver, enrol):
    _subscribed(receiver)
    enrol(learner_in(public_service["DIV-A1-HR"]))
    assert not Delivery.objects.exists()


def test_a_partner_application_hears_only_of_its_own_courses(public_service, receiver, enrol):
    partner = ContentPartnerFactory.create()
    subscription = _subscribed(receiver, partner=partner, allowed_scopes=LEARNING_READ)
    person = learner_in(public_service["DIV-A1-HR"])
    own = enrol(person, course_with_lessons(lessons=1, partner=partner))
    enrol(person, course_with_lessons(lessons=1))  # another partner's course, same learner
    assert list(Delivery.objects.filter(subscription=subscription).values_list("person_id", flat=True)) == [
        person.pk
    ]
    assert f'"id":{own.pk}' in receiver.received[0].body.decode()
    assert len(receiver.received) == 1
    # The learner by id only: a partner never gets the agency's employee number.
    assert json.loads(receiver.received[0].body)["data"]["person"] == {"id": person.pk}


def test_an_application_hears_only_the_events_it_chose(public_service, receiver, enrol):
    SubscriptionFactory.create(
        application=ApplicationFactory.create(unit=public_service["MIN-A"]),
        target_url=receiver.url,
        event_types=["course.completed"],
    )
    enrol(learner_in(public_service["DIV-A1-HR"]))
    assert not Delivery.objects.exists()
