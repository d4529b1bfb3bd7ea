"""Thai first, English on request, and the choice remembered per person."""

import pytest

from people.models import User
from people.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def switch(client, language, next_url="/"):
    return client.post("/language/", {"language": language, "next": next_url})


def test_pages_are_thai_even_for_an_english_browser(client):
    response = client.get("/account/sign-in/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")

    assert '<html lang="th">' in response.text
    assert "เข้าสู่ระบบ" in response.text
    assert response["Content-Language"] == "th"


def test_visitor_can_switch_to_english_and_back(client):
    response = switch(client, "en", "/account/sign-in/")
    assert response.status_code == 302
    assert response["Location"] == "/account/sign-in/"

    page = client.get("/account/sign-in/")
    assert '<html lang="en">' in page.text
    assert "Forgotten your password?" in page.text

    switch(client, "th")
    assert "ลืมรหัสผ่าน?" in client.get("/account/sign-in/").text


def test_a_signed_in_persons_choice_follows_them_to_another_browser(client):
    user = UserFactory()
    client.force_login(user)
    switch(client, "en")

    assert User.objects.get(pk=user.pk).preferred_language == "en"

    from django.test import Client

    other_browser = Client()
    other_browser.post("/account/sign-in/", {"username": user.email, "password": PASSWORD})
    assert '<html lang="en">' in other_browser.get("/account/").text


def test_choice_made_before_signing_in_is_kept_when_none_was_saved(client):
    user = UserFactory(preferred_language="")
    switch(client, "en")

    client.post("/account/sign-in/", {"username": user.email, "password": PASSWORD})

    assert User.objects.get(pk=user.pk).preferred_language == "en"


def test_saved_choice_wins_over_this_browsers_cookie(client):
    user = UserFactory(preferred_language="th")
    switch(client, "en")

    client.post("/account/sign-in/", {"username": user.email, "password": PASSWORD})

    assert '<html lang="th">' in client.get("/account/").text


def test_unknown_language_is_refused_with_a_reason(client):
    response = switch(client, "fr")

    assert response.status_code == 400
    assert "th" in response.text
    assert "en" in response.text


def test_switch_never_redirects_to_another_site(client):
    response = switch(client, "en", "https://evil.example/phish")

    assert response["Location"] == "/"
