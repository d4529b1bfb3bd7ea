"""The server sequences: SCORM Sequencing and Navigation for one registration.

A registration has an activity tree (from its package version's manifest) and an activity
state tree (`Registration.sequencing_state`, kept by scorm.sequencing). What a SCO reports
goes in through `registration_sco_report`, a delivered asset through
`registration_asset_delivered`, and every navigation request of the learner or the content
(start, continue, previous, choice, exit, exitAll, suspendAll…) through
`registration_navigate`, which names the SCO to deliver or ends the session. Nothing the
browser sends decides what is delivered or what the package amounts to.

The registration's outcome is the root activity's rolled-up status (SCORM 2004), never any
single SCO's. SCORM 1.2 has no rollup rules, so the LMS decides: there the package is
completed when every SCO and asset is, passed when it is completed, no SCO's latest status
is failed and at least one SCO passed, and failed when a SCO's latest status is failed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from django.db import transaction
from django.utils import timezone

from scorm.models import PackageVersion, Registration, Sco, ScoAttempt, ScormVersion, ScoSession, Status
from scorm.runtime import attempt_ends_on_exit
from scorm.sequencing import (
    Activity,
    ContentsEntry,
    NavigationOutcome,
    TreeState,
    activity_tree,
    contents,
    flow_requests,
    leaf_report,
    navigate,
    root_outcome,
)
from scorm.sequencing.navigation import NAVIGATION_REQUESTS

# SCORM 1.2 content is driven by the LMS's own Previous / Next and contents list.
_SCORM12_ROOT_CONTROLS = {"choice": True, "flow": True}
# SCORM 1.2 has no "attempt ends with nothing reported, so it counts" rule: a SCO is complete
# only when its lesson_status says so.
_SCORM12_DELIVERY = {"completionSetByContent": True, "objectiveSetByContent": True}
_PLAIN_REQUESTS = NAVIGATION_REQUESTS - {"choice", "jump"}
# A target is an identifier: no braces, no control characters (a NUL cannot even be stored).
_TARGETED_REQUEST = re.compile(r"^\{target=([^{}\x00-\x1f]{1,4000})\}(choice|jump)$")


def navigation_request_parse(text: str) -> tuple[str, str | None]:
    """`adl.nav.request` as the content or the player writes it (`continue`,
    `{target=ITEM}choice`, `_none_`…) as (request, target); ("", None) for none or nonsense."""
    text = (text or "").strip()
    targeted = _TARGETED_REQUEST.match(text)
    if targeted:
        return targeted.group(2), targeted.group(1).strip()
    return (text, None) if text in _PLAIN_REQUESTS else ("", None)


def navigation_request_text(request: str, target: str | None) -> str:
    """The canonical text of a parsed request, as it is stored on the session."""
    return f"{{target={target}}}{request}" if target is not None else request


@dataclass(frozen=True)
class Outcome:
    """What the registration amounts to now."""

    completed: bool
    success: str  # Status.PASSED / FAILED / UNKNOWN
    measure: float | None = None  # the root's rolled-up measure (SCORM 2004), -1..1
    # Whether Continue and Previous are valid now, when the caller asked for it (`with_flow`).
    flow: dict[str, bool] | None = None


def _item_node(item: dict, launchable: set[str]) -> dict | None:
    children = [
        node for node in (_item_node(child, launchable) for child in item.get("children") or []) if node
    ]
    if not children and item.get("identifier") not in launchable:
        return None  # a title without content: nothing to deliver or roll up
    node = {
        "id": item["identifier"],
        "title": item.get("title", ""),
        "isVisible": item.get("is_visible", True),
    }
    if children:
        node["children"] = children
    else:
        node["deliveryControls"] = dict(_SCORM12_DELIVERY)
    return node


def _tree_dict(version: PackageVersion) -> dict:
    """The activity tree as scorm.sequencing reads it: the manifest's sequencing for SCORM
    2004; for SCORM 1.2 (or a version without a parsed manifest) the item tree, flow and
    choice allowed, default rollup."""
    if version.scorm_version == ScormVersion.SCORM_2004 and (version.sequencing or {}).get("activityTree"):
        return version.sequencing
    scos = list(version.scos.order_by("position").values("identifier", "title", "is_visible"))
    launchable = {sco["identifier"] for sco in scos}
    items = (version.manifest or {}).get("items") or []
    children = [node for node in (_item_node(item, launchable) for item in items) if node]
    if not children:
        children = [
            {
                "id": sco["identifier"],
                "title": sco["title"],
                "isVisible": sco["is_visible"],
                "deliveryControls": dict(_SCORM12_DELIVERY),
            }
            for sco in scos
        ]
    root = {
        "id": (version.manifest or {}).get("default_organisation") or f"ORG-{version.pk}",
        "title": (version.manifest or {}).get("title", ""),  # the root is never listed: no query for it
        "isVisible": True,
        "children": children,
    }
    controls = dict(_SCORM12_ROOT_CONTROLS)
    if version.scorm_version == ScormVersion.SCORM_2004:
        controls = {}  # a 2004 organisation without sequencing elements: SN defaults
    if controls:
        root["sequencingControls"] = controls
    return {"activityTree": root}


def version_activity_tree(version: PackageVersion) -> Activity:
    """The version's activity tree, built from what the import stored (a few microseconds per
    activity; not cached, so that nothing stale can outlive a version)."""
    return activity_tree(_tree_dict(version))


def _state(registration: Registration) -> TreeState:
    return TreeState.from_json(registration.sequencing_state or {})


def _save_state(registration: Registration, state: TreeState) -> None:
    registration.sequencing_state = state.to_json()
    Registration.objects.filter(pk=registration.pk).update(sequencing_state=registration.sequencing_state)


def registration_sco_report(
    *, registration: Registration, attempt: ScoAttempt, with_flow: bool = False
) -> Outcome:
    """Record what a SCO's latest commit says (for an asset: that it was delivered), roll it
    up, and return the package's outcome; `with_flow`: with Continue and Previous as valid
    now, from the tree and state just rolled up (see `registration_flow`). The caller holds
    the registration's row lock."""
    tree = version_activity_tree(registration.version)
    state = _state(registration)
    sco = attempt.sco
    activity = tree.find(sco.identifier)
    if activity is not None and activity.is_leaf:
        if sco.is_sco:
            leaf_report(
                tree,
                state,
                sco.identifier,
                completion=attempt.completion,
                success=attempt.success,
                score_scaled=attempt.score_scaled,
                progress_measure=attempt.progress_measure,
                suspended=attempt.exit == "suspend",
            )
        else:
            _asset_report(tree, state, activity)
        _save_state(registration, state)
    outcome = registration_outcome(registration=registration, tree=tree, state=state)
    if with_flow:
        return replace(outcome, flow=_flow(tree, state))
    return outcome


