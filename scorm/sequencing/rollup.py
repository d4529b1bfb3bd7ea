"""What the content reports, rule conditions and the rollup behaviour (SN RB.1.1–RB.1.5, UP.2).

Conditions are three-valued (True, False, None = unknown) and combine with the SN book's
truth tables: `not unknown` stays unknown, which is why authors pair `not satisfied` with
`not objectiveStatusKnown`.
"""

from __future__ import annotations

from dataclasses import dataclass

from .state import ActivityState, ObjectiveState, TreeState
from .tree import Activity, ObjectiveDefinition

# The default rollup rules (SN book 4.6.x), applied per pair when the activity defines no rule
# with either action of that pair.
DEFAULT_SATISFACTION_RULES = [
    {"action": "notSatisfied", "consideration": "all", "conditionCombination": "any",
     "conditions": [{"condition": "attempted"}, {"condition": "satisfied", "operator": "not"}]},
    {"action": "satisfied", "consideration": "all", "conditions": [{"condition": "satisfied"}]},
]  # fmt: skip
DEFAULT_COMPLETION_RULES = [
    {"action": "incomplete", "consideration": "all", "conditionCombination": "any",
     "conditions": [{"condition": "attempted"}, {"condition": "completed", "operator": "not"}]},
    {"action": "completed", "consideration": "all", "conditions": [{"condition": "completed"}]},
]  # fmt: skip

COMPLETION_STATUSES = {"completed": (True, True), "incomplete": (True, False), "not attempted": (True, False)}
SUCCESS_STATUSES = {"passed": (True, True), "failed": (True, False)}


# ---- objectives (with global objective reads and writes: satisfied status and measure)


def objective_read(activity: Activity, state: TreeState, definition: ObjectiveDefinition) -> ObjectiveState:
    """The objective as sequencing sees it: a known value of a global objective it reads
    (`mapInfo` readSatisfiedStatus / readNormalizedMeasure) wins over the local one."""
    local = _objective_local(activity, state, definition)
    seen = ObjectiveState(local.satisfied_known, local.satisfied, local.measure_known, local.measure)
    for mapping in definition.maps:
        shared = state.globals.get(mapping.target)
        if shared is None:
            continue
        if mapping.read_satisfied and shared.satisfied_known:
            seen.satisfied_known, seen.satisfied = True, shared.satisfied
        if mapping.read_measure and shared.measure_known:
            seen.measure_known, seen.measure = True, shared.measure
    return seen


def _objective_local(activity: Activity, state: TreeState, definition: ObjectiveDefinition) -> ObjectiveState:
    tracking = state.of(activity.identifier)
    if definition is activity.primary_objective:
        return tracking.objective
    local = tracking.objectives.get(definition.identifier)
    if local is None:
        local = tracking.objectives[definition.identifier] = ObjectiveState()
    return local


def _objective_write(activity: Activity, state: TreeState) -> None:
    """Copy the primary objective's known values to the global objectives it writes."""
    local = state.of(activity.identifier).objective
    for mapping in activity.primary_objective.maps:
        if mapping.write_satisfied and local.satisfied_known:
            shared = state.global_objective(mapping.target)
            shared.satisfied_known, shared.satisfied = True, local.satisfied
        if mapping.write_measure and local.measure_known:
            shared = state.global_objective(mapping.target)
            shared.measure_known, shared.measure = True, local.measure


def objective_set(
    activity: Activity, state: TreeState, *, satisfied: bool | None = None, measure=...
) -> None:
    """Set the primary objective (None: unknown; `measure` left out: unchanged), then write."""
    local = state.of(activity.identifier).objective
    local.satisfied_known, local.satisfied = satisfied is not None, bool(satisfied)
    if measure is not ...:
        local.measure_known, local.measure = measure is not None, float(measure or 0.0)
    _objective_write(activity, state)


# ---- rule conditions


def _combine(values: list[bool | None], combination: str) -> bool | None:
    if combination == "any":
        if True in values:
            return True
        return None if None in values else False
    if False in values:
        return False
    return None if None in values else True


def attempt_limit_exceeded(activity: Activity, tracking: ActivityState) -> bool:
    """SN UP.1: only for an activity that is neither active nor suspended."""
    if tracking.is_active or tracking.is_suspended or not activity.attempt_limit:
        return False
    return tracking.attempted and tracking.attempt_count >= activity.attempt_limit


