"""A package may hold thousands of items (the manifest allows 5 000), and the player asks for
the table of contents and the Continue/Previous buttons on every page and launch: their cost
must grow about linearly with the number of activities, not with its square. The bounds are
ratios to the same work on smaller trees, measured in the same test."""

from __future__ import annotations

import gc
import time

import pytest

from scorm.sequencing import TreeState, activity_tree, contents, flow_requests, leaf_report, navigate

SMALL, LARGE = 50, 5_000


def flat(leaves: int) -> dict:
    return {
        "id": "ROOT",
        "title": "Course",
        "sequencingControls": {"choice": True, "flow": True},
        "children": [{"id": f"SCO-{n}", "title": f"SCO {n}"} for n in range(leaves)],
    }


def nested(leaves: int, *, per_cluster: int = 25, skipped: bool = False) -> dict:
    """Clusters of `per_cluster` leaves; `skipped`: every leaf has a skip rule that always holds,
    so flow into any cluster runs to the end of the course (the worst case for choosing a
    cluster)."""
    skip = {"preConditionRules": [{"action": "skip", "conditions": [{"condition": "always"}]}]}
    return {
        "id": "ROOT",
        "title": "Course",
        "sequencingControls": {"choice": True, "flow": True},
        "children": [
            {
                "id": f"M-{cluster}",
                "title": f"Module {cluster}",
                "sequencingControls": {"choice": True, "flow": True},
                "children": [
                    {
                        "id": f"M-{cluster}-{n}",
                        "title": f"SCO {n}",
                        **({"sequencingRules": skip} if skipped else {}),
                    }
                    for n in range(per_cluster)
                ],
            }
            for cluster in range(leaves // per_cluster)
        ],
    }


SHAPES = {
    "flat": flat,
    "nested": nested,
    "two_leaf_clusters_all_skipped": lambda leaves: nested(leaves, per_cluster=2, skipped=True),
}


def learner_midway(tree) -> TreeState:
    """A learner who passed the first three leaves and is in the fourth (chosen from the
    contents, so the state is what a real session leaves)."""
    state = TreeState()
    leaves = [activity for activity in tree.preorder() if activity.is_leaf]
    navigate(tree, state, "start")
    for leaf in leaves[:4]:
        navigate(tree, state, "choice", leaf.identifier)
        if leaf is not leaves[3]:
            leaf_report(
                tree,
                state,
                leaf.identifier,
                completion="completed",
                success="passed",
                score_scaled=None,
                progress_measure=None,
            )
    return state


def page_cost(tree, state, *, runs: int = 3) -> float:
    """The least CPU time (this process's: other work on the machine does not count) of `runs`
    computations of what a player page asks: the contents and the flow buttons. The garbage
    collector is off while timing: its full passes scan every object the test process holds."""
    timings = []
    gc.collect()
    gc.disable()
    try:
        for _run in range(runs):
            started = time.process_time()
            contents(tree, state)
            flow_requests(tree, state)
            timings.append(time.process_time() - started)
    finally:
        gc.enable()
    return min(timings)


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_contents_and_flow_grow_about_linearly(shape):
    """50, 500 then 5 000 leaves: ten times the activities may cost at most 30 times as much,
    and the largest at most 300 times the smallest. Linear work measures 10–16× a step here
    (bigger structures fall out of the CPU caches); the navigation request per activity that
    `contents` used to make cost about 150× a step, and stopping at the first step that fails
    keeps a regression from running for hours."""
    costs = []
    for leaves, runs in ((SMALL, 20), (SMALL * 10, 5), (LARGE, 3)):
        tree = activity_tree({"activityTree": SHAPES[shape](leaves), "collections": {}})
        costs.append(page_cost(tree, learner_midway(tree), runs=runs))
        if len(costs) > 1:
            step = costs[-1] / costs[-2]
            assert step < 30, f"{leaves} leaves cost {step:.0f}× {leaves // 10} leaves"

    assert costs[-1] < 300 * costs[0], f"{LARGE} leaves cost {costs[-1] / costs[0]:.0f}× {SMALL} leaves"


def test_large_contents_answers_what_navigate_answers():
    tree = activity_tree({"activityTree": nested(LARGE), "collections": {}})
    state = learner_midway(tree)
    entries = {entry.identifier: entry for entry in contents(tree, state)}

    assert len(entries) == LARGE + LARGE // 25
    assert entries["M-0-3"].is_current
    for identifier in ("M-0-0", "M-0-3", "M-0-24", "M-1", "M-100-7", "M-199-24"):
        accepted = navigate(tree, state.copy(), "choice", identifier).refused is None
        assert entries[identifier].selectable is accepted
    assert entries["M-199-24"].selectable
    assert flow_requests(tree, state) == (True, True)  # M-0-4 after, M-0-2 before
