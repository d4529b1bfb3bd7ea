"""The sequencing test packages played through the real services: imported as an author
uploads them, launched from the lesson, fed the commits the probe SCO sends, and moved on by
the navigation request that ends each launch, as the SN book says (`.expected`)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from functools import cache

import pytest
from django.db import transaction
from django.urls import reverse

from courses.models import LessonProgress
from courses.tests.factories import enrolled
from people.tests.factories import UserFactory
from scorm.devtools.package_builder import ScoSpec, package_build
from scorm.models import Registration, ScoAttempt, ScormPackage
from scorm.services.attempts import Launch, launch_cmi, registration_for_launch, session_start
from scorm.services.commits import scorm_commit_apply
from scorm.services.sequencing import Delivery, registration_contents, session_navigate
from scorm.tests.factories import package_imported, scorm_lesson
from scorm.tests.sequencing_packages import CHOICE_AND_FLOW, CONTENT_SETS_STATUS, SEQUENCING_PACKAGES
from scorm.tokens import Grant, commit_token

pytestmark = pytest.mark.django_db


@cache
def _zip(key: str) -> bytes:
    return SEQUENCING_PACKAGES[key].zip_bytes()


def imported(key: str) -> ScormPackage:
    """A catalogue package uploaded and imported as an author's would be."""
    return package_imported(_zip(key), title=SEQUENCING_PACKAGES[key].title)


class Learner:
    """One learner on one lesson holding a catalogue package: opens it from the lesson, plays
    the probe SCO (commits), ends launches with navigation requests."""

    def __init__(self, package: ScormPackage, **block):
        self.user = UserFactory(first_name="สมหญิง", last_name="เรียนดี")
        self.lesson = scorm_lesson(package=package, **block)
        self.enrolment = enrolled(self.user, self.lesson)
        self.block = {bid: value for bid, _block, value in self.lesson.activities()}["scorm-1"]

    def open(self) -> Launch:
        """Open the activity from the lesson page (scorm.views.player.scorm_launch)."""
        registration, mode = registration_for_launch(
            enrolment=self.enrolment,
            lesson=self.lesson,
            block_id="scorm-1",
            package=self.block["package"],
            retake=self.block["retake"],
            required_outcome=self.block["required_outcome"],
        )
        return session_start(registration=registration, mode=mode)

    def commit(self, launch: Launch, *, terminate: bool = False, nav: str = "", **cmi) -> None:
        """What scorm-again sends for the probe SCO (SCORM 2004 common commit fields)."""
        session = launch.session
        session.refresh_from_db()
        payload = {
            "runtimeData": {"cmi": cmi},
            "commitSequence": session.last_sequence + 1,
            "navRequest": nav,
        }
        if terminate:
            payload["terminate"] = True
        scorm_commit_apply(
            session_id=session.pk, payload=payload, now=session.started_at + dt.timedelta(minutes=5)
        )

    def finish(self, launch: Launch, *, success: str = "passed", score: float | None = None, nav="continue"):
        """The SCO reports its result, exits normally and asks for `nav` on Terminate."""
        cmi = {"completion_status": "completed", "success_status": success, "exit": "normal"}
        if score is not None:
            cmi["score"] = {"scaled": f"{score:g}"}
        self.commit(launch, terminate=True, nav=nav, **cmi)
        return self.navigate(launch, nav)

    def navigate(self, launch: Launch, request_text: str) -> Delivery:
        launch.session.refresh_from_db()
        with transaction.atomic():
            return session_navigate(session=launch.session, request_text=request_text)

    def deliver(self, delivery: Delivery) -> Launch:
        assert delivery.sco is not None, delivery
        registration = self.registration
        return session_start(registration=registration, sco=delivery.sco, new_attempt=delivery.new_attempt)

    @property
    def registration(self) -> Registration:
        return Registration.objects.filter(enrolment=self.enrolment).order_by("-number").first()

    def contents(self) -> tuple[dict, bool, bool]:
        entries, can_continue, can_previous = registration_contents(registration=self.registration)
        return {entry.identifier: entry for entry in entries}, can_continue, can_previous

    @property
    def lesson_status(self) -> str:
        return LessonProgress.objects.get(enrolment=self.enrolment, lesson=self.lesson).status

    @property
    def activity(self) -> dict:
        """What the lesson records for the SCORM activity (LessonProgress.activities)."""
        progress = LessonProgress.objects.get(enrolment=self.enrolment, lesson=self.lesson)
        return progress.activities.get("scorm-1", {})