def registration_asset_delivered(*, registration: Registration, identifier: str) -> Outcome:
    """An asset never talks to the API: SCORM counts it complete once delivered."""
    tree = version_activity_tree(registration.version)
    state = _state(registration)
    activity = tree.find(identifier)
    if activity is not None and activity.is_leaf:
        _asset_report(tree, state, activity)
        _save_state(registration, state)
    return registration_outcome(registration=registration, tree=tree, state=state)


def _asset_report(tree: Activity, state: TreeState, activity: Activity) -> None:
    """An asset can report nothing, so its attempt's outcome is known once it is delivered:
    completed, and satisfied unless the manifest says the content sets that (SN UP.4, applied
    at delivery rather than when the learner moves on, which a closed tab never tells us;
    until then the default rollup would count the handout as not satisfied)."""
    leaf_report(
        tree,
        state,
        activity.identifier,
        completion=Status.COMPLETED,
        success=Status.UNKNOWN if activity.delivery["objectiveSetByContent"] else Status.PASSED,
        score_scaled=None,
        progress_measure=None,
    )


def registration_outcome(*, registration: Registration, tree=None, state=None) -> Outcome:
    """Completed and success of the package, by the rules of its SCORM version."""
    if registration.version.scorm_version == ScormVersion.SCORM_12:
        return _scorm12_outcome(registration)
    tree = tree or version_activity_tree(registration.version)
    state = state or _state(registration)
    root = root_outcome(tree, state)
    success = {True: Status.PASSED, False: Status.FAILED}.get(root.satisfied, Status.UNKNOWN)
    return Outcome(completed=bool(root.completed), success=success, measure=root.measure)


