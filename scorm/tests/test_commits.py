"""Commits: what is stored, what it means, and that nothing is lost or counted twice."""

import datetime as dt
import threading

import pytest
from django.db import connection
from django.utils import timezone

from courses.models import Enrolment, LessonProgress
from courses.services import enrolment_withdraw
from courses.tests.factories import enrolled
from people.tests.factories import UserFactory
from scorm.models import CommitRecord, Interaction, Registration, ScoAttempt, ScoSession
from scorm.services.attempts import launch_cmi
from scorm.services.commits import CommitRefused, scorm_commit_apply
from scorm.tests.factories import launch, package_ready, scorm_lesson

pytestmark = pytest.mark.django_db


def commit12(session, sequence, *, terminate=False, **core):
    """A commit as scorm-again sends it for SCORM 1.2 with renderCommonCommitFields."""
    suspend = core.pop("suspend_data", None)
    cmi = {"core": {"lesson_status": "incomplete", "score": {}, **core}}
    if suspend is not None:
        cmi["suspend_data"] = suspend
    payload = {"runtimeData": {"cmi": cmi}, "commitSequence": sequence}
    if terminate:
        payload["terminate"] = True
    return scorm_commit_apply(
        session_id=session.pk, payload=payload, now=session.started_at + dt.timedelta(minutes=30)
    )


def commit2004(session, sequence, *, terminate=False, nav="", **cmi):
    payload = {"runtimeData": {"cmi": cmi}, "commitSequence": sequence, "navRequest": nav}
    if terminate:
        payload["terminate"] = True
    return scorm_commit_apply(
        session_id=session.pk, payload=payload, now=session.started_at + dt.timedelta(minutes=30)
    )


@pytest.fixture
def learner():
    return UserFactory(first_name="สมชาย", last_name="ใจดี")


def lesson_with(version_kind="1.2", scos=None, **block):
    version = package_ready(version=version_kind, scos=scos)
    return scorm_lesson(package=version.package, **block)


def test_first_launch_is_ab_initio_and_a_suspend_makes_the_next_one_resume(learner):
    lesson = lesson_with()
    enrolment = enrolled(learner, lesson)
    first = launch(enrolment, lesson)
    cmi = launch_cmi(first, user=learner)
    assert cmi["core"]["entry"] == "ab-initio"
    assert cmi["core"]["student_name"] == "ใจดี, สมชาย"
    assert cmi["core"]["lesson_mode"] == "normal"
    assert cmi["core"]["credit"] == "credit"

    commit12(
        first.session, 1, lesson_location="slide-7", suspend_data="x" * 10, exit="suspend", terminate=True
    )
    second = launch(enrolment, lesson)
    cmi = launch_cmi(second, user=learner)
    assert cmi["core"]["entry"] == "resume"
    assert cmi["core"]["lesson_location"] == "slide-7"
    assert cmi["suspend_data"] == "x" * 10


def test_scorm12_without_suspend_keeps_data_and_entry_is_empty(learner):
    lesson = lesson_with()
    enrolment = enrolled(learner, lesson)
    first = launch(enrolment, lesson)
    commit12(first.session, 1, lesson_location="p3", exit="", terminate=True)
    cmi = launch_cmi(launch(enrolment, lesson), user=learner)
    assert cmi["core"]["entry"] == ""
    assert cmi["core"]["lesson_location"] == "p3"


def test_scorm2004_normal_exit_ends_the_attempt_and_the_next_launch_starts_fresh(learner):
    lesson = lesson_with("2004")
    enrolment = enrolled(learner, lesson)
    first = launch(enrolment, lesson)
    commit2004(first.session, 1, location="page-4", suspend_data="state", exit="normal", terminate=True)
    second = launch(enrolment, lesson)
    assert second.session.attempt.number == 2
    cmi = launch_cmi(second, user=learner)
    assert cmi["entry"] == "ab-initio"
    assert "location" not in cmi
    assert "suspend_data" not in cmi
    assert ScoAttempt.objects.get(number=1).location == "page-4"  # the first attempt is kept


def test_scorm2004_suspend_all_resumes_even_without_a_suspend_exit(learner):
    lesson = lesson_with("2004")
    enrolment = enrolled(learner, lesson)
    first = launch(enrolment, lesson)
    commit2004(first.session, 1, location="page-2", exit="", nav="suspendAll", terminate=True)
    second = launch(enrolment, lesson)
    assert second.session.attempt == first.session.attempt
    assert launch_cmi(second, user=learner)["entry"] == "resume"


