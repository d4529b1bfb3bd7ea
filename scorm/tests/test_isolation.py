"""Partner content stays on its own origin: what each host answers, cookies, headers, the
one-time grants and session-bound tokens, the content-origin check and the development key."""

import inspect
import json
import stat

import pytest
from django.conf import settings
from django.core import signing
from django.core.checks import run_checks
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.test import override_settings
from django.urls import path, reverse

from courses.tests.factories import enrolled
from people.tests.factories import UserFactory
from scorm.checks import content_origin_check, single_use_tokens_check
from scorm.models import ScoAttempt, ScoSession
from scorm.tests.conftest import content_path, launch_data
from scorm.tests.factories import package_ready, scorm_lesson
from scorm.tokens import Grant, commit_token, content_token

pytestmark = pytest.mark.django_db


def _probe(request):
    """Stands in for a content view that would misuse the visitor's session if it had one."""
    request.session["probe"] = "written"
    get_token(request)  # would set the CSRF cookie
    response = HttpResponse(
        json.dumps({"authenticated": request.user.is_authenticated, "cookies": sorted(request.COOKIES)}),
        content_type="application/json",
    )
    response.set_cookie("probe", "1")
    return response


urlpatterns = [path("scorm/player/probe/", _probe), path("my/probe/", _probe)]


@pytest.fixture
def lesson():
    return scorm_lesson(package=package_ready(version="2004").package)


@pytest.fixture
def learner_client(client, lesson):
    learner = UserFactory()
    enrolled(learner, lesson)
    client.force_login(learner)
    return client


def _grant_url(client, lesson) -> str:
    return content_path(client.post(reverse("scorm:launch", args=[lesson.pk, "scorm-1"]))["Location"])


def test_a_launch_another_site_asks_for_is_refused(learner_client, lesson):
    """A package on a sibling host could frame another lesson's launch address with the
    learner's SameSite=Lax cookie and read that player's tokens; the browser names the asking
    site, and only the app's own pages (or a typed address) may launch."""
    launch = reverse("scorm:launch", args=[lesson.pk, "scorm-1"])
    refused = learner_client.post(launch, headers={"Sec-Fetch-Site": "same-site", "Sec-Fetch-Dest": "iframe"})
    assert refused.status_code == 403
    assert "Location" not in refused
    assert learner_client.post(launch, headers={"Sec-Fetch-Site": "cross-site"}).status_code == 403
    assert learner_client.post(launch, headers={"Sec-Fetch-Site": "same-origin"}).status_code == 302
    assert learner_client.post(launch, headers={"Sec-Fetch-Site": "none"}).status_code == 302


# --- Each host answers its own routes --------------------------------------------------------


def test_the_content_host_answers_only_content_routes_and_the_app_host_none_of_them(client, content_client):
    for app_route in ("/", "/my/", "/admin/", "/account/", "/dashboard/", "/healthz", "/scorm/launch/1/x/"):
        assert content_client.get(app_route).status_code == 404, app_route
    assert content_client.get("/static/scorm/player.js").status_code == 200
    for content_route in (
        "/scorm/player/x/",
        "/scorm/content/x/index.html",
        "/scorm/commit/x/",
        "/scorm/navigate/x/",
    ):
        assert client.get(content_route).status_code == 404, content_route
    assert content_client.get("/scorm/player/x/").status_code == 403  # answered: "not valid"


@override_settings(ROOT_URLCONF=__name__)
def test_the_content_host_never_sees_the_app_session_and_never_sets_a_cookie(client, content_client):
    client.force_login(UserFactory(is_superuser=True))
    session_cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    on_app = client.get("/my/probe/")
    assert on_app.json()["authenticated"] is True  # the probe does see a session where there is one

    content_client.cookies[settings.SESSION_COOKIE_NAME] = session_cookie
    content_client.cookies[settings.CSRF_COOKIE_NAME] = "x" * 32
    response = content_client.get("/scorm/player/probe/")
    assert response.json() == {"authenticated": False, "cookies": []}
    assert not response.cookies
    assert "Set-Cookie" not in response


def test_content_responses_may_be_framed_only_by_the_app_and_leak_nothing(
    client, content_client, learner_client, lesson
):
    player = content_client.get(_grant_url(learner_client, lesson))
    data = launch_data(player)
    message = content_client.get(_grant_url(learner_client, lesson).replace("/player/", "/player/x"))
    for response in (player, content_client.get(data["scoUrl"]), message):
        assert response["Content-Security-Policy"] == "frame-ancestors 'self' http://127.0.0.1:8000"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "no-referrer"
        assert "X-Frame-Options" not in response
    assert client.get("/").get("X-Frame-Options") == "SAMEORIGIN"  # the app keeps it


# --- Grants ------------------------------------------------------------------------------------


