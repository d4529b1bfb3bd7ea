"""/dashboard/assignments/: HR managers' assignments and their compliance.

HR managers see and change the assignments of the units they manage (and below); platform
administrators all of them. Anyone else is refused; an assignment outside the viewer's scope
is "not found" (people.permissions decides)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assignments.forms import AssignmentForm
from assignments.selectors import (
    MemberFilter,
    assignment_audience,
    assignment_compliance,
    assignment_members,
    assignments_visible,
    assignments_with_compliance,
)
from assignments.services.assignments import assignment_create, assignment_deactivate
from audit.services import audit_view_of
from people.permissions import manages_people

LIST_PAGE_SIZE = 25
MEMBERS_PAGE_SIZE = 50


def _require_manager(request) -> None:
    if not manages_people(request.user):
        raise PermissionDenied(_("Only HR managers and platform administrators can manage assignments."))


@login_required
def assignment_list(request):
    _require_manager(request)
    rows = assignments_with_compliance(viewer=request.user)
    page = Paginator(rows, LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "assignments/assignment_list.html", {"page": page, "today": timezone.localdate()})


@login_required
def assignment_new(request):
    """Fill in the form, see how many people it covers, then confirm."""
    _require_manager(request)
    form = AssignmentForm(request.POST or None, viewer=request.user)
    preview_count = None
    if request.method == "POST" and form.is_valid():
        if "confirm" in request.POST:
            try:
                assignment = assignment_create(created_by=request.user, **form.assignment_fields())
            except ValidationError as error:
                for field, field_errors in error.message_dict.items():
                    for message in field_errors:
                        form.add_error(field if field in form.fields else None, message)
            else:
                messages.success(
                    request,
                    _("The course has been assigned to %(count)s people.")
                    % {"count": f"{assignment.members.count():,}"},
                )
                return redirect("assignments:detail", pk=assignment.pk)
        else:
            preview_count = assignment_audience(**form.audience_fields()).count()
    return render(request, "assignments/assignment_form.html", {"form": form, "preview_count": preview_count})


@login_required
def assignment_detail(request, pk: int):
    _require_manager(request)
    assignment = get_object_or_404(
        assignments_visible(viewer=request.user).select_related("course", "unit", "role_group", "created_by"),
        pk=pk,
    )
    show = request.GET.get("show", MemberFilter.ALL)
    if show not in {MemberFilter.ALL, MemberFilter.OVERDUE, MemberFilter.COMPLETED, MemberFilter.OPEN}:
        show = MemberFilter.ALL
    members = assignment_members(assignment=assignment, show=show)
    page = Paginator(members, MEMBERS_PAGE_SIZE).get_page(request.GET.get("page"))
    audit_view_of(request, what=f"assignments.assignment:{assignment.pk}", people=len(page.object_list))
    return render(
        request,
        "assignments/assignment_detail.html",
        {
            "assignment": assignment,
            "compliance": assignment_compliance(assignment=assignment),
            "named_people": list(assignment.people.order_by("email")),
            "page": page,
            "show": show,
        },
    )


@login_required
@require_POST
def assignment_deactivate_view(request, pk: int):
    _require_manager(request)
    assignment = get_object_or_404(assignments_visible(viewer=request.user), pk=pk)
    assignment_deactivate(assignment=assignment)
    messages.success(
        request, _("The assignment has been deactivated: nobody new joins it and no more reminders are sent.")
    )
    return redirect("assignments:detail", pk=assignment.pk)