def test_suspend_data_up_to_the_limit_is_kept_and_a_beacon_without_it_keeps_it(learner):
    lesson = lesson_with()
    enrolment = enrolled(learner, lesson)
    session = launch(enrolment, lesson).session
    big = "ก" * 64_000  # far beyond SCORM 1.2's 4 096 characters, in Thai: 2004's limit for both
    commit12(session, 1, suspend_data=big)
    commit12(session, 2, exit="suspend", terminate=True)  # the beacon left it out: unchanged
    attempt = ScoAttempt.objects.get()
    assert attempt.suspend_data == big
    assert launch_cmi(launch(enrolment, lesson), user=learner)["suspend_data"] == big


def test_a_repeated_commit_is_answered_but_applied_once_and_an_older_one_is_refused(learner):
    lesson = lesson_with()
    session = launch(enrolled(learner, lesson), lesson).session
    commit12(session, 1, lesson_location="a")
    commit12(session, 2, lesson_location="b", session_time="0000:05:00")
    again = commit12(session, 2, lesson_location="b", session_time="0000:05:00")
    assert again.duplicate
    with pytest.raises(CommitRefused) as refused:
        commit12(session, 1, lesson_location="a")
    assert refused.value.status == 409
    assert refused.value.reason == "stale"
    with pytest.raises(CommitRefused) as conflicting:
        commit12(session, 2, lesson_location="c")  # same number, different data
    assert conflicting.value.reason == "stale"
    assert ScoAttempt.objects.get().location == "b"
    assert CommitRecord.objects.count() == 2


def test_total_time_counts_each_session_exactly_once(learner):
    lesson = lesson_with()
    enrolment = enrolled(learner, lesson)
    first = launch(enrolment, lesson).session
    commit12(first, 1, session_time="0000:02:00")
    commit12(first, 2, session_time="0000:05:00", exit="suspend", terminate=True)
    # The beacon and a retried terminate arrive again: still five minutes.
    commit12(first, 2, session_time="0000:05:00", exit="suspend", terminate=True)
    second = launch(enrolment, lesson).session
    commit12(second, 1, session_time="0000:03:30", exit="suspend", terminate=True)
    attempt = ScoAttempt.objects.get()
    assert attempt.total_seconds == pytest.approx(510)
    assert launch_cmi(launch(enrolment, lesson), user=learner)["core"]["total_time"] == "0000:08:30.00"


def test_session_time_cannot_exceed_the_time_since_launch(learner):
    lesson = lesson_with()
    session = launch(enrolled(learner, lesson), lesson).session
    scorm_commit_apply(
        session_id=session.pk,
        payload={"runtimeData": {"cmi": {"core": {"session_time": "0009:00:00"}}}, "commitSequence": 1},
        now=session.started_at + dt.timedelta(minutes=10),
    )
    assert ScoSession.objects.get().seconds <= 11 * 60


def test_player_measured_time_counts_when_the_content_reports_none(learner):
    lesson = lesson_with()
    session = launch(enrolled(learner, lesson), lesson).session
    scorm_commit_apply(
        session_id=session.pk,
        payload={"runtimeData": {"cmi": {"core": {}}}, "commitSequence": 1, "sessionSeconds": 95.5},
        now=session.started_at + dt.timedelta(minutes=5),
    )
    assert ScoAttempt.objects.get().total_seconds == pytest.approx(95.5)


def test_scorm12_mastery_score_decides_pass_and_fail(learner):
    lesson = lesson_with(scos=[{"mastery_score": 80}], required_outcome="passed")
    enrolment = enrolled(learner, lesson)
    session = launch(enrolment, lesson).session
    assert launch_cmi(launch(enrolment, lesson), user=learner)["student_data"]["mastery_score"] == "80"
    commit12(session, 1, lesson_status="completed", score={"raw": "70", "min": "0", "max": "100"})
    attempt = ScoAttempt.objects.get()
    assert attempt.success == "failed"
    commit12(session, 2, lesson_status="incomplete", score={"raw": "85", "min": "0", "max": "100"})
    attempt.refresh_from_db()
    assert (attempt.success, attempt.completion) == ("passed", "completed")
    progress = LessonProgress.objects.get(enrolment=enrolment)
    assert progress.status == LessonProgress.Status.COMPLETED
    assert progress.activities["scorm-1"]["score"] == 85


def test_a_learner_who_completed_but_failed_can_try_again_and_pass(learner):
    """Completed but failed is not done when the block asks for a pass: reopening gives a
    normal launch (not review), and passing then completes the lesson."""
    lesson = lesson_with(scos=[{"mastery_score": 80}], required_outcome="passed")
    enrolment = enrolled(learner, lesson)
    first = launch(enrolment, lesson).session
    commit12(first, 1, lesson_status="completed", score={"raw": "50"}, exit="", terminate=True)
    assert Registration.objects.get().success == "failed"
    again = launch(enrolment, lesson)
    assert again.mode == "normal"
    commit12(again.session, 1, lesson_status="completed", score={"raw": "90"}, exit="", terminate=True)
    assert LessonProgress.objects.get(enrolment=enrolment).status == LessonProgress.Status.COMPLETED


