"""The sequencing engine on trees written as `PackageVersion.sequencing` dicts: rollup
defaults and considerations, attempts, suspend/resume, post-condition actions, refusals and
the stored state. No database."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scorm.sequencing import (
    ObjectiveState,
    TreeState,
    activity_tree,
    asset_delivered,
    contents,
    flow_requests,
    leaf_report,
    navigate,
    root_outcome,
)
from scorm.sequencing.navigation import NAVIGATION_REQUESTS
from scorm.sequencing.rollup import rules_check
from scorm.tests.sequencing_packages import SEQUENCING_PACKAGES
from scorm.tests.test_sequencing_packages import Learner

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


# ---- the table of contents and the flow buttons say exactly what navigate would


def assert_answers_match_navigate(tree, state):
    """`contents(...).selectable` and `flow_requests` (computed without a navigation request
    per activity) equal what `navigate` answers on a copy, and they change nothing."""
    stored = state.to_json()
    entries = contents(tree, state)
    selectable = {entry.identifier: entry.selectable for entry in entries}
    hidden = {
        activity.identifier: any(
            not item.is_visible or rules_check(item, state, item.pre_rules, {"hiddenFromChoice"})
            for item in activity.path_from_root()[1:]
        )
        for activity in tree.preorder()[1:]
    }
    chosen = {
        activity.identifier: navigate(tree, state.copy(), "choice", activity.identifier).refused is None
        for activity in tree.preorder()[1:]
    }
    flows = tuple(
        navigate(tree, state.copy(), request).refused is None for request in ("continue", "previous")
    )

    assert selectable == chosen, stored
    assert {entry.identifier: entry.hidden for entry in entries} == hidden, stored
    assert flow_requests(tree, state) == flows, stored
    assert state.to_json() == stored


REPORTS = [  # (completion, success, score, cmi.exit suspend)
    ("completed", "passed", 0.9, False),
    ("incomplete", "failed", 0.3, False),
    ("unknown", "unknown", None, True),
]


def learner_moves(tree) -> list[tuple]:
    """Every navigation request (each activity as a choice target) and each report of `REPORTS`
    from the current activity's SCO."""
    moves = [("navigate", request, None) for request in sorted(NAVIGATION_REQUESTS - {"choice", "jump"})]
    moves += [("navigate", "choice", activity.identifier) for activity in tree.preorder()]
    moves += [("report", *values) for values in REPORTS]
    return moves


def move_apply(tree, state, move) -> None:
    if move[0] == "navigate":
        navigate(tree, state, move[1], move[2])
        return
    current = tree.find(state.current)
    if current is not None and current.is_leaf and state.of(current.identifier).is_active:
        completion, success, score, suspended = move[1:]
        leaf_report(
            tree,
            state,
            current.identifier,
            completion=completion,
            success=success,
            score_scaled=score,
            progress_measure=None,
            suspended=suspended,
        )


def explore(tree, *, moves: int = 5, limit: int = 400) -> int:
    """Check `assert_answers_match_navigate` in every state reached from a fresh registration
    in up to `moves` learner moves (breadth first, at most `limit` states, each stored as JSON
    between moves as the service stores it); returns how many states were checked."""
    start = json.dumps({})
    seen, frontier = {start}, [start]
    for _move in range(moves + 1):
        reached = []
        for stored in frontier:
            assert_answers_match_navigate(tree, TreeState.from_json(json.loads(stored)))
            for move in learner_moves(tree):
                state = TreeState.from_json(json.loads(stored))
                move_apply(tree, state, move)
                data = json.dumps(state.to_json(), sort_keys=True)
                if data not in seen and len(seen) < limit:
                    seen.add(data)
                    reached.append(data)
        frontier = reached if _move < moves else []
    return len(seen)


@pytest.mark.parametrize("key", sorted(SEQUENCING_PACKAGES))
def test_catalogue_contents_and_flow_match_navigate_wherever_a_learner_goes(key):
    assert explore(Learner(key).tree) > 10


