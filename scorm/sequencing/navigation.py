"""The Overall Sequencing Process (SN OP.1): navigation request (NB.2.1), termination request
(TB.2.x), sequencing request (SB.2.x) and delivery request (DB.1.1, DB.2) processes.

`navigate` works on a copy of the state and keeps it only when the request is not refused, so
a refused request changes nothing. Refusals carry the SN book's exception code.

`contents` and `flow_requests` say what `navigate` would answer without a request (and a copy
of the state) per activity: they run on every player page, for packages of thousands of items.
"""

from __future__ import annotations

from dataclasses import dataclass

from .rollup import attempt_limit_exceeded, objective_read, objective_set, rollup_overall, rules_check
from .state import TreeState
from .tree import Activity

NAVIGATION_REQUESTS = frozenset(
    {"start", "resumeAll", "continue", "previous", "choice", "jump", "exit", "exitAll", "abandon",
     "abandonAll", "suspendAll"}
)  # fmt: skip
POST_CONDITION_ACTIONS = {"exitParent", "exitAll", "retry", "retryAll", "continue", "previous"}


@dataclass(frozen=True)
class NavigationOutcome:
    """`deliver`: the leaf to launch (None: nothing to launch); `new_attempt`: the delivery
    starts a new attempt on it (False: it resumes a suspended attempt); `end_session`: the
    sequencing session ended; `refused`: the SN exception code when the request was refused
    (then no state changed); `reason`: a short English explanation."""

    deliver: str | None = None
    new_attempt: bool = False
    end_session: bool = False
    refused: str | None = None
    reason: str = ""


class Refused(Exception):
    def __init__(self, code: str, reason: str):
        super().__init__(f"{code}: {reason}")
        self.code, self.reason = code, reason


def navigate(tree: Activity, state: TreeState, request: str, target: str | None = None) -> NavigationOutcome:
    """Process a navigation request; on success `state` holds the result."""
    work = state.copy()
    try:
        outcome = _Sequencer(tree, work).run(request, target)
    except Refused as refusal:
        return NavigationOutcome(refused=refusal.code, reason=refusal.reason)
    state.replace_with(work)
    return outcome