def _scorm12_outcome(registration: Registration) -> Outcome:
    latest: dict[int, ScoAttempt] = {}
    ever_completed: set[int] = set()
    for attempt in ScoAttempt.objects.filter(registration=registration).order_by("sco_id", "number"):
        latest[attempt.sco_id] = attempt
        if attempt.ever_completed:
            ever_completed.add(attempt.sco_id)
    items = set(registration.version.scos.values_list("pk", flat=True))
    completed = bool(items) and items <= ever_completed
    results = [latest[pk].success for pk in items if pk in latest]
    if Status.FAILED in results:
        success = Status.FAILED
    elif completed and Status.PASSED in results:
        success = Status.PASSED
    else:
        success = Status.UNKNOWN
    return Outcome(completed=completed, success=success)


def registration_navigate(
    *, registration: Registration, request: str, target: str | None = None
) -> NavigationOutcome:
    """Process a navigation request; the state changes only if the request is valid."""
    tree = version_activity_tree(registration.version)
    state = _state(registration)
    outcome = navigate(tree, state, request, target)
    if outcome.refused is None:
        _save_state(registration, state)
    return outcome


def registration_contents(*, registration: Registration) -> tuple[list[ContentsEntry], bool, bool]:
    """The contents list the player shows and whether Continue and Previous are valid now."""
    tree = version_activity_tree(registration.version)
    state = _state(registration)
    can_continue, can_previous = flow_requests(tree, state)
    return contents(tree, state), can_continue, can_previous


def registration_flow(*, registration: Registration) -> dict[str, bool]:
    """Whether Continue and Previous are valid now, answered with every commit: what the SCO
    has just reported can open the way (a passed SCO unlocks the next one), and the player's
    buttons must follow without a reload. A commit that rolled up has it already
    (`registration_sco_report(with_flow=True)`); this serves one that did not."""
    registration = Registration.objects.select_related("version").get(pk=registration.pk)
    return _flow(version_activity_tree(registration.version), _state(registration))


def _flow(tree: Activity, state: TreeState) -> dict[str, bool]:
    can_continue, can_previous = flow_requests(tree, state)
    return {"continue": can_continue, "previous": can_previous}


@dataclass(frozen=True)
class Delivery:
    """What to open next: `sco` (with `new_attempt`), or nothing, because the package session
    `ended` or the learner has to choose (`refused` names a request that was not allowed)."""

    sco: Sco | None = None
    new_attempt: bool | None = None
    ended: bool = False
    refused: str | None = None
    repeated: bool = False  # a launch already sequenced, asked again: nothing new may start

    def as_json(self) -> dict:
        return {
            "deliver": self.sco.identifier if self.sco else None,
            "new_attempt": self.new_attempt,
            "end": self.ended,
            "refused": self.refused,
        }


def _delivery(registration: Registration, outcome: NavigationOutcome) -> Delivery:
    if outcome.refused is not None:
        return Delivery(refused=outcome.refused)
    sco = registration.version.scos.filter(identifier=outcome.deliver).first() if outcome.deliver else None
    return Delivery(sco=sco, new_attempt=outcome.new_attempt if sco else None, ended=outcome.end_session)


def _first_choice(tree: Activity, state: TreeState) -> str | None:
    return next(
        (entry.identifier for entry in contents(tree, state) if entry.is_leaf and entry.selectable), None
    )


def registration_launch(*, registration: Registration) -> Delivery:
    """Where a launch from the lesson goes, under the registration's row lock.

    A launch whose Terminate reached the server but whose navigation request did not (the
    tab closed first) is sequenced now: its own request, or, when its attempt ended without
    one, that activity again as a new attempt (SCORM 2004: a normal exit ends the attempt).
    Then: the suspended attempt (resumeAll); the activity in progress, opened again; after
    an activity ended, Continue, or else that activity again (a failed SCO the learner may
    not move past); with no sequencing session under way, or once Continue has ended it,
    Start. Where none of these delivers (SCORM 2004's default control modes have flow off),
    the first activity the learner may choose is opened for them rather than an empty page."""
    with transaction.atomic():
        registration = (
            Registration.objects.select_for_update().select_related("version").get(pk=registration.pk)
        )
        tree = version_activity_tree(registration.version)
        pending = _unsequenced_terminate(registration, _state(registration))
        if pending is not None:
            session, request_text = pending
            # The server's own re-delivery of an ended activity is a jump; the SCO's own
            # request is judged like any other.
            by_server = request_text != session.navigation_request
            delivery = session_navigate(session=session, request_text=request_text, by_server=by_server)
            if delivery.sco is not None:
                return delivery
            registration.refresh_from_db(fields=["sequencing_state"])
        state = _state(registration)
        outcome = _launch_outcome(tree, state)
        if outcome.refused is None:
            _save_state(registration, state)
        return _delivery(registration, outcome)


