"""/dashboard/staff/: HR managers' staff import (upload, preview, confirm).

The file waits for its confirmation as every import's does (lms.import_preview: encrypted in
the cache for an hour at most, only its id and key in the session, never on disk); the
confirm form carries the preview's id, so an old preview in another tab cannot confirm a
different file. The file is checked again when it is confirmed."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.services import audit_view_of
from lms.import_preview import (
    PreviewGone,
    import_preview_discard,
    import_preview_keep,
    import_preview_take,
    uploads_in_memory,
)
from lms.spreadsheets.reading import MAX_FILE_BYTES, MAX_ROWS, file_too_large_message
from people.permissions import is_platform_admin, manages_people
from people.services import staff_import
from people.staff_import import COLUMNS, Action, StaffFileRejected, StaffImportResult, staff_file_read

PREVIEW_PURPOSE = "people.staff_import"
# Said of every new row to an HR manager, whether or not its address has an account elsewhere.
REFERRAL_NOTE = gettext_lazy(
    "A new address that already has an account elsewhere on Thaksa is not changed by this import, "
    "and this page does not say which ones do: the platform administrators are asked to place "
    "such a person in your unit, and the helpdesk answers questions about them."
)
PREVIEW_ROWS_SHOWN = 500


class StaffImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Staff file (.xlsx or .csv)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def clean_file(self) -> UploadedFile:
        upload = self.cleaned_data["file"]
        # Refused before reading it: the size is known from the upload.
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(file_too_large_message(upload.size))
        return upload


def _preview(
    request: HttpRequest, *, form: forms.Form, name: str, result: StaffImportResult, token: str = ""
) -> HttpResponse:
    changed = [plan for plan in result.plans if plan.action != Action.UNCHANGED]
    audit_view_of(request, what="people.staff_import", people=len(changed))  # shows people's current units
    return render(
        request,
        "people/staff_import.html",
        {
            "form": form,
            "file_name": name,
            "result": result,
            "counts": result.counts,
            "changes": changed[:PREVIEW_ROWS_SHOWN],
            "changes_hidden": max(0, len(changed) - PREVIEW_ROWS_SHOWN),
            "token": token,
            # Every new row alike: whether an address has an account elsewhere is not said.
            "new_rows_may_be_referred": not is_platform_admin(request.user),
            "referral_note": REFERRAL_NOTE,
            **_help(),
        },
    )


def _help() -> dict[str, object]:
    return {"columns": COLUMNS, "max_rows": MAX_ROWS, "max_bytes": MAX_FILE_BYTES}


@uploads_in_memory
@login_required
def staff_import_page(request: HttpRequest) -> HttpResponse:
    if not manages_people(request.user):
        raise PermissionDenied(_("Only HR managers and platform administrators can import staff."))
    if request.method == "POST" and "confirm" in request.POST:
        return _confirm(request)
    if request.method == "POST":
        # A new upload replaces the preview before it, whether or not it can be read.
        import_preview_discard(session=request.session, purpose=PREVIEW_PURPOSE)
    form = StaffImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        try:
            rows = staff_file_read(name=upload.name, data=data)
        except StaffFileRejected as rejected:
            return render(
                request,
                "people/staff_import.html",
                {"form": form, "file_errors": rejected.errors, "file_name": upload.name, **_help()},
            )
        result = staff_import(rows=rows, importer=request.user, apply=False)
        token = ""
        if not result.errors:
            token = import_preview_keep(
                session=request.session,
                user_id=request.user.pk,
                purpose=PREVIEW_PURPOSE,
                name=upload.name,
                data=data,
            )
        return _preview(request, form=StaffImportForm(), name=upload.name, result=result, token=token)
    return render(request, "people/staff_import.html", {"form": form, **_help()})


def _confirm(request: HttpRequest) -> HttpResponse:
    try:
        kept = import_preview_take(
            session=request.session,
            user_id=request.user.pk,
            purpose=PREVIEW_PURPOSE,
            preview_id=request.POST.get("token", ""),
        )
    except PreviewGone:
        messages.error(request, _("This preview is no longer current. Upload the file again."))
        return redirect("staff:import")
    name = kept.name
    # The same bytes read at the preview: they read again the same way.
    rows = staff_file_read(name=name, data=kept.data)
    # Checked again and applied in one transaction: people may have moved since the preview.
    result = staff_import(rows=rows, importer=request.user, apply=True)
    if not result.applied:
        return _preview(request, form=StaffImportForm(), name=name, result=result)
    counts = result.counts
    messages.success(
        request,
        _(
            "Staff imported from %(name)s: %(created)s added, %(updated)s updated, %(moved)s moved, "
            "%(unchanged)s unchanged."
        )
        % {
            "name": name,
            "created": counts[Action.CREATE],
            "updated": counts[Action.UPDATE],
            "moved": counts[Action.MOVE],
            "unchanged": counts[Action.UNCHANGED],
        },
    )
    if counts[Action.CREATE] and not is_platform_admin(request.user):
        messages.info(request, REFERRAL_NOTE)
    return redirect("staff:import")
