"""Each catalogue package (sequencing_packages.py) parsed as an import would parse it, played
through the engine with its state stored as JSON between steps, as the SN book says it goes."""

from __future__ import annotations

import io
import json
import zipfile

import pytest

from scorm.manifest import manifest_parse
from scorm.sequencing import (
    TreeState,
    activity_tree,
    contents,
    flow_requests,
    leaf_report,
    navigate,
    root_outcome,
)
from scorm.tests.sequencing_packages import SEQUENCING_PACKAGES


class Learner:
    """One registration on a catalogue package; the state goes through JSON after every step."""

    def __init__(self, key: str):
        data = SEQUENCING_PACKAGES[key].zip_bytes()
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            manifest = manifest_parse(archive.read("imsmanifest.xml"), package_files=set(archive.namelist()))
        assert manifest.errors == []
        assert manifest.warnings == []
        self.tree = activity_tree(manifest.sequencing_settings())
        self.stored = json.dumps(TreeState().to_json())

    @property
    def state(self) -> TreeState:
        return TreeState.from_json(json.loads(self.stored))

    def go(self, request: str, target: str | None = None):
        state = self.state
        outcome = navigate(self.tree, state, request, target)
        self.stored = json.dumps(state.to_json())
        return outcome

    def report(self, identifier: str, *, completion="completed", success="passed", score=None):
        state = self.state
        leaf_report(
            self.tree,
            state,
            identifier,
            completion=completion,
            success=success,
            score_scaled=score,
            progress_measure=None,
        )
        self.stored = json.dumps(state.to_json())

    def outcome(self):
        return root_outcome(self.tree, self.state)

    def contents(self) -> dict:
        return {entry.identifier: entry for entry in contents(self.tree, self.state)}


@pytest.mark.parametrize("key", sorted(SEQUENCING_PACKAGES))
def test_every_catalogue_package_imports_and_starts(key):
    learner = Learner(key)

    outcome = learner.go("start")

    assert outcome.refused is None
    assert outcome.deliver is not None
    assert SEQUENCING_PACKAGES[key].expected


def test_forced_sequential_first_pass_neither_satisfies_nor_completes_the_course():
    learner = Learner("forced_sequential")
    assert learner.go("start").deliver == "SCO-1"

    learner.report("SCO-1")

    outcome = learner.outcome()
    assert outcome.satisfied is not True
    assert outcome.completed is not True
    assert learner.go("continue").deliver == "SCO-2"
    refused = learner.go("choice", "SCO-4")
    assert refused.refused == "NB.2.1-10"
    assert refused.deliver is None
    assert learner.state.current == "SCO-2"
    assert not learner.contents()["SCO-4"].selectable


def test_forced_sequential_failed_sco_disables_the_next_one():
    learner = Learner("forced_sequential")
    learner.go("start")
    learner.report("SCO-1")
    learner.go("continue")
    learner.report("SCO-2", success="failed")

    refused = learner.go("continue")

    assert refused.refused == "SB.2.2-2"
    assert "disabled" in refused.reason
    assert learner.state.current == "SCO-2"
    assert learner.state.of("SCO-2").is_active
    assert flow_requests(learner.tree, learner.state) == (False, True)  # back to SCO 1 is allowed
    assert learner.outcome().satisfied is not True


def test_forced_sequential_all_five_passed_satisfies_and_completes_then_continue_ends():
    learner = Learner("forced_sequential")
    delivered = [learner.go("start").deliver]
    for number in range(1, 6):
        learner.report(f"SCO-{number}")
        outcome = learner.go("continue")
        delivered.append(outcome.deliver)

    assert delivered == ["SCO-1", "SCO-2", "SCO-3", "SCO-4", "SCO-5", None]
    assert outcome.end_session
    result = learner.outcome()
    assert (result.satisfied, result.completed) == (True, True)


def test_default_rollup_one_failed_quiz_means_not_satisfied():
    learner = Learner("default_rollup")
    learner.go("start")
    learner.report("SCO-1")
    assert learner.outcome().satisfied is None
    for number in range(2, 6):
        learner.go("choice", f"SCO-{number}")
        learner.report(f"SCO-{number}", success="failed" if number == 3 else "passed")

    assert learner.outcome().satisfied is False
    assert learner.outcome().completed is True

    learner.go("choice", "SCO-3")
    learner.report("SCO-3")
    assert (learner.outcome().satisfied, learner.outcome().completed) == (True, True)


def test_default_rollup_leaves_unreported_scos_unknown_because_content_sets_status():
    """The collection's objectiveSetByContent=true: ending an attempt without a report does not
    make the SCO satisfied (it would with the SN defaults, see the engine tests)."""
    learner = Learner("default_rollup")
    learner.go("start")
    learner.go("continue")

    assert learner.state.of("SCO-1").objective.satisfied_known is False
    assert learner.contents()["SCO-1"].satisfied is None


