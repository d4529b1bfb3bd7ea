"""Launching SCORM content: which registration, which SCO attempt, which entry value.

A launch always creates a `ScoSession`; the data the player loads into scorm-again before
`Initialize` (the stored CMI plus the read-only launch values) comes from `launch_cmi`.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from scorm.models import (
    PackageVersion,
    Registration,
    ScoAttempt,
    ScormPackage,
    ScormVersion,
    ScoSession,
    Status,
)
from scorm.runtime import entry_for_launch, iso_duration, scorm12_time
from scorm.services.sequencing import registration_launch


class RetakePolicy:
    """What a learner who has completed the activity gets when they open it again."""

    REVIEW = "review"  # the completed attempt, in review mode; nothing they do changes the record
    NEW_ATTEMPT = "new_attempt"  # a new attempt from the beginning, on the newest version


@dataclass(frozen=True)
class Launch:
    session: ScoSession
    mode: str  # "normal" or "review"

    @property
    def counts(self) -> bool:
        return self.mode == "normal"


@transaction.atomic
def registration_for_launch(
    *,
    enrolment,
    lesson,
    block_id: str,
    package: ScormPackage,
    retake: str,
    required_outcome: str = "completed",
) -> tuple[Registration, str]:
    """The learner's registration for this activity and the mode to open it in.

    An attempt is *done* when it has what the block requires: completion, or a pass. An
    attempt not done continues, on the version it started on (a learner who completed but
    failed keeps trying). After a done attempt the retake policy decides between reviewing
    it and starting a new one; a new attempt uses the package's current version."""
    attempts = Registration.objects.select_for_update().filter(enrolment=enrolment, block_id=block_id)
    latest = attempts.order_by("-number").first()
    done = latest is not None and (
        latest.success == Status.PASSED if required_outcome == "passed" else latest.completed
    )
    if done and retake == RetakePolicy.REVIEW:
        return latest, "review"
    if latest is not None and latest.is_open and not done:
        return latest, "normal"
    version = ScormPackage.objects.select_related("current_version").get(pk=package.pk).current_version
    if version is None or version.status != PackageVersion.Status.READY:
        raise ValidationError(
            _("This SCORM package is not ready yet. Please try again later."), code="not_ready"
        )
    if latest is not None and latest.is_open:
        Registration.objects.filter(pk=latest.pk).update(is_open=False)
    registration = Registration.objects.create(
        enrolment=enrolment,
        lesson=lesson,
        block_id=block_id,
        version=version,
        number=(latest.number + 1) if latest else 1,
    )
    return registration, "normal"


@transaction.atomic
def session_start(
    *, registration: Registration, sco=None, mode: str = "normal", new_attempt: bool | None = None
) -> Launch:
    """Open a SCO of the registration in a new session, with the entry value it is owed.

    Without a SCO named, the sequencer decides (scorm.services.sequencing.registration_launch:
    the suspended attempt, the activity in progress, or the start); where it allows nothing
    further (attempt limits used up), and in review mode, the part the learner suspended in,
    or else the first visible one, opens for review. SCORM 2004 starts a new SCO
    attempt after an attempt ended (a non-suspend exit) or when the sequencer delivers a new
    attempt (a retry); in review mode the latest attempt is shown as it is."""
    scos = registration.version.scos.all()
    if sco is None and mode == "normal":
        delivery = registration_launch(registration=registration)
        sco, new_attempt = delivery.sco, delivery.new_attempt
        if sco is None:
            # The package's own rules allow nothing further (its attempt limits are used up):
            # the learner may still look through it, and nothing more is recorded.
            mode = "review"
    if sco is None:
        sco = registration.suspended_sco or scos.filter(is_visible=True).first() or scos.first()
    if sco is None or sco.version_id != registration.version_id:
        raise ValidationError(_("This part of the package does not exist."), code="unknown_sco")
    attempt = (
        ScoAttempt.objects.select_for_update()
        .filter(registration=registration, sco=sco)
        .order_by("-number")
        .first()
    )
    retried = (
        new_attempt
        and registration.version.scorm_version == ScormVersion.SCORM_2004
        and attempt is not None
        and attempt.last_commit_at is not None
    )
    if attempt is None or (mode == "normal" and (attempt.ended or retried)):
        number = (attempt.number + 1) if attempt else 1
        attempt = ScoAttempt.objects.create(registration=registration, sco=sco, number=number)
    last_session = attempt.sessions.exclude(terminated_at=None).order_by("-terminated_at").first()
    suspended = attempt.exit == "suspend" or (
        last_session and "suspendAll" in last_session.navigation_request
    )
    entry = (
        ""
        if mode == "review"
        else entry_for_launch(
            registration.version.scorm_version,
            has_data=attempt.last_commit_at is not None,
            last_exit="suspend" if suspended else attempt.exit,
        )
    )
    session = ScoSession.objects.create(attempt=attempt, entry=entry, mode=mode)
    if mode == "normal" and not sco.is_sco:
        # Here, not at the top: commits reaches courses.services, which loads the lesson
        # blocks, which import this module's RetakePolicy.
        from scorm.services.commits import asset_delivery_record

        asset_delivery_record(attempt=attempt)
    return Launch(session=session, mode=mode)


