"""HR managers' competency actions: assessing a staff member, and importing evidence files.

An uploaded evidence file is checked and shown as a preview; only a confirmation records it.
Between the two the file waits in the person's session, encrypted (it holds people's
addresses), for at most an hour; it is never written anywhere else, not even to a temporary
file while it is uploaded.
"""

import base64
import hashlib
import zlib

from cryptography.fernet import Fernet, InvalidToken
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.uploadhandler import MemoryFileUploadHandler
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from competencies.evidence_import import COLUMNS, MAX_FILE_BYTES, MAX_ROWS, evidence_import_check
from competencies.forms import EvidenceImportForm, ManagerAssessmentForm
from competencies.models import CompetencyEvidence
from competencies.services.evidence import (
    evidence_import_apply,
    manager_assessment_record,
    manager_assessment_withdraw,
    manager_reference,
)
from competencies.views.profiles import person_for_manager_or_404, person_page_render
from people.models import Role
from people.permissions import has_role, is_platform_admin

PREVIEW_ROWS_SHOWN = 500
PROBLEMS_SHOWN = 500
UPLOAD_SESSION_KEY = "competencies.evidence_import"
UPLOAD_MAX_AGE_SECONDS = 60 * 60


# A manager's assessment ---------------------------------------------------------------------


@login_required
@require_POST
def assessment_record(request, user_id: int):
    person = person_for_manager_or_404(request, user_id)
    form = ManagerAssessmentForm(request.POST, person=person)
    if not form.is_valid():
        return person_page_render(request, person=person, form=form, status=400)
    evidence = manager_assessment_record(
        person=person,
        node=form.cleaned_data["node"],
        level=form.cleaned_data["level"],
        manager=request.user,
        valid_until=form.cleaned_data["valid_until"],
        note=form.cleaned_data["note"],
    )
    messages.success(
        request,
        _("Your assessment is recorded: %(competency)s at level %(level)s.")
        % {"competency": f"{evidence.node.code} {evidence.node.name}", "level": evidence.level},
    )
    return redirect("competencies:person", user_id=person.pk)


@login_required
@require_POST
def assessment_withdraw(request, user_id: int, evidence_id: int):
    person = person_for_manager_or_404(request, user_id)
    evidence = get_object_or_404(
        CompetencyEvidence,
        pk=evidence_id,
        user=person,
        source=CompetencyEvidence.Source.MANAGER,
        reference=manager_reference(request.user),
        withdrawn_at__isnull=True,
    )
    manager_assessment_withdraw(evidence=evidence, manager=request.user)
    messages.success(
        request,
        _("Your assessment of %(competency)s is withdrawn; it no longer counts.")
        % {"competency": f"{evidence.node.code} {evidence.node.name}"},
    )
    return redirect("competencies:person", user_id=person.pk)


# Importing evidence ---------------------------------------------------------------------------


def _may_import(user) -> bool:
    return is_platform_admin(user) or has_role(user, Role.HR_MANAGER)


class _UploadInMemory(MemoryFileUploadHandler):
    """Keeps the uploaded file in memory whatever its size (Django would write one over 2.5 MB
    to a temporary file on disk), storing no more than the cap: the form then refuses the file
    with its real size, which Django counts from every chunk."""

    def handle_raw_input(self, *args, **kwargs):
        self.activated = True

    def receive_data_chunk(self, raw_data, start):
        if self.file.tell() <= MAX_FILE_BYTES:
            self.file.write(raw_data)


@csrf_exempt  # the upload handlers must be set before the CSRF check reads the body
def evidence_import(request):
    request.upload_handlers = [_UploadInMemory(request)]
    return _evidence_import(request)