def node(identifier: str, *children: dict, pre=(), exit=(), post=(), sets_status=False, **controls) -> dict:
    """An activity for the rule-family trees: `pre`/`exit`/`post` are (action, condition, ...)
    tuples, a condition "not x" negated; `controls` are control modes (choice and flow on unless
    given) or `attemptLimit`."""

    def rules(specs):
        return [
            {
                "action": action,
                "conditions": [
                    {
                        "condition": text.removeprefix("not "),
                        **({"operator": "not"} if text.startswith("not ") else {}),
                    }
                    for text in conditions
                ],
            }
            for action, *conditions in specs
        ]

    limit = controls.pop("attemptLimit", 0)
    settings = {
        "id": identifier,
        "title": identifier,
        "sequencingControls": {"choice": True, "flow": True, **controls},
        "sequencingRules": {
            "preConditionRules": rules(pre),
            "exitConditionRules": rules(exit),
            "postConditionRules": rules(post),
        },
        "attemptLimit": limit,
        "children": list(children),
    }
    return {**settings, **(SETS_STATUS if sets_status else {})}


RULE_FAMILY_TREES = {
    "stop_forward_traversal": node(
        "ROOT",
        node("A", pre=[("stopForwardTraversal", "satisfied")], sets_status=True),
        node(
            "M",
            node("M1", sets_status=True),
            node("N", node("N1"), node("N2"), pre=[("stopForwardTraversal", "completed")]),
            pre=[("stopForwardTraversal", "attempted")],
        ),
        node("B"),
    ),
    "forward_only": node(
        "ROOT",
        node("A"),
        node("M", node("M1"), node("N", node("N1"), node("N2"), forwardOnly=True), forwardOnly=True),
        node("B"),
    ),
    "prevent_activation": node(
        "ROOT",
        node("A"),
        node("M", node("M1"), node("N", node("N1"), preventActivation=True), preventActivation=True),
        node("B"),
    ),
    "choice_exit_and_choice_off": node(
        "ROOT",
        node("A"),
        node("M", node("M1"), node("N", node("N1"), node("N2"), choiceExit=False), choiceExit=False),
        node("C", node("C1"), node("D", node("D1"), choice=True), choice=False),
        node("B"),
    ),
    "disabled_hidden_and_limits": node(
        "ROOT",
        node("A", attemptLimit=1),
        node(
            "M",
            node("M1", attemptLimit=2, sets_status=True),
            node("M2", pre=[("hiddenFromChoice", "attempted")]),
            pre=[("disabled", "satisfied")],
        ),
        node("H", node("H1"), pre=[("hiddenFromChoice", "completed")]),
        node("B", pre=[("disabled", "not satisfied")], sets_status=True),
    ),
    "flow_into_clusters": node(
        "ROOT",
        node("M", node("M1", pre=[("skip", "always")]), node("M2", pre=[("skip", "attempted")]), node("M3")),
        node("N", node("N1"), flow=False),
        node("P", node("P1", pre=[("skip", "always")])),
        node("Q", node("Q1", pre=[("disabled", "attempted")], sets_status=True), node("Q2")),
        node("B"),
    ),
    "exit_and_post_condition_rules": node(
        "ROOT",
        node("A", post=[("previous", "satisfied"), ("exitParent", "not satisfied")], sets_status=True),
        node(
            "M",
            node("M1", post=[("retry", "not satisfied")], sets_status=True),
            node("M2", post=[("exitParent", "satisfied")], sets_status=True),
            node("M3", post=[("continue", "completed")]),
            exit=[("exit", "satisfied")],
        ),
        node("B", post=[("previous", "not satisfied"), ("exitAll", "satisfied")], sets_status=True),
        node("C", post=[("retryAll", "not satisfied")], sets_status=True),
        post=[("exitParent", "always")],
    ),
}