def _learner_name(user) -> tuple[str, str]:
    """SCORM names the learner "Last, First"; Thaksa keeps Thai names in first/last."""
    last, first = (user.last_name or "").strip(), (user.first_name or "").strip()
    return (f"{last}, {first}" if last and first else (first or last or user.get_username())), str(user.pk)


def launch_cmi(launch: Launch, *, user) -> dict:
    """The CMI JSON to load into scorm-again before `Initialize`: the stored data of the
    attempt plus the read-only launch values (learner, entry, credit, mode, total time,
    launch data, mastery score or completion threshold and scaled passing score)."""
    attempt = launch.session.attempt
    sco = attempt.sco
    stored = attempt.cmi or {}
    name, learner_id = _learner_name(user)
    credit = "credit" if launch.counts else "no-credit"
    if attempt.registration.version.scorm_version == ScormVersion.SCORM_12:
        stored_core = stored.get("core") or {}
        status = stored_core.get("lesson_status") or "not attempted"
        cmi = {
            "core": {
                "student_id": learner_id,
                "student_name": name,
                "lesson_location": attempt.location,
                "lesson_status": status,
                "entry": launch.session.entry,
                "credit": credit,
                "lesson_mode": launch.mode,
                "total_time": scorm12_time(attempt.total_seconds),
                "score": {
                    key: value
                    for key, value in (stored_core.get("score") or {}).items()
                    if value not in (None, "")
                },
            },
            "suspend_data": attempt.suspend_data,
            "launch_data": sco.data_from_lms,
            "comments": stored.get("comments", ""),
            "student_data": {
                key: value
                for key, value in {
                    "mastery_score": "" if sco.mastery_score is None else f"{sco.mastery_score:g}",
                    "max_time_allowed": sco.max_time_allowed,
                    "time_limit_action": sco.time_limit_action,
                }.items()
                if value
            },
        }
        for key in ("student_preference", "objectives"):
            if stored.get(key):
                cmi[key] = stored[key]
        return cmi
    cmi = {
        "learner_id": learner_id,
        "learner_name": name,
        "location": attempt.location,
        "completion_status": stored.get("completion_status") or "unknown",
        "success_status": stored.get("success_status") or "unknown",
        "entry": launch.session.entry,
        "credit": credit,
        "mode": launch.mode,
        "total_time": iso_duration(attempt.total_seconds),
        "suspend_data": attempt.suspend_data,
        "launch_data": sco.data_from_lms,
        "max_time_allowed": sco.max_time_allowed,
        "time_limit_action": sco.time_limit_action or "continue,no message",
    }
    if sco.completion_threshold is not None:
        cmi["completion_threshold"] = f"{sco.completion_threshold:g}"
    if sco.scaled_passing_score is not None:
        cmi["scaled_passing_score"] = f"{sco.scaled_passing_score:g}"
    if attempt.progress_measure is not None:
        cmi["progress_measure"] = f"{attempt.progress_measure:g}"
    score = {key: value for key, value in (stored.get("score") or {}).items() if value not in (None, "")}
    if score:
        cmi["score"] = score
    for key in ("learner_preference", "objectives", "interactions", "comments_from_learner"):
        if stored.get(key):
            cmi[key] = stored[key]
    return {key: value for key, value in cmi.items() if value not in (None, "")}
