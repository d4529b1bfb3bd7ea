"""A delivery reaches a real receiver signed as Standard Webhooks say, is retried with
backoff when the receiver fails, and every attempt is logged."""

import datetime as dt
import json

import pytest
from django.utils import timezone
from standardwebhooks import Webhook, WebhookVerificationError

from courses.services.enrolment import enrolment_request
from courses.tests.factories import course_with_lessons
from people.tests.factories import learner_in
from webhooks.models import Delivery
from webhooks.services import MAX_ATTEMPTS, delivery_attempt, retry_delay
from webhooks.tasks import prune_deliveries
from webhooks.tests.factories import ApplicationFactory, SubscriptionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def subscription(public_service, receiver):
    application = ApplicationFactory.create(unit=public_service["DEPT-A1"])
    return SubscriptionFactory.create(application=application, target_url=receiver.url)


def _enrol(public_service, capture):
    person = learner_in(public_service["DIV-A1-HR"])
    with capture(execute=True):
        enrolment = enrolment_request(user=person, course=course_with_lessons(lessons=1))
    return person, enrolment


def test_the_receiver_verifies_the_delivery_with_the_library(
    public_service, subscription, receiver, django_capture_on_commit_callbacks
):
    person, enrolment = _enrol(public_service, django_capture_on_commit_callbacks)
    assert len(receiver.received) == 1
    received = receiver.received[0]
    payload = Webhook(subscription.secret).verify(received.body, received.headers)
    assert payload["type"] == "enrolment.created"
    assert payload["timestamp"]
    assert payload["data"]["enrolment"]["id"] == enrolment.pk
    assert payload["data"]["course"]["id"] == enrolment.course_id
    assert payload["data"]["person"] == {"id": person.pk, "employee_number": None}
    assert person.email not in received.body.decode()  # ids only, never an address or a name
    assert received.headers["webhook-id"].startswith("msg_")
    assert subscription.secret.startswith("whsec_")
    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.DELIVERED
    assert delivery.attempts == 1
    assert delivery.last_response_status == 200
    assert delivery.message_id == received.headers["webhook-id"]


def test_a_tampered_body_or_another_secret_fails_verification(
    public_service, subscription, receiver, django_capture_on_commit_callbacks
):
    _enrol(public_service, django_capture_on_commit_callbacks)
    received = receiver.received[0]
    tampered = received.body.replace(b'"enrolment.created"', b'"course.completed"')
    with pytest.raises(WebhookVerificationError):
        Webhook(subscription.secret).verify(tampered, received.headers)
    other = SubscriptionFactory.create(application=subscription.application)
    with pytest.raises(WebhookVerificationError):
        Webhook(other.secret).verify(received.body, received.headers)


def test_a_failing_receiver_is_retried_and_a_later_success_delivers(
    public_service, subscription, receiver, django_capture_on_commit_callbacks
):
    receiver.answers = [500, 503]
    _enrol(public_service, django_capture_on_commit_callbacks)
    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.DELIVERED
    assert delivery.attempts == 3
    log = list(delivery.attempt_log.values_list("number", "response_status", "response_body"))
    assert log == [(1, 500, "receiver unwell"), (2, 503, "receiver unwell"), (3, 200, "thanks")]
    # The same message on every attempt: one id and one body, each attempt signed afresh.
    assert len({r.headers["webhook-id"] for r in receiver.received}) == 1
    assert len({r.body for r in receiver.received}) == 1
    for received in receiver.received:
        Webhook(subscription.secret).verify(received.body, received.headers)


def test_after_the_last_attempt_the_delivery_is_failed(
    public_service, subscription, receiver, django_capture_on_commit_callbacks
):
    receiver.answers = [500] * 20
    _enrol(public_service, django_capture_on_commit_callbacks)
    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.FAILED
    assert delivery.attempts == MAX_ATTEMPTS == len(receiver.received)
    assert delivery.next_attempt_at is None
    assert delivery.last_error == "HTTP 500"


def test_a_failed_attempt_waits_longer_each_time(public_service, subscription, receiver):
    delays = [retry_delay(made) for made in range(1, MAX_ATTEMPTS)]
    assert delays == sorted(delays)
    assert delays[0] == 30
    assert delays[1] == 4 * delays[0]
    assert delays[-1] == 10 * 60 * 60
    receiver.answers = [500]
    delivery = Delivery.objects.create(
        subscription=subscription, message_id="msg_test", event_type="course.completed", payload="{}"
    )
    delivery = delivery_attempt(delivery_id=delivery.pk, retry_in=120)
    assert delivery.status == Delivery.Status.RETRYING
    assert delivery.last_attempt_at is not None
    assert delivery.next_attempt_at is not None
    assert (delivery.next_attempt_at - delivery.last_attempt_at).total_seconds() == 120


def test_a_redirect_or_an_unreachable_receiver_fails_the_attempt(public_service, subscription, receiver):
    receiver.answers = [302]
    delivery = Delivery.objects.create(
        subscription=subscription,
        message_id="msg_test",
        event_type="course.completed",
        payload=json.dumps({}),
    )
    delivery = delivery_attempt(delivery_id=delivery.pk, retry_in=None)
    assert delivery.status == Delivery.Status.FAILED
    assert delivery.last_response_status == 302
    subscription.target_url = "http://127.0.0.1:9/nobody-listens"
    subscription.save()
    delivery.status = Delivery.Status.PENDING
    delivery.save()
    delivery = delivery_attempt(delivery_id=delivery.pk, retry_in=None)
    assert delivery.status == Delivery.Status.FAILED
    assert delivery.last_response_status is None
    assert "Error" in delivery.last_error


def test_a_switched_off_subscription_hears_nothing(
    public_service, subscription, receiver, django_capture_on_commit_callbacks
):
    subscription.is_active = False
    subscription.save()
    _enrol(public_service, django_capture_on_commit_callbacks)
    assert not Delivery.objects.exists()
    assert receiver.received == []


def test_the_delivery_log_is_deleted_after_its_retention(settings, subscription):
    settings.WEBHOOKS_DELIVERY_LOG_DAYS = 30
    old, recent, still_trying = (
        Delivery.objects.create(
            subscription=subscription,
            message_id=f"msg_{n}",
            event_type="course.completed",
            payload="{}",
            status=s,
        )
        for n, s in enumerate(["delivered", "failed", "retrying"])
    )
    long_ago = timezone.now() - dt.timedelta(days=31)
    Delivery.objects.filter(pk__in=[old.pk, still_trying.pk]).update(created_at=long_ago)
    assert prune_deliveries.delay().get() == 1
    assert set(Delivery.objects.values_list("pk", flat=True)) == {recent.pk, still_trying.pk}
