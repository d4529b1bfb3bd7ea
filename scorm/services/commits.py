"""Applying commits from the player: the one place SCORM run-time data is written.

A commit belongs to a launch (`ScoSession`, named by the signed token) and carries the
sequence number the player gave it. Under row locks on the SCO attempt and the session:
a repeat of the last commit (the synchronous commit and the terminate beacon both
arriving) is answered as done without being applied twice; an older one is refused as
stale; anything else is applied, recorded in the append-only history, and rolled up to the
registration. When the registration's outcome changes, the lesson's activity state is
reported through the courses completion interface, in its own short transaction.
"""

import datetime as dt
import hashlib
import json
import math
import re
from dataclasses import dataclass, replace
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.services import activity_progress_record
from scorm.commit_payload import CommitRefused, commit_payload_check
from scorm.models import CommitRecord, Interaction, Objective, Registration, ScoAttempt, ScoSession, Status
from scorm.runtime import (
    CmiReading,
    LaunchRules,
    attempt_ends_on_exit,
    cmi_flatten,
    cmi_read,
    collection,
    number_or_none,
    seconds_from_iso_duration,
    seconds_from_scorm12_time,
)
from scorm.services.sequencing import registration_flow, registration_sco_report

# A session cannot have lasted longer than the time since it started; a little slack covers
# clocks and the request in flight.
SESSION_TIME_SLACK_SECONDS = 60


@dataclass(frozen=True)
class CommitOutcome:
    duplicate: bool
    registration: Registration
    # Whether Continue and Previous are valid after this commit: the player's buttons.
    flow: dict[str, bool] | None = None


