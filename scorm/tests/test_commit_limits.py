"""Commits that cannot hurt the service: malformed bodies, the limits, linear cost, the
bounded history and its retention."""

import datetime as dt
import json

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from courses.tests.factories import enrolled
from people.tests.factories import UserFactory
from scorm.commit_payload import CommitRefused
from scorm.models import CommitRecord, Interaction, Objective, ScoAttempt, ScoSession
from scorm.services.commits import scorm_commit_apply
from scorm.services.retention import commit_history_prune
from scorm.tasks import prune_commit_history
from scorm.tests.factories import launch, package_ready, scorm_lesson
from scorm.tokens import Grant, commit_token

pytestmark = pytest.mark.django_db


def session_for(version: str = "1.2") -> ScoSession:
    lesson = scorm_lesson(package=package_ready(version=version).package)
    return launch(enrolled(UserFactory(), lesson), lesson).session


def commit_url(session: ScoSession) -> str:
    return reverse("scorm:commit", args=[commit_token(Grant.for_session(session))])


def post(content_client, url: str, body, *, content_type: str = "text/plain"):
    data = body if isinstance(body, (str, bytes)) else json.dumps(body)
    return content_client.post(url, data=data, content_type=content_type)


def interactions(count: int, **fields) -> dict:
    return {
        str(i): {"id": f"Q{i}", "type": "choice", "learner_response": "b", "result": "correct", **fields}
        for i in range(count)
    }


def body2004(sequence: int = 1, **cmi) -> dict:
    return {"runtimeData": {"cmi": cmi}, "commitSequence": sequence}


def nothing_stored(session: ScoSession) -> bool:
    attempt = ScoAttempt.objects.get(pk=session.attempt_id)
    return (
        attempt.cmi == {}
        and attempt.suspend_data == ""
        and not CommitRecord.objects.exists()
        and not Interaction.objects.exists()
        and ScoSession.objects.get(pk=session.pk).last_sequence == 0
    )


# ---- malformed bodies are a 400 with a reason, never a 500


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"\xff\xfe{", "The commit is not valid UTF-8 text."),
        ("{not json", "The commit is not valid JSON."),
        (
            '{"commitSequence": 1, "runtimeData": {"cmi": {"score": {"raw": NaN}}}}',
            "The commit is not valid JSON.",
        ),
        (
            '{"commitSequence": 1, "runtimeData": {"cmi": {"score": {"raw": 1e999}}}}',
            "The commit is not valid JSON.",
        ),
        ('{"commitSequence": 1, "x": Infinity}', "The commit is not valid JSON."),
        ("[" * 100_000 + "]" * 100_000, "The commit is nested too deeply."),
        (
            '{"a":' * 500 + "1" + "}" * 500,
            ("The commit is nested more than %(depth)s levels deep.", {"depth": 16}),
        ),
        ("[1, 2]", "The commit must be a JSON object."),
    ],
)
def test_a_malformed_body_is_refused_with_its_reason(content_client, body, message):
    session = session_for("2004")
    response = post(content_client, commit_url(session), body)
    assert response.status_code == 400
    answer = response.json()
    assert (answer["result"], answer["reason"], answer["errorCode"]) == (False, "malformed", 391)
    message, values = message if isinstance(message, tuple) else (message, {})
    with translation.override("th"):  # the content origin answers in the site's language
        assert answer["error"] in {message % values, gettext(message) % values}
    assert nothing_stored(session)


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"commitSequence": 2**70, "runtimeData": {"cmi": {}}}, 400, 391),
        ({"commitSequence": 0, "runtimeData": {"cmi": {}}}, 400, 391),
        ({"commitSequence": True, "runtimeData": {"cmi": {}}}, 400, 391),
        ({"commitSequence": 1, "runtimeData": {"cmi": {"score": [1]}}}, 400, 406),
        ({"commitSequence": 1, "runtimeData": {"cmi": {"score": "high"}}}, 400, 406),
        ({"commitSequence": 1, "runtimeData": {"cmi": {"interactions": [1, 2]}}}, 400, 406),
        ({"commitSequence": 1, "runtimeData": {"cmi": {"interactions": "many"}}}, 400, 406),
        ({"commitSequence": 1, "runtimeData": {"cmi": {"completion_status": {"x": 1}}}}, 400, 406),
        ({"commitSequence": 1, "runtimeData": {"cmi": {"objectives": {"0": {"score": 5}}}}}, 400, 406),
        ({"commitSequence": 1, "runtimeData": []}, 400, 391),
        ({"commitSequence": 1, "runtimeData": {"cmi": {}}, "navRequest": {"a": 1}}, 400, 391),
    ],
)
def test_a_commit_of_the_wrong_shape_is_refused_with_the_scorm_2004_code(content_client, body, status, code):
    session = session_for("2004")
    response = post(content_client, commit_url(session), body)
    assert (response.status_code, response.json()["errorCode"]) == (status, code)
    assert nothing_stored(session)


