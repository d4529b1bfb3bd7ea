"""Failed sign-ins lock the sign-in for a while, on the site and in the admin; password reset
requests are limited; neither tells anybody whether an address has an account."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.core.cache import cache
from django.db.models import F
from django.test import Client

from people.models import Role
from people.services import role_assign
from people.tests.factories import PASSWORD, learner

pytestmark = pytest.mark.django_db

SIGN_IN = "/account/sign-in/"
ADMIN_SIGN_IN = "/admin/login/"
RESET = "/account/password-reset/"
OFFICE = "203.0.113.10"


@pytest.fixture(autouse=True)
def empty_rate_limits():
    """Reset request counts live in the cache, which outlives a test's database."""
    cache.clear()
    yield
    cache.clear()


def browser(address: str = OFFICE) -> Client:
    return Client(REMOTE_ADDR=address)


def sign_in(client: Client, email: str, password: str, path: str = SIGN_IN):
    return client.post(path, {"username": email, "password": password})


def is_signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def test_the_right_password_after_five_wrong_ones_is_refused_with_the_wait_and_the_reset():
    user = learner()
    client = browser()

    for _ in range(4):
        response = sign_in(client, user.email, "wrong-guess")
        assert response.status_code == 200
        assert "อีเมลหรือรหัสผ่านไม่ถูกต้อง" in response.text
    fifth = sign_in(client, user.email, "wrong-guess")
    right = sign_in(client, user.email, PASSWORD)

    for refused in (fifth, right):
        assert refused.status_code == 429
        assert "ระงับการเข้าสู่ระบบชั่วคราว" in refused.text
        assert "ลองใหม่ได้ในอีก 15 นาที" in refused.text
        assert f'href="{RESET}"' in refused.text
    assert not is_signed_in(client)


def test_the_refusal_is_in_english_for_someone_who_chose_english():
    user = learner()
    client = browser()
    client.cookies["thaksa_language"] = "en"

    for _ in range(5):
        response = sign_in(client, user.email, "wrong-guess")

    assert response.status_code == 429
    assert "Signing in is paused" in response.text
    assert "Try again in 15 minutes" in response.text


def test_an_address_without_an_account_is_refused_the_same_way():
    client = browser()

    for _ in range(5):
        response = sign_in(client, "nobody-here@agency.go.th", "wrong-guess")

    assert response.status_code == 429
    assert "ลองใหม่ได้ในอีก 15 นาที" in response.text


def test_a_success_clears_the_failures_before_it():
    user = learner()
    client = browser()
    for _ in range(4):
        sign_in(client, user.email, "wrong-guess")
    sign_in(client, user.email, PASSWORD)
    assert is_signed_in(client)
    client.post("/account/sign-out/")

    for _ in range(4):
        response = sign_in(client, user.email, "wrong-guess")
        assert response.status_code == 200
    sign_in(client, user.email, PASSWORD)

    assert is_signed_in(client)


def test_the_lock_is_for_that_account_from_that_client():
    user, colleague = learner(), learner()
    for _ in range(5):
        sign_in(browser(), user.email.upper(), "wrong-guess")

    at_home = browser("198.51.100.7")
    sign_in(at_home, user.email, PASSWORD)
    same_office = browser()
    sign_in(same_office, colleague.email, PASSWORD)
    typed_otherwise = browser()
    refused = sign_in(typed_otherwise, f"  {user.email.title()} ", PASSWORD)

    assert is_signed_in(at_home)
    assert is_signed_in(same_office)
    assert refused.status_code == 429
    assert not is_signed_in(typed_otherwise)


def test_the_sign_in_opens_again_after_the_cool_off():
    user = learner()
    client = browser()
    for _ in range(5):
        sign_in(client, user.email, "wrong-guess")
    assert sign_in(client, user.email, PASSWORD).status_code == 429

    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=16))
    sign_in(client, user.email, PASSWORD)

    assert is_signed_in(client)


def test_the_wait_shown_counts_down_from_the_last_counted_failure():
    user = learner()
    client = browser()
    for _ in range(5):
        sign_in(client, user.email, "wrong-guess")
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=10))

    response = sign_in(client, user.email, PASSWORD)

    assert "ลองใหม่ได้ในอีก 5 นาที" in response.text