class _Sequencer:
    def __init__(self, tree: Activity, state: TreeState):
        self.tree, self.state = tree, state

    # ---- helpers

    @property
    def current(self) -> Activity | None:
        return self.tree.find(self.state.current)

    @current.setter
    def current(self, activity: Activity | None) -> None:
        self.state.current = activity.identifier if activity is not None else None

    def active(self, activity: Activity) -> bool:
        return self.state.of(activity.identifier).is_active

    def blocked(self, activity: Activity) -> str | None:
        """SN UP.5 Check Activity Process: why the activity cannot be delivered, or None."""
        if rules_check(activity, self.state, activity.pre_rules, {"disabled"}):
            return f"{activity.title} is disabled."
        if attempt_limit_exceeded(activity, self.state.of(activity.identifier)):
            return f"{activity.title} has reached its limit of {activity.attempt_limit} attempt(s)."
        return None

    def hidden_from_choice(self, activity: Activity) -> bool:
        return rules_check(activity, self.state, activity.pre_rules, {"hiddenFromChoice"}) is not None

    # ---- OP.1

    def run(self, request: str, target: str | None) -> NavigationOutcome:
        termination, sequencing, chosen = self.navigation_request(request, target)
        if termination is not None:
            sequencing = self.terminate(termination) or sequencing
        return self.finish(sequencing, chosen)

    def finish(self, sequencing: str, chosen: Activity | None) -> NavigationOutcome:
        """OP.1 after the termination request: the sequencing and delivery requests."""
        delivery, end_session = self.sequence(sequencing, chosen)
        if end_session:
            self.session_end()
            return NavigationOutcome(end_session=True, reason="The sequencing session has ended.")
        if delivery is None:
            return NavigationOutcome(
                reason="The activity ended; there is nothing to launch until the learner chooses."
            )
        new_attempt = self.deliver(delivery)
        return NavigationOutcome(
            deliver=delivery.identifier,
            new_attempt=new_attempt,
            reason=f"Launch {delivery.title}{'' if new_attempt else ' (resumed)'}.",
        )

    def acceptable(self, sequencing: str, chosen: Activity | None) -> bool:
        """Whether `finish` would refuse nothing, without its changes: the sequencing request
        process only reads the state, and the delivery request is refused before any change."""
        try:
            delivery, _end_session = self.sequence(sequencing, chosen)
            if delivery is not None:
                self.delivery_check(delivery)
        except Refused:
            return False
        return True

    # ---- NB.2.1

    def navigation_request(self, request: str, target: str | None) -> tuple[str | None, str, Activity | None]:
        """(termination request, sequencing request, target activity) or Refused."""
        current = self.current
        if request not in NAVIGATION_REQUESTS:
            raise Refused("NB.2.1-13", f"{request!r} is not a navigation request.")
        if request in ("start", "resumeAll"):
            if current is not None:
                raise Refused("NB.2.1-1", "The sequencing session has already begun.")
            if request == "resumeAll" and self.state.suspended is None:
                raise Refused("NB.2.1-3", "There is no suspended attempt to resume.")
            return None, request, None
        if request in ("choice", "jump"):
            chosen = self.tree.find(target)
            if chosen is None:
                raise Refused("NB.2.1-11", f"There is no activity {target!r}.")
            if request == "choice":
                if not chosen.is_root and not chosen.parent.controls["choice"]:
                    raise Refused(
                        "NB.2.1-10",
                        f"{chosen.title} cannot be chosen: choice is off in {chosen.parent.title}.",
                    )
                if current is not None:
                    ancestor = _common_ancestor(current, chosen)
                    for activity in current.path_from_root()[len(ancestor.path_from_root()) :]:
                        if self.active(activity) and not activity.controls["choiceExit"]:
                            raise Refused("NB.2.1-8", f"{activity.title} must be finished before leaving it.")
            termination = "exit" if current is not None and self.active(current) else None
            return termination, request, chosen
        if current is None:
            raise Refused("NB.2.1-2", "The sequencing session has not begun.")
        if request in ("continue", "previous"):
            if not current.is_root and not current.parent.controls["flow"]:
                raise Refused("NB.2.1-4", f"Continue and Previous are off in {current.parent.title}.")
            if request == "previous":
                if current.is_root:
                    raise Refused("NB.2.1-6", "There is nothing before the start.")
                if current.parent.controls["forwardOnly"]:
                    raise Refused("NB.2.1-5", f"{current.parent.title} only moves forward.")
            return ("exit" if self.active(current) else None), request, None
        if request in ("exit", "abandon") and not self.active(current):
            raise Refused("NB.2.1-12", f"{current.title} has already ended.")
        return request, "exit", None

    # ---- TB.2.3 and its subprocesses

    def terminate(self, request: str) -> str | None:
        """Returns the sequencing request that replaces the navigation's, if any."""
        current = self.current
        tracking = self.state.of(current.identifier)
        if request == "abandon":
            tracking.is_active = False
            return None
        if request == "abandonAll":
            for activity in current.path_from_root():
                self.state.of(activity.identifier).is_active = False
            self.current = self.tree
            return "exit"
        if request == "suspendAll":
            if not (tracking.is_active or tracking.is_suspended):
                raise Refused("TB.2.3-3", "There is nothing to suspend.")
            rollup_overall(current, self.state)
            self.state.suspended = current.identifier
            for activity in current.path_from_root():
                activity_state = self.state.of(activity.identifier)
                activity_state.is_active, activity_state.is_suspended = False, True
            self.current = self.tree
            return "exit"
        if request == "exitAll":
            return self.exit_all(None)
        # exit
        self.end_attempt(current)
        self.exit_action_rules()
        while True:
            current = self.current
            action = (
                None
                if self.state.of(current.identifier).is_suspended
                else rules_check(current, self.state, current.post_rules, POST_CONDITION_ACTIONS)
            )
            if action in ("exitAll", "retryAll"):
                return self.exit_all("retry" if action == "retryAll" else None)
            if action == "exitParent":
                if current.is_root:
                    raise Refused("TB.2.3-4", "The root activity has no parent to exit.")
                self.current = current.parent
                self.end_attempt(current.parent)
                continue
            if current.is_root and action != "retry":
                return "exit"
            return action

    def exit_all(self, then: str | None) -> str:
        current = self.current
        if self.active(current):
            self.end_attempt(current)
        self.descendant_attempts_end(self.tree)
        self.end_attempt(self.tree)
        self.current = self.tree
        return then or "exit"

    def exit_action_rules(self) -> None:
        """SN TB.2.1: the first ancestor (from the root) whose exit rule holds ends its attempt."""
        for activity in self.current.path_from_root()[:-1]:
            if rules_check(activity, self.state, activity.exit_rules, {"exit"}):
                self.descendant_attempts_end(activity)
                self.end_attempt(activity)
                self.current = activity
                return

    def descendant_attempts_end(self, activity: Activity) -> None:
        for descendant in activity.preorder()[:0:-1]:
            if self.active(descendant):
                self.end_attempt(descendant)

    def end_attempt(self, activity: Activity) -> None:
        """SN UP.4: a leaf whose content does not set completion/satisfaction is completed and
        satisfied when its attempt ends with those unknown; a cluster is suspended when one of
        its children is; then roll up."""
        tracking = self.state.of(activity.identifier)
        if activity.is_leaf:
            if activity.tracked and not tracking.is_suspended:
                if not activity.delivery["completionSetByContent"] and not tracking.completion_known:
                    tracking.attempt_count = max(tracking.attempt_count, 1)
                    tracking.completion_known = tracking.completed = True
                if not activity.delivery["objectiveSetByContent"] and not tracking.objective.satisfied_known:
                    objective_set(activity, self.state, satisfied=True)
        else:
            tracking.is_suspended = any(
                self.state.of(child.identifier).is_suspended for child in activity.children
            )
        tracking.is_active = False
        rollup_overall(activity, self.state)

    def session_end(self) -> None:
        for activity in self.tree.preorder()[::-1]:
            if self.active(activity):
                self.end_attempt(activity)
        self.current = None

    # ---- SB.2.12

    def sequence(self, request: str, chosen: Activity | None) -> tuple[Activity | None, bool]:
        """(leaf to deliver or None, whether the session ends) or Refused."""
        current = self.current
        if request == "start":
            return self.flow_into(self.tree, "SB.2.5-3"), False
        if request == "resumeAll":
            suspended = self.tree.find(self.state.suspended)
            if suspended is None:
                raise Refused("SB.2.6-2", "There is no suspended attempt to resume.")
            return suspended, False
        if request == "exit":
            if current is None:
                raise Refused("SB.2.11-1", "The sequencing session has not begun.")
            return None, current.is_root
        if request == "retry":
            tracking = self.state.of(current.identifier)
            if tracking.is_active or tracking.is_suspended:
                raise Refused("SB.2.10-2", f"{current.title} has not ended.")
            return (current if current.is_leaf else self.flow_into(current, "SB.2.10-3")), False
        if request in ("continue", "previous"):
            if not current.is_root and not current.parent.controls["flow"]:
                raise Refused("SB.2.7-2", f"Continue and Previous are off in {current.parent.title}.")
            return self.flow(current, forward=request == "continue", into=False)
        if request == "jump":
            return (chosen if chosen.is_leaf else self.flow_into(chosen, "SB.2.13-1")), False
        return self.choice(chosen), False

    def flow(self, start: Activity, *, forward: bool, into: bool) -> tuple[Activity | None, bool]:
        """SN SB.2.3 Flow Subprocess with SB.2.1/SB.2.2: the next deliverable leaf, skipping
        activities whose skip rule holds; (None, True) when forward flow passes the last one."""
        activity, consider_children = start, into
        while True:
            step = self.tree_step(activity, forward, consider_children)
            if step is None:
                if forward:
                    return None, True
                raise Refused("SB.2.1-3", "There is nothing before the first activity.")
            activity, forward = step
            if not activity.parent.controls["flow"]:
                raise Refused("SB.2.2-1", f"Continue and Previous are off in {activity.parent.title}.")
            if rules_check(activity, self.state, activity.pre_rules, {"skip"}):
                consider_children = False
                continue
            reason = self.blocked(activity)
            if reason:
                raise Refused("SB.2.2-2", reason)
            if activity.is_leaf:
                return activity, False
            consider_children = True

    def tree_step(self, activity: Activity, forward: bool, into: bool) -> tuple[Activity, bool] | None:
        """SN SB.2.1 Flow Tree Traversal: the next activity and direction, None past an end.
        Moving backward into a forwardOnly cluster enters its first child, going forward."""
        if into and activity.children:
            if forward or activity.controls["forwardOnly"]:
                return activity.children[0], True
            return activity.children[-1], False
        node = activity
        while node.parent is not None:
            siblings, index = node.parent.children, node.position
            if forward and index + 1 < len(siblings):
                return siblings[index + 1], True
            if not forward:
                if node.parent.controls["forwardOnly"]:
                    raise Refused("SB.2.1-4", f"{node.parent.title} only moves forward.")
                if index > 0:
                    return siblings[index - 1], False
            node = node.parent
        return None

    def flow_into(self, cluster: Activity, code: str) -> Activity:
        """The first deliverable leaf inside `cluster` (the cluster itself if it is a leaf)."""
        if cluster.is_leaf:
            return cluster
        leaf, _end = self.flow(cluster, forward=True, into=True)
        if leaf is None or not cluster.is_ancestor_of(leaf):
            raise Refused(code, f"There is nothing to launch in {cluster.title}.")
        return leaf

    def choice(self, target: Activity) -> Activity:
        """SN SB.2.9 (without constrainChoice): hidden and choice-off activities on the way, stop
        forward traversal going forward, forwardOnly going backward, prevent activation."""
        path = target.path_from_root()
        for activity in path[1:]:
            if self.hidden_from_choice(activity):
                raise Refused("SB.2.9-3", f"{activity.title} is hidden from choice.")
            if not activity.parent.controls["choice"]:
                raise Refused(
                    "SB.2.9-4",
                    f"{activity.title} cannot be chosen: choice is off in {activity.parent.title}.",
                )
        current = self.current
        ancestor = _common_ancestor(current, target) if current is not None else self.tree
        below = len(ancestor.path_from_root())
        if current is not None and current is not target and not target.is_ancestor_of(current):
            if target.order > current.order:
                for activity in current.path_from_root()[below:] + path[below:-1]:
                    if rules_check(activity, self.state, activity.pre_rules, {"stopForwardTraversal"}):
                        raise Refused("SB.2.4-1", f"The learner cannot move forward past {activity.title}.")
            elif ancestor.controls["forwardOnly"]:
                raise Refused("SB.2.4-2", f"{ancestor.title} only moves forward.")
        for activity in path[below:-1]:
            if activity.controls["preventActivation"] and not self.active(activity) and current is not None:
                raise Refused("SB.2.9-6", f"{activity.title} must be started before choosing inside it.")
        return self.flow_into(target, "SB.2.9-7")

    # ---- DB.1.1 and DB.2

    def deliver(self, leaf: Activity) -> bool:
        """Check every activity on the way, end attempts outside it, clear the suspended
        activity, then resume or start attempts down to the leaf. True: new attempt on the leaf."""
        self.delivery_check(leaf)
        path = leaf.path_from_root()
        for activity in self.tree.preorder()[::-1]:
            if self.active(activity) and activity not in path:
                self.end_attempt(activity)
        suspended = self.tree.find(self.state.suspended)
        if suspended is not None:
            for activity in suspended.path_from_root():
                if activity not in path:
                    self.state.of(activity.identifier).is_suspended = False
            self.state.suspended = None
        new_attempt = False
        for activity in path:
            tracking = self.state.of(activity.identifier)
            if tracking.is_active:
                continue
            if tracking.is_suspended:
                tracking.is_suspended = False
            else:
                self.attempt_begin(activity)
                new_attempt = activity is leaf
            tracking.is_active = True
        self.current = leaf
        return new_attempt

    def delivery_check(self, leaf: Activity) -> None:
        """SN DB.1.1: no activity on the way to the leaf may be disabled or out of attempts."""
        for activity in leaf.path_from_root():
            reason = self.blocked(activity)
            if reason:
                raise Refused("DB.1.1-3", reason)

    def attempt_begin(self, activity: Activity) -> None:
        """A new attempt: its own progress and objectives start unknown, and so do those of
        descendants whose parent uses current-attempt information only."""
        tracking = self.state.of(activity.identifier)
        tracking.attempt_count += 1
        tracking.reset_progress()
        tracking.reset_objectives()
        for descendant in activity.preorder()[1:]:
            descendant_state = self.state.of(descendant.identifier)
            if descendant.parent.controls["useCurrentAttemptObjectiveInfo"]:
                descendant_state.reset_objectives()
            if descendant.parent.controls["useCurrentAttemptProgressInfo"]:
                descendant_state.reset_progress()


