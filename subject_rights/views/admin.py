"""The DPO's queue of data-subject requests in the Wagtail admin: every request with its
30-day clock (days left, overdue in red), and the decisions: carry out an erasure (after a
confirmation), mark a restriction, objection or rectification handled with a note, or reject
with a reason. Viewing needs `subject_rights.view_datasubjectrequest`, deciding
`subject_rights.change_datasubjectrequest` (the "Data protection officers" group has both)."""

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from people.models import User
from subject_rights.forms import DecisionForm, ErasureConfirmForm
from subject_rights.models import DataSubjectRequest
from subject_rights.policies import POLICIES
from subject_rights.retention import retention_run
from subject_rights.selectors import dpo_queue
from subject_rights.services import RequestRefused, request_erasure_carry_out, request_handle, request_reject

VIEW = "subject_rights.view_datasubjectrequest"
CHANGE = "subject_rights.change_datasubjectrequest"


def _require(request: HttpRequest, permission: str) -> User:
    """The signed-in person, if they hold `permission`; otherwise 403."""
    if not isinstance(request.user, User) or not request.user.has_perm(permission):
        raise PermissionDenied
    return request.user


def queue(request: HttpRequest) -> HttpResponse:
    _require(request, VIEW)
    status = request.GET.get("status", "open")
    page = Paginator(dpo_queue(status=status if status in ("open", "closed", "") else "open"), 50).get_page(
        request.GET.get("p")
    )
    return render(request, "subject_rights/admin/queue.html", {"page": page, "status": status})


def detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request, VIEW)
    subject_request = get_object_or_404(
        DataSubjectRequest.objects.select_related("person", "handled_by"), pk=pk
    )
    return render(
        request,
        "subject_rights/admin/detail.html",
        {
            "subject_request": subject_request,
            "may_decide": request.user.has_perm(CHANGE) and subject_request.is_open,
            "decision_form": DecisionForm(),
            "erasure_form": ErasureConfirmForm(),
            "policies": POLICIES if subject_request.kind == DataSubjectRequest.Kind.ERASURE else (),
        },
    )


def _decided(
    request: HttpRequest, subject_request: DataSubjectRequest, action: Callable[[], object]
) -> HttpResponse:
    try:
        action()
    except RequestRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, _("The request is answered."))
    return redirect("subject_rights_admin:detail", subject_request.pk)


@require_POST
def erase(request: HttpRequest, pk: int) -> HttpResponse:
    dpo = _require(request, CHANGE)
    subject_request = get_object_or_404(DataSubjectRequest, pk=pk)
    form = ErasureConfirmForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect("subject_rights_admin:detail", pk)
    note = form.cleaned_data["note"]
    return _decided(
        request,
        subject_request,
        lambda: request_erasure_carry_out(request=subject_request, by=dpo, note=note),
    )


@require_POST
def handle(request: HttpRequest, pk: int) -> HttpResponse:
    dpo = _require(request, CHANGE)
    subject_request = get_object_or_404(DataSubjectRequest, pk=pk)
    note = request.POST.get("note", "")
    return _decided(
        request, subject_request, lambda: request_handle(request=subject_request, by=dpo, note=note)
    )


@require_POST
def reject(request: HttpRequest, pk: int) -> HttpResponse:
    dpo = _require(request, CHANGE)
    subject_request = get_object_or_404(DataSubjectRequest, pk=pk)
    reason = request.POST.get("note", "")
    return _decided(
        request, subject_request, lambda: request_reject(request=subject_request, by=dpo, reason=reason)
    )


def retention(request: HttpRequest) -> HttpResponse:
    """What the nightly retention rules would do now (a dry run: nothing changes)."""
    _require(request, VIEW)
    return render(request, "subject_rights/admin/retention.html", {"reports": retention_run(dry_run=True)})