def test_a_scorm12_core_that_is_not_an_object_is_incorrect_data_type(content_client):
    session = session_for("1.2")
    response = post(
        content_client, commit_url(session), {"commitSequence": 1, "runtimeData": {"cmi": {"core": 7}}}
    )
    assert (response.status_code, response.json()["errorCode"]) == (400, 405)
    assert "cmi.core" in response.json()["error"]


def test_scorm12_comments_are_strings_and_are_stored(content_client):
    """scorm-again sends SCORM 1.2's cmi.comments and cmi.comments_from_lms as strings (a
    field-test regression: they were refused as collections, so no 1.2 commit was stored)."""
    session = session_for("1.2")
    cmi = {
        "core": {"lesson_status": "incomplete", "score": {"raw": "", "min": "", "max": ""}},
        "comments": "จดไว้",
        "comments_from_lms": "",
        "objectives": {},
        "interactions": {},
        "student_data": {"mastery_score": "", "max_time_allowed": "", "time_limit_action": ""},
        "student_preference": {"audio": "", "language": "", "speed": "", "text": ""},
    }
    response = post(content_client, commit_url(session), {"commitSequence": 1, "runtimeData": {"cmi": cmi}})
    assert response.status_code == 200, response.json()
    assert ScoAttempt.objects.get(pk=session.attempt_id).cmi["comments"] == "จดไว้"


def test_a_body_over_the_byte_limit_is_refused_before_it_is_read(content_client):
    session = session_for("2004")
    with override_settings(SCORM_COMMIT_LIMITS={"body_bytes": 1000}):
        response = post(content_client, commit_url(session), body2004(suspend_data="x" * 2000))
    assert response.status_code == 413
    assert response.json()["reason"] == "too-large"
    assert nothing_stored(session)


def test_numbers_the_content_writes_as_text_never_become_infinite_scores():
    session = session_for("2004")
    scorm_commit_apply(
        session_id=session.pk,
        payload=body2004(score={"raw": "1e999", "scaled": "NaN"}, session_time="PT" + "9" * 400 + "S"),
    )
    attempt = ScoAttempt.objects.get()
    assert (attempt.score_raw, attempt.score_scaled) == (None, None)


# ---- limits: refused whole, with the SCORM error code, and nothing stored


@pytest.mark.parametrize(
    ("version", "cmi", "element", "code"),
    [
        ("2004", {"suspend_data": "ก" * 64_001}, "cmi.suspend_data", 351),
        ("1.2", {"core": {}, "suspend_data": "ก" * 64_001}, "cmi.suspend_data", 405),
        ("2004", {"location": "x" * 1001}, "cmi.location", 351),
        ("1.2", {"core": {"lesson_location": "x" * 1001}}, "cmi.core.lesson_location", 405),
        ("2004", {"interactions": interactions(251)}, "cmi.interactions", 351),
        ("1.2", {"core": {}, "interactions": interactions(251)}, "cmi.interactions", 201),
        ("2004", {"objectives": [{"id": f"o{i}"} for i in range(101)]}, "cmi.objectives", 351),
        ("2004", {"interactions": interactions(1, id="i" * 4001)}, "cmi.interactions.n.id", 351),
        (
            "2004",
            {"interactions": interactions(1, description="d" * 251)},
            "cmi.interactions.n.description",
            351,
        ),
        (
            "2004",
            {"interactions": interactions(1, learner_response="r" * 4001)},
            "cmi.interactions.n.learner_response",
            351,
        ),
        (
            "2004",
            {"interactions": interactions(1, correct_responses=[{"pattern": "a"}] * 11)},
            "cmi.interactions.n.correct_responses",
            351,
        ),
        (
            "2004",
            {"comments_from_learner": [{"comment": "c" * 4001}]},
            "cmi.comments_from_learner.n.comment",
            351,
        ),
        ("2004", {"learner_preference": {"language": "x" * 4097}}, "cmi.learner_preference.language", 351),
    ],
)
def test_beyond_a_limit_the_whole_commit_is_refused_with_the_scorm_code(
    content_client, version, cmi, element, code
):
    session = session_for(version)
    response = post(content_client, commit_url(session), {"commitSequence": 1, "runtimeData": {"cmi": cmi}})
    assert response.status_code == 400
    answer = response.json()
    assert (answer["result"], answer["reason"], answer["errorCode"]) == (False, "limit", code)
    assert element in answer["error"]
    assert nothing_stored(session)