def sco_of(launch: Launch) -> str:
    return launch.session.attempt.sco.identifier


def test_forced_sequential_one_passed_sco_is_not_the_course_and_all_five_are():
    """The field-test regression: passing SCO 1 of five completed and passed the whole course."""
    learner = Learner(imported("forced_sequential"))

    first = learner.open()
    assert sco_of(first) == "SCO-1"
    assert launch_cmi(first, user=learner.user)["entry"] == "ab-initio"
    delivery = learner.finish(first)

    registration = learner.registration
    assert not registration.completed
    assert registration.success != "passed"
    assert not learner.activity.get("completed")
    assert not learner.activity.get("passed")
    assert learner.lesson_status != LessonProgress.Status.COMPLETED
    assert delivery.sco.identifier == "SCO-2"
    second = learner.deliver(delivery)
    assert (sco_of(second), second.mode) == ("SCO-2", "normal")

    entries, can_continue, _can_previous = learner.contents()
    assert not entries["SCO-4"].selectable
    assert entries["SCO-2"].is_current
    assert not can_continue  # SCO 3 stays disabled until SCO 2 is passed

    # The learner closes the tab; opening the lesson again is a normal launch of SCO 2.
    relaunch = learner.open()
    assert (sco_of(relaunch), relaunch.mode) == ("SCO-2", "normal")

    refused = learner.navigate(relaunch, "{target=SCO-4}choice")
    assert refused.refused is not None
    assert refused.sco is None

    # Opening the lesson again gives SCO 2 again: it has still to be passed.
    again = learner.open()
    assert (sco_of(again), again.mode) == ("SCO-2", "normal")
    failed = learner.finish(again, success="failed")
    assert failed.sco is None
    assert failed.refused is not None
    assert not learner.registration.completed

    launch = learner.open()
    assert sco_of(launch) == "SCO-2"
    for number in range(2, 6):
        assert sco_of(launch) == f"SCO-{number}"
        delivery = learner.finish(launch)
        if number < 5:
            launch = learner.deliver(delivery)
    assert delivery.ended

    registration = learner.registration
    assert registration.completed
    assert registration.success == "passed"
    assert learner.activity["completed"]
    assert learner.activity["passed"]
    assert learner.lesson_status == LessonProgress.Status.COMPLETED
    assert learner.open().mode == "review"


def test_each_commit_answers_the_continue_and_previous_the_player_shows(content_client):
    """The player's Continue and Previous follow every commit without a reload: SCO 3 opens
    the moment SCO 2 reports a pass, and a repeated commit gets the same answer."""
    learner = Learner(imported("forced_sequential"))
    second = learner.deliver(learner.finish(learner.open()))
    url = reverse("scorm:commit", args=[commit_token(Grant.for_session(second.session))])

    def commit(sequence: int, **cmi) -> dict:
        body = {"runtimeData": {"cmi": cmi}, "commitSequence": sequence}
        response = content_client.post(url, data=json.dumps(body), content_type="application/json")
        assert response.status_code == 200, response.content
        return response.json()

    assert commit(1, completion_status="incomplete")["flow"] == {"continue": False, "previous": True}
    passed = commit(2, completion_status="completed", success_status="passed")
    assert passed["flow"] == {"continue": True, "previous": True}
    repeat = commit(2, completion_status="completed", success_status="passed")
    assert repeat["duplicate"] is True
    assert repeat["flow"] == {"continue": True, "previous": True}


