"""Sign-in with an OpenID Connect provider, end to end over HTTP: Thaksa as the relying party
(django-allauth) against a provider the test starts, here Thaksa's own OpenID provider on the
same live server under its other loopback name, made to give a ThaID-like `pid` claim.

The person's browser is a requests session: it holds the relying party's cookies under one
name (localhost) and the provider's under the other (127.0.0.1), as two sites would."""

import re
from html import unescape
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

import pytest
import requests
from allauth.socialaccount.models import SocialAccount
from django.test import Client

from api.models import Application
from api.oauth import ThaksaOAuth2Validator
from api.scopes import PROFILE
from identity.tests.totp import authenticator_code
from people.models import User
from people.national_id import national_id_hash
from people.tests.factories import learner_in

# A valid national ID number (its check digit is right) and another.
PID = "1101700230708"
OTHER_PID = "3100600123450"
SECRET = "provider-secret-" + "x" * 40


@pytest.fixture
def sites(live_server):
    """(the relying party's address, the provider's): one server, two names."""
    host, port = live_server.url.removeprefix("http://").rsplit(":", 1)
    other = "127.0.0.1" if host == "localhost" else "localhost"
    return live_server.url, f"http://{other}:{port}"


@pytest.fixture
def thaid_like(sites, settings, monkeypatch, site_tree, public_service):
    """Thaksa's own provider, registered as an application, configured in settings as the
    relying party's "ThaID"; its ID tokens and userinfo carry `pid` as ThaID's do."""
    rp, op = sites
    Application.objects.create(
        name="Thaksa sign-in test",
        client_id="thaksa-rp",
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=f"{rp}/account/sign-in/oidc/thaid/login/callback/",
        allowed_scopes="openid profile email",
        algorithm=Application.RS256_ALGORITHM,
        client_secret=SECRET,
        skip_authorization=True,
    )
    pids: dict[int, str] = {}
    monkeypatch.setitem(ThaksaOAuth2Validator.oidc_claim_scope, "pid", PROFILE)
    original = ThaksaOAuth2Validator.get_additional_claims

    def with_pid(self, request):
        return {**original(self, request), "pid": pids.get(request.user.pk)}

    monkeypatch.setattr(ThaksaOAuth2Validator, "get_additional_claims", with_pid)
    configure(settings, op, create_accounts=True)
    return pids


def configure(settings, op: str, scope=("openid", "profile"), **thaksa) -> None:
    entry = {
        "name_en": "ThaID",
        "claims": {"national_id": "pid", "given_name": "given_name", "family_name": "family_name"},
        "trust_email": False,
        "create_accounts": True,
        **thaksa,
    }
    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {
            "APPS": [
                {
                    "provider_id": "thaid",
                    "name": "ThaID",
                    "client_id": "thaksa-rp",
                    "secret": SECRET,
                    "settings": {
                        "server_url": f"{op}/o",
                        "scope": list(scope),
                        "oauth_pkce_enabled": True,
                        "thaksa": entry,
                    },
                }
            ]
        }
    }


def signed_in_at_provider(op: str, person: User) -> requests.Session:
    client = Client()
    client.force_login(person)
    browser = requests.Session()
    browser.cookies.set("sessionid", client.cookies["sessionid"].value, domain=urlsplit(op).hostname)
    return browser


def csrf_form(page: requests.Response) -> dict[str, str]:
    return {
        unescape(name): unescape(value)
        for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page.text)
    }


def start_sign_in(browser: requests.Session, rp: str, *, next_url: str = "/my/") -> requests.Response:
    """From Thaksa's sign-in page, the button "Sign in with ThaID": the answer sends the
    browser to the provider."""
    page = browser.get(f"{rp}/account/sign-in/?{urlencode({'next': next_url})}")
    assert page.status_code == 200
    action = re.search(r'<form method="post" action="([^"]*/sign-in/oidc/thaid/login/[^"]*)"', page.text)
    assert action, "the sign-in page offers ThaID"
    leaving = browser.post(f"{rp}{unescape(action.group(1))}", data=csrf_form(page), allow_redirects=False)
    assert leaving.status_code == 302, leaving.text[:300]
    return leaving


