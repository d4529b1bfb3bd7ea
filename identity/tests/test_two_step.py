"""The second step at sign-in (django-allauth's TOTP and recovery codes behind Thaksa's own
sign-in page), and the rule that administrators, HR managers and data protection officers
must have one (identity.policies)."""

import re
from html import unescape

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core.cache import cache
from django.test import Client

from identity.tests.totp import authenticator_code
from people.models import Role
from people.services import role_assign
from people.tests.factories import PASSWORD, hr_manager_of, learner

pytestmark = pytest.mark.django_db

SIGN_IN = "/account/sign-in/"
CODE_PAGE = "/account/two-step/authenticate/"
SETUP = "/account/two-step/totp/activate/"


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()  # used codes and rate limits live there
    yield
    cache.clear()


@pytest.fixture
def required(settings):
    settings.THAKSA_TWO_STEP_REQUIRED = True


def is_signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def with_authenticator(user) -> str:
    secret: str = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def shown_secret(page: str) -> str:
    """The key the setup page shows for typing into an app without a camera."""
    found = re.search(r'<code class="totp-secret">([^<]+)</code>', page)
    assert found, "the setup page shows the key"
    return unescape(found.group(1))


def sign_in(client: Client, user, next_url: str = "/my/"):
    return client.post(f"{SIGN_IN}?next={next_url}", {"username": user.email, "password": PASSWORD})


def test_a_password_alone_does_not_sign_in_someone_with_an_authenticator():
    person = learner()
    secret = with_authenticator(person)
    client = Client()

    asked = sign_in(client, person)
    assert asked.status_code == 302
    assert asked["Location"] == CODE_PAGE
    assert not is_signed_in(client)
    assert client.get("/my/")["Location"].startswith(SIGN_IN)
    page = client.get(CODE_PAGE)
    assert "ขั้นที่สอง" in page.text
    assert 'autocomplete="one-time-code"' in page.text

    wrong = client.post(CODE_PAGE, {"code": "000000" if authenticator_code(secret) != "000000" else "111111"})
    assert wrong.status_code == 200
    assert "รหัสไม่ถูกต้อง" in wrong.text
    assert not is_signed_in(client)

    done = client.post(CODE_PAGE, {"code": authenticator_code(secret)})
    assert done.status_code == 302
    assert done["Location"] == "/my/"
    assert is_signed_in(client)


def test_a_code_is_used_once_and_a_recovery_code_works_once():
    person = learner()
    secret = with_authenticator(person)
    recovery = RecoveryCodes.activate(person).get_unused_codes()[0]
    code = authenticator_code(secret)

    first = Client()
    sign_in(first, person)
    assert first.post(CODE_PAGE, {"code": code}).status_code == 302
    replayed = Client()
    sign_in(replayed, person)
    assert replayed.post(CODE_PAGE, {"code": code}).status_code == 200, "a code seen once is spent"
    assert not is_signed_in(replayed)

    assert replayed.post(CODE_PAGE, {"code": recovery}).status_code == 302
    assert is_signed_in(replayed)
    again = Client()
    sign_in(again, person)
    assert again.post(CODE_PAGE, {"code": recovery}).status_code == 200
    assert not is_signed_in(again)


# allauth announces a new authenticator when the transaction commits, as in production:
# a test in one transaction would never see it.
@pytest.mark.django_db(transaction=True)
def test_an_hr_manager_sets_up_the_second_step_before_anything_else(required, public_service):
    manager = hr_manager_of(public_service["DEPT-A1"])
    client = Client()
    signed = sign_in(client, manager, next_url="/dashboard/")
    assert signed.status_code == 302
    assert signed["Location"] == "/dashboard/"

    refused = client.post("/dashboard/assignments/new/", {})
    assert refused.status_code == 403
    assert "ขั้นที่สอง" in refused.text
    sent = client.get("/dashboard/")
    assert sent.status_code == 302
    assert sent["Location"] == SETUP

    page = client.get(SETUP)
    assert page.status_code == 200
    assert "บทบาท" in page.text  # the message says why: their role
    secret = shown_secret(page.text)
    assert 'src="data:image/svg+xml' in page.text
    turned_on = client.post(SETUP, {"code": authenticator_code(secret)})
    assert turned_on.status_code == 302
    codes = client.get(turned_on["Location"])
    assert len(re.findall(r"<li><code>", codes.text)) == 10
    onwards = client.get("/account/two-step/done/")
    assert onwards["Location"] == "/dashboard/"
    assert client.get("/dashboard/").status_code == 200

    # It is required: the last authenticator cannot be removed.
    removed = client.post("/account/two-step/totp/deactivate/")
    assert removed.status_code == 200
    assert "บทบาท" in removed.text
    assert Authenticator.objects.filter(user=manager, type="totp").exists()

    # The next sign-in asks for the code.
    client.post("/account/sign-out/")
    assert sign_in(Client(), manager)["Location"] == CODE_PAGE