def test_default_rollup_with_one_quiz_failed_is_not_passed():
    learner = Learner(imported("default_rollup"), required_outcome="passed")

    launch = learner.open()
    assert sco_of(launch) == "SCO-1"
    delivery = learner.finish(launch)
    assert learner.registration.success == "unknown"  # one SCO of five decides nothing
    assert not learner.registration.completed
    for number in range(2, 6):
        launch = learner.deliver(delivery)
        assert sco_of(launch) == f"SCO-{number}"
        delivery = learner.finish(launch, success="failed" if number == 3 else "passed")
    assert delivery.ended

    registration = learner.registration
    assert registration.completed
    assert registration.success == "failed"
    assert learner.activity["completed"]
    assert not learner.activity["passed"]
    assert learner.lesson_status != LessonProgress.Status.COMPLETED  # the block requires a pass
    assert learner.open().mode == "normal"  # completed but failed: the learner tries again


def test_remediation_a_failed_quiz_delivers_the_lesson_again_as_a_new_attempt():
    learner = Learner(imported("remediation"), required_outcome="passed")

    lesson = learner.open()
    assert sco_of(lesson) == "LESSON"
    learner.commit(lesson, completion_status="completed", exit="normal", terminate=True, nav="continue")
    quiz = learner.deliver(learner.navigate(lesson, "continue"))
    assert sco_of(quiz) == "QUIZ"
    back = learner.finish(quiz, success="failed", score=0.5)

    assert back.sco.identifier == "LESSON"
    assert back.new_attempt
    again = learner.deliver(back)
    assert (sco_of(again), again.session.attempt.number) == ("LESSON", 2)
    assert launch_cmi(again, user=learner.user)["entry"] == "ab-initio"
    assert learner.registration.success != "passed"

    learner.commit(again, completion_status="completed", exit="normal", terminate=True, nav="continue")
    retake = learner.deliver(learner.navigate(again, "continue"))
    assert (sco_of(retake), retake.session.attempt.number) == ("QUIZ", 2)
    assert learner.finish(retake, success="passed", score=0.9).ended

    registration = learner.registration
    assert registration.success == "passed"
    assert registration.completed
    assert float(registration.score) == pytest.approx(90)  # only the quiz weighs
    assert learner.lesson_status == LessonProgress.Status.COMPLETED


@pytest.mark.parametrize(("pretest", "next_sco"), [("passed", "POSTTEST"), ("failed", "LESSON")])
def test_pretest_passed_skips_the_lesson(pretest, next_sco):
    learner = Learner(imported("pretest_skip"))

    launch = learner.open()
    assert sco_of(launch) == "PRETEST"
    delivery = learner.finish(launch, success=pretest)

    assert delivery.sco.identifier == next_sco
    assert sco_of(learner.deliver(delivery)) == next_sco


def test_hidden_from_choice_is_not_listed_nor_chosen_but_flow_reaches_it():
    learner = Learner(imported("hidden_from_choice"))

    intro = learner.open()
    assert sco_of(intro) == "INTRO"
    entries, can_continue, _can_previous = learner.contents()
    assert entries["ANSWERS"].hidden
    assert not entries["ANSWERS"].selectable
    assert entries["SUMMARY"].selectable
    assert not entries["SUMMARY"].hidden
    assert can_continue

    refused = learner.finish(intro, nav="{target=ANSWERS}choice")
    assert refused.refused is not None
    assert refused.sco is None
    # The Intro has ended; opening the lesson again continues from it, and flow reaches Answers.
    assert sco_of(learner.open()) == "ANSWERS"