def _unsequenced_terminate(registration: Registration, state: TreeState) -> tuple[ScoSession, str] | None:
    """The registration's latest launch, with the request to sequence it with, if it
    terminated while the sequencer still counts its activity as running."""
    current = state.current
    if current is None or not state.of(current).is_active:
        return None
    session = (
        ScoSession.objects.filter(attempt__registration=registration, mode="normal")
        .select_related("attempt__sco")
        .order_by("-pk")
        .first()
    )
    if (
        session is None
        or session.terminated_at is None
        or session.sequencing_outcome
        or session.attempt.sco.identifier != current
    ):
        return None
    if navigation_request_parse(session.navigation_request)[0]:
        return session, session.navigation_request
    if session.attempt.ended:
        return session, f"{{target={current}}}jump"
    return None  # suspended: the same attempt resumes


def _launch_outcome(tree: Activity, state: TreeState) -> NavigationOutcome:
    """The first of resumeAll, the running activity, Continue, the ended activity again,
    Start and the first choice that delivers something (see `registration_launch`)."""
    if state.suspended is not None:
        outcome = navigate(tree, state, "resumeAll")
        if outcome.deliver is not None:
            return outcome
    current = state.current
    if current is not None and state.of(current).is_active:
        return NavigationOutcome(deliver=current, new_attempt=False)
    if current is not None:
        outcome = navigate(tree, state, "continue")
        if outcome.deliver is not None:
            return outcome
        if not outcome.end_session:
            outcome = navigate(tree, state, "jump", current)
            if outcome.deliver is not None:
                return outcome
    if state.current is None:
        outcome = navigate(tree, state, "start")
        if outcome.deliver is not None:
            return outcome
    target = _first_choice(tree, state)
    if target is not None:
        outcome = navigate(tree, state, "choice", target)
    return outcome


def session_navigate(*, session: ScoSession, request_text: str, by_server: bool = False) -> Delivery:
    """The navigation request that ends a launch: the SCO's own `adl.nav.request` on
    Terminate, or the learner's choice in the player (contents, Continue, Previous, Exit).
    A launch is sequenced once: its outcome is kept on the session, so a repeated terminate
    or a second click cannot move the learner twice (the repeat is marked `repeated`). A jump
    is taken only as the SCO's own request on Terminate in a 4th-edition package, or when the
    server itself (`by_server`) re-delivers an activity. Review mode is not sequenced: any visible
    part may be opened and nothing is recorded."""
    registration = (
        Registration.objects.select_for_update()
        .select_related("version")
        .get(pk=session.attempt.registration_id)
    )
    # Lock order: registration, then session (the commit service takes them in that order too).
    session = (
        ScoSession.objects.select_for_update()
        .select_related("attempt__sco", "attempt__registration__version")
        .get(pk=session.pk)
    )
    request, target = navigation_request_parse(request_text)
    text = navigation_request_text(request, target)
    if request == "jump" and not by_server and not _jump_allowed(session, registration.version, text):
        return Delivery(refused="NB.2.1-jump")
    _session_leave(session, text)
    if session.mode != "normal":
        return _review_navigation(registration=registration, session=session, request=request, target=target)
    tree = version_activity_tree(registration.version)
    state = _state(registration)
    stored = session.sequencing_outcome
    if stored and (stored.get("deliver") or stored.get("end") or not request):
        return _stored_delivery(registration, stored)
    if stored:
        # The launch ended with nothing delivered and the learner now chooses from the
        # contents: a request of its own, from the state the launch left.
        delivery = _choose_request(registration, tree, state, request, target)
    elif state.current != session.attempt.sco.identifier or not state.of(state.current).is_active:
        delivery = _moved_past(registration, state)
    else:
        delivery = _session_request(registration, tree, state, request, target)
    _save_state(registration, state)
    session.sequencing_outcome = delivery.as_json()
    ScoSession.objects.filter(pk=session.pk).update(sequencing_outcome=session.sequencing_outcome)
    return delivery


def _jump_allowed(session: ScoSession, version: PackageVersion, text: str) -> bool:
    """A jump (SCORM 2004 4th edition) bypasses the sequencing rules by design, so it is
    taken only as the SCO's own request on Terminate, never from the player's contents."""
    return (
        version.edition == "4th" and session.terminated_at is not None and session.navigation_request == text
    )