def _common_ancestor(first: Activity, second: Activity) -> Activity:
    second_path = second.path_from_root()
    common = first.root
    for mine, theirs in zip(first.path_from_root(), second_path, strict=False):
        if mine is not theirs:
            break
        common = mine
    return common


def flow_requests(tree: Activity, state: TreeState) -> tuple[bool, bool]:
    """Whether Continue and Previous would be accepted now: what `navigate` checks, without
    its changes, the termination of the current activity (the same for both) done once."""
    requests = [request for request in ("continue", "previous") if _request_valid(tree, state, request)]
    terminated = _exit_current(tree, state) if requests else None
    if terminated is None:
        return False, False
    after, replaced = terminated
    sequencer = _Sequencer(tree, after)
    accepted = {request: sequencer.acceptable(replaced or request, None) for request in requests}
    return accepted.get("continue", False), accepted.get("previous", False)


def _request_valid(tree: Activity, state: TreeState, request: str) -> bool:
    """SN NB.2.1 alone (it only reads the state)."""
    try:
        _Sequencer(tree, state).navigation_request(request, None)
    except Refused:
        return False
    return True


def _exit_current(tree: Activity, state: TreeState) -> tuple[TreeState, str | None] | None:
    """The termination request a choice, continue or previous request begins with (SN TB.2.3
    exit, when the current activity is active): (the state after it, on a copy; the sequencing
    request that replaces the navigation's, if any), or None where it is refused. Without an
    active current activity, nothing ends: (the state itself, None)."""
    current = tree.find(state.current)
    if current is None or not state.of(current.identifier).is_active:
        return state, None
    after = state.copy()
    try:
        return after, _Sequencer(tree, after).terminate("exit")
    except Refused:
        return None


