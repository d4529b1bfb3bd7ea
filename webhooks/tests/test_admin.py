"""Webhooks in the admin: platform administrators subscribe (seeing the secret once), read the
delivery log and send a delivery again; nobody else reaches any of it."""

import re

import pytest
from django.urls import reverse
from standardwebhooks import Webhook

from people.models import Role
from people.services import role_assign
from people.tests.factories import hr_manager_of, learner
from webhooks.models import Delivery, Subscription
from webhooks.services import delivery_attempt
from webhooks.tests.factories import ApplicationFactory, SubscriptionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def platform_admin(client):
    person = learner(email="admin@thaksa.go.th")
    role_assign(user=person, role=Role.PLATFORM_ADMIN)
    client.force_login(person)
    return person


@pytest.fixture
def delivered(public_service, receiver) -> Delivery:
    subscription = SubscriptionFactory.create(
        application=ApplicationFactory.create(unit=public_service["MIN-A"]), target_url=receiver.url
    )
    delivery = Delivery.objects.create(
        subscription=subscription,
        message_id="msg_2k1Ykx4tTqbP",
        event_type="course.completed",
        payload='{"type":"course.completed","timestamp":"2026-12-07T10:00:00+00:00","data":{}}',
    )
    return delivery_attempt(delivery_id=delivery.pk, retry_in=None)


def test_a_platform_admin_sends_a_delivery_again_with_the_same_message_id(
    client, platform_admin, delivered, receiver, django_capture_on_commit_callbacks
):
    menu = client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("webhook_deliveries:index") in menu
    assert reverse("webhook_subscriptions:index") in menu
    assert client.get(reverse("webhook_subscriptions:index")).status_code == 200
    assert client.get(reverse("webhook_deliveries:index")).status_code == 200
    page = client.get(reverse("webhook_deliveries:inspect", args=[delivered.pk]))
    assert page.status_code == 200
    attempt = delivered.attempt_log.get()
    assert attempt.attempted_at.isoformat(timespec="seconds") in page.content.decode()  # the attempts, listed
    assert reverse("webhooks_admin:replay", args=[delivered.pk]) in page.content.decode()
    assert client.get(reverse("webhooks_admin:replay", args=[delivered.pk])).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("webhooks_admin:replay", args=[delivered.pk]))
    assert response.status_code == 302
    delivered.refresh_from_db()
    assert delivered.attempts == 2
    assert delivered.status == Delivery.Status.DELIVERED
    assert [r.headers["webhook-id"] for r in receiver.received] == ["msg_2k1Ykx4tTqbP"] * 2
    assert receiver.received[0].body == receiver.received[1].body
    Webhook(delivered.subscription.secret).verify(receiver.received[1].body, receiver.received[1].headers)


@pytest.mark.parametrize("who", ["learner", "hr_manager"])
def test_nobody_else_sees_or_replays_deliveries(client, delivered, receiver, public_service, who):
    person = (
        learner(email="someone@example.go.th") if who == "learner" else hr_manager_of(public_service["MIN-A"])
    )
    client.force_login(person)
    for url in (
        reverse("webhook_deliveries:index"),
        reverse("webhook_deliveries:inspect", args=[delivered.pk]),
        reverse("webhook_subscriptions:index"),
        reverse("webhook_subscriptions:add"),
    ):
        assert client.get(url).status_code in (302, 403), url
    assert client.post(reverse("webhooks_admin:replay", args=[delivered.pk])).status_code in (302, 403)
    delivered.refresh_from_db()
    assert delivered.attempts == 1
    assert len(receiver.received) == 1


def test_deliveries_cannot_be_edited_or_deleted_even_by_a_platform_admin(client, platform_admin, delivered):
    assert client.get(reverse("webhook_deliveries:edit", args=[delivered.pk])).status_code in (302, 403)
    assert client.post(reverse("webhook_deliveries:delete", args=[delivered.pk])).status_code in (302, 403)
    assert Delivery.objects.filter(pk=delivered.pk).exists()


def test_the_secret_is_shown_once_after_subscribing(client, platform_admin, public_service, receiver):
    application = ApplicationFactory.create(unit=public_service["MIN-A"])
    response = client.post(
        reverse("webhook_subscriptions:add"),
        {
            "application": application.pk,
            "target_url": receiver.url,
            "event_types": ["enrolment.created", "certificate.issued"],
            "description": "HR system",
            "is_active": "on",
        },
    )
    subscription = Subscription.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("webhooks_admin:secret", args=[subscription.pk])
    assert subscription.event_types == ["enrolment.created", "certificate.issued"]
    first = client.get(response["Location"]).content.decode()
    assert re.search(r"whsec_[A-Za-z0-9+/=]{40,}", first)
    assert subscription.secret in first
    again = client.get(response["Location"]).content.decode()
    assert subscription.secret not in again
    edit = client.get(reverse("webhook_subscriptions:edit", args=[subscription.pk])).content.decode()
    assert subscription.secret not in edit


def test_events_the_application_may_not_read_are_refused(client, platform_admin, public_service, receiver):
    application = ApplicationFactory.create(unit=public_service["MIN-A"], allowed_scopes="certificates:read")
    response = client.post(
        reverse("webhook_subscriptions:add"),
        {"application": application.pk, "target_url": receiver.url, "event_types": ["course.completed"]},
    )
    assert response.status_code == 200
    assert not Subscription.objects.exists()
