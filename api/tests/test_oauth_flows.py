"""Each OAuth2 / OpenID Connect flow end to end, over HTTP against a live server, driven by an
independent client library (Authlib) and checked with an independent JOSE library (joserfc)."""

import re
import secrets
from html import unescape

import pytest
import requests
from authlib.common.security import generate_token
from authlib.integrations.requests_client import OAuth2Session
from django.test import Client
from joserfc import jwt
from joserfc.jwk import KeySet

from api.models import Application
from people.tests.factories import learner_in

REDIRECT = "http://127.0.0.1:9/callback"
SECRET = "s3cret-" + "x" * 40


@pytest.fixture
def people(site_tree, public_service):
    return {
        "learner": learner_in(
            public_service["DIV-A1-HR"], email="somsri@a.go.th", first_name="สมศรี", last_name="ใจงาม"
        ),
        "outsider": learner_in(public_service["MIN-B"], email="outsider@b.go.th"),
        "unit": public_service["DEPT-A1"],
    }


def web_app(unit, scopes="openid profile learning:read") -> Application:
    application: Application = Application.objects.create(
        name="ระบบบุคลากรกรม A",
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=REDIRECT,
        allowed_scopes=scopes,
        unit=unit,
        algorithm=Application.RS256_ALGORITHM,
        client_secret=SECRET,
    )
    return application


def signed_in_browser(user) -> requests.Session:
    client = Client()
    client.force_login(user)
    browser = requests.Session()
    browser.cookies.set("sessionid", client.cookies["sessionid"].value)
    return browser


def consent(browser: requests.Session, url: str, live_url: str, *, allow: bool = True) -> str:
    """Open the consent screen and answer it; the address the browser is sent back to."""
    page = browser.get(url, allow_redirects=False)
    assert page.status_code == 200, page.text[:500]
    fields = {
        unescape(name): unescape(value)
        for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page.text)
    }
    assert "csrfmiddlewaretoken" in fields
    if allow:
        fields["allow"] = "Authorize"
    answer = browser.post(f"{live_url}/o/authorize/", data=fields, allow_redirects=False)
    assert answer.status_code == 302, answer.text[:500]
    return answer.headers["Location"]


def test_authorization_code_with_pkce_gives_id_token_userinfo_and_api_access(live_server, people):
    app = web_app(people["unit"])
    discovery = requests.get(timeout=10, url=f"{live_server.url}/o/.well-known/openid-configuration").json()
    assert discovery["authorization_endpoint"].endswith("/o/authorize/")
    assert "S256" in discovery["code_challenge_methods_supported"]
    jwks = requests.get(timeout=10, url=discovery["jwks_uri"]).json()
    assert len(jwks["keys"]) == 2  # the key in use and a retired one, still published

    oauth = OAuth2Session(
        app.client_id,
        SECRET,
        scope="openid profile learning:read",
        redirect_uri=REDIRECT,
        code_challenge_method="S256",
    )
    verifier, nonce = generate_token(48), generate_token(16)
    url, state = oauth.create_authorization_url(
        discovery["authorization_endpoint"], code_verifier=verifier, nonce=nonce
    )
    browser = signed_in_browser(people["learner"])
    screen = browser.get(url).text
    assert "ระบบบุคลากรกรม A" in screen
    assert "learning:read" in screen  # the scope by name
    assert "ความก้าวหน้า" in screen  # and in plain Thai words

    back = consent(browser, url, live_server.url)
    assert back.startswith(REDIRECT)
    assert f"state={state}" in back
    token = oauth.fetch_token(
        discovery["token_endpoint"], authorization_response=back, code_verifier=verifier
    )
    assert set(token["scope"].split()) == {"openid", "profile", "learning:read"}

    claims = jwt.decode(token["id_token"], KeySet.import_key_set(jwks)).claims
    assert claims["iss"] == discovery["issuer"]
    assert claims["aud"] == app.client_id
    assert claims["nonce"] == nonce
    assert claims["sub"] == str(people["learner"].pk)
    assert claims["given_name"] == "สมศรี"
    assert "email" not in claims  # not asked for

    info = oauth.get(discovery["userinfo_endpoint"]).json()
    assert info["family_name"] == "ใจงาม"
    assert "email" not in info
    me = oauth.get(f"{live_server.url}/api/v1/me/")
    assert me.status_code == 200
    assert me.json()["id"] == people["learner"].pk
    enrolments = oauth.get(f"{live_server.url}/api/v1/enrolments/")
    assert enrolments.status_code == 200

    # Refresh tokens rotate, and introspection tells a resource server the new token is alive.
    first_refresh = token["refresh_token"]
    renewed = oauth.refresh_token(discovery["token_endpoint"])
    assert renewed["refresh_token"] != first_refresh
    introspect = f"{live_server.url}/o/introspect/"
    alive = requests.post(
        timeout=10, url=introspect, data={"token": renewed["access_token"]}, auth=(app.client_id, SECRET)
    ).json()
    assert alive["active"] is True
    assert alive["client_id"] == app.client_id
    # The old refresh token used again is refused and ends the whole family: a thief and the
    # client cannot both go on.
    reuse = requests.post(
        timeout=10,
        url=discovery["token_endpoint"],
        data={"grant_type": "refresh_token", "refresh_token": first_refresh},
        auth=(app.client_id, SECRET),
    )
    assert reuse.status_code == 400
    assert reuse.json()["error"] == "invalid_grant"
    successor = requests.post(
        timeout=10,
        url=discovery["token_endpoint"],
        data={"grant_type": "refresh_token", "refresh_token": renewed["refresh_token"]},
        auth=(app.client_id, SECRET),
    )
    assert successor.status_code == 400
    dead = requests.post(
        timeout=10, url=introspect, data={"token": renewed["access_token"]}, auth=(app.client_id, SECRET)
    ).json()
    assert dead["active"] is False
    assert oauth.get(f"{live_server.url}/api/v1/enrolments/").status_code == 401