@csrf_protect
@login_required
def _evidence_import(request):
    """GET: the upload form. POST with a file: check it and show the preview (records nothing).
    POST with `confirm`: check the file kept from the preview again and record it."""
    if not _may_import(request.user):
        raise PermissionDenied
    if request.method == "POST" and "confirm" in request.POST:
        return _import_confirm(request)
    form = EvidenceImportForm(request.POST or None, request.FILES or None)
    context = _page_context(form)
    if request.method != "POST" or not form.is_valid():
        return render(request, "competencies/evidence_import.html", context)
    upload = form.cleaned_data["file"]
    data = upload.read()
    check = evidence_import_check(name=upload.name, data=data, importer=request.user)
    context.update(_check_context(check))
    if not check.problems:
        context["digest"] = _upload_keep(request, name=upload.name, data=data)
        context["file_name"] = upload.name
    return render(request, "competencies/evidence_import.html", context)


def _import_confirm(request):
    kept = _upload_take(request, digest=request.POST.get("confirm", ""))
    if kept is None:
        messages.error(
            request,
            _("The preview has expired or was replaced by another one. Upload the file again to record it."),
        )
        return redirect("competencies:evidence-import")
    name, data = kept
    check = evidence_import_check(name=name, data=data, importer=request.user)
    if check.problems:
        # Something changed since the preview (a person moved, a framework was edited).
        context = _page_context(EvidenceImportForm())
        context.update(_check_context(check))
        return render(request, "competencies/evidence_import.html", context)
    result = evidence_import_apply(rows=check.rows, recorded_by=request.user)
    messages.success(
        request,
        _(
            "%(file)s: %(created)s pieces of evidence recorded, %(updated)s updated, %(unchanged)s "
            "already recorded."
        )
        % {
            "file": name,
            "created": result.created,
            "updated": result.updated,
            "unchanged": result.unchanged,
        },
    )
    return redirect("competencies:evidence-import")


def _page_context(form: EvidenceImportForm) -> dict:
    return {"form": form, "max_rows": f"{MAX_ROWS:,}"}


def _check_context(check) -> dict:
    return {
        "check": check,
        "problems_shown": check.problems[:PROBLEMS_SHOWN],
        "problems_hidden": max(0, len(check.problems) - PROBLEMS_SHOWN),
        "rows_shown": check.rows[:PREVIEW_ROWS_SHOWN],
        "rows_hidden": max(0, len(check.rows) - PREVIEW_ROWS_SHOWN),
    }


@login_required
def evidence_import_template(request):
    """An empty evidence file with the column names and one example row."""
    if not _may_import(request.user):
        raise PermissionDenied
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="thaksa-evidence.csv"'
    response.write("\ufeff")  # byte-order mark: Excel then reads Thai text as UTF-8
    response.write(",".join(COLUMNS) + "\r\n")
    response.write("somchai.j@agency.go.th,DIGCOMP,1.1,3,2569-03-31,2571-03-31,\r\n")
    return response


def _upload_cipher() -> Fernet:
    key = salted_hmac("competencies.evidence_import.upload", "session", algorithm="sha256").digest()
    return Fernet(base64.urlsafe_b64encode(key))


def _upload_keep(request, *, name: str, data: bytes) -> str:
    """Keep the previewed file in the session, encrypted; the digest names it in the confirmation."""
    digest = hashlib.sha256(data).hexdigest()
    request.session[UPLOAD_SESSION_KEY] = {
        "name": name,
        "digest": digest,
        "sealed": _upload_cipher().encrypt(zlib.compress(data)).decode(),
    }
    return digest


def _upload_take(request, *, digest: str) -> tuple[str, bytes] | None:
    """The file kept by the preview whose digest this is, removed from the session."""
    kept = request.session.get(UPLOAD_SESSION_KEY)
    if not kept or kept.get("digest") != digest:
        return None
    del request.session[UPLOAD_SESSION_KEY]
    try:
        data = zlib.decompress(_upload_cipher().decrypt(kept["sealed"].encode(), ttl=UPLOAD_MAX_AGE_SECONDS))
    except (InvalidToken, zlib.error):
        return None
    return kept["name"], data
