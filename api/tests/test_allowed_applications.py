"""A person sees on "my account" which applications may act for them, with what each may do,
and takes the permission back: the tokens end at once and the next sign-in asks again."""

import pytest
from django.urls import reverse

from api.tests.factories import ApplicationFactory, bearer
from people.tests.factories import learner_in


@pytest.fixture
def allowed(public_service):
    person = learner_in(public_service["DIV-A1-HR"])
    application = ApplicationFactory.create(
        name="แอปพัฒนาตนเอง",
        authorization_grant_type="authorization-code",
        redirect_uris="https://app.example.go.th/back",
        allowed_scopes="openid profile learning:read",
    )
    headers = bearer(application, scope="profile learning:read", user=person)
    return person, application, headers


def test_the_account_page_lists_the_applications_a_person_allowed(client, allowed):
    person, _application, _headers = allowed
    client.force_login(person)
    page = client.get(reverse("account:profile")).content.decode()
    assert "แอปพลิเคชันที่คุณอนุญาต" in page
    assert "แอปพัฒนาตนเอง" in page
    assert "ความก้าวหน้า" in page  # what it may do, in words


def test_nobody_gets_the_card_until_they_allowed_an_application(client, public_service):
    person = learner_in(public_service["DIV-A1-HR"])
    client.force_login(person)
    assert "แอปพลิเคชันที่คุณอนุญาต" not in client.get(reverse("account:profile")).content.decode()


def test_withdrawing_ends_the_applications_access_at_once(client, allowed):
    person, application, headers = allowed
    assert client.get("/api/v1/me/", **headers).status_code == 200
    client.force_login(person)
    answer = client.post(
        reverse("account:profile"),
        {"applications": [application.pk], "save_applications": "1"},
        follow=True,
    )
    assert "แอปพัฒนาตนเอง" in answer.content.decode()  # the confirmation names it
    assert client.get("/api/v1/me/", **headers).status_code == 401
    assert "แอปพลิเคชันที่คุณอนุญาต" not in client.get(reverse("account:profile")).content.decode()


def test_a_person_cannot_withdraw_someone_elses_permission(client, allowed, public_service):
    _person, application, headers = allowed
    stranger = learner_in(public_service["DIV-A1-ICT"])
    client.force_login(stranger)
    client.post(reverse("account:profile"), {"applications": [application.pk], "save_applications": "1"})
    assert client.get("/api/v1/me/", **headers).status_code == 200