def test_attempt_limit_two_exam_attempts_then_the_exam_is_closed():
    learner = Learner(imported("attempt_limit"))
    intro = learner.open()
    assert sco_of(intro) == "INTRO"

    launch = intro
    for number in (1, 2):
        exam = learner.deliver(learner.finish(launch, nav="{target=EXAM}choice"))
        assert (sco_of(exam), exam.session.attempt.number) == ("EXAM", number)
        launch = learner.deliver(learner.finish(exam, success="failed", nav="{target=INTRO}choice"))
        assert sco_of(launch) == "INTRO"

    third = learner.finish(launch, nav="{target=EXAM}choice")
    assert third.refused is not None
    assert third.sco is None
    entries, _can_continue, _can_previous = learner.contents()
    assert not entries["EXAM"].selectable
    assert ScoAttempt.objects.filter(registration=learner.registration, sco__identifier="EXAM").count() == 2


def test_exit_rule_leaves_the_module_and_exit_all_ends_the_session():
    learner = Learner(imported("exit_rules"))

    pretest = learner.open()
    assert sco_of(pretest) == "PRETEST"
    final = learner.deliver(learner.finish(pretest))
    assert sco_of(final) == "FINAL"

    ended = learner.finish(final, nav="")
    assert ended.ended
    assert ended.sco is None
    assert learner.registration.success == "passed"


def test_choice_exit_false_keeps_the_learner_in_the_exam():
    learner = Learner(imported("choice_exit"))
    intro = learner.open()
    assert sco_of(intro) == "INTRO"

    q1 = learner.deliver(learner.navigate(intro, "{target=Q1}choice"))
    assert sco_of(q1) == "Q1"
    entries, _can_continue, _can_previous = learner.contents()
    assert entries["Q2"].selectable
    assert not entries["INTRO"].selectable
    q2 = learner.deliver(learner.navigate(q1, "{target=Q2}choice"))
    assert sco_of(q2) == "Q2"

    refused = learner.navigate(q2, "{target=INTRO}choice")
    assert refused.refused is not None
    assert refused.sco is None


def test_forward_only_refuses_previous():
    learner = Learner(imported("forward_only"))
    first = learner.open()
    second = learner.deliver(learner.finish(first))
    assert sco_of(second) == "SCO-2"

    _entries, _can_continue, can_previous = learner.contents()
    assert not can_previous
    back = learner.finish(second, nav="previous")
    assert back.refused is not None
    assert back.sco is None
    assert sco_of(learner.open()) == "SCO-3"  # the lesson continues forward from SCO 2


@pytest.mark.parametrize(
    ("scores", "success", "percent"), [((0.8, 0.2), "passed", 65), ((0.4, 1.0), "failed", 55)]
)
def test_measure_weights_decide_the_course(scores, success, percent):
    learner = Learner(imported("measure_weights"))
    quiz_a = learner.open()
    assert sco_of(quiz_a) == "QUIZ-A"
    quiz_b = learner.deliver(learner.finish(quiz_a, success="unknown", score=scores[0]))
    assert sco_of(quiz_b) == "QUIZ-B"
    learner.finish(quiz_b, success="unknown", score=scores[1])

    registration = learner.registration
    assert registration.success == success
    assert float(registration.score) == pytest.approx(percent)


def _asset_package() -> ScormPackage:
    """A SCO (a quiz) and then an asset (a handout), choice and flow."""
    scos = [
        ScoSpec("QUIZ", "แบบทดสอบ", href="quiz/index.html"),
        ScoSpec("HANDOUT", "เอกสารประกอบ", href="handout/index.html", scorm_type="asset"),
    ]
    zip_bytes = package_build(version="2004", edition="4th", scos=scos, sequencing=CHOICE_AND_FLOW)
    return package_imported(zip_bytes, title="แบบทดสอบและเอกสาร")


