"""The sequencing engine on trees written as `PackageVersion.sequencing` dicts: rollup
defaults and considerations, attempts, suspend/resume, post-condition actions, refusals and
the stored state. No database."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from scorm.sequencing import (
    TreeState,
    activity_tree,
    asset_delivered,
    contents,
    leaf_report,
    navigate,
    root_outcome,
)

SETS_STATUS = {"deliveryControls": {"completionSetByContent": True, "objectiveSetByContent": True}}


def tree_of(*children: dict, root: dict | None = None, collections: dict | None = None):
    node = {"id": "ROOT", "title": "Course", "isVisible": True, "children": list(children)}
    node.update(root or {"sequencingControls": {"choice": True, "flow": True}})
    return activity_tree({"activityTree": node, "collections": collections or {}})


def leaf(identifier: str, **settings) -> dict:
    return {"id": identifier, "title": identifier, "isVisible": True, **SETS_STATUS, **settings}


def report(tree, state, identifier, completion="completed", success="passed", score=None):
    leaf_report(
        tree,
        state,
        identifier,
        completion=completion,
        success=success,
        score_scaled=score,
        progress_measure=None,
    )


def test_defining_a_completion_rule_keeps_the_satisfaction_defaults():
    tree = tree_of(
        leaf("A"),
        leaf("B"),
        root={
            "sequencingControls": {"choice": True, "flow": True},
            "rollupRules": {
                "rules": [
                    {
                        "action": "completed",
                        "consideration": "any",
                        "conditions": [{"condition": "completed"}],
                    }
                ]
            },
        },
    )
    state = TreeState()
    report(tree, state, "A", success="failed")

    assert root_outcome(tree, state).completed is True  # the custom rule: any completed
    assert root_outcome(tree, state).satisfied is None  # B neither attempted nor known
    report(tree, state, "B", completion="incomplete")
    assert root_outcome(tree, state).satisfied is False  # default: all attempted or not satisfied


def test_required_if_attempted_lets_an_untried_optional_child_not_block_satisfaction():
    optional = {
        "rollupConsiderations": {"requiredForSatisfied": "ifAttempted", "requiredForCompleted": "ifAttempted"}
    }
    tree = tree_of(leaf("CORE"), leaf("EXTRA", **optional))
    state = TreeState()

    report(tree, state, "CORE")

    assert (root_outcome(tree, state).satisfied, root_outcome(tree, state).completed) == (True, True)


def test_a_cluster_without_contributing_children_stays_unknown():
    quiet = {"sequencingControls": {"rollupObjectiveSatisfied": False, "rollupProgressCompletion": False}}
    tree = tree_of(leaf("A", **quiet), leaf("B", **quiet))
    state = TreeState()

    report(tree, state, "A")
    report(tree, state, "B")

    assert root_outcome(tree, state) == root_outcome(tree, TreeState())
    assert (root_outcome(tree, state).satisfied, root_outcome(tree, state).completed) == (None, None)


def test_unreported_attempt_is_completed_and_satisfied_when_content_does_not_set_status():
    """SN UP.4 with completionSetByContent/objectiveSetByContent false (their defaults)."""
    tree = tree_of({"id": "A", "title": "A"}, {"id": "B", "title": "B"})
    state = TreeState()
    navigate(tree, state, "start")

    navigate(tree, state, "continue")

    entry = {item.identifier: item for item in contents(tree, state)}["A"]
    assert (entry.completed, entry.satisfied) == (True, True)
    assert root_outcome(tree, state).satisfied is None  # B's attempt has not ended


def test_state_json_is_compact_and_round_trips():
    tree = tree_of(leaf("A"), leaf("B"))
    assert TreeState().to_json() == {}
    state = TreeState()
    navigate(tree, state, "start")
    report(tree, state, "A", score=0.5)

    stored = json.loads(json.dumps(state.to_json()))

    assert stored["cur"] == "A"
    assert stored["a"]["A"] == {
        "n": 1,
        "ck": True,
        "c": True,
        "act": True,
        "sk": True,
        "s": True,
        "mk": True,
        "m": 0.5,
    }
    assert TreeState.from_json(stored).to_json() == stored


def test_collection_settings_apply_and_local_settings_win():
    tree = tree_of(
        {"id": "A", "title": "A", "sequencingIdRef": "shared"},
        {"id": "B", "title": "B", "sequencingIdRef": "shared", "attemptLimit": 3},
        collections={"shared": {"attemptLimit": 1, "deliveryControls": {"objectiveSetByContent": True}}},
    )

    assert (tree.find("A").attempt_limit, tree.find("B").attempt_limit) == (1, 3)
    assert tree.find("B").delivery["objectiveSetByContent"] is True


def test_suspend_all_then_resume_all_continues_the_same_attempt():
    tree = tree_of(leaf("A"), leaf("B"))
    state = TreeState()
    navigate(tree, state, "start")
    navigate(tree, state, "continue")

    suspended = navigate(tree, state, "suspendAll")
    assert suspended.end_session
    assert state.suspended == "B"
    assert state.current is None
    resumed = navigate(tree, state, "resumeAll")

    assert (resumed.deliver, resumed.new_attempt) == ("B", False)
    assert state.of("B").attempt_count == 1
    assert state.suspended is None
    assert state.of("ROOT").attempt_count == 1


def test_retry_all_post_condition_starts_a_new_attempt_on_the_whole_course():
    retry_all = {
        "postConditionRules": [
            {"action": "retryAll", "conditions": [{"condition": "satisfied", "operator": "not"}]}
        ]
    }
    tree = tree_of(leaf("LESSON"), leaf("TEST", sequencingRules=retry_all))
    state = TreeState()
    navigate(tree, state, "start")
    report(tree, state, "LESSON")
    navigate(tree, state, "continue")
    report(tree, state, "TEST", success="failed")
    assert root_outcome(tree, state).satisfied is False

    outcome = navigate(tree, state, "continue")

    assert (outcome.deliver, outcome.new_attempt) == ("LESSON", True)
    assert state.of("ROOT").attempt_count == 2
    assert root_outcome(tree, state).satisfied is None  # children's data belong to the old attempt
    assert state.of("LESSON").objective.satisfied_known is False


def test_exit_parent_post_condition_leaves_the_module():
    exit_parent = {"postConditionRules": [{"action": "exitParent", "conditions": [{"condition": "always"}]}]}
    module = {
        "id": "M",
        "title": "Module",
        "sequencingControls": {"flow": True},
        "children": [leaf("M1", sequencingRules=exit_parent), leaf("M2")],
    }
    tree = tree_of(module, leaf("NEXT"))
    state = TreeState()
    navigate(tree, state, "start")

    outcome = navigate(tree, state, "continue")

    assert outcome.deliver == "NEXT"
    assert not state.of("M").is_active
    assert state.of("M2").attempt_count == 0


def test_refusals_carry_sn_codes_and_change_no_state():
    tree = tree_of(leaf("A"), leaf("B"), root={"sequencingControls": {"choice": False, "flow": True}})
    state = TreeState()
    assert navigate(tree, state, "continue").refused == "NB.2.1-2"
    navigate(tree, state, "start")
    before = state.to_json()

    for request, target, code in [
        ("start", None, "NB.2.1-1"),
        ("choice", "B", "NB.2.1-10"),
        ("choice", "NOPE", "NB.2.1-11"),
        ("previous", None, "SB.2.1-3"),
        ("fly", None, "NB.2.1-13"),
    ]:
        outcome = navigate(tree, state, request, target)
        assert (outcome.refused, outcome.deliver) == (code, None), request
        assert outcome.reason
    assert state.to_json() == before


def test_unknown_status_does_not_fire_a_not_satisfied_precondition():
    """Three-valued conditions: `not satisfied` of an unknown status is unknown, not true."""
    disabled_unless_passed = {
        "preConditionRules": [
            {"action": "disabled", "conditions": [{"condition": "satisfied", "operator": "not"}]}
        ]
    }
    tree = tree_of(leaf("A", sequencingRules=disabled_unless_passed), leaf("B"))
    state = TreeState()

    assert navigate(tree, state, "start").deliver == "A"
    report(tree, state, "A", success="failed")
    navigate(tree, state, "continue")
    assert navigate(tree, state, "choice", "A").refused == "DB.1.1-3"


def test_measure_threshold_condition_and_stop_forward_traversal():
    stop_when_low = {
        "preConditionRules": [
            {
                "action": "stopForwardTraversal",
                "conditions": [{"condition": "objectiveMeasureLessThan", "parameters": {"threshold": 0.5}}],
            }
        ]
    }
    tree = tree_of(leaf("A", sequencingRules=stop_when_low), leaf("B"), leaf("C"))
    state = TreeState()
    navigate(tree, state, "start")
    report(tree, state, "A", success="unknown", score=0.3)

    assert navigate(tree, state, "choice", "C").refused == "SB.2.4-1"
    report(tree, state, "A", success="unknown", score=0.7)
    assert navigate(tree, state, "choice", "C").deliver == "C"


def test_scorm_12_shaped_tree_with_an_asset_completes_when_every_item_is_completed():
    tree = tree_of({"id": "PAGE", "title": "Reading"}, {"id": "SCO", "title": "Lesson"})
    state = TreeState()
    assert navigate(tree, state, "start").deliver == "PAGE"

    asset_delivered(tree, state, "PAGE")
    assert root_outcome(tree, state).completed is None  # the SCO is not attempted yet
    navigate(tree, state, "choice", "SCO")
    report(tree, state, "SCO", completion="incomplete", success="unknown")
    assert root_outcome(tree, state).completed is False
    report(tree, state, "SCO", completion="completed", success="unknown")

    assert root_outcome(tree, state).completed is True


REPORT = st.tuples(
    st.integers(min_value=0, max_value=4),
    st.sampled_from(["completed", "incomplete", "unknown"]),
    st.sampled_from(["passed", "failed", "unknown"]),
    st.one_of(st.none(), st.floats(min_value=-1, max_value=1)),
)


@settings(max_examples=60, deadline=None)
@given(st.lists(REPORT, max_size=15), st.lists(st.booleans(), min_size=5, max_size=5))
def test_root_is_satisfied_only_when_every_contributing_child_is(reports, contributes):
    children = [
        leaf(f"S{n}", sequencingControls={"rollupObjectiveSatisfied": contributes[n]}) for n in range(5)
    ]
    tree = tree_of(*children)
    state = TreeState()
    for index, completion, success, score in reports:
        report(tree, state, f"S{index}", completion=completion, success=success, score=score)

    satisfied = root_outcome(tree, state).satisfied
    contributing = [f"S{n}" for n in range(5) if contributes[n]]
    every_child_satisfied = all(
        state.of(identifier).objective.satisfied_known and state.of(identifier).objective.satisfied
        for identifier in contributing
    )
    if satisfied:
        assert contributing
        assert every_child_satisfied
    if contributing and reports and every_child_satisfied:
        assert satisfied is True