@dataclass(frozen=True)
class ContentsEntry:
    """One line of the table of contents (every activity but the root, in order)."""

    identifier: str
    title: str
    depth: int  # 0 for the root's children
    is_leaf: bool
    selectable: bool  # a choice request on it would be accepted now
    hidden: bool  # not shown: isvisible="false" or a hiddenFromChoice rule holds (here or above)
    is_current: bool
    attempted: bool
    completed: bool | None  # None: unknown
    satisfied: bool | None


def contents(tree: Activity, state: TreeState) -> list[ContentsEntry]:
    """Every activity but the root, in order; costs O(activities × depth), not a navigation
    request per activity (a package may have thousands)."""
    activities = tree.preorder()
    selectable = _choices_accepted(tree, state, activities)
    sequencer = _Sequencer(tree, state)
    hidden = [False] * len(activities)  # here or above (the root's own rules do not hide)
    entries = []
    for activity in activities[1:]:
        hidden[activity.order] = (
            hidden[activity.parent.order] or not activity.is_visible or sequencer.hidden_from_choice(activity)
        )
        tracking = state.of(activity.identifier)
        objective = objective_read(activity, state, activity.primary_objective)
        entries.append(
            ContentsEntry(
                identifier=activity.identifier,
                title=activity.title,
                depth=_depth(activity) - 1,
                is_leaf=activity.is_leaf,
                selectable=selectable[activity.order],
                hidden=hidden[activity.order],
                is_current=state.current == activity.identifier,
                attempted=tracking.attempted,
                completed=tracking.completed if tracking.completion_known else None,
                satisfied=objective.satisfied if objective.satisfied_known else None,
            )
        )
    return entries