def sign_in_with_provider(
    browser: requests.Session, rp: str, *, tamper_state: bool = False
) -> requests.Response:
    leaving = start_sign_in(browser, rp)
    at_provider = browser.get(leaving.headers["Location"], allow_redirects=False)
    assert at_provider.status_code == 302, at_provider.text[:500]
    back = at_provider.headers["Location"]
    assert back.startswith(f"{rp}/account/sign-in/oidc/thaid/login/callback/")
    if tamper_state:
        parts = urlsplit(back)
        query = parse_qs(parts.query)
        query["state"] = ["forged" + query["state"][0][6:]]
        back = urlunsplit(parts._replace(query=urlencode(query, doseq=True)))
    return browser.get(back, allow_redirects=False)


def signed_in_as(browser: requests.Session, rp: str) -> str | None:
    """The address shown on "my account", or None when the browser is not signed in."""
    page = browser.get(f"{rp}/account/", allow_redirects=False)
    if page.status_code != 200:
        return None
    found = re.search(r"· ([^<\s]+@[^<\s]+)</p>", page.text)
    return found.group(1) if found else None


def imported_by_the_agency(public_service, email: str, pid: str, **names) -> User:
    """An account an agency's staff list made, with the person's national ID; never used."""
    staff = learner_in(public_service["DEPT-A1"], email=email, **names)
    staff.national_id_hash = national_id_hash(pid)
    staff.set_unusable_password()
    staff.save()
    return staff


def test_a_first_sign_in_links_to_the_agencys_account_by_national_id_and_a_returning_one_finds_it(
    sites, thaid_like, public_service
):
    rp, op = sites
    staff = imported_by_the_agency(
        public_service, "somchai@a.go.th", PID, first_name="สมชาย", last_name="ใจดี"
    )
    at_thaid = learner_in(
        public_service["MIN-B"], email="somchai.thaid@example.th", first_name="สมชาย", last_name="ใจ ดี"
    )
    thaid_like[at_thaid.pk] = PID
    accounts_before = User.objects.count()

    browser = signed_in_at_provider(op, at_thaid)
    back = sign_in_with_provider(browser, rp)
    assert back.status_code == 302
    assert back.headers["Location"] == "/my/"
    assert signed_in_as(browser, rp) == "somchai@a.go.th"
    assert User.objects.count() == accounts_before

    link = SocialAccount.objects.get(user=staff)
    stored = f"{link.uid} {link.extra_data} " + " ".join(
        str(value) for row in User.objects.values() for value in row.values()
    )
    assert PID not in stored
    assert "1-1017" not in stored, "the national ID number is stored nowhere in clear"
    assert link.extra_data["national_id_hash"] == national_id_hash(PID)
    assert str(at_thaid.pk) != link.uid, "the provider's subject is kept only hashed"

    # A returning person, in a new browser: the same account, through the stored link.
    again = signed_in_at_provider(op, at_thaid)
    assert sign_in_with_provider(again, rp).status_code == 302
    assert signed_in_as(again, rp) == "somchai@a.go.th"
    assert SocialAccount.objects.count() == 1
    assert User.objects.count() == accounts_before


def test_a_first_sign_in_matching_no_account_makes_one_with_the_providers_names(
    sites, thaid_like, public_service
):
    rp, op = sites
    at_thaid = learner_in(
        public_service["MIN-B"], email="new.person@example.th", first_name="มานี", last_name="มีนา"
    )
    thaid_like[at_thaid.pk] = OTHER_PID
    browser = signed_in_at_provider(op, at_thaid)
    assert sign_in_with_provider(browser, rp).status_code == 302

    made = SocialAccount.objects.get().user
    assert made.pk != at_thaid.pk
    assert (made.first_name, made.last_name) == ("มานี", "มีนา")
    assert made.email.endswith("@sign-in.invalid")
    assert not made.has_usable_password()
    assert made.national_id_hash == national_id_hash(OTHER_PID)
    assert signed_in_as(browser, rp) == made.email


def test_a_forged_state_is_refused_and_signs_nobody_in(sites, thaid_like, public_service):
    rp, op = sites
    at_thaid = learner_in(public_service["MIN-B"], email="someone@example.th")
    thaid_like[at_thaid.pk] = PID
    browser = signed_in_at_provider(op, at_thaid)
    refused = sign_in_with_provider(browser, rp, tamper_state=True)
    assert refused.status_code == 401
    assert "เข้าสู่ระบบไม่สำเร็จ" in refused.text
    assert signed_in_as(browser, rp) is None
    assert not SocialAccount.objects.exists()


