"""A learner's own data-subject requests at /my/privacy/requests/: download everything the
platform holds about them (built in the background, with a progress page that reloads itself
without JavaScript and an expiring download link only they can open), and file erasure,
restriction, objection or rectification requests for the DPO."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from people.models import User
from subject_rights.forms import RequestForm
from subject_rights.models import DataSubjectRequest
from subject_rights.selectors import my_requests
from subject_rights.services import (
    export_download_check,
    export_download_token,
    export_downloaded,
    export_keep_days,
    export_request_start,
    request_file,
)


def _person(request: HttpRequest) -> User:
    """The signed-in person (every view here requires a sign-in)."""
    assert isinstance(request.user, User)
    return request.user


def _page(request: HttpRequest, form: RequestForm, *, status: int = 200) -> HttpResponse:
    return render(
        request,
        "subject_rights/requests.html",
        {"requests": my_requests(person=_person(request)), "form": form, "keep_days": export_keep_days()},
        status=status,
    )


@login_required
@require_GET
def requests_page(request: HttpRequest) -> HttpResponse:
    return _page(request, RequestForm())


@login_required
@require_POST
def export_start(request: HttpRequest) -> HttpResponse:
    started = export_request_start(person=_person(request))
    return redirect("subject-rights:detail", started.pk)


@login_required
@require_POST
def request_new(request: HttpRequest) -> HttpResponse:
    form = RequestForm(request.POST)
    if not form.is_valid():
        return _page(request, form, status=400)
    request_file(
        person=_person(request), kind=form.cleaned_data["kind"], details=form.cleaned_data["details"]
    )
    messages.success(
        request,
        _("Your request was sent to the data protection officer, who answers within 30 days."),
    )
    return redirect("subject-rights:requests")


@login_required
@require_GET
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    subject_request = get_object_or_404(DataSubjectRequest, pk=pk, person=request.user)
    download_url = ""
    if subject_request.download_available():
        download_url = reverse(
            "subject-rights:download", args=[subject_request.pk, export_download_token(subject_request)]
        )
    return render(
        request,
        "subject_rights/request_detail.html",
        {
            "subject_request": subject_request,
            "download_url": download_url,
            "keep_days": export_keep_days(),
            "finished": not subject_request.is_open,
        },
    )


@login_required
@require_GET
def export_download(request: HttpRequest, pk: int, token: str) -> FileResponse:
    subject_request = export_download_check(token=token, viewer=_person(request))
    if subject_request is None or subject_request.pk != pk:
        raise Http404(_("This download link has expired or is not yours. Ask for a new copy of your data."))
    export_downloaded(request=subject_request)
    response = FileResponse(
        subject_request.file.open("rb"),
        as_attachment=True,
        filename="thaksa-my-data.zip",
        content_type="application/zip",
    )
    response["Cache-Control"] = "private, no-store"
    return response
