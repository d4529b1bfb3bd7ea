"""The player's HTTP side: launch, the commit endpoint and the package files.

The app (`client`, host testserver) launches; the player, files and commits answer on the
content origin (`content_client`, host content.testserver: scorm/tests/conftest.py)."""

import json
from urllib.parse import quote

import pytest
from django.test import override_settings
from django.urls import reverse

from courses.tests.factories import enrolled
from people.models import Role, RoleAssignment
from people.tests.factories import UserFactory
from scorm.models import ScoAttempt, ScoSession
from scorm.tests.conftest import content_path, launch_data
from scorm.tests.factories import launch, package_ready, scorm_lesson
from scorm.tokens import Grant, commit_token, content_token, launch_grant, navigation_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def lesson():
    return scorm_lesson(package=package_ready(version="2004").package)


def test_an_enrolled_learner_is_launched_into_the_player_with_stored_data(client, content_client, lesson):
    learner = UserFactory()
    enrolled(learner, lesson)
    client.force_login(learner)
    launch = client.post(reverse("scorm:launch", args=[lesson.pk, "scorm-1"]))
    assert launch.status_code == 302
    assert launch["Location"].startswith("http://content.testserver/scorm/player/")
    player = content_client.get(content_path(launch["Location"]))
    assert player.status_code == 200
    assert "frame-ancestors" in player["Content-Security-Policy"]
    assert "X-Frame-Options" not in player
    data = launch_data(player)
    assert data["version"] == "2004"
    assert data["cmi"]["entry"] == "ab-initio"
    assert data["cmi"]["learner_id"] == str(learner.pk)
    assert "scorm2004.min.js" in player.content.decode()
    # The launch file comes from the package, to this learner.
    content = content_client.get(data["scoUrl"])
    assert content.status_code == 200
    assert content["Content-Type"].startswith("text/html")
    assert content["X-Content-Type-Options"] == "nosniff"
    assert "private" in content["Cache-Control"]


def test_a_learner_who_is_not_enrolled_gets_a_message_not_the_package(client, lesson):
    client.force_login(UserFactory())
    response = client.post(reverse("scorm:launch", args=[lesson.pk, "scorm-1"]))
    assert response.status_code == 403
    assert "ลงทะเบียน" in response.content.decode()  # told to enrol, in Thai
    assert not ScoSession.objects.exists()


def test_package_files_need_a_valid_token_and_stay_inside_the_package(
    client, content_client, lesson, open_player
):
    learner = UserFactory()
    enrolled(learner, lesson)
    client.force_login(learner)
    _, data = open_player(reverse("scorm:launch", args=[lesson.pk, "scorm-1"]))
    base = data["scoUrl"].rsplit("sco1/index.html", 1)[0]
    assert content_client.get(data["scoUrl"]).status_code == 200  # the token alone decides
    assert content_client.get(base + "../../etc/passwd").status_code in {400, 404}
    assert content_client.get(base + "sco1/missing.js").status_code == 404
    forged = data["scoUrl"].replace("/content/", "/content/x")
    assert content_client.get(forged).status_code == 403


def _session(lesson):
    learner = UserFactory()
    session = launch(enrolled(learner, lesson), lesson).session
    ScoSession.objects.filter(pk=session.pk).update(opened_at=session.started_at)  # the player page opened
    session.refresh_from_db()
    return session


def test_a_beacon_commit_as_text_plain_is_stored_and_answered_for_scorm_again(content_client, lesson):
    session = _session(lesson)
    url = reverse("scorm:commit", args=[commit_token(Grant.for_session(session))])
    body = {
        "runtimeData": {"cmi": {"location": "บทที่ 3", "exit": "suspend"}},
        "commitSequence": 1,
        "terminate": True,
    }
    response = content_client.post(url, data=json.dumps(body), content_type="text/plain;charset=UTF-8")
    assert response.status_code == 200
    answer = response.json()
    assert answer["result"] is True
    assert answer["errorCode"] == 0
    assert answer["commitUrl"].startswith("/scorm/commit/")
    assert ScoAttempt.objects.get().location == "บทที่ 3"