def _depth(activity: Activity) -> int:
    depth = 0
    while activity.parent is not None:
        activity, depth = activity.parent, depth + 1
    return depth


def _choices_accepted(tree: Activity, state: TreeState, activities: list[Activity]) -> list[bool]:
    """By `order`: whether `navigate(tree, state, "choice", activity)` would be accepted, for
    every activity but the root (the root's own entry is False), without a navigation request
    (and a copy of the state) per activity. The rules are navigate's, evaluated once per
    activity and carried down the tree.

    A choice request first ends the current activity's attempt if it is active (TB.2.3 exit,
    with exit action and post-condition rules), whatever the target: that runs once, on one
    copy of the state. A post-condition that replaces the choice by another sequencing
    request (retry, continue, previous, exit) decides for every target alike. Everything else
    is per target: NB.2.1 on the state before the termination (choice off in the parent; an
    active activity being left whose choiceExit is off), then on the state after it SB.2.9
    (hidden from choice or choice off along the path; going forward, stopForwardTraversal
    on the activities left and entered; going backward, forwardOnly in the common ancestor;
    preventActivation of inactive clusters entered), the first deliverable leaf of a chosen
    cluster (SB.2.3 flow) and DB.1.1 (disabled or out of attempts along the leaf's path)."""
    count = len(activities)
    current = tree.find(state.current)
    shared = _common_path_lengths(activities, current)
    allowed = [False] * count
    if current is not None:
        leaving = _suffix_any(
            current.path_from_root(),
            lambda activity: state.of(activity.identifier).is_active and not activity.controls["choiceExit"],
        )
    for activity in activities[1:]:
        allowed[activity.order] = activity.parent.controls["choice"] and (
            current is None or not leaving[shared[activity.order]]
        )
    if not any(allowed):
        return allowed
    terminated = _exit_current(tree, state)
    if terminated is None:
        return [False] * count
    after, replaced = terminated
    if replaced is not None:
        accepted = _Sequencer(tree, after).acceptable(replaced, None)
        return [is_allowed and accepted for is_allowed in allowed]
    checks = _ActivityChecks(tree, after)
    current = tree.find(after.current)
    shared = _common_path_lengths(activities, current)
    current_path = current.path_from_root() if current is not None else []
    stop_leaving = _suffix_any(current_path, checks.stops_forward)
    on_current_path = [False] * count  # the current activity and its ancestors
    for activity in current_path:
        on_current_path[activity.order] = True
    path_open = [True] * count  # no activity below the root hidden, none in a choice-off parent
    blocked = [checks.blocked(tree)] + [False] * (count - 1)  # disabled or out of attempts here or above
    # on the way from the common ancestor with the current activity down to (not including) it:
    stop_entering = [False] * count  # stopForwardTraversal holds
    not_activated = [False] * count  # an inactive cluster prevents activation
    for activity in activities[1:]:
        parent, order = activity.parent, activity.order
        path_open[order] = (
            path_open[parent.order] and parent.controls["choice"] and not checks.hidden(activity)
        )
        blocked[order] = blocked[parent.order] or checks.blocked(activity)
        if not on_current_path[parent.order]:
            stop_entering[order] = stop_entering[parent.order] or checks.stops_forward(parent)
            not_activated[order] = not_activated[parent.order] or (
                parent.controls["preventActivation"] and not after.of(parent.identifier).is_active
            )
        if not (allowed[order] and path_open[order]):
            allowed[order] = False
            continue
        if current is not None:
            below = shared[order]
            if not on_current_path[order]:
                if order > current.order:
                    allowed[order] = not (stop_leaving[below] or stop_entering[order])
                else:
                    allowed[order] = not current_path[below - 1].controls["forwardOnly"]
            allowed[order] = allowed[order] and not not_activated[order]
    for activity in activities[1:]:
        if allowed[activity.order]:
            leaf = checks.first_leaf(activity)
            allowed[activity.order] = leaf is not None and not blocked[leaf.order]
    return allowed