def test_scorm2004_reentering_a_scored_sco_keeps_its_score_and_counts_all_time(learner):
    """Two SCOs: the first is scored and exited; opening it again starts a new SCO attempt
    with no score yet. The package's score stays the first attempt's, and its time counts
    both attempts."""
    lesson = lesson_with("2004", scos=[{}, {}], is_post_test=True)
    enrolment = enrolled(learner, lesson)
    first = launch(enrolment, lesson)
    sco = first.session.attempt.sco
    commit2004(first.session, 1, completion_status="completed", score={"scaled": "0.9"}, session_time="PT10M",
               exit="normal", terminate=True)  # fmt: skip
    again = launch(enrolment, lesson, sco=sco)
    assert again.session.attempt.number == 2  # a new SCO attempt, not scored yet
    commit2004(again.session, 1, completion_status="incomplete", session_time="PT5M")
    registration = Registration.objects.get()
    assert registration.score == 90
    assert registration.total_seconds == 15 * 60
    assert LessonProgress.objects.get(enrolment=enrolment).activities["scorm-1"]["score"] == 90
    enrolment.refresh_from_db()
    assert enrolment.score == 90


def test_scorm2004_threshold_and_passing_score_judge_independently(learner):
    lesson = lesson_with("2004", scos=[{"completion_threshold": 0.8, "scaled_passing_score": 0.6}])
    enrolment = enrolled(learner, lesson)
    launched = launch(enrolment, lesson)
    cmi = launch_cmi(launched, user=learner)
    assert (cmi["completion_threshold"], cmi["scaled_passing_score"]) == ("0.8", "0.6")
    commit2004(
        launched.session, 1, completion_status="completed", progress_measure="0.5", score={"scaled": "0.7"}
    )
    attempt = ScoAttempt.objects.get()
    assert (attempt.completion, attempt.success) == ("incomplete", "passed")
    commit2004(launched.session, 2, progress_measure="0.9", score={"scaled": "0.5"})
    attempt.refresh_from_db()
    assert (attempt.completion, attempt.success) == ("completed", "failed")


def test_completion_never_regresses_on_the_record_that_counts(learner):
    lesson = lesson_with()
    enrolment = enrolled(learner, lesson)
    session = launch(enrolment, lesson).session
    commit12(session, 1, lesson_status="completed", exit="", terminate=True)
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.COMPLETED
    revisit = launch(enrolment, lesson)
    assert revisit.mode == "review"  # the block's retake policy: review the completed attempt
    assert launch_cmi(revisit, user=learner)["core"]["lesson_mode"] == "review"
    commit12(revisit.session, 1, lesson_status="incomplete")
    registration = Registration.objects.get()
    assert registration.completed
    assert LessonProgress.objects.get(enrolment=enrolment).status == LessonProgress.Status.COMPLETED


def test_new_attempt_policy_keeps_the_best_score_and_the_completion(learner):
    lesson = lesson_with(retake="new_attempt", score_policy="best", is_post_test=True)
    enrolment = enrolled(learner, lesson)
    first = launch(enrolment, lesson).session
    commit12(first, 1, lesson_status="passed", score={"raw": "90"}, exit="", terminate=True)
    second = launch(enrolment, lesson)
    assert second.session.attempt.registration.number == 2
    assert launch_cmi(second, user=learner)["core"]["entry"] == "ab-initio"
    commit12(second.session, 1, lesson_status="failed", score={"raw": "40"}, exit="", terminate=True)
    state = LessonProgress.objects.get(enrolment=enrolment).activities["scorm-1"]
    assert state == {"completed": True, "passed": True, "score": 90.0, "attempts": 2}
    enrolment.refresh_from_db()
    assert enrolment.score == 90


def test_last_score_policy_takes_the_latest_attempt(learner):
    lesson = lesson_with(retake="new_attempt", score_policy="last")
    enrolment = enrolled(learner, lesson)
    commit12(
        launch(enrolment, lesson).session, 1, lesson_status="passed", score={"raw": "90"}, terminate=True
    )
    commit12(
        launch(enrolment, lesson).session, 1, lesson_status="passed", score={"raw": "75"}, terminate=True
    )
    assert LessonProgress.objects.get(enrolment=enrolment).activities["scorm-1"]["score"] == 75.0