def test_a_code_request_without_pkce_is_refused(live_server, people):
    app = web_app(people["unit"])
    browser = signed_in_browser(people["learner"])
    page = browser.get(
        f"{live_server.url}/o/authorize/",
        params={
            "response_type": "code",
            "client_id": app.client_id,
            "redirect_uri": REDIRECT,
            "scope": "openid",
            "state": "x",
        },
        allow_redirects=False,
    )
    refused = page.status_code == 302 and "error=invalid_request" in page.headers["Location"]
    assert refused or (page.status_code in (200, 400) and "authorizationForm" not in page.text)


def test_a_refused_consent_returns_an_error_and_no_code(live_server, people):
    app = web_app(people["unit"])
    oauth = OAuth2Session(
        app.client_id, SECRET, scope="openid", redirect_uri=REDIRECT, code_challenge_method="S256"
    )
    url, _state = oauth.create_authorization_url(
        f"{live_server.url}/o/authorize/", code_verifier=generate_token(48)
    )
    back = consent(signed_in_browser(people["learner"]), url, live_server.url, allow=False)
    assert "error=access_denied" in back
    assert "code=" not in back


def test_scopes_beyond_the_registration_are_refused(live_server, people):
    app = web_app(people["unit"], scopes="openid profile")
    oauth = OAuth2Session(
        app.client_id,
        SECRET,
        scope="openid people:write",
        redirect_uri=REDIRECT,
        code_challenge_method="S256",
    )
    url, _state = oauth.create_authorization_url(
        f"{live_server.url}/o/authorize/", code_verifier=generate_token(48)
    )
    page = signed_in_browser(people["learner"]).get(url, allow_redirects=False)
    assert page.status_code == 302
    assert "error=invalid_scope" in page.headers["Location"]


def test_client_credentials_reads_its_agency_only(live_server, people):
    secret = secrets.token_urlsafe(32)
    app = Application.objects.create(
        name="HR sync",
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_CLIENT_CREDENTIALS,
        allowed_scopes="people:read learning:read",
        unit=people["unit"],
        client_secret=secret,
    )
    stored = Application.objects.get(pk=app.pk).client_secret
    assert secret not in stored  # kept hashed
    oauth = OAuth2Session(app.client_id, secret)
    token = oauth.fetch_token(f"{live_server.url}/o/token/", grant_type="client_credentials")
    assert set(token["scope"].split()) == {"people:read", "learning:read"}
    assert "refresh_token" not in token
    listed = oauth.get(f"{live_server.url}/api/v1/people/").json()
    emails = {row["email"] for row in listed["results"]}
    assert emails == {"somsri@a.go.th"}
    # Revocation ends the token at once.
    revoked = requests.post(
        timeout=10,
        url=f"{live_server.url}/o/revoke_token/",
        data={"token": token["access_token"]},
        auth=(app.client_id, secret),
    )
    assert revoked.status_code == 200
    assert oauth.get(f"{live_server.url}/api/v1/people/").status_code == 401
    wrong = OAuth2Session(app.client_id, "not-the-secret")
    with pytest.raises(Exception, match="invalid_client"):
        wrong.fetch_token(f"{live_server.url}/o/token/", grant_type="client_credentials")