def test_commit_refusals_say_why(content_client, lesson):
    session = _session(lesson)
    url = reverse("scorm:commit", args=[commit_token(Grant.for_session(session))])
    good = {"runtimeData": {"cmi": {"location": "a"}}, "commitSequence": 2}
    assert content_client.post(url, data=json.dumps(good), content_type="application/json").status_code == 200
    stale = content_client.post(
        url, data=json.dumps({**good, "commitSequence": 1}), content_type="application/json"
    )
    assert stale.status_code == 409
    assert stale.json()["reason"] == "stale"
    assert stale.json()["result"] is False
    malformed = content_client.post(url, data="{not json", content_type="application/json")
    assert malformed.status_code == 400
    no_sequence = content_client.post(url, data=json.dumps({"cmi": {}}), content_type="application/json")
    assert no_sequence.status_code == 400
    form = content_client.post(url, data={"a": "b"})
    assert form.status_code == 415
    forged = content_client.post(url + "x/", data=json.dumps(good), content_type="application/json")
    assert forged.status_code in {403, 404}
    other_salt = reverse("scorm:commit", args=[content_token(Grant.for_session(session))])
    refused = content_client.post(other_salt, data=json.dumps(good), content_type="application/json")
    assert refused.status_code == 403
    with override_settings(SCORM_COMMIT_TOKEN_SECONDS=-1):
        expired = content_client.post(
            url, data=json.dumps({**good, "commitSequence": 3}), content_type="application/json"
        )
    assert expired.status_code == 401
    assert expired.json()["reason"] == "expired"
    assert ScoAttempt.objects.get().location == "a"


def test_moving_to_another_sco_or_again_to_this_one_is_a_new_launch_with_the_right_entry(
    content_client, lesson
):
    session = _session(lesson)
    url = reverse("scorm:commit", args=[commit_token(Grant.for_session(session))])
    body = {
        "runtimeData": {"cmi": {"location": "p5", "exit": "suspend"}},
        "commitSequence": 1,
        "terminate": True,
    }
    content_client.post(url, data=json.dumps(body), content_type="text/plain")
    navigate = reverse("scorm:player", args=[navigation_token(Grant.for_session(session))])
    choice = f"{{target={session.attempt.sco.identifier}}}choice"
    # A GET moves nothing: the navigation token is not a launch grant.
    assert content_client.get(f"{navigate}?nav={quote(choice)}").status_code == 403
    assert ScoSession.objects.count() == 1
    moved = content_client.post(navigate, {"nav": choice})
    assert moved.status_code == 302
    data = launch_data(content_client.get(content_path(moved["Location"])))
    assert data["cmi"]["entry"] == "resume"
    assert data["cmi"]["location"] == "p5"
    assert ScoSession.objects.count() == 2


def test_the_package_never_runs_on_the_app_host_and_the_content_host_runs_nothing_else(
    client, content_client, lesson
):
    learner = UserFactory()
    enrolled(learner, lesson)
    client.force_login(learner)
    path = content_path(client.post(reverse("scorm:launch", args=[lesson.pk, "scorm-1"]))["Location"])
    assert client.get(path).status_code == 404  # on the app's host
    assert content_client.get(path).status_code == 200
    assert content_client.get("/my/").status_code == 404


def test_an_author_previews_their_package_and_nothing_is_recorded(client, content_client, open_player):
    version = package_ready()
    author = UserFactory()
    RoleAssignment.objects.create(user=author, role=Role.PARTNER_AUTHOR, partner=version.package.partner)
    client.force_login(author)
    _, data = open_player(reverse("scorm:preview", args=[version.pk]))
    assert data["preview"] is True
    assert data["mode"] == "browse"
    assert content_client.get(data["scoUrl"]).status_code == 200
    commit = content_client.post(
        data["commitUrl"], data=json.dumps({"cmi": {}, "commitSequence": 1}), content_type="text/plain"
    )
    assert commit.json()["result"] is True
    assert not ScoAttempt.objects.exists()
    client.force_login(UserFactory())
    assert client.get(reverse("scorm:preview", args=[version.pk])).status_code == 403


def test_an_expired_player_link_tells_the_learner_what_to_do_in_the_frame(content_client, lesson):
    session = _session(lesson)
    ScoSession.objects.filter(pk=session.pk).update(opened_at=None)
    player_url = reverse("scorm:player", args=[launch_grant(Grant.for_session(session))])
    with override_settings(SCORM_LAUNCH_GRANT_SECONDS=-1):
        response = content_client.get(player_url)
    assert response.status_code == 403
    assert "frame-ancestors" in response["Content-Security-Policy"]  # shown inside the lesson
    assert "เปิดบทเรียนอีกครั้ง" in response.content.decode()  # Thai: open the lesson again


@override_settings(SCORM_CONTENT_ORIGIN="")
def test_without_a_content_origin_no_package_opens_anywhere(client, content_client, lesson):
    learner = UserFactory()
    enrolled(learner, lesson)
    client.force_login(learner)
    response = client.post(reverse("scorm:launch", args=[lesson.pk, "scorm-1"]))
    assert response.status_code == 503
    assert "SCORM_CONTENT_ORIGIN" in response.content.decode()
    assert not ScoSession.objects.exists()
    session = _session(lesson)
    player_url = reverse("scorm:player", args=[launch_grant(Grant.for_session(session))])
    assert client.get(player_url).status_code == 404
