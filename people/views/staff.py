"""/dashboard/staff/: HR managers' staff import (upload, preview, confirm).

The checked rows wait in the session between the preview and the confirmation (never on
disk), with a token the confirm form carries, so an old preview in another tab cannot
confirm a different file."""

import base64
import json
import secrets
import zlib

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from people.permissions import visible_units
from people.services import staff_import
from people.staff_import import (
    COLUMNS,
    MAX_FILE_BYTES,
    MAX_ROWS,
    Action,
    StaffFileRejected,
    StaffRow,
    file_too_large_message,
    staff_file_read,
)

SESSION_KEY = "people.staff_import"
PREVIEW_ROWS_SHOWN = 500


class StaffImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Staff file (.xlsx or .csv)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        # Refused before reading it: the size is known from the upload.
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(file_too_large_message(upload.size))
        return upload


def _rows_store(request, *, name: str, rows: list[StaffRow]) -> str:
    token = secrets.token_urlsafe(16)
    packed = zlib.compress(
        json.dumps([[row.number, row.values] for row in rows], ensure_ascii=False).encode()
    )
    request.session[SESSION_KEY] = {"token": token, "name": name, "rows": base64.b64encode(packed).decode()}
    return token


def _rows_load(request) -> tuple[str, str, list[StaffRow]] | None:
    stored = request.session.get(SESSION_KEY)
    if not stored:
        return None
    data = json.loads(zlib.decompress(base64.b64decode(stored["rows"])))
    return (
        stored["token"],
        stored["name"],
        [StaffRow(number=number, values=values) for number, values in data],
    )


def _preview(request, *, form, name: str, result, token: str = ""):
    changed = [plan for plan in result.plans if plan.action != Action.UNCHANGED]
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
            **_help(),
        },
    )


def _help() -> dict:
    return {"columns": COLUMNS, "max_rows": MAX_ROWS, "max_bytes": MAX_FILE_BYTES}


@login_required
def staff_import_page(request):
    if not visible_units(request.user).exists():
        raise PermissionDenied(_("Only HR managers and platform administrators can import staff."))
    if request.method == "POST" and "confirm" in request.POST:
        return _confirm(request)
    form = StaffImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        request.session.pop(SESSION_KEY, None)
        try:
            rows = staff_file_read(name=upload.name, data=upload.read())
        except StaffFileRejected as rejected:
            return render(
                request,
                "people/staff_import.html",
                {"form": form, "file_errors": rejected.errors, "file_name": upload.name, **_help()},
            )
        result = staff_import(rows=rows, importer=request.user, apply=False)
        token = _rows_store(request, name=upload.name, rows=rows) if not result.errors else ""
        return _preview(request, form=StaffImportForm(), name=upload.name, result=result, token=token)
    return render(request, "people/staff_import.html", {"form": form, **_help()})


def _confirm(request):
    stored = _rows_load(request)
    if stored is None or stored[0] != request.POST.get("token"):
        messages.error(request, _("This preview is no longer current. Upload the file again."))
        return redirect("staff:import")
    _token, name, rows = stored
    result = staff_import(rows=rows, importer=request.user, apply=True)
    if not result.applied:
        request.session.pop(SESSION_KEY, None)
        return _preview(request, form=StaffImportForm(), name=name, result=result)
    request.session.pop(SESSION_KEY, None)
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
    return redirect("staff:import")