def _common_path_lengths(activities: list[Activity], reference: Activity | None) -> list[int]:
    """By `order`: how many activities (from the root) each activity's path shares with the
    reference's; 1 (the root) for all without a reference."""
    lengths = [1] * len(activities)
    if reference is None:
        return lengths
    path = reference.path_from_root()
    for activity in activities[1:]:
        parent_length = lengths[activity.parent.order]
        extends = parent_length < len(path) and path[parent_length] is activity
        lengths[activity.order] = parent_length + 1 if extends else parent_length
    return lengths


def _suffix_any(path: list[Activity], holds) -> list[bool]:
    """[k]: whether `holds` for any activity of path[k:] (k up to len(path))."""
    found = [False] * (len(path) + 1)
    for index in range(len(path) - 1, -1, -1):
        found[index] = found[index + 1] or bool(holds(path[index]))
    return found


class _ActivityChecks:
    """A state's precondition evaluations, each made once per activity, and SB.2.3 forward
    flow with its results shared between the clusters it passes through."""

    def __init__(self, tree: Activity, state: TreeState):
        self.sequencer = _Sequencer(tree, state)
        self.state = state
        self.cache: dict[tuple[str, int], bool] = {}
        self.flows: dict[tuple[int, bool], Activity | None] = {}

    def _once(self, name: str, activity: Activity, evaluate) -> bool:
        key = (name, activity.order)
        if key not in self.cache:
            self.cache[key] = bool(evaluate(activity))
        return self.cache[key]

    def blocked(self, activity: Activity) -> bool:
        return self._once("blocked", activity, self.sequencer.blocked)

    def hidden(self, activity: Activity) -> bool:
        return self._once("hidden", activity, self.sequencer.hidden_from_choice)

    def stops_forward(self, activity: Activity) -> bool:
        return self._once("stop", activity, lambda item: self._rule(item, "stopForwardTraversal"))

    def skipped(self, activity: Activity) -> bool:
        return self._once("skip", activity, lambda item: self._rule(item, "skip"))

    def _rule(self, activity: Activity, action: str) -> bool:
        return rules_check(activity, self.state, activity.pre_rules, {action}) is not None

    def first_leaf(self, activity: Activity) -> Activity | None:
        """`_Sequencer.flow_into`: the activity itself if it is a leaf, else the leaf forward
        flow into it reaches, None where that is refused or leaves the cluster."""
        if activity.is_leaf:
            return activity
        leaf = self.forward_flow(activity)
        return leaf if leaf is not None and activity.is_ancestor_of(leaf) else None

    def forward_flow(self, start: Activity) -> Activity | None:
        """`_Sequencer.flow(start, forward=True, into=True)`: the leaf it delivers, None where
        it is refused or passes the last activity. Each step's outcome is remembered, so the
        flows of all the clusters together visit every activity at most twice."""
        visited = []
        activity, consider_children = start, True
        while True:
            key = (activity.order, consider_children)
            if key in self.flows:
                reached = self.flows[key]
                break
            visited.append(key)
            step = self.sequencer.tree_step(activity, True, consider_children)
            if step is None or not step[0].parent.controls["flow"]:
                reached = None
                break
            activity = step[0]
            if self.skipped(activity):
                consider_children = False
                continue
            if self.blocked(activity):
                reached = None
                break
            if activity.is_leaf:
                reached = activity
                break
            consider_children = True
        for key in visited:
            self.flows[key] = reached
        return reached
