"""Joining and leaving courses."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.events import enrolments_created
from courses.models import OPEN_STATUSES, CoursePage, Enrolment, EnrolmentMode
from courses.selectors import prerequisites_missing
from people.models import User


def _announce_created(enrolment: Enrolment) -> None:
    transaction.on_commit(lambda: enrolments_created.send(sender=Enrolment, enrolments=[enrolment]))


def _open_enrolment(*, user: User, course: CoursePage) -> Enrolment | None:
    return Enrolment.objects.select_for_update().filter(user=user, course=course).not_completed().first()


@transaction.atomic
def enrolment_request(*, user: User, course: CoursePage) -> Enrolment:
    """A learner joins an open course, or asks to join a course that needs approval.

    Refused, with a message saying what to do, when the course is by assignment only or when
    a prerequisite is not complete. Asking again while enrolled changes nothing; coming back
    after withdrawing reopens the same enrolment with its progress."""
    enrolment = _open_enrolment(user=user, course=course)
    if enrolment is not None and enrolment.status in OPEN_STATUSES:
        return enrolment
    if course.enrolment_mode == EnrolmentMode.BY_ASSIGNMENT:
        raise ValidationError(
            _("This course is assigned by HR managers. Ask your agency's HR manager if you need it."),
            code="assignment_only",
        )
    missing = prerequisites_missing(user=user, course=course)
    if missing:
        raise ValidationError(
            _("Complete these courses first: %(courses)s.")
            % {"courses": ", ".join(c.display_title for c in missing)},
            code="prerequisites",
        )
    enrolment = enrolment or Enrolment(user=user, course=course)
    now = timezone.now()
    enrolment.requested_at = now
    enrolment.withdrawn_at = None
    enrolment.decided_by = None
    if course.enrolment_mode == EnrolmentMode.BY_APPROVAL:
        enrolment.status, enrolment.source = Enrolment.Status.PENDING, Enrolment.Source.APPROVAL
    else:
        enrolment.status, enrolment.source = Enrolment.Status.ACTIVE, Enrolment.Source.SELF
        enrolment.enrolled_at = enrolment.enrolled_at or now
    created = enrolment.pk is None
    enrolment.save()
    if created:
        _announce_created(enrolment)
    return enrolment


@transaction.atomic
def enrolment_decide(*, enrolment: Enrolment, approve: bool, decided_by: User) -> Enrolment:
    """Approve or turn down a request to join a course by approval."""
    if enrolment.status != Enrolment.Status.PENDING:
        raise ValidationError(_("Only a request waiting for approval can be approved or turned down."))
    enrolment.status = Enrolment.Status.ACTIVE if approve else Enrolment.Status.REJECTED
    enrolment.decided_by = decided_by
    if approve:
        enrolment.enrolled_at = enrolment.enrolled_at or timezone.now()
    enrolment.save(update_fields=["status", "decided_by", "enrolled_at"])
    return enrolment


@transaction.atomic
def enrolment_assign(
    *, user: User, course: CoursePage, assigned_by: User | None, due_date: dt.date | None = None
) -> Enrolment:
    """An agency assigns a course, with an optional due date. Works whatever the course's
    enrolment mode and whatever the learner's own prerequisites: the agency decides. An
    existing open enrolment becomes the assignment and keeps its progress. `assigned_by` is
    None when an agency's system assigns it through the API (api.views.learning)."""
    enrolment = _open_enrolment(user=user, course=course) or Enrolment(user=user, course=course)
    enrolment.status = Enrolment.Status.ACTIVE
    enrolment.source = Enrolment.Source.ASSIGNMENT
    enrolment.decided_by = assigned_by
    enrolment.due_date = due_date
    enrolment.withdrawn_at = None
    enrolment.enrolled_at = enrolment.enrolled_at or timezone.now()
    created = enrolment.pk is None
    enrolment.save()
    if created:
        _announce_created(enrolment)
    return enrolment


@transaction.atomic
def enrolment_withdraw(*, enrolment: Enrolment) -> Enrolment:
    """A learner leaves a course. Progress is kept in case they come back. A completed
    course stays completed, and an assigned course can only be withdrawn by the agency."""
    if enrolment.status not in OPEN_STATUSES:
        raise ValidationError(_("You are not enrolled in this course."), code="not_enrolled")
    if enrolment.source == Enrolment.Source.ASSIGNMENT:
        raise ValidationError(
            _("Your agency assigned this course to you. Ask your HR manager if it no longer applies."),
            code="assigned",
        )
    enrolment.status = Enrolment.Status.WITHDRAWN
    enrolment.withdrawn_at = timezone.now()
    enrolment.save(update_fields=["status", "withdrawn_at"])
    return enrolment


class DueDateRefused(ValueError):
    """A completed enrolment's due date is history; it cannot be moved."""


@transaction.atomic
def enrolment_due_date_change(*, enrolment: Enrolment, due_date: dt.date | None) -> Enrolment:
    """Move (or clear) an open enrolment's due date: what the learner, the reminders and the
    overdue counts go by."""
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    if enrolment.status == Enrolment.Status.COMPLETED:
        raise DueDateRefused
    enrolment.due_date = due_date
    enrolment.save(update_fields=["due_date"])
    return enrolment
