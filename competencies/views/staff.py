"""HR managers' competency actions: assessing a staff member, and importing evidence files.

An uploaded evidence file is checked and shown as a preview; only a confirmation records it.
Between the two the file waits as every import's does (lms.import_preview: encrypted, for at
most an hour, only its id and key in the person's session, never on disk).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from competencies.evidence_import import COLUMNS, evidence_import_check
from competencies.forms import EvidenceImportForm, ManagerAssessmentForm
from competencies.models import CompetencyEvidence
from competencies.services.evidence import (
    evidence_import_apply,
    manager_assessment_record,
    manager_assessment_withdraw,
    manager_reference,
)
from competencies.views.profiles import person_for_manager_or_404, person_page_render
from lms.import_preview import (
    PreviewGone,
    import_preview_discard,
    import_preview_keep,
    import_preview_take,
    uploads_in_memory,
)
from lms.spreadsheets.reading import MAX_ROWS
from people.permissions import manages_people

PREVIEW_ROWS_SHOWN = 500
PROBLEMS_SHOWN = 500
PREVIEW_PURPOSE = "competencies.evidence_import"


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


@uploads_in_memory
@login_required
def evidence_import(request: HttpRequest) -> HttpResponse:
    """GET: the upload form. POST with a file: check it and show the preview (records nothing).
    POST with `confirm`: check the file kept from the preview again and record it."""
    if not manages_people(request.user):
        raise PermissionDenied
    if request.method == "POST" and "confirm" in request.POST:
        return _import_confirm(request)
    if request.method == "POST":
        # A new upload replaces the preview before it, whether or not it can be read.
        import_preview_discard(session=request.session, purpose=PREVIEW_PURPOSE)
    form = EvidenceImportForm(request.POST or None, request.FILES or None)
    context = _page_context(form)
    if request.method != "POST" or not form.is_valid():
        return render(request, "competencies/evidence_import.html", context)
    upload = form.cleaned_data["file"]
    data = upload.read()
    check = evidence_import_check(name=upload.name, data=data, importer=request.user)
    context.update(_check_context(check))
    if not check.problems:
        context["digest"] = import_preview_keep(
            session=request.session,
            user_id=request.user.pk,
            purpose=PREVIEW_PURPOSE,
            name=upload.name,
            data=data,
        )
        context["file_name"] = upload.name
    return render(request, "competencies/evidence_import.html", context)


def _import_confirm(request: HttpRequest) -> HttpResponse:
    try:
        kept = import_preview_take(
            session=request.session,
            user_id=request.user.pk,
            purpose=PREVIEW_PURPOSE,
            preview_id=request.POST.get("confirm", ""),
        )
    except PreviewGone:
        messages.error(
            request,
            _("The preview has expired or was replaced by another one. Upload the file again to record it."),
        )
        return redirect("competencies:evidence-import")
    name = kept.name
    check = evidence_import_check(name=name, data=kept.data, importer=request.user)
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
    if not manages_people(request.user):
        raise PermissionDenied
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="thaksa-evidence.csv"'
    response.write("\ufeff")  # byte-order mark: Excel then reads Thai text as UTF-8
    response.write(",".join(COLUMNS) + "\r\n")
    response.write("somchai.j@agency.go.th,DIGCOMP,1.1,3,2569-03-31,2571-03-31,\r\n")
    return response