def condition_evaluate(activity: Activity, state: TreeState, condition: dict) -> bool | None:
    """One rule or rollup condition. timeLimitExceeded and outsideAvailableTimeRange are always
    False: no duration or availability limits are tracked."""
    tracking = state.of(activity.identifier)
    objective = objective_read(activity, state, activity.objective(condition.get("referencedObjective")))
    name = condition.get("condition")
    threshold = float((condition.get("parameters") or {}).get("threshold", 0.0))
    value: bool | None
    if name == "satisfied":
        value = objective.satisfied if objective.satisfied_known else None
    elif name == "objectiveStatusKnown":
        value = objective.satisfied_known
    elif name == "objectiveMeasureKnown":
        value = objective.measure_known
    elif name == "objectiveMeasureGreaterThan":
        value = objective.measure > threshold if objective.measure_known else None
    elif name == "objectiveMeasureLessThan":
        value = objective.measure < threshold if objective.measure_known else None
    elif name == "completed":
        value = tracking.completed if tracking.completion_known else None
    elif name in ("activityProgressKnown", "progressKnown"):
        value = tracking.attempted and tracking.completion_known
    elif name == "attempted":
        value = tracking.attempted
    elif name == "attemptLimitExceeded":
        value = attempt_limit_exceeded(activity, tracking)
    elif name == "always":
        value = True
    else:  # timeLimitExceeded, outsideAvailableTimeRange, anything unknown
        value = False
    if condition.get("operator") == "not" and value is not None:
        value = not value
    return value


def rule_holds(activity: Activity, state: TreeState, rule: dict) -> bool | None:
    """A sequencing or rollup rule's conditions, combined (no conditions: False)."""
    values = [condition_evaluate(activity, state, condition) for condition in rule.get("conditions", [])]
    if not values:
        return False
    return _combine(values, rule.get("conditionCombination", "all"))


def rules_check(activity: Activity, state: TreeState, rules: list[dict], actions: set[str]) -> str | None:
    """SN UP.2: the action of the first rule with one of `actions` whose conditions are True."""
    for rule in rules:
        if rule.get("action") in actions and rule_holds(activity, state, rule) is True:
            return rule["action"]
    return None


# ---- rollup


def _child_contributes(child: Activity, state: TreeState, action: str) -> bool:
    """SN RB.1.4.2 Check Child for Rollup Subprocess."""
    tracking = state.of(child.identifier)
    if action in ("satisfied", "notSatisfied"):
        if not child.controls["rollupObjectiveSatisfied"]:
            return False
        requirement = child.considerations[
            "requiredForSatisfied" if action == "satisfied" else "requiredForNotSatisfied"
        ]
    else:
        if not child.controls["rollupProgressCompletion"]:
            return False
        requirement = child.considerations[
            "requiredForCompleted" if action == "completed" else "requiredForIncomplete"
        ]
    if requirement == "ifNotSuspended":
        return not (tracking.attempted and tracking.is_suspended)
    if requirement == "ifAttempted":
        return tracking.attempted
    if requirement == "ifNotSkipped":
        return rules_check(child, state, child.pre_rules, {"skip"}) is None
    return True


def _rollup_rule_fires(activity: Activity, state: TreeState, rule: dict) -> bool:
    """SN RB.1.4 for one rule: the child activity set over the tracked, contributing children.
    An empty set of contributing children never fires a rule."""
    bag = [
        rule_holds(child, state, rule)
        for child in activity.children
        if child.tracked and _child_contributes(child, state, rule["action"])
    ]
    if not bag:
        return False
    consideration = rule.get("consideration", "all")
    if consideration == "all":
        return all(value is True for value in bag)
    if consideration == "any":
        return True in bag
    if consideration == "none":
        return all(value is False for value in bag)
    if consideration == "atLeastCount":
        return bag.count(True) >= int(rule.get("minimumCount", 0))
    if consideration == "atLeastPercent":
        return bag.count(True) * 100 >= float(rule.get("minimumPercent", 0)) * len(bag)
    return False


def _rules_for(activity: Activity, actions: tuple[str, str], defaults: list[dict]) -> list[dict]:
    own = [rule for rule in activity.rollup_rules if rule.get("action") in actions]
    return own or defaults


def _measure_rollup(activity: Activity, state: TreeState) -> None:
    """SN RB.1.1: the weighted mean of the tracked children's measures; unknown if none known."""
    total = counted = 0.0
    known = False
    for child in activity.children:
        if not child.tracked:
            continue
        weight = float(child.controls["objectiveMeasureWeight"])
        counted += weight
        objective = objective_read(child, state, child.primary_objective)
        if objective.measure_known:
            total += objective.measure * weight
            known = True
    local = state.of(activity.identifier).objective
    local.measure_known = known and counted > 0
    local.measure = total / counted if local.measure_known else 0.0