def test_a_launch_grant_opens_the_player_once(content_client, learner_client, lesson):
    grant_url = _grant_url(learner_client, lesson)
    assert content_client.get(grant_url).status_code == 200
    assert ScoSession.objects.get().opened_at is not None
    again = content_client.get(grant_url)  # a reload, a copied address, a shared link
    assert again.status_code == 403
    assert "เปิดบทเรียนอีกครั้ง" in again.content.decode()  # Thai: open the lesson again
    assert "scorm-launch" not in again.content.decode()


def test_a_launch_grant_expires_within_minutes(content_client, learner_client, lesson):
    grant_url = _grant_url(learner_client, lesson)
    with override_settings(SCORM_LAUNCH_GRANT_SECONDS=-1):
        assert content_client.get(grant_url).status_code == 403
    assert ScoSession.objects.get().opened_at is None


def test_a_preview_grant_opens_once(client, content_client):
    version = package_ready()
    client.force_login(UserFactory(is_superuser=True))
    grant_url = content_path(client.get(reverse("scorm:preview", args=[version.pk]))["Location"])
    assert content_client.get(grant_url).status_code == 200
    assert content_client.get(grant_url).status_code == 403


def test_forged_and_crossed_tokens_are_refused(content_client, learner_client, lesson):
    content_client.get(_grant_url(learner_client, lesson))
    session = ScoSession.objects.get()
    payload = {"s": session.pk, "k": str(session.key)}
    other_key = signing.dumps(
        payload, key="a key from the repository", salt="scorm.launch-grant", compress=True
    )
    assert content_client.get(reverse("scorm:player", args=[other_key])).status_code == 403
    # A correctly signed token naming this session's number with another session's key.
    guessed = Grant(session_id=session.pk, session_key="00000000-0000-4000-8000-000000000000")
    assert (
        content_client.get(
            reverse("scorm:content", args=[content_token(guessed), "sco1/index.html"])
        ).status_code
        == 403
    )
    commit = content_client.post(
        reverse("scorm:commit", args=[commit_token(guessed)]),
        data=json.dumps({"runtimeData": {"cmi": {"location": "x"}}, "commitSequence": 1}),
        content_type="application/json",
    )
    assert commit.status_code == 403
    assert commit.json()["reason"] == "forged"


def test_a_commit_token_writes_only_its_own_session(client, content_client, lesson):
    sessions = []
    for _ in range(2):
        learner = UserFactory()
        enrolled(learner, lesson)
        client.force_login(learner)
        data = launch_data(content_client.get(_grant_url(client, lesson)))
        sessions.append((ScoSession.objects.latest("pk"), data["commitUrl"]))
    (session_a, commit_a), (session_b, _) = sessions
    body = {"runtimeData": {"cmi": {"location": "A's page"}}, "commitSequence": 1}
    assert (
        content_client.post(commit_a, data=json.dumps(body), content_type="application/json").status_code
        == 200
    )
    assert ScoAttempt.objects.get(sessions=session_a).location == "A's page"
    assert ScoAttempt.objects.get(sessions=session_b).location == ""
    # Session B's number in A's token breaks the signature.
    token_a = commit_a.split("/")[-2]
    tampered = token_a.replace(token_a.split(":")[0], signing.b64_encode(b"x").decode())
    assert (
        content_client.post(
            f"/scorm/commit/{tampered}/", data=json.dumps(body), content_type="application/json"
        ).status_code
        == 403
    )


def test_after_the_session_ends_its_tokens_are_worthless(content_client, learner_client, lesson):
    data = launch_data(content_client.get(_grant_url(learner_client, lesson)))
    end = {"runtimeData": {"cmi": {"exit": "suspend"}}, "commitSequence": 1, "terminate": True}
    assert (
        content_client.post(data["commitUrl"], data=json.dumps(end), content_type="text/plain").status_code
        == 200
    )
    # Files the SCO still loads while it unloads: a short grace.
    assert content_client.get(data["scoUrl"]).status_code == 200
    with override_settings(SCORM_CONTENT_GRACE_SECONDS=-1):
        assert content_client.get(data["scoUrl"]).status_code == 403
    later = {"runtimeData": {"cmi": {"location": "late"}}, "commitSequence": 2}
    refused = content_client.post(data["commitUrl"], data=json.dumps(later), content_type="application/json")
    assert refused.status_code == 409
    assert refused.json()["reason"] == "terminated"
    assert ScoAttempt.objects.get().location == ""


def test_a_content_token_opens_no_file_before_its_launch_was_opened(content_client, learner_client, lesson):
    _grant_url(learner_client, lesson)  # launched, but the player page never redeemed the grant
    session = ScoSession.objects.get()
    url = reverse("scorm:content", args=[content_token(Grant.for_session(session)), "sco1/index.html"])
    assert content_client.get(url).status_code == 403