def test_an_asset_is_complete_once_delivered():
    learner = Learner(_asset_package())

    quiz = learner.open()
    assert sco_of(quiz) == "QUIZ"
    handout = learner.deliver(learner.finish(quiz))
    assert sco_of(handout) == "HANDOUT"

    assert ScoAttempt.objects.get(pk=handout.session.attempt.pk).completion == "completed"
    entries, _can_continue, _can_previous = learner.contents()
    assert entries["HANDOUT"].completed
    registration = learner.registration
    assert registration.completed
    assert registration.success == "passed"  # the handout cannot fail the learner
    assert learner.lesson_status == LessonProgress.Status.COMPLETED


@pytest.mark.parametrize(("exit_value", "entry"), [("suspend", "resume"), ("", "")])
def test_closing_the_tab_mid_sco_reopens_the_same_attempt(exit_value, entry):
    learner = Learner(imported("forced_sequential"))
    second = learner.deliver(learner.finish(learner.open()))
    learner.commit(
        second, location="หน้า 3", suspend_data="p=3", completion_status="incomplete", exit=exit_value
    )

    relaunch = learner.open()  # no Terminate arrived: the tab was closed

    assert relaunch.session.attempt == second.session.attempt
    assert relaunch.session.entry == entry
    cmi = launch_cmi(relaunch, user=learner.user)  # an empty value is left out of the CMI
    assert (cmi["location"], cmi["suspend_data"]) == ("หน้า 3", "p=3")


def test_suspend_all_then_the_lesson_resumes_the_suspended_sco():
    learner = Learner(imported("forced_sequential"))
    second = learner.deliver(learner.finish(learner.open()))
    learner.commit(second, location="หน้า 5", completion_status="incomplete", terminate=True, nav="suspendAll")
    assert learner.navigate(second, "suspendAll").ended

    relaunch = learner.open()

    assert relaunch.session.attempt == second.session.attempt
    cmi = launch_cmi(relaunch, user=learner.user)
    assert (cmi["entry"], cmi["location"]) == ("resume", "หน้า 5")
    assert sco_of(learner.deliver(learner.finish(relaunch))) == "SCO-3"


def test_a_request_lost_with_the_closed_tab_is_followed_at_the_next_launch():
    """The terminate beacon arrived, the player's navigation call did not."""
    learner = Learner(imported("forced_sequential"))
    first = learner.open()
    learner.commit(
        first,
        completion_status="completed",
        success_status="passed",
        exit="normal",
        terminate=True,
        nav="continue",
    )

    relaunch = learner.open()

    assert sco_of(relaunch) == "SCO-2"
    assert launch_cmi(relaunch, user=learner.user)["entry"] == "ab-initio"


def test_an_attempt_ended_without_a_request_starts_again_at_the_next_launch():
    learner = Learner(imported("remediation"))
    lesson = learner.open()
    learner.commit(lesson, location="หน้า 2", completion_status="incomplete", exit="normal", terminate=True)

    relaunch = learner.open()

    assert (sco_of(relaunch), relaunch.session.attempt.number) == ("LESSON", 2)
    cmi = launch_cmi(relaunch, user=learner.user)
    assert cmi["entry"] == "ab-initio"
    assert "location" not in cmi
    # The sequencer counts it as a new attempt too: what the first attempt left does not count.
    entries, _can_continue, _can_previous = learner.contents()
    assert entries["LESSON"].completed is None


def test_a_launch_is_sequenced_once_and_a_second_tab_cannot_move_the_learner_again():
    learner = Learner(imported("default_rollup"))
    first_tab = learner.open()
    second_tab = learner.open()  # the same SCO, opened again in another tab
    assert second_tab.session.attempt == first_tab.session.attempt

    moved = learner.finish(first_tab)
    assert moved.sco.identifier == "SCO-2"
    assert learner.navigate(first_tab, "continue").sco.identifier == "SCO-2"  # a repeated click
    late = learner.finish(second_tab)

    assert late.sco.identifier == "SCO-2"
    assert late.new_attempt is False
    entries, _can_continue, _can_previous = learner.contents()
    assert entries["SCO-2"].is_current
    assert not entries["SCO-3"].attempted