@pytest.mark.parametrize("role", [Role.PLATFORM_ADMIN, Role.DATA_PROTECTION_OFFICER])
def test_administrators_and_data_protection_officers_must_have_it_too(required, role):
    person = learner()
    role_assign(user=person, role=role)
    client = Client()
    sign_in(client, person)
    assert client.get("/admin/")["Location"] == SETUP


def test_a_superuser_must_have_it(required):
    person = learner(is_superuser=True)
    client = Client()
    sign_in(client, person)
    assert client.get("/my/")["Location"] == SETUP


# allauth announces a new authenticator when the transaction commits, as in production:
# a test in one transaction would never see it.
@pytest.mark.django_db(transaction=True)
def test_a_learner_is_never_asked_but_may_turn_it_on_and_off(required):
    person = learner()
    client = Client()
    sign_in(client, person)
    assert client.get("/my/").status_code == 200
    page = client.get(SETUP)
    secret = shown_secret(page.text)
    assert client.post(SETUP, {"code": authenticator_code(secret)}).status_code == 302
    assert client.post("/account/two-step/totp/deactivate/").status_code == 302
    assert not Authenticator.objects.filter(user=person, type="totp").exists()


def test_a_while_after_signing_in_a_change_asks_to_confirm_it_is_you(settings):
    person = learner()
    client = Client()
    sign_in(client, person)
    session = client.session
    records = session["account_authentication_methods"]
    records[-1]["at"] -= 3600
    session["account_authentication_methods"] = records
    session.save()
    asked = client.get(SETUP)
    assert asked.status_code == 302
    assert asked["Location"].startswith("/account/confirm/")


def test_someone_elses_security_key_cannot_be_seen_renamed_or_removed():
    owner = learner()
    key = Authenticator.objects.create(
        user=owner, type=Authenticator.Type.WEBAUTHN, data={"name": "owner's key"}
    )
    other = learner()
    client = Client()
    sign_in(client, other)
    client.post("/account/confirm/", {"password": PASSWORD})  # "confirm it is you" out of the way
    assert client.get(f"/account/two-step/webauthn/keys/{key.pk}/edit/").status_code == 404
    assert (
        client.post(f"/account/two-step/webauthn/keys/{key.pk}/edit/", {"name": "mine now"}).status_code
        == 404
    )
    assert client.post(f"/account/two-step/webauthn/keys/{key.pk}/remove/").status_code == 404
    key.refresh_from_db()
    assert key.data["name"] == "owner's key"


# allauth announces a new authenticator when the transaction commits, as in production:
# a test in one transaction would never see it.
@pytest.mark.django_db(transaction=True)
def test_a_session_signed_in_with_the_password_alone_is_ended_once_the_account_has_a_second_step(
    required, public_service
):
    """Someone holding an HR manager's password signs in before the manager has set up a
    second step; the manager then sets one up elsewhere. The first session must not go on."""
    manager = hr_manager_of(public_service["DEPT-A1"])
    intruder = Client()
    sign_in(intruder, manager)
    assert intruder.get("/dashboard/")["Location"] == SETUP

    owner = Client()
    sign_in(owner, manager)
    secret = shown_secret(owner.get(SETUP).text)
    owner.post(SETUP, {"code": authenticator_code(secret)})
    assert owner.get("/dashboard/").status_code == 200

    # Not even the second step's own pages: the recovery codes are what the intruder wants.
    ended = intruder.get("/account/two-step/recovery-codes/")
    assert ended.status_code == 302
    assert ended["Location"] == SIGN_IN
    assert not is_signed_in(intruder)
    assert intruder.post("/account/confirm/", {"password": PASSWORD}).status_code == 302
    assert not is_signed_in(intruder)


def test_code_guesses_are_limited_by_the_clients_address_behind_the_proxies(settings):
    """allauth's limits count by lms.client_ip, not by the proxy's address all clients share."""
    settings.THAKSA_TRUSTED_PROXY_COUNT = 1
    guesser, person = learner(), learner()
    with_authenticator(guesser)
    secret = with_authenticator(person)
    for _ in range(12):
        client = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.7")
        client.post(f"{SIGN_IN}?next=/my/", {"username": guesser.email, "password": PASSWORD})
        client.post(CODE_PAGE, {"code": "000000"})
    honest = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.9")
    sign_in(honest, person)
    assert honest.post(CODE_PAGE, {"code": authenticator_code(secret)}).status_code == 302
    assert is_signed_in(honest)
