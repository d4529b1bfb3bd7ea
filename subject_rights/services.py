"""Data-subject requests: filing them, building a person's export in the background, its
expiring download, and the DPO's decisions (erasure carried out, a request handled or
rejected). Every step is written to the audit log."""

from __future__ import annotations

import datetime as dt
import logging
import secrets

from django.conf import settings
from django.core import signing
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import Action
from audit.services import audit_record
from people.models import User
from subject_rights.erasure import Erasure, person_erase
from subject_rights.export import person_export_zip
from subject_rights.models import DataSubjectRequest

logger = logging.getLogger(__name__)

DOWNLOAD_SALT = "subject_rights.export-download"
Kind = DataSubjectRequest.Kind
Status = DataSubjectRequest.Status
DPO_DECIDED_KINDS = (Kind.ERASURE, Kind.RESTRICTION, Kind.OBJECTION, Kind.RECTIFICATION)


class RequestRefused(Exception):
    """The request cannot be filed or decided; the message says why, for the person."""


def export_keep_days() -> int:
    return int(getattr(settings, "SUBJECT_RIGHTS_EXPORT_KEEP_DAYS", 7))


def request_file(*, person: User, kind: str, details: str = "") -> DataSubjectRequest:
    """Record a request for the DPO's queue (erasure, restriction, objection, rectification);
    the 30-day clock starts now."""
    if kind not in DPO_DECIDED_KINDS:
        raise ValueError(f"{kind!r} is not a request the DPO decides; exports use export_request_start.")
    return DataSubjectRequest.objects.create(person=person, kind=kind, details=details.strip())


@transaction.atomic
def export_request_start(*, person: User) -> DataSubjectRequest:
    """Record an export request and build it in the background once the transaction commits.
    A person with an export still being built gets that one back instead of a second."""
    pending = DataSubjectRequest.objects.filter(
        person=person, kind=Kind.EXPORT, status__in=(Status.RECEIVED, Status.IN_PROGRESS)
    ).first()
    if pending is not None:
        return pending
    request = DataSubjectRequest.objects.create(person=person, kind=Kind.EXPORT)

    from subject_rights.tasks import build_export

    transaction.on_commit(lambda: build_export.delay(request.pk))
    return request


def _progress(request: DataSubjectRequest, share: float) -> None:
    percent = 5 + int(share * 85)
    if percent > request.progress:
        request.progress = percent
        DataSubjectRequest.objects.filter(pk=request.pk).update(progress=percent)


def export_request_run(*, request_id: int) -> DataSubjectRequest | None:
    """Build an export request's ZIP; a failure marks the request failed (the person is told
    to try again) and is logged for the operators."""
    request = (
        DataSubjectRequest.objects.select_related("person").filter(pk=request_id, kind=Kind.EXPORT).first()
    )
    if request is None or not request.is_open:
        return request
    request.status, request.progress = Status.IN_PROGRESS, 5
    request.save(update_fields=["status", "progress"])
    try:
        content = person_export_zip(person=request.person, progress=lambda share: _progress(request, share))
        request.file.save(f"{secrets.token_urlsafe(16)}/thaksa-my-data.zip", ContentFile(content), save=False)
    except Exception:
        logger.exception("Data export %s failed", request.pk)
        request.status = Status.FAILED
        request.handled_at = timezone.now()
        request.save(update_fields=["status", "handled_at"])
        return request
    now = timezone.now()
    request.status, request.progress = Status.DONE, 100
    request.handled_at = now
    request.expires_at = now + dt.timedelta(days=export_keep_days())
    request.save(update_fields=["file", "status", "progress", "handled_at", "expires_at"])
    audit_record(action=Action.DATA_EXPORT_MADE, actor=request.person, subject=request.person,
                 what=f"subject_rights.request:{request.pk}")  # fmt: skip
    return request


def export_download_token(request: DataSubjectRequest) -> str:
    """A signed token naming this export and its person, for the download link."""
    return signing.dumps({"request": request.pk, "person": request.person_id}, salt=DOWNLOAD_SALT)


def export_download_check(
    *, token: str, viewer: User, now: dt.datetime | None = None
) -> DataSubjectRequest | None:
    """The export a download link opens for `viewer`: only their own, only until it expires."""
    try:
        claims = signing.loads(token, salt=DOWNLOAD_SALT, max_age=dt.timedelta(days=export_keep_days()))
    except signing.BadSignature:
        return None
    if claims.get("person") != viewer.pk:
        return None
    request = DataSubjectRequest.objects.filter(pk=claims.get("request"), person=viewer).first()
    if request is None or not request.download_available(now=now):
        return None
    return request


def export_downloaded(*, request: DataSubjectRequest) -> None:
    audit_record(action=Action.DATA_EXPORT_DOWNLOADED, actor=request.person, subject=request.person,
                 what=f"subject_rights.request:{request.pk}")  # fmt: skip


def _decide(request: DataSubjectRequest, *, by: User, status: str, note: str) -> DataSubjectRequest:
    request.status = status
    request.handled_by = by
    request.handled_at = timezone.now()
    request.outcome_note = note.strip()
    request.save(update_fields=["status", "handled_by", "handled_at", "outcome_note"])
    audit_record(
        action=Action.REQUEST_HANDLED,
        actor=by,
        subject=request.person,
        what=f"subject_rights.request:{request.pk}",
        detail={"kind": request.kind, "status": status},
    )
    return request


def _open_for_decision(request: DataSubjectRequest) -> None:
    if not request.is_open:
        raise RequestRefused(_("This request has already been answered."))
    if request.kind == Kind.EXPORT:
        raise RequestRefused(_("Exports are made by the platform; there is nothing to decide."))


@transaction.atomic
def request_erasure_carry_out(*, request: DataSubjectRequest, by: User, note: str = "") -> Erasure:
    """Erase the person of an erasure request (subject_rights.erasure) and close the request."""
    request = DataSubjectRequest.objects.select_for_update().get(pk=request.pk)
    _open_for_decision(request)
    if request.kind != Kind.ERASURE:
        raise RequestRefused(_("Only an erasure request erases the person."))
    if by.pk == request.person_id:
        raise RequestRefused(_("You cannot carry out an erasure of your own account."))
    erasure = person_erase(person=request.person)
    request.refresh_from_db()
    _decide(request, by=by, status=Status.DONE, note=note)
    audit_record(
        action=Action.ERASURE_DONE,
        actor=by,
        subject=request.person,
        what=f"subject_rights.request:{request.pk}",
        detail={"models": len(erasure.done)},
    )
    return erasure


@transaction.atomic
def request_handle(*, request: DataSubjectRequest, by: User, note: str) -> DataSubjectRequest:
    """Mark a restriction, objection or rectification handled, with what was done."""
    request = DataSubjectRequest.objects.select_for_update().get(pk=request.pk)
    _open_for_decision(request)
    if request.kind == Kind.ERASURE:
        raise RequestRefused(_("An erasure request is answered by carrying out the erasure, or rejected."))
    if not note.strip():
        raise RequestRefused(_("Say what was done."))
    return _decide(request, by=by, status=Status.DONE, note=note)


@transaction.atomic
def request_reject(*, request: DataSubjectRequest, by: User, reason: str) -> DataSubjectRequest:
    """Refuse a request, with the reason the person is given (PDPA s.30, s.33: refusals are
    recorded with their reason)."""
    request = DataSubjectRequest.objects.select_for_update().get(pk=request.pk)
    _open_for_decision(request)
    if not reason.strip():
        raise RequestRefused(_("Give the reason for the refusal."))
    return _decide(request, by=by, status=Status.REJECTED, note=reason)