def test_at_the_limits_everything_is_kept(content_client):
    session = session_for("2004")
    body = body2004(
        suspend_data="ก" * 64_000,
        location="x" * 1000,
        interactions=interactions(250, description="d" * 250),
        objectives=[{"id": f"obj-{i}", "success_status": "passed"} for i in range(100)],
    )
    response = post(content_client, commit_url(session), body)
    assert response.status_code == 200, response.content
    assert Interaction.objects.count() == 250
    assert Objective.objects.count() == 100
    assert len(ScoAttempt.objects.get().suspend_data) == 64_000


# ---- linear cost


def test_interactions_cost_a_handful_of_queries_whatever_their_number():
    def queries_for(count: int) -> int:
        session = session_for("2004")
        with CaptureQueriesContext(connection) as captured:
            scorm_commit_apply(session_id=session.pk, payload=body2004(interactions=interactions(count)))
        return len(captured)

    few, many = queries_for(5), queries_for(250)
    assert many <= few + 3  # one upsert, split into batches only by SQLite's 999 parameters
    assert Interaction.objects.count() == 255


def test_only_changed_interactions_are_rewritten_and_new_answers_replace_old_ones():
    session = session_for("2004")
    scorm_commit_apply(session_id=session.pk, payload=body2004(1, interactions=interactions(3)))
    changed = interactions(3)
    changed["1"]["learner_response"] = "c"
    changed["1"]["result"] = "incorrect"
    scorm_commit_apply(session_id=session.pk, payload=body2004(2, interactions=changed))
    rows = {row.interaction_id: row for row in Interaction.objects.all()}
    assert len(rows) == 3
    assert (rows["Q1"].learner_response, rows["Q1"].result) == ("c", "incorrect")
    assert rows["Q0"].learner_response == "b"


# ---- the commit history stays bounded


def test_a_commit_record_keeps_the_length_and_digest_of_suspend_data_not_its_text():
    session = session_for("2004")
    scorm_commit_apply(session_id=session.pk, payload=body2004(1, suspend_data="ก" * 64_000, location="p1"))
    scorm_commit_apply(session_id=session.pk, payload=body2004(2, suspend_data="ก" * 64_000, location="p2"))
    first, second = CommitRecord.objects.order_by("sequence")
    assert first.changes["cmi.suspend_data"]["characters"] == 64_000
    assert len(first.changes["cmi.suspend_data"]["sha256"]) == 64
    assert first.changes["cmi.location"] == "p1"
    assert "cmi.suspend_data" not in second.changes  # unchanged
    assert len(json.dumps(first.changes)) < 1000
    assert ScoAttempt.objects.get().suspend_data == "ก" * 64_000


def test_a_commit_record_keeps_changes_up_to_its_size_and_counts_the_rest():
    session = session_for("2004")
    with override_settings(SCORM_COMMIT_HISTORY={"record_chars": 2000, "keep_days": 90}):
        scorm_commit_apply(
            session_id=session.pk, payload=body2004(interactions=interactions(200, description="d" * 200))
        )
    record = CommitRecord.objects.get()
    assert record.changes["_omitted"] > 0
    assert len(json.dumps(record.changes)) < 3000
    assert Interaction.objects.count() == 200  # the rows are complete all the same