def payload_hash(payload: dict) -> str:
    return hashlib.sha256(json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def scorm_commit_apply(*, session_id: int, payload: dict, now: dt.datetime | None = None) -> CommitOutcome:
    """Apply one commit to its SCO attempt (see the module docstring for the rules)."""
    now = now or timezone.now()
    found = (
        ScoSession.objects.filter(pk=session_id)
        .values_list("attempt_id", "attempt__registration__version__scorm_version")
        .first()
    )
    if found is None:
        raise CommitRefused(
            status=403, reason="foreign", message=_("This commit is for a session that does not exist.")
        )
    attempt_id, version = found
    # Checked before any lock is taken: an oversize or malformed commit is refused whole.
    sequence, cmi = commit_payload_check(payload=payload, version=version)
    digest = payload_hash(payload)
    with transaction.atomic():
        outcome, changed = _commit_apply_locked(
            session_id=session_id,
            attempt_id=attempt_id,
            sequence=sequence,
            cmi=cmi,
            payload=payload,
            digest=digest,
            now=now,
        )
    if changed:
        registration_report(registration=outcome.registration, now=now)
    if outcome.flow is None:  # nothing was rolled up (a repeat, a review): ask the sequencer
        outcome = replace(outcome, flow=registration_flow(registration=outcome.registration))
    return outcome


def _commit_apply_locked(
    *, session_id, attempt_id, sequence, cmi, payload, digest, now
) -> tuple[CommitOutcome, bool]:
    # Lock order: registration, attempt, then session — the order navigation takes them too
    # (scorm.services.sequencing) — so two tabs, or a commit beside a navigation request,
    # queue instead of deadlocking.
    registration_id = ScoAttempt.objects.filter(pk=attempt_id).values_list("registration_id", flat=True)[0]
    list(Registration.objects.select_for_update().filter(pk=registration_id).values_list("pk", flat=True))
    attempt = (
        ScoAttempt.objects.select_for_update()
        .select_related("sco", "registration__version")
        .get(pk=attempt_id)
    )
    session = ScoSession.objects.select_for_update().get(pk=session_id)
    registration = attempt.registration
    enrolment = registration.enrolment
    if not enrolment.is_open_for_learning:
        raise CommitRefused(
            status=403,
            reason="not-enrolled",
            message=_("You are no longer enrolled in this course, so nothing was saved."),
        )
    if session.mode != "normal":  # review: the content runs, the record that counts stays
        return CommitOutcome(duplicate=True, registration=registration), False
    if sequence == session.last_sequence and digest == session.last_payload_hash:
        return CommitOutcome(duplicate=True, registration=registration), False
    if sequence <= session.last_sequence:
        raise CommitRefused(
            status=409,
            reason="stale",
            message=_("Commit %(sequence)s arrived after commit %(last)s and was not applied.")
            % {"sequence": sequence, "last": session.last_sequence},
        )
    if session.terminated_at is not None:
        raise CommitRefused(
            status=409,
            reason="terminated",
            message=_("This session has already ended; reopen the lesson to continue."),
        )
    version = registration.version.scorm_version
    sco = attempt.sco
    rules = LaunchRules(sco.mastery_score, sco.completion_threshold, sco.scaled_passing_score)
    reading = cmi_read(version, cmi, rules)
    changes = _changes(attempt, cmi, reading)
    record_changes = _record_changes(changes, attempt=attempt, reading=reading)
    session.seconds = _session_seconds(session=session, reading=reading, payload=payload, now=now)
    is_terminate = bool(payload.get("terminate"))
    _attempt_update(attempt=attempt, cmi=cmi, reading=reading, now=now)
    attempt.total_seconds = (
        attempt.sessions.exclude(pk=session.pk).aggregate(total=Sum("seconds"))["total"] or 0
    ) + session.seconds
    navigation = str(payload.get("navRequest") or "")[:255]
    if is_terminate:
        session.terminated_at = now
        session.navigation_request = navigation
        attempt.ended = attempt_ends_on_exit(version, reading.exit, navigation)
    attempt.save()
    _rows_update(attempt=attempt, reading=reading, changes=changes)
    session.last_sequence, session.last_payload_hash = sequence, digest
    session.save()
    CommitRecord.objects.create(
        session=session,
        sequence=sequence,
        received_at=now,
        is_terminate=is_terminate,
        changes=record_changes,
        session_seconds=session.seconds,
    )
    changed, flow = _registration_roll_up(
        registration=registration,
        attempt=attempt,
        reading=reading,
        payload=payload,
        is_terminate=is_terminate,
        now=now,
        with_flow=True,
    )
    return CommitOutcome(duplicate=False, registration=registration, flow=flow), changed


def _changes(attempt: ScoAttempt, cmi: dict, reading: CmiReading) -> dict:
    """Every flattened element whose value differs from the attempt's, `suspend_data` aside
    (the commit history records only its length and digest, see `_record_changes`)."""
    before = cmi_flatten({key: value for key, value in (attempt.cmi or {}).items() if key != "suspend_data"})
    after = cmi_flatten({key: value for key, value in cmi.items() if key != "suspend_data"})
    return {element: value for element, value in after.items() if before.get(element) != value}


def _record_changes(changes: dict, *, attempt: ScoAttempt, reading: CmiReading) -> dict:
    """What a `CommitRecord` keeps of a commit's changes: the changed elements in order until
    `SCORM_COMMIT_HISTORY["record_chars"]` characters of names and values, the number left
    out under `"_omitted"` (interactions and objectives are kept in full as rows anyway),
    and for a changed `suspend_data` its length and SHA-256 instead of the text (the
    attempt keeps the current text; the digest shows whether two commits carried the same)."""
    budget = settings.SCORM_COMMIT_HISTORY["record_chars"]
    kept: dict = {}
    for element, value in changes.items():
        budget -= len(element) + len(value)
        if budget < 0:
            kept["_omitted"] = len(changes) - len(kept)
            break
        kept[element] = value
    if reading.suspend_data is not None and reading.suspend_data != attempt.suspend_data:
        kept["cmi.suspend_data"] = {
            "characters": len(reading.suspend_data),
            "sha256": hashlib.sha256(reading.suspend_data.encode()).hexdigest(),
        }
    return kept


def _session_seconds(*, session: ScoSession, reading: CmiReading, payload: dict, now: dt.datetime) -> float:
    """This launch's time: what the content reported, or else what the player measured
    since Initialize; never more than the time since the launch, never less than before."""
    reported = reading.session_seconds or 0.0
    if not reported:
        try:
            reported = max(0.0, float(payload.get("sessionSeconds") or 0))
        except (TypeError, ValueError, OverflowError):
            reported = 0.0
        if not math.isfinite(reported):
            reported = 0.0
    elapsed = (now - session.started_at).total_seconds() + SESSION_TIME_SLACK_SECONDS
    return max(session.seconds, min(reported, elapsed))


def _attempt_update(*, attempt: ScoAttempt, cmi: dict, reading: CmiReading, now: dt.datetime) -> None:
    attempt.cmi = {key: value for key, value in cmi.items() if key != "suspend_data"}
    if reading.suspend_data is not None:  # left out of a terminate beacon when unchanged
        attempt.suspend_data = reading.suspend_data
    attempt.location = reading.location
    attempt.completion, attempt.success = reading.completion, reading.success
    attempt.ever_completed = attempt.ever_completed or reading.completion == Status.COMPLETED
    attempt.ever_passed = attempt.ever_passed or reading.success == Status.PASSED
    attempt.score_raw, attempt.score_min, attempt.score_max = (
        reading.score_raw,
        reading.score_min,
        reading.score_max,
    )
    attempt.score_scaled, attempt.progress_measure = reading.score_scaled, reading.progress_measure
    attempt.exit = reading.exit
    attempt.last_commit_at = now


def _latency(value: str) -> float | None:
    return (
        seconds_from_iso_duration(value) if str(value).startswith("P") else seconds_from_scorm12_time(value)
    )


_ROW_ELEMENT = re.compile(r"^cmi\.(interactions|objectives)\.([0-9]{1,6})\.")
_INTERACTION_FIELDS = [
    "interaction_id",
    "type",
    "description",
    "learner_response",
    "correct_responses",
    "result",
    "weighting",
    "latency_seconds",
    "timestamp",
]
_OBJECTIVE_FIELDS = ["objective_id", "completion", "success", "score_scaled", "score_raw", "progress_measure"]


def _changed_rows(changes: dict) -> dict[str, set[int]]:
    """The indexes of the interactions and objectives a commit changed, read once."""
    changed: dict[str, set[int]] = {"interactions": set(), "objectives": set()}
    for element in changes:
        match = _ROW_ELEMENT.match(element)
        if match:
            changed[match[1]].add(int(match[2]))
    return changed


def _interaction_values(item: dict) -> dict:
    return {
        "interaction_id": str(item.get("id") or "")[:4000],
        "type": str(item.get("type") or "")[:32],
        "description": str(item.get("description") or ""),
        "learner_response": str(item.get("learner_response") or item.get("student_response") or ""),
        "correct_responses": [
            str(pattern.get("pattern") or "") for pattern in collection(item.get("correct_responses"))
        ],
        "result": str(item.get("result") or "")[:32],
        "weighting": number_or_none(item.get("weighting")),
        "latency_seconds": _latency(str(item.get("latency") or "")),
        "timestamp": str(item.get("timestamp") or item.get("time") or "")[:64],
    }


def _objective_values(item: dict) -> dict:
    score = item.get("score") or {}
    return {
        "objective_id": str(item.get("id") or "")[:4000],
        "completion": str(item.get("completion_status") or item.get("status") or "")[:16],
        "success": str(item.get("success_status") or item.get("status") or "")[:16],
        "score_scaled": number_or_none(score.get("scaled")),
        "score_raw": number_or_none(score.get("raw")),
        "progress_measure": number_or_none(item.get("progress_measure")),
    }


def _rows_update(*, attempt: ScoAttempt, reading: CmiReading, changes: dict) -> None:
    """Keep interactions and objectives as rows, writing only those this commit changed, in
    one upsert per kind: the cost grows with the changed rows, never with rows × changes."""
    changed = _changed_rows(changes)
    for model, items, kind, values, fields in (
        (Interaction, reading.interactions, "interactions", _interaction_values, _INTERACTION_FIELDS),
        (Objective, reading.objectives, "objectives", _objective_values, _OBJECTIVE_FIELDS),
    ):
        rows = [
            model(attempt=attempt, index=index, **values(item))
            for index, item in enumerate(items)
            if index in changed[kind]
        ]
        if rows:
            model.objects.bulk_create(
                rows, update_conflicts=True, unique_fields=["attempt", "index"], update_fields=fields
            )


def _registration_roll_up(
    *,
    registration: Registration,
    attempt: ScoAttempt,
    reading: CmiReading | None,
    payload: dict,
    is_terminate: bool,
    now,
    with_flow: bool = False,
) -> tuple[bool, dict[str, bool] | None]:
    """Roll the SCO's report up the activity tree to the registration: whether its outcome
    changed (scorm.services.sequencing: the root activity decides, never a single SCO) and,
    `with_flow`, Continue and Previous as valid now (from the same tree and state, so that a
    commit's answer costs no second tree).

    The score is the root's rolled-up measure when SCORM 2004 sequencing gives one, else the
    mean of the SCOs' latest scores (a new SCO attempt not yet scored keeps the previous
    score). Time counts every attempt. Completion and a pass, once reached, stay."""
    registration = Registration.objects.select_for_update().select_related("version").get(pk=registration.pk)
    outcome = registration_sco_report(registration=registration, attempt=attempt, with_flow=with_flow)
    latest_score: dict[int, float] = {}
    total_seconds = 0.0
    for candidate in ScoAttempt.objects.filter(registration=registration).order_by("sco_id", "number"):
        total_seconds += candidate.total_seconds
        if candidate.score_percent is not None:
            latest_score[candidate.sco_id] = candidate.score_percent
    if outcome.measure is not None:
        score = Decimal(str(round(max(-1.0, min(1.0, outcome.measure)) * 100, 2)))
    elif latest_score:
        score = Decimal(str(round(sum(latest_score.values()) / len(latest_score), 2)))
    else:
        score = None
    completed, success = outcome.completed, outcome.success
    before = (registration.completed, registration.success, registration.score)
    registration.completed = registration.completed or completed
    if registration.completed and registration.completed_at is None:
        registration.completed_at = now
    registration.success = Status.PASSED if registration.success == Status.PASSED else success
    registration.score = score
    registration.total_seconds = total_seconds
    registration.last_commit_at = now
    if is_terminate:
        suspended = reading.exit == "suspend" or "suspendAll" in str(payload.get("navRequest") or "")
        registration.suspended_sco = attempt.sco if suspended else None
    registration.save()
    return before != (registration.completed, registration.success, registration.score), outcome.flow


def asset_delivery_record(*, attempt: ScoAttempt, now: dt.datetime | None = None) -> None:
    """An asset never talks to the API, so SCORM (1.2 and 2004) counts it complete once it
    has been delivered: record that and roll it up like a SCO's report."""
    now = now or timezone.now()
    with transaction.atomic():
        attempt = (
            ScoAttempt.objects.select_for_update()
            .select_related("sco", "registration__version")
            .get(pk=attempt.pk)
        )
        if attempt.ever_completed:
            return
        attempt.completion, attempt.ever_completed, attempt.last_commit_at = Status.COMPLETED, True, now
        attempt.save(update_fields=["completion", "ever_completed", "last_commit_at"])
        changed, _no_flow = _registration_roll_up(
            registration=attempt.registration,
            attempt=attempt,
            reading=None,
            payload={},
            is_terminate=False,
            now=now,
        )
    if changed:
        registration_report(registration=attempt.registration, now=now)


def activity_state(*, enrolment, block_id: str, score_policy: str) -> dict:
    """The record that counts for a SCORM activity, over all of the learner's attempts:
    completed or passed once means completed or passed for good; the score is the best
    attempt's or the last scored attempt's, as the activity says."""
    registrations = list(
        Registration.objects.filter(enrolment=enrolment, block_id=block_id).order_by("number")
    )
    scores = [float(registration.score) for registration in registrations if registration.score is not None]
    score = None
    if scores:
        score = max(scores) if score_policy == "best" else scores[-1]
    return {
        "completed": any(registration.completed for registration in registrations),
        "passed": any(registration.success == Status.PASSED for registration in registrations),
        "score": score,
        "attempts": len(registrations),
    }


@transaction.atomic
def registration_report(*, registration: Registration, now: dt.datetime | None = None) -> None:
    """Tell the lesson what the learner's SCORM work now amounts to."""
    lesson = registration.lesson
    if lesson is None:
        return
    values = {block_id: value for block_id, _block, value in lesson.specific.activities()}
    value = values.get(registration.block_id)
    if value is None:  # the activity was removed from the lesson; its record stays here
        return
    state = activity_state(
        enrolment=registration.enrolment,
        block_id=registration.block_id,
        score_policy=value.get("score_policy", "best"),
    )
    activity_progress_record(
        enrolment=registration.enrolment,
        lesson=lesson.specific,
        block_id=registration.block_id,
        state=state,
        now=now,
    )
