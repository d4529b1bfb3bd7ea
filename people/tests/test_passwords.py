"""Passwords on the common lists are refused wherever a password is set, and a new password
ends the account's other sessions (a reset ends all of them)."""

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client

from people.forms import ThaksaUserCreationForm, ThaksaUserEditForm
from people.tests.factories import PASSWORD, learner

pytestmark = pytest.mark.django_db

COMMON = "qwertyuiop"
NEW = "a-new-secret-2570"
TOO_COMMON_TH = "รหัสผ่านนี้เป็นรหัสผ่านที่ใช้กันทั่วไป"


@pytest.fixture(autouse=True)
def empty_rate_limits():
    """Reset requests are counted per client in the cache, which outlives a test's database."""
    cache.clear()
    yield
    cache.clear()


def signed_in(client: Client) -> bool:
    """Whether the client's session still belongs to somebody (a JSON request skips the
    privacy notice, which would otherwise come first)."""
    return client.get("/account/", headers={"accept": "application/json"}).status_code == 200


def signed_in_browser(user) -> Client:
    client = Client()
    client.post("/account/sign-in/", {"username": user.email, "password": PASSWORD})
    assert signed_in(client)
    return client


def reset_form_path(client: Client, email: str) -> str:
    client.post("/account/password-reset/", {"email": email})
    link = next(line for line in mail.outbox[-1].body.splitlines() if "/account/password-reset/" in line)
    return client.get(link.split("testserver", 1)[1].strip(), follow=True).redirect_chain[-1][0]


def test_changing_to_a_common_password_is_refused_in_thai():
    user = learner()
    client = signed_in_browser(user)

    response = client.post(
        "/account/password/", {"old_password": PASSWORD, "new_password1": COMMON, "new_password2": COMMON}
    )

    assert response.status_code == 200
    assert TOO_COMMON_TH in response.text
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_resetting_to_a_common_password_is_refused():
    user = learner()
    client = Client()

    response = client.post(
        reset_form_path(client, user.email), {"new_password1": COMMON, "new_password2": COMMON}
    )

    assert TOO_COMMON_TH in response.text
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_an_administrator_cannot_give_an_account_a_common_password():
    creation = ThaksaUserCreationForm(
        data={
            "email": "new.person@agency.go.th", "first_name": "สมหญิง", "last_name": "ใจดี",
            "title": "mrs", "first_name_en": "Somying", "last_name_en": "Jaidee",
            "preferred_language": "th", "password1": COMMON, "password2": COMMON,
        }
    )  # fmt: skip
    person = learner()
    edit = ThaksaUserEditForm(
        instance=person,
        data={
            "email": person.email, "first_name": person.first_name, "last_name": person.last_name,
            "title": person.title, "first_name_en": person.first_name_en, "last_name_en": person.last_name_en,
            "preferred_language": "th", "password1": COMMON, "password2": COMMON, "is_active": "on",
        },
    )  # fmt: skip

    assert not creation.is_valid()
    assert "password2" in creation.errors.as_data()
    assert any(e.code == "password_too_common" for e in creation.errors.as_data()["password2"])
    assert not edit.is_valid()
    assert any(e.code == "password_too_common" for e in edit.errors.as_data()["password2"])


def test_changing_the_password_ends_the_other_sessions_and_keeps_this_one():
    user = learner()
    laptop, phone = signed_in_browser(user), signed_in_browser(user)

    laptop.post("/account/password/", {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW})

    assert signed_in(laptop)
    assert not signed_in(phone)


def test_resetting_the_password_ends_every_session_including_the_one_that_reset_it():
    user = learner()
    laptop, phone = signed_in_browser(user), signed_in_browser(user)

    laptop.post(reset_form_path(laptop, user.email), {"new_password1": NEW, "new_password2": NEW})

    user.refresh_from_db()
    assert user.check_password(NEW)
    assert not signed_in(laptop)
    assert not signed_in(phone)