@pytest.mark.parametrize("name", sorted(RULE_FAMILY_TREES))
def test_rule_family_contents_and_flow_match_navigate_wherever_a_learner_goes(name):
    tree = activity_tree({"activityTree": RULE_FAMILY_TREES[name], "collections": {}})

    assert explore(tree, moves=6, limit=600) > 30


CONDITIONS = st.sampled_from(
    [
        {"condition": "always"},
        {"condition": "satisfied"},
        {"condition": "satisfied", "operator": "not"},
        {"condition": "objectiveStatusKnown", "operator": "not"},
        {"condition": "completed"},
        {"condition": "attempted"},
        {"condition": "attempted", "operator": "not"},
        {"condition": "attemptLimitExceeded"},
    ]
)


def rule_lists(actions: list[str]):
    rule = st.fixed_dictionaries(
        {
            "action": st.sampled_from(actions),
            "conditionCombination": st.sampled_from(["all", "any"]),
            "conditions": st.lists(CONDITIONS, min_size=1, max_size=2),
        }
    )
    return st.lists(rule, max_size=2)


MOSTLY = st.sampled_from([True, True, True, False])
RARELY = st.sampled_from([False, False, False, True])


@st.composite
def random_trees(draw):
    """A root with up to three children, each a leaf or a cluster of up to three leaves, with
    random control modes, preconditions, exit and post-condition rules and attempt limits."""
    names = iter(range(100))

    def node(levels: int) -> dict:
        settings = {
            "id": f"A{next(names)}",
            "sequencingControls": {
                "choice": draw(MOSTLY),
                "choiceExit": draw(MOSTLY),
                "flow": draw(MOSTLY),
                "forwardOnly": draw(RARELY),
                "preventActivation": draw(RARELY),
            },
            "sequencingRules": {
                "preConditionRules": draw(
                    rule_lists(["skip", "disabled", "hiddenFromChoice", "stopForwardTraversal"])
                ),
                "exitConditionRules": draw(rule_lists(["exit"])),
                "postConditionRules": draw(
                    rule_lists(["exitParent", "exitAll", "retry", "retryAll", "continue", "previous"])
                ),
            },
            "attemptLimit": draw(st.integers(min_value=0, max_value=2)),
        }
        if draw(st.booleans()):
            settings.update(SETS_STATUS)
        if levels and (levels == 2 or draw(st.booleans())):
            settings["children"] = [node(levels - 1) for _ in range(draw(st.integers(1, 3)))]
        return settings

    return activity_tree({"activityTree": node(2), "collections": {}})


@settings(max_examples=50, deadline=None)
@given(random_trees(), st.lists(st.integers(min_value=0, max_value=10_000), max_size=25))
def test_random_trees_contents_and_flow_match_navigate(tree, choices):
    state = TreeState()
    moves = learner_moves(tree)
    navigate(tree, state, "start")
    assert_answers_match_navigate(tree, state)
    for choice in choices:
        move_apply(tree, state, moves[choice % len(moves)])
        assert_answers_match_navigate(tree, state)


def test_state_copy_is_equal_and_independent():
    tree = tree_of(
        leaf("A", primaryObjective={"mapInfo": [{"targetObjectiveID": "G", "writeSatisfiedStatus": True}]}),
        leaf("B"),
    )
    state = TreeState()
    navigate(tree, state, "start")
    report(tree, state, "A", score=0.5)
    state.of("A").objectives["local"] = ObjectiveState(True, True, True, 0.25)

    copied = state.copy()
    assert copied == state
    copied.of("A").objective.satisfied = False
    copied.of("A").objectives["local"].measure = 0.75
    copied.global_objective("G").satisfied = False
    copied.of("B").attempt_count = 3

    assert state.of("A").objective.satisfied is True
    assert state.of("A").objectives["local"].measure == 0.25
    assert state.global_objective("G").satisfied is True
    assert state.of("B").attempt_count == 0