def _session_leave(session: ScoSession, request_text: str) -> None:
    """A launch the learner leaves by the player (contents, Continue, Previous) whose SCO did
    not terminate itself ends now: its last commit stands, later ones are refused. In SCORM
    2004 its attempt ends unless it was suspended."""
    if session.terminated_at is not None:
        return
    attempt = session.attempt
    session.terminated_at = timezone.now()
    session.navigation_request = request_text[:255]
    ScoSession.objects.filter(pk=session.pk, terminated_at=None).update(
        terminated_at=session.terminated_at, navigation_request=session.navigation_request
    )
    if session.mode == "normal" and attempt_ends_on_exit(
        attempt.registration.version.scorm_version, attempt.exit, request_text
    ):
        ScoAttempt.objects.filter(pk=attempt.pk).update(ended=True)
        attempt.ended = True


def _choose_request(
    registration: Registration, tree: Activity, state: TreeState, request: str, target
) -> Delivery:
    outcome = navigate(tree, state, request, target)
    if outcome.refused is not None:
        return Delivery(refused=outcome.refused)
    return _delivery(registration, outcome)


def _moved_past(registration: Registration, state: TreeState) -> Delivery:
    """A launch the sequencer has already moved past (the same part open in a second tab,
    whose request arrives after the first tab's): following its request would move the
    learner a second time, so it goes to the activity under way, if any."""
    if state.current is not None and state.of(state.current).is_active:
        return Delivery(
            sco=registration.version.scos.filter(identifier=state.current).first(), new_attempt=False
        )
    return Delivery()


def _session_request(
    registration: Registration, tree: Activity, state: TreeState, request: str, target
) -> Delivery:
    outcome = navigate(tree, state, request or "exit", target)
    if outcome.refused is not None and request not in ("", "exit"):
        # The request was not allowed (e.g. a choice the manifest forbids): the launch still
        # ends, as an exit, and the learner is told why the request was not followed.
        refused = outcome.refused
        outcome = navigate(tree, state, "exit")
        delivery = _delivery(registration, outcome)
        return Delivery(
            sco=delivery.sco, new_attempt=delivery.new_attempt, ended=delivery.ended, refused=refused
        )
    return _delivery(registration, outcome)


def _stored_delivery(registration: Registration, stored: dict) -> Delivery:
    sco = (
        registration.version.scos.filter(identifier=stored.get("deliver")).first()
        if stored.get("deliver")
        else None
    )
    return Delivery(
        sco=sco,
        new_attempt=stored.get("new_attempt"),
        ended=bool(stored.get("end")),
        refused=stored.get("refused"),
        repeated=True,
    )


def _review_navigation(*, registration: Registration, session: ScoSession, request: str, target) -> Delivery:
    chosen = unsequenced_target(
        version=registration.version, current=session.attempt.sco, request=request, target=target
    )
    if chosen is not None:
        return Delivery(sco=chosen, new_attempt=False)
    if request in ("choice", "jump"):
        return Delivery(refused="NB.2.1-11")
    return Delivery(ended=request in ("exitAll", "suspendAll", "abandonAll"))


@dataclass(frozen=True)
class FreeContents:
    """The contents of a review or a preview: every visible part, any may be opened."""

    parts: list[Sco]
    current: Sco
    can_continue: bool
    can_previous: bool


def unsequenced_contents(*, version: PackageVersion, current: Sco) -> FreeContents:
    """Review and preview are not sequenced (nothing is recorded): every visible part may be
    opened, and Next and Previous follow the document order."""
    parts = list(version.scos.filter(is_visible=True).order_by("position"))
    position = next((index for index, sco in enumerate(parts) if sco.pk == current.pk), -1)
    return FreeContents(
        parts=parts,
        current=current,
        can_continue=0 <= position < len(parts) - 1,
        can_previous=position > 0,
    )


def unsequenced_target(
    *, version: PackageVersion, current: Sco, request: str, target: str | None
) -> Sco | None:
    """Where a request leads in a review or a preview (see `unsequenced_contents`)."""
    free = unsequenced_contents(version=version, current=current)
    position = next((index for index, sco in enumerate(free.parts) if sco.pk == current.pk), -1)
    if request in ("choice", "jump"):
        return next((sco for sco in free.parts if sco.identifier == target), None)
    if request == "continue" and free.can_continue:
        return free.parts[position + 1]
    if request == "previous" and free.can_previous:
        return free.parts[position - 1]
    return None