def _objective_rollup(activity: Activity, state: TreeState) -> None:
    """SN RB.1.2: by measure when the primary objective is satisfied by measure, else by the
    satisfaction rules (the activity's own, or the default pair)."""
    tracking = state.of(activity.identifier)
    primary = activity.primary_objective
    if primary.satisfied_by_measure:
        objective = objective_read(activity, state, primary)
        if not objective.measure_known or (
            tracking.is_active and not activity.considerations["measureSatisfactionIfActive"]
        ):
            objective_set(activity, state, satisfied=None)
        else:
            objective_set(activity, state, satisfied=objective.measure >= primary.min_measure)
        return
    rules = _rules_for(activity, ("satisfied", "notSatisfied"), DEFAULT_SATISFACTION_RULES)
    for action, value in (("notSatisfied", False), ("satisfied", True)):
        if any(rule["action"] == action and _rollup_rule_fires(activity, state, rule) for rule in rules):
            objective_set(activity, state, satisfied=value)
    _objective_write(activity, state)


def _progress_rollup(activity: Activity, state: TreeState) -> None:
    """SN RB.1.3: by the completion rules (the activity's own, or the default pair)."""
    tracking = state.of(activity.identifier)
    rules = _rules_for(activity, ("completed", "incomplete"), DEFAULT_COMPLETION_RULES)
    for action, value in (("incomplete", False), ("completed", True)):
        if any(rule["action"] == action and _rollup_rule_fires(activity, state, rule) for rule in rules):
            tracking.completion_known, tracking.completed = True, value


def rollup_overall(activity: Activity, state: TreeState) -> None:
    """SN RB.1.5: roll up every cluster from this activity's parent (or itself) to the root."""
    for ancestor in activity.path_from_root()[::-1]:
        if ancestor.is_leaf:
            continue
        _measure_rollup(ancestor, state)
        _objective_rollup(ancestor, state)
        _progress_rollup(ancestor, state)


# ---- reports from the content, and the outcome


def leaf_report(
    tree: Activity,
    state: TreeState,
    identifier: str,
    *,
    completion: str,
    success: str,
    score_scaled: float | None,
    progress_measure: float | None,
    suspended: bool = False,
) -> None:
    """Record a SCO's run-time data for its current attempt, then roll up to the root.

    `suspended`: the SCO's cmi.exit is "suspend", so its attempt is suspended, not ended, when
    the learner leaves it (SN: Activity is Suspended), and its next delivery resumes it.

    completion: "completed" | "incomplete" | "not attempted" | "unknown"; success: "passed" |
    "failed" | "unknown". A primary objective satisfied by measure is judged from `score_scaled`
    against its minNormalizedMeasure (unknown without a score), whatever `success` says.
    An untracked activity records nothing. A SCO that reports has been attempted.
    """
    activity = _leaf(tree, identifier)
    if not activity.tracked:
        return
    tracking = state.of(identifier)
    tracking.attempt_count = max(tracking.attempt_count, 1)
    tracking.is_suspended = suspended
    tracking.completion_known, tracking.completed = COMPLETION_STATUSES.get(completion, (False, False))
    tracking.progress_measure = (
        None if progress_measure is None else min(1.0, max(0.0, float(progress_measure)))
    )
    measure = None if score_scaled is None else min(1.0, max(-1.0, float(score_scaled)))
    primary = activity.primary_objective
    if primary.satisfied_by_measure:
        satisfied = None if measure is None else measure >= primary.min_measure
    else:
        known, passed = SUCCESS_STATUSES.get(success, (False, False))
        satisfied = passed if known else None
    objective_set(activity, state, satisfied=satisfied, measure=measure)
    rollup_overall(activity, state)


def asset_delivered(tree: Activity, state: TreeState, identifier: str) -> None:
    """A delivered asset (no run-time API) has completed its attempt; roll up."""
    activity = _leaf(tree, identifier)
    if not activity.tracked:
        return
    tracking = state.of(identifier)
    tracking.attempt_count = max(tracking.attempt_count, 1)
    tracking.completion_known = tracking.completed = True
    rollup_overall(activity, state)


@dataclass(frozen=True)
class RootOutcome:
    """The root activity's current attempt: None where unknown."""

    completed: bool | None
    satisfied: bool | None
    measure: float | None


def root_outcome(tree: Activity, state: TreeState) -> RootOutcome:
    tracking = state.of(tree.identifier)
    objective = objective_read(tree, state, tree.primary_objective)
    return RootOutcome(
        completed=tracking.completed if tracking.completion_known else None,
        satisfied=objective.satisfied if objective.satisfied_known else None,
        measure=objective.measure if objective.measure_known else None,
    )


def _leaf(tree: Activity, identifier: str) -> Activity:
    activity = tree.find(identifier)
    if activity is None or not activity.is_leaf:
        raise ValueError(f"{identifier!r} is not a leaf activity of this tree")
    return activity