def test_once_the_attempt_limit_is_used_up_the_package_opens_for_review():
    """A single quiz SCO allowed one attempt: after a failed attempt the package's rules allow
    nothing further, so the lesson opens it for review instead of an error page."""
    quiz = ScoSpec(
        "QUIZ",
        "แบบทดสอบ",
        href="quiz/index.html",
        sequencing=(
            '<imsss:limitConditions attemptLimit="1"/>'
            '<imsss:deliveryControls completionSetByContent="true" objectiveSetByContent="true"/>'
        ),
    )
    learner = Learner(package_imported(package_build(version="2004", scos=[quiz]), title="สอบครั้งเดียว"))
    first = learner.open()
    assert first.mode == "normal"
    learner.finish(first, success="failed", nav="")
    again = learner.open()
    assert again.mode == "review"
    assert sco_of(again) == "QUIZ"
    assert learner.registration.success == "failed"
    assert ScoAttempt.objects.filter(registration=learner.registration).count() == 1


def test_custom_rollup_rules_two_of_three_satisfy_and_half_complete():
    learner = Learner(imported("custom_rollup"), required_outcome="passed")

    first = learner.open()
    assert sco_of(first) == "SCO-1"
    second = learner.deliver(learner.finish(first))
    registration = learner.registration
    assert registration.success == "unknown"  # 1 of 3 satisfied: the atLeastCount 2 rule waits
    assert not registration.completed  # 1 of 3 completed is under atLeastPercent 0.5

    assert sco_of(second) == "SCO-2"
    third = learner.deliver(learner.finish(second))
    registration = learner.registration
    assert registration.success == "passed"
    assert registration.completed

    assert sco_of(third) == "SCO-3"
    learner.finish(third, success="failed")
    registration = learner.registration
    assert registration.success == "passed"  # no notSatisfied rule, and the defaults are off
    assert registration.completed
    assert learner.activity["passed"]


def test_a_child_that_does_not_contribute_to_rollup_leaves_the_course_passed():
    learner = Learner(imported("rollup_considerations"), required_outcome="passed")

    lesson = learner.open()
    assert sco_of(lesson) == "LESSON"
    quiz = learner.deliver(learner.finish(lesson))
    assert sco_of(quiz) == "QUIZ"
    survey = learner.deliver(learner.finish(quiz))
    assert sco_of(survey) == "SURVEY"
    learner.commit(
        survey, terminate=True, nav="exitAll", completion_status="incomplete", success_status="failed"
    )
    learner.navigate(survey, "exitAll")

    registration = learner.registration
    assert registration.success == "passed"
    assert registration.completed
    assert learner.activity["passed"]
    assert learner.lesson_status == LessonProgress.Status.COMPLETED


def test_the_same_survey_counted_would_fail_the_course():
    """The control for the test above: without rollupObjectiveSatisfied="false" and
    rollupProgressCompletion="false" the failed, incomplete survey decides the course."""
    package = SEQUENCING_PACKAGES["rollup_considerations"]
    counted = dataclasses.replace(
        package,
        scos=[
            dataclasses.replace(sco, sequencing=CONTENT_SETS_STATUS) if sco.identifier == "SURVEY" else sco
            for sco in package.scos
        ],
    )
    learner = Learner(package_imported(counted.zip_bytes(), title=counted.title), required_outcome="passed")

    quiz = learner.deliver(learner.finish(learner.open()))
    survey = learner.deliver(learner.finish(quiz))
    learner.commit(
        survey, terminate=True, nav="exitAll", completion_status="incomplete", success_status="failed"
    )
    learner.navigate(survey, "exitAll")

    registration = learner.registration
    assert registration.success == "failed"
    assert not registration.completed
    assert learner.lesson_status != LessonProgress.Status.COMPLETED