def test_the_player_moves_to_another_sco_once_per_navigation_token(content_client, learner_client, lesson):
    data = launch_data(content_client.get(_grant_url(learner_client, lesson)))
    move = {"nav": "{target=" + data["scoIdentifier"] + "}choice"}
    moved = content_client.post(data["navigateUrl"], move)
    assert moved.status_code == 302
    assert content_client.get(content_path(moved["Location"])).status_code == 200
    assert content_client.post(data["navigateUrl"], move).status_code == 403


# --- The content-origin check ------------------------------------------------------------------


def _ids(**overrides) -> set[str]:
    with override_settings(**overrides):
        return {message.id for message in content_origin_check(None)}


def test_the_check_refuses_every_configuration_that_serves_content_on_the_app_origin():
    app = {
        "WAGTAILADMIN_BASE_URL": "https://thaksa.go.th",
        "ALLOWED_HOSTS": ["thaksa.go.th", "content.example"],
    }
    assert _ids(SCORM_CONTENT_ORIGIN="", **app) == {"scorm.E001"}
    assert _ids(SCORM_CONTENT_ORIGIN="content.example", **app) == {"scorm.E002"}
    assert _ids(SCORM_CONTENT_ORIGIN="ftp://content.example", **app) == {"scorm.E002"}
    assert _ids(SCORM_CONTENT_ORIGIN="https://content.example/scorm", **app) == {"scorm.E002"}
    assert _ids(SCORM_CONTENT_ORIGIN="https://thaksa.go.th:8443", **app) == {"scorm.E003"}
    assert _ids(SCORM_CONTENT_ORIGIN="https://elsewhere.example", **app) == {"scorm.E004"}
    assert _ids(SCORM_CONTENT_ORIGIN="https://content.example", **app) == set()


def test_the_check_refuses_content_and_app_on_one_site_or_a_shared_cookie_domain():
    """Same-site content could frame the app's launch address of another lesson with the
    learner's SameSite=Lax cookie and set cookies for the shared domain: an error in
    production, a warning on a developer's machine."""
    app = {"WAGTAILADMIN_BASE_URL": "https://thaksa.go.th", "ALLOWED_HOSTS": [".thaksa.go.th", "scorm.go.th"]}
    assert _ids(SCORM_CONTENT_ORIGIN="https://content.thaksa.go.th", **app) == {"scorm.E005"}
    assert _ids(SCORM_CONTENT_ORIGIN="https://content.thaksa.go.th", DEBUG=True, **app) == {"scorm.W001"}
    assert _ids(SCORM_CONTENT_ORIGIN="https://scorm.go.th", **app) == set()  # go.th is a public suffix
    assert _ids(
        SCORM_CONTENT_ORIGIN="https://content.thaksa.go.th", SESSION_COOKIE_DOMAIN=".thaksa.go.th", **app
    ) == {"scorm.E005", "scorm.E006"}


def test_the_check_runs_with_and_without_deploy():
    with override_settings(SCORM_CONTENT_ORIGIN=""):
        assert "scorm.E001" in {m.id for m in run_checks(tags=["security"])}
        assert "scorm.E001" in {m.id for m in run_checks(tags=["security"], include_deployment_checks=True)}
    assert "scorm.E001" not in {m.id for m in run_checks(tags=["security"])}  # test settings are fine


def test_a_deployment_refuses_a_cache_each_process_keeps_for_itself():
    """Preview grants and navigation tokens are single-use through the cache; a per-process
    memory cache would let a copied link work once per web process."""
    local = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    shared = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://x"}}
    with override_settings(CACHES=local):
        assert "scorm.E007" in {m.id for m in single_use_tokens_check(None)}
        assert "scorm.E007" not in {m.id for m in run_checks(tags=["security"])}  # a deploy-only check
    with override_settings(CACHES=shared):
        assert single_use_tokens_check(None) == []


# --- Development key ---------------------------------------------------------------------------


def test_the_development_key_is_made_per_machine_and_never_printed_in_the_repository(tmp_path):
    from lms.settings import dev

    first = dev.development_secret_key(tmp_path / "keys" / "django-secret-key")
    assert len(first) >= 50
    assert dev.development_secret_key(tmp_path / "keys" / "django-secret-key") == first  # kept
    assert stat.S_IMODE((tmp_path / "keys" / "django-secret-key").stat().st_mode) == 0o600
    assert dev.development_secret_key(tmp_path / "other" / "django-secret-key") != first
    source = inspect.getsource(dev)
    assert 'SECRET_KEY = env("DJANGO_SECRET_KEY", default="") or development_secret_key(' in source
    assert "thaksa-development-key" not in source