def test_multi_sco_package_completes_when_every_sco_and_asset_has(learner):
    lesson = lesson_with(scos=[{}, {}, {"is_sco": False, "title": "เอกสารประกอบ"}])
    enrolment = enrolled(learner, lesson)
    first = launch(enrolment, lesson)
    scos = list(first.session.attempt.registration.version.scos.all())
    commit12(first.session, 1, lesson_status="passed", score={"raw": "90"}, terminate=True)
    registration = Registration.objects.get()
    assert not registration.completed
    assert registration.success == "unknown"  # one passed SCO is not a passed package
    second = launch(enrolment, lesson, sco=scos[1])
    assert second.session.attempt.sco == scos[1]
    commit12(second.session, 1, lesson_status="passed", score={"raw": "80"}, terminate=True)
    assert not Registration.objects.get().completed  # the asset has not been opened
    launch(enrolment, lesson, sco=scos[2])  # an asset never calls the API: delivered is complete
    registration = Registration.objects.get()
    assert registration.completed
    assert registration.success == "passed"


def test_a_failed_sco_keeps_a_scorm12_package_from_passing(learner):
    lesson = lesson_with(scos=[{}, {}])
    enrolment = enrolled(learner, lesson)
    first = launch(enrolment, lesson)
    scos = list(first.session.attempt.registration.version.scos.all())
    commit12(first.session, 1, lesson_status="passed", terminate=True)
    commit12(launch(enrolment, lesson, sco=scos[1]).session, 1, lesson_status="failed", terminate=True)
    registration = Registration.objects.get()
    assert registration.success == "failed"
    assert not registration.completed


def test_an_asset_only_package_completes_once_every_asset_is_delivered(learner):
    lesson = lesson_with(scos=[{"is_sco": False}, {"is_sco": False}, {"is_sco": False}])
    enrolment = enrolled(learner, lesson)
    first = launch(enrolment, lesson)
    scos = list(first.session.attempt.registration.version.scos.all())
    launch(enrolment, lesson, sco=scos[1])
    assert not Registration.objects.get().completed
    launch(enrolment, lesson, sco=scos[2])
    assert Registration.objects.get().completed
    assert LessonProgress.objects.get(enrolment=enrolment).activities["scorm-1"]["completed"] is True


def test_interactions_become_rows(learner):
    lesson = lesson_with()
    session = launch(enrolled(learner, lesson), lesson).session
    interactions = {
        "0": {
            "id": "Q1",
            "type": "choice",
            "student_response": "b",
            "result": "correct",
            "latency": "0000:00:12",
        },
        "1": {"id": "Q2", "type": "true-false", "student_response": "f", "result": "wrong"},
    }
    scorm_commit_apply(
        session_id=session.pk,
        payload={"runtimeData": {"cmi": {"core": {}, "interactions": interactions}}, "commitSequence": 1},
    )
    rows = {row.interaction_id: row for row in Interaction.objects.all()}
    assert rows["Q1"].learner_response == "b"
    assert rows["Q1"].result == "correct"
    assert rows["Q1"].latency_seconds == 12
    assert rows["Q2"].result == "wrong"


def test_a_withdrawn_learner_cannot_commit(learner):
    lesson = lesson_with()
    enrolment = enrolled(learner, lesson)
    session = launch(enrolment, lesson).session
    enrolment_withdraw(enrolment=enrolment)
    with pytest.raises(CommitRefused) as refused:
        commit12(session, 1, lesson_location="x")
    assert refused.value.status == 403
    assert ScoAttempt.objects.get().location == ""


def test_an_attempt_in_progress_stays_on_its_version_and_new_attempts_use_the_newest(learner):
    version_one = package_ready()
    lesson = scorm_lesson(package=version_one.package)
    enrolment = enrolled(learner, lesson)
    commit12(launch(enrolment, lesson).session, 1, lesson_location="p2", exit="suspend", terminate=True)
    version_two = package_ready(package=version_one.package)
    assert launch(enrolment, lesson).session.attempt.registration.version == version_one
    newcomer = enrolled(UserFactory(), lesson)
    assert launch(newcomer, lesson).session.attempt.registration.version == version_two


@pytest.mark.django_db(transaction=True)
def test_two_tabs_racing_on_one_attempt_both_land(site_tree, learner):
    lesson = lesson_with()
    enrolment = enrolled(learner, lesson)
    tab_one, tab_two = launch(enrolment, lesson).session, launch(enrolment, lesson).session
    errors = []

    def send(session, location):
        try:
            for sequence in range(1, 6):
                scorm_commit_apply(
                    session_id=session.pk,
                    payload={
                        "runtimeData": {
                            "cmi": {
                                "core": {"lesson_location": location, "session_time": f"0000:0{sequence}:00"}
                            }
                        },
                        "commitSequence": sequence,
                    },
                    now=timezone.now() + dt.timedelta(minutes=10),
                )
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=send, args=(tab_one, "one")),
        threading.Thread(target=send, args=(tab_two, "two")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert CommitRecord.objects.count() == 10
    attempt = ScoAttempt.objects.get()
    assert attempt.total_seconds == pytest.approx(600)  # 5 minutes in each tab, each counted once
    assert attempt.location in {"one", "two"}