def test_an_address_the_provider_does_not_vouch_for_never_links(sites, thaid_like, settings, public_service):
    """Thaksa's own provider says email_verified: false, so its address must not take over
    the account that has it, even with `trust_email` on."""
    rp, op = sites
    configure(
        settings,
        op,
        scope=("openid", "profile", "email"),
        claims={"email": "email", "given_name": "given_name"},
        trust_email=True,
        create_accounts=True,
    )
    owner = learner_in(public_service["DEPT-A1"], email="owner@a.go.th")
    browser = signed_in_at_provider(op, owner)
    refused = sign_in_with_provider(browser, rp)
    assert refused.status_code == 403
    assert "ผู้ให้บริการไม่ได้ยืนยันว่าอีเมลนี้เป็นของคุณ" in refused.text
    assert signed_in_as(browser, rp) is None
    assert not SocialAccount.objects.exists()


def test_without_account_creation_a_stranger_is_told_whom_to_ask(sites, thaid_like, settings, public_service):
    rp, op = sites
    configure(settings, op, create_accounts=False)
    stranger = learner_in(public_service["MIN-B"], email="stranger@example.th")
    thaid_like[stranger.pk] = OTHER_PID
    accounts_before = User.objects.count()
    browser = signed_in_at_provider(op, stranger)
    refused = sign_in_with_provider(browser, rp)
    assert refused.status_code == 403
    assert signed_in_as(browser, rp) is None
    assert User.objects.count() == accounts_before


def test_a_provider_sign_in_still_asks_for_the_second_step(sites, thaid_like, public_service):
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    rp, op = sites
    staff = imported_by_the_agency(
        public_service, "admin.like@a.go.th", PID, first_name="กมล", last_name="สุขใจ"
    )
    secret = generate_totp_secret()
    TOTP.activate(staff, secret)
    at_thaid = learner_in(public_service["MIN-B"], email="x@example.th", first_name="กมล", last_name="สุขใจ")
    thaid_like[at_thaid.pk] = PID

    browser = signed_in_at_provider(op, at_thaid)
    back = sign_in_with_provider(browser, rp)
    assert back.status_code == 302
    assert back.headers["Location"].endswith("/account/two-step/authenticate/")
    assert signed_in_as(browser, rp) is None, "not signed in before the code"
    page = browser.get(f"{rp}/account/two-step/authenticate/")
    done = browser.post(
        f"{rp}/account/two-step/authenticate/",
        data={**csrf_form(page), "code": authenticator_code(secret)},
        allow_redirects=False,
    )
    assert done.status_code == 302
    assert done.headers["Location"] == "/my/"
    assert signed_in_as(browser, rp) == "admin.like@a.go.th"


@pytest.mark.parametrize("used", ["signed in before", "has a password", "other names"])
def test_a_national_id_never_takes_over_an_account_someone_uses_or_another_persons(
    sites, thaid_like, public_service, used
):
    """Whoever sends the staff file could record their own number on someone else's account:
    the number links only an unused account whose names are the provider's."""
    rp, op = sites
    victim = imported_by_the_agency(public_service, "victim@a.go.th", PID, first_name="วิไล", last_name="ศรีสุข")
    if used == "signed in before":
        victim.last_login = victim.date_joined
    elif used == "has a password":
        victim.set_password("the victim's own")
    victim.save()
    names = {"first_name": "สมหมาย", "last_name": "ปลอมตัว"} if used == "other names" else {
        "first_name": "วิไล", "last_name": "ศรีสุข"}  # fmt: skip
    at_thaid = learner_in(public_service["MIN-B"], email="someone@example.th", **names)
    thaid_like[at_thaid.pk] = PID
    browser = signed_in_at_provider(op, at_thaid)
    refused = sign_in_with_provider(browser, rp)
    assert refused.status_code == 403
    assert "เชื่อมเองไม่ได้" in refused.text
    assert signed_in_as(browser, rp) is None
    assert not SocialAccount.objects.exists()