def history(session: ScoSession, received: list[tuple[int, dt.datetime, bool]]) -> None:
    for sequence, at, is_terminate in received:
        CommitRecord.objects.create(
            session=session, sequence=sequence, received_at=at, is_terminate=is_terminate
        )


def test_retention_keeps_recent_records_and_of_older_ones_each_sessions_last_and_terminate_records():
    now = timezone.now()
    old, recent = now - dt.timedelta(days=200), now - dt.timedelta(days=10)
    long_ago, today = session_for("2004"), session_for("2004")
    # An old session: five commits, a terminate at 3 (the learner left) and its last at 5.
    history(long_ago, [(1, old, False), (2, old, False), (3, old, True), (4, old, False), (5, old, False)])
    history(today, [(1, recent, False), (2, recent, False)])

    dry = commit_history_prune(now=now, keep_days=90, dry_run=True)
    assert (dry.older, dry.deleted, dry.kept) == (5, 3, 2)
    assert CommitRecord.objects.count() == 7  # a dry run deletes nothing

    done = commit_history_prune(now=now, keep_days=90)
    assert (done.deleted, done.kept) == (3, 2)
    kept = set(CommitRecord.objects.values_list("session_id", "sequence"))
    assert kept == {(long_ago.pk, 3), (long_ago.pk, 5), (today.pk, 1), (today.pk, 2)}


def test_the_nightly_task_prunes_with_the_configured_days():
    session = session_for("2004")
    history(session, [(1, timezone.now() - dt.timedelta(days=40), False), (2, timezone.now(), False)])
    with override_settings(SCORM_COMMIT_HISTORY={"record_chars": 32_000, "keep_days": 30}):
        assert prune_commit_history(dry_run=True)["deleted"] == 1
        assert prune_commit_history()["deleted"] == 1
    assert list(CommitRecord.objects.values_list("sequence", flat=True)) == [2]


# ---- whatever the browser sends, the answer is never a server error

_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**80), max_value=2**80),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=20),
    st.sampled_from(["NaN", "1e999", "PT1H", "0000:00:10", "passed", "suspend", ""]),
)
_keys = st.sampled_from(
    [
        "cmi",
        "core",
        "score",
        "raw",
        "scaled",
        "interactions",
        "objectives",
        "correct_responses",
        "id",
        "0",
        "1",
        "suspend_data",
        "location",
        "lesson_status",
        "session_time",
        "latency",
        "pattern",
        "learner_response",
        "commitSequence",
        "runtimeData",
        "terminate",
        "navRequest",
        "sessionSeconds",
        "x",
    ]
)
_json = st.recursive(
    _scalars,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(_keys, children, max_size=5),
    max_leaves=30,
)
_bodies = st.one_of(
    st.builds(
        lambda cmi, sequence, extra: json.dumps(
            {"runtimeData": {"cmi": cmi}, "commitSequence": sequence, **extra}
        ),
        _json,
        st.one_of(st.integers(min_value=-5, max_value=2**70), _scalars),
        st.dictionaries(_keys, _json, max_size=3),
    ),
    _json.map(json.dumps),
    st.binary(max_size=60),
    st.text(max_size=60),
)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=_bodies, content_type=st.sampled_from(["text/plain", "application/json"]))
def test_random_bodies_never_cause_a_server_error(content_client, body, content_type):
    session = _fuzz_session()
    response = post(content_client, commit_url(session), body, content_type=content_type)
    assert response.status_code in {200, 400, 401, 403, 409, 413, 415}, response.content
    assert response.json()["result"] in (True, False)


def _fuzz_session() -> ScoSession:
    """One session for all examples of a run (the database is kept between examples)."""
    session = ScoSession.objects.filter(attempt__registration__version__scorm_version="2004").first()
    return session or session_for("2004")


def test_a_refused_commit_raises_commit_refused_from_the_service():
    session = session_for("2004")
    with pytest.raises(CommitRefused) as refused:
        scorm_commit_apply(session_id=session.pk, payload=body2004(suspend_data="x" * 64_001))
    assert (refused.value.status, refused.value.error_code) == (400, 351)