def test_credential_stuffing_from_one_client_is_refused_across_accounts(settings):
    settings.THAKSA_SIGN_IN_FAILURE_LIMIT_PER_CLIENT = 6
    user = learner()
    stuffer = browser()
    for n in range(6):
        sign_in(stuffer, f"leaked{n}@agency.go.th", "leaked-password")

    refused = sign_in(stuffer, user.email, PASSWORD)
    elsewhere = browser("198.51.100.7")
    sign_in(elsewhere, user.email, PASSWORD)

    assert refused.status_code == 429
    assert not is_signed_in(stuffer)
    assert is_signed_in(elsewhere)


def test_one_password_guessed_from_many_clients_is_refused_everywhere(settings):
    settings.THAKSA_SIGN_IN_FAILURE_LIMIT_PER_ACCOUNT = 6
    user = learner()
    for address in ("192.0.2.1", "192.0.2.2", "192.0.2.3"):
        for _ in range(2):
            sign_in(browser(address), user.email, "wrong-guess")

    owner = browser("198.51.100.7")
    refused = sign_in(owner, user.email, PASSWORD)

    assert refused.status_code == 429
    assert not is_signed_in(owner)


def test_the_admin_has_no_sign_in_of_its_own_that_could_skip_the_lock_or_the_second_step():
    """Wagtail's sign-in form would sign people in without the second step (identity/): the
    admin sends everybody to the site's sign-in, which is locked as above."""
    admin = learner()
    role_assign(user=admin, role=Role.PLATFORM_ADMIN)
    client = browser()

    for _ in range(5):
        sign_in(client, admin.email, "wrong-guess")
    posted_to_admin = sign_in(client, admin.email, PASSWORD, path=ADMIN_SIGN_IN)
    assert posted_to_admin.status_code == 302
    assert posted_to_admin["Location"] == "/account/sign-in/?next=%2Fadmin%2F"
    assert not is_signed_in(client)
    sent_on = client.get("/admin/", follow=True)
    assert sent_on.redirect_chain[-1][0] == "/account/sign-in/?next=%2Fadmin%2F"
    refused = sign_in(client, admin.email, PASSWORD)
    assert refused.status_code == 429
    assert "ระงับการเข้าสู่ระบบชั่วคราว" in refused.text


def reset_link(client: Client, email: str) -> str:
    client.post(RESET, {"email": email})
    body = mail.outbox[-1].body
    return next(line for line in body.splitlines() if RESET in line).split("testserver", 1)[1].strip()


def test_resetting_the_password_ends_the_lockout_of_the_account():
    user = learner()
    client = browser()
    for _ in range(5):
        sign_in(client, user.email, "wrong-guess")

    form_page = client.get(reset_link(client, user.email), follow=True)
    client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "a-new-secret-2570", "new_password2": "a-new-secret-2570"},
    )
    sign_in(client, user.email, "a-new-secret-2570")

    assert is_signed_in(client)


def test_reset_requests_for_one_address_stop_sending_after_three_and_the_page_reads_the_same():
    user = learner()
    client = browser()

    answers = [client.post(RESET, {"email": user.email}) for _ in range(4)]
    unknown = client.post(RESET, {"email": "nobody-here@agency.go.th"})

    assert len(mail.outbox) == 3
    for answer in (*answers, unknown):
        assert answer.status_code == 302
        assert answer["Location"] == "/account/password-reset/sent/"


def test_reset_requests_from_one_client_are_limited_with_a_thai_explanation(settings):
    settings.THAKSA_PASSWORD_RESET_RATE_PER_CLIENT = "3/h"
    client = browser()
    for n in range(3):
        assert client.post(RESET, {"email": f"person{n}@agency.go.th"}).status_code == 302

    refused = client.post(RESET, {"email": "another@agency.go.th"})
    other_client = browser("198.51.100.7").post(RESET, {"email": "another@agency.go.th"})

    assert refused.status_code == 429
    assert "มีคำขอตั้งรหัสผ่านใหม่จากเครือข่ายของท่านมากเกินไป" in refused.text
    assert other_client.status_code == 302