def test_remediation_sends_the_learner_back_to_the_lesson_after_a_failed_quiz():
    learner = Learner("remediation")
    learner.go("start")
    learner.report("LESSON", success="unknown")
    assert learner.go("continue").deliver == "QUIZ"
    learner.report("QUIZ", success="unknown", score=0.5)

    back = learner.go("continue")

    assert back.deliver == "LESSON"
    assert back.new_attempt
    assert learner.state.of("LESSON").attempt_count == 2
    assert learner.outcome().satisfied is not True
    assert learner.go("continue").deliver == "QUIZ"
    learner.report("QUIZ", success="unknown", score=0.9)
    assert (learner.outcome().satisfied, learner.outcome().measure) == (True, 0.9)
    assert learner.go("continue").end_session


def test_pretest_passed_skips_the_lesson_failed_does_not():
    passed, failed = Learner("pretest_skip"), Learner("pretest_skip")
    for learner, success in ((passed, "passed"), (failed, "failed")):
        learner.go("start")
        learner.report("PRETEST", success=success)

    assert passed.go("continue").deliver == "POSTTEST"
    assert failed.go("continue").deliver == "LESSON"


def test_hidden_from_choice_is_hidden_and_refused_but_reached_by_flow():
    learner = Learner("hidden_from_choice")
    learner.go("start")

    entries = learner.contents()
    assert entries["ANSWERS"].hidden
    assert not entries["ANSWERS"].selectable
    assert entries["SUMMARY"].selectable
    assert not entries["SUMMARY"].hidden
    assert learner.go("choice", "ANSWERS").refused == "SB.2.9-3"
    assert learner.go("continue").deliver == "ANSWERS"


def test_attempt_limit_refuses_the_third_attempt():
    learner = Learner("attempt_limit")
    learner.go("start")
    for attempt in (1, 2):
        outcome = learner.go("choice", "EXAM")
        assert outcome.deliver == "EXAM"
        assert learner.state.of("EXAM").attempt_count == attempt
        learner.report("EXAM", success="failed")
        learner.go("choice", "INTRO")

    refused = learner.go("choice", "EXAM")

    assert refused.refused == "DB.1.1-3"
    assert "limit of 2" in refused.reason
    assert learner.state.current == "INTRO"
    assert not learner.contents()["EXAM"].selectable


def test_custom_rollup_two_of_three_satisfies_and_failing_the_third_changes_nothing():
    learner = Learner("custom_rollup")
    learner.go("start")
    learner.report("SCO-1")
    assert (learner.outcome().satisfied, learner.outcome().completed) == (None, None)
    learner.go("continue")
    learner.report("SCO-2")
    assert (learner.outcome().satisfied, learner.outcome().completed) == (True, True)
    learner.go("continue")

    learner.report("SCO-3", completion="incomplete", success="failed")

    assert (learner.outcome().satisfied, learner.outcome().completed) == (True, True)


def test_rollup_considerations_survey_does_not_count():
    learner = Learner("rollup_considerations")
    learner.go("start")
    learner.report("LESSON")
    learner.go("continue")
    learner.report("QUIZ")
    learner.go("continue")

    learner.report("SURVEY", completion="incomplete", success="failed")

    assert (learner.outcome().satisfied, learner.outcome().completed) == (True, True)


@pytest.mark.parametrize(
    ("score_a", "score_b", "measure", "satisfied"), [(0.8, 0.2, 0.65, True), (0.4, 1.0, 0.55, False)]
)
def test_measure_weights_decide_the_course(score_a, score_b, measure, satisfied):
    learner = Learner("measure_weights")
    learner.go("start")
    learner.report("QUIZ-A", success="unknown", score=score_a)
    learner.go("continue")

    learner.report("QUIZ-B", success="unknown", score=score_b)

    assert learner.outcome().measure == pytest.approx(measure)
    assert learner.outcome().satisfied is satisfied


def test_exit_rule_leaves_the_module_and_exit_all_ends_the_session():
    learner = Learner("exit_rules")
    assert learner.go("start").deliver == "PRETEST"
    learner.report("PRETEST")

    assert learner.go("continue").deliver == "FINAL"
    assert not learner.state.of("MODULE").is_active
    ended = learner.go("exit")
    assert ended.end_session
    assert learner.state.current is None
    assert not any(state.is_active for state in learner.state.activities.values())


def test_exit_rule_does_not_fire_for_a_failed_pretest():
    learner = Learner("exit_rules")
    learner.go("start")
    learner.report("PRETEST", success="failed")

    assert learner.go("continue").deliver == "LESSON-A"


def test_choice_exit_false_keeps_the_learner_inside_the_exam():
    learner = Learner("choice_exit")
    learner.go("start")
    assert learner.go("choice", "Q1").deliver == "Q1"

    assert learner.go("choice", "Q2").deliver == "Q2"
    refused = learner.go("choice", "INTRO")

    assert refused.refused == "NB.2.1-8"
    assert not learner.contents()["INTRO"].selectable
    assert learner.state.current == "Q2"


def test_forward_only_refuses_previous():
    learner = Learner("forward_only")
    learner.go("start")
    learner.go("continue")

    assert flow_requests(learner.tree, learner.state) == (True, False)
    assert learner.go("previous").refused == "NB.2.1-5"
    assert learner.state.current == "SCO-2"
