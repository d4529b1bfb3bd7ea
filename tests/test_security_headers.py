"""The headers every response carries (lms/security_headers.py, lms/settings/base.py), and the
templates that make a strict Content-Security-Policy possible: no inline script or handler.

`tests/test_browser_content_security_policy.py` checks in Chromium that the pages work
under the policy."""

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.conf import settings

pytestmark = pytest.mark.django_db

THAKSA_APPS = ["lms", "people", "organisations", "competencies", "themes", "demo", "courses", "scorm",
               "assessments", "certificates", "analytics", "assignments", "audit", "privacy",
               "subject_rights"]  # fmt: skip
ROOT = Path(settings.BASE_DIR)


def policy(response, header: str = "Content-Security-Policy") -> dict[str, list[str]]:
    directives = {}
    for part in response[header].split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def test_an_app_page_allows_only_its_own_scripts_and_this_responses_nonce(client):
    response = client.get("/account/sign-in/")
    csp = policy(response)
    nonce = next(value for value in csp["script-src"] if value.startswith("'nonce-"))
    assert csp["script-src"] == ["'self'", nonce]
    assert csp["style-src"] == ["'self'", nonce]
    assert csp["style-src-attr"] == ["'unsafe-inline'"]  # style="" only: it runs nothing
    assert csp["default-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["base-uri"] == ["'self'"]
    # The lesson's launch form posts to the app, which redirects its frame to the player.
    assert csp["form-action"] == ["'self'", settings.SCORM_CONTENT_ORIGIN]
    assert csp["frame-ancestors"] == ["'self'"]
    assert settings.SCORM_CONTENT_ORIGIN in csp["frame-src"]
    assert "'self'" in csp["frame-src"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]
    # The page's own <style> carries the nonce the header names.
    styles = BeautifulSoup(response.content, "html.parser").find_all("style")
    assert styles
    assert all(f"'nonce-{style['nonce']}'" == nonce for style in styles)
    assert policy(client.get("/account/sign-in/"))["script-src"] != csp["script-src"]  # a new one each time


def test_the_lesson_frames_may_come_from_the_content_origin_of_the_moment(client, settings):
    settings.SCORM_CONTENT_ORIGIN = "https://content.example.go.th"
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "content.example.go.th"]
    csp = policy(client.get("/account/sign-in/"))
    assert "https://content.example.go.th" in csp["frame-src"]
    assert "https://content.example.go.th" in csp["child-src"]
    assert "http://content.testserver" not in csp["frame-src"]


def test_the_admin_gets_its_own_looser_policy_for_wagtails_inline_scripts(client):
    response = client.get("/admin/login/")
    csp = policy(response)
    assert csp["script-src"] == ["'self'", "'unsafe-inline'"]  # no nonce: it would cancel 'unsafe-inline'
    assert csp["style-src"] == ["'self'", "'unsafe-inline'"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]
    assert csp["object-src"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'self'"]
    assert csp["form-action"] == ["'self'", settings.SCORM_CONTENT_ORIGIN]
    assert csp["base-uri"] == ["'self'"]


def test_every_app_response_says_what_the_browser_may_use(client):
    response = client.get("/account/sign-in/")
    features = dict((part.strip().split("=", 1)) for part in response["Permissions-Policy"].split(","))
    for denied in ("camera", "microphone", "geolocation", "payment", "usb", "display-capture", "serial"):
        assert features[denied] == "()", denied
    assert features["fullscreen"].startswith("(self ")
    assert f'"{settings.SCORM_CONTENT_ORIGIN}"' in features["fullscreen"]
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "SAMEORIGIN"


def test_the_content_origin_keeps_its_own_headers(client):
    response = client.get("/scorm/player/not-a-token/", HTTP_HOST="content.testserver")
    assert response["Content-Security-Policy"].startswith("frame-ancestors 'self' ")
    assert "nonce-" not in response["Content-Security-Policy"]
    assert "script-src" not in response["Content-Security-Policy"]  # packages bring inline scripts
    assert "Permissions-Policy" not in response
    assert response["Referrer-Policy"] == "no-referrer"


def templates() -> list[Path]:
    return sorted(path for app in THAKSA_APPS for path in (ROOT / app).glob("templates/**/*.html"))


def test_no_template_holds_an_inline_script_handler_or_javascript_url():
    found = []
    inline_script = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/(ld\+)?json\")[^>]*>", re.I)
    handler = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I)
    for path in templates():
        text = path.read_text()
        if "/email/" in str(path):
            continue  # e-mails are not pages: no browser runs them under the site's policy
        for pattern in (inline_script, handler, re.compile(r"javascript:", re.I)):
            found += [f"{path.relative_to(ROOT)}: {match.group(0)}" for match in pattern.finditer(text)]
        found += [
            f"{path.relative_to(ROOT)}: <style> without the nonce"
            for match in re.finditer(r"<style(?P<attributes>[^>]*)>", text)
            if "csp_nonce" not in match.group("attributes")
        ]
    assert templates(), "no template found"
    assert not found, "\n".join(found)
