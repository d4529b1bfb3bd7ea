"""Writes about assignments: creating them, adding people who arrive later, deactivating them
(the reminder e-mails are assignments.services.reminders).

Rules (each enforced here and nowhere else):

- **Who is covered.** Active people whose learner profile sits in the assignment's unit or
  below it and matches its position type, role group and employment type (each optional);
  if people are named, only they (and they must be in the unit's subtree and among the
  people the creator may see). Only a live course may be assigned; the due date may not be
  in the past.
- **The enrolment.** Every member gets an assigned enrolment exactly as
  `courses.services.enrolment.enrolment_assign` makes it (`_enrolments_assign` is its batched
  equivalent, for thousands of people at once): an open enrolment (self-enrolled, waiting for
  approval, assigned before) becomes the assignment and keeps its progress. If it was already
  assigned with an earlier due date, the earlier date stays: the person must meet both.
- **Already completed.** A completion counts for the assignment if it is still valid on the
  member's due date: always when the course never expires (`validity_months` empty), else
  when completed less than `validity_months` before the due date. The member then points at
  that completed enrolment and is "completed on time". An expired (or expiring before the
  due date) completion does not count: the person gets a new assigned enrolment, as for
  taking the course again.
- **People who arrive later.** When a learner profile is created, or its unit, position
  type, role group or employment type changes, the person joins every active assignment
  with "include people who join later" that now matches and whose due date has not passed
  (assignments naming people take no one else). Their due date is the assignment's, unless
  fewer than `NEW_ARRIVAL_MINIMUM_DAYS` (14) remain: then it is today + 14 days, so nobody
  is given an impossible deadline.
- **Nothing is taken away.** Someone who moves out of an assignment's scope stays a member
  with their enrolment (history and compliance stay true). Deactivating an assignment stops
  new arrivals and the learners' reminders; members and enrolments stay, and a member still
  overdue stays in their HR manager's digest (overdue is one rule: `courses.models.overdue_q`).
"""

import datetime as dt
import logging
from collections.abc import Iterable, Iterator
from itertools import islice

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from assignments.models import Assignment, AssignmentMember
from assignments.selectors import assignment_audience
from courses.events import enrolments_created
from courses.models import OPEN_STATUSES, CoursePage, Enrolment
from courses.services.enrolment import enrolment_assign
from organisations.models import OrganisationUnit
from people.models import LearnerProfile, RoleGroup, User
from people.permissions import can_view_unit, visible_people_in

logger = logging.getLogger(__name__)

NEW_ARRIVAL_MINIMUM_DAYS = 14
_BATCH = 1000


# Creating and applying -------------------------------------------------------------------


def _assignment_check(
    *,
    created_by: User,
    course: CoursePage,
    unit: OrganisationUnit,
    due_date: dt.date,
    people: list[User],
    today: dt.date,
) -> None:
    errors: dict[str, list[str]] = {}
    if not can_view_unit(created_by, unit):
        errors["unit"] = [_("You can assign courses only to the units you manage.")]
    if not CoursePage.objects.live().filter(pk=course.pk).exists():
        errors["course"] = [_("This course is not published. Choose a published course.")]
    if due_date < today:
        errors["due_date"] = [_("The due date has passed. Choose today or a later date.")]
    if people and "unit" not in errors:
        allowed = set(
            visible_people_in(created_by, unit)
            .filter(pk__in=[p.pk for p in people])
            .values_list("pk", flat=True)
        )
        outside = sorted(person.email for person in people if person.pk not in allowed)
        if outside:
            errors["people"] = [
                _(
                    "These people are not among the people you manage in the chosen unit: %(emails)s. "
                    "Remove them, or choose the unit they belong to."
                )
                % {"emails": ", ".join(outside)}
            ]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def assignment_create(
    *,
    created_by: User,
    course: CoursePage,
    unit: OrganisationUnit,
    due_date: dt.date,
    campaign: str = "",
    position_type: str = "",
    role_group: RoleGroup | None = None,
    employment_type: str = "",
    people: list[User] | None = None,
    is_mandatory: bool = True,
    includes_new_staff: bool = True,
    today: dt.date | None = None,
) -> Assignment:
    """Assign a course to everyone it covers now (see the module's rules), in one transaction.

    Refused with a ValidationError naming the field when the unit is outside the creator's
    scope, the course is not live, the due date has passed or a named person is not among the
    people the creator manages in the unit."""
    today = today or timezone.localdate()
    people = list(people or [])
    _assignment_check(
        created_by=created_by, course=course, unit=unit, due_date=due_date, people=people, today=today
    )
    assignment = Assignment.objects.create(
        course=course,
        campaign=campaign,
        unit=unit,
        position_type=position_type,
        role_group=role_group,
        employment_type=employment_type,
        due_date=due_date,
        is_mandatory=is_mandatory,
        includes_new_staff=includes_new_staff,
        created_by=created_by,
    )
    if people:
        assignment.people.set(people)
    audience = assignment_audience(
        unit=unit,
        position_type=position_type,
        role_group=role_group,
        employment_type=employment_type,
        people=people,
    ).order_by("pk")
    _members_add(assignment=assignment, users=audience.iterator(chunk_size=_BATCH), due_date=due_date)
    return assignment


def _batches(items: Iterable[User], size: int = _BATCH) -> Iterator[list[User]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def _completion_counts(*, completed_at: dt.datetime, course: CoursePage, due_date: dt.date) -> bool:
    """Whether a completion is still valid on the due date (the course's validity period)."""
    valid_until = course.completion_valid_until(completed_at)
    return valid_until is None or valid_until >= due_date


def _enrolments_assign(
    *, users: list[User], course: CoursePage, assigned_by: User | None, due_dates: dict[int, dt.date]
) -> dict[int, Enrolment]:
    """`courses.services.enrolment.enrolment_assign` for many people at once, writing exactly
    the rows it writes (tested side by side): each person's open enrolment of the course
    (locked) becomes the assignment and keeps its progress, everyone else gets a new active
    assigned enrolment. Two queries and two bulk writes per batch instead of several queries
    per person: enrolment_assign one by one took 47 s for 3 000 people on the development
    machine, this takes about a second. (Enrolment has no save() logic and nothing listens
    to its post_save; if that changes, this must follow.)"""
    now = timezone.now()
    ids = [user.pk for user in users]
    existing = {
        enrolment.user_id: enrolment
        for enrolment in Enrolment.objects.select_for_update()
        .filter(user_id__in=ids, course=course)
        .not_completed()
    }
    fields = {
        "status": Enrolment.Status.ACTIVE,
        "source": Enrolment.Source.ASSIGNMENT,
        "decided_by": assigned_by,
        "withdrawn_at": None,
    }
    for enrolment in existing.values():
        for name, value in fields.items():
            setattr(enrolment, name, value)
        enrolment.due_date = due_dates[enrolment.user_id]
        enrolment.enrolled_at = enrolment.enrolled_at or now
    Enrolment.objects.bulk_update(
        existing.values(), ["status", "source", "decided_by", "withdrawn_at", "due_date", "enrolled_at"]
    )
    created = Enrolment.objects.bulk_create(
        [
            Enrolment(
                user=user,
                course=course,
                due_date=due_dates[user.pk],
                enrolled_at=now,
                requested_at=now,
                **fields,
            )
            for user in users
            if user.pk not in existing
        ]
    )
    if created:  # bulk_create sends no post_save: the event says it instead
        transaction.on_commit(lambda: enrolments_created.send(sender=Enrolment, enrolments=created))
    return {**existing, **{enrolment.user_id: enrolment for enrolment in created}}


def _enrolment_needs(
    *, course: CoursePage, users: list[User], due_date: dt.date
) -> tuple[dict[int, Enrolment], dict[int, dt.date]]:
    """For these people: the completions that count for a course due on `due_date`, and the
    due date each of the others' assigned enrolment gets (an earlier one already set stays)."""
    ids = [user.pk for user in users]
    counted: dict[int, Enrolment] = {}
    completions = Enrolment.objects.filter(course=course, user_id__in=ids, status=Enrolment.Status.COMPLETED)
    for enrolment in completions.order_by("user_id", "-completed_at"):
        if enrolment.user_id not in counted and _completion_counts(
            completed_at=enrolment.completed_at, course=course, due_date=due_date
        ):
            counted[enrolment.user_id] = enrolment
    earlier_due = dict(
        Enrolment.objects.filter(
            course=course,
            user_id__in=ids,
            source=Enrolment.Source.ASSIGNMENT,
            status__in=OPEN_STATUSES,
            due_date__lt=due_date,
        ).values_list("user_id", "due_date")
    )
    due_dates = {user.pk: earlier_due.get(user.pk, due_date) for user in users if user.pk not in counted}
    return counted, due_dates


def _members_add(*, assignment: Assignment, users: Iterable[User], due_date: dt.date) -> int:
    """Members and their enrolments for many people, a thousand at a time, in bulk. Bulk writes
    send no signals: analytics counts a new assignment's members when it sees the assignment
    saved (analytics.signals)."""
    added = 0
    for batch in _batches(users):
        counted, due_dates = _enrolment_needs(course=assignment.course, users=batch, due_date=due_date)
        enrolments = _enrolments_assign(
            users=[user for user in batch if user.pk in due_dates],
            course=assignment.course,
            assigned_by=assignment.created_by,
            due_dates=due_dates,
        )
        AssignmentMember.objects.bulk_create(
            [
                AssignmentMember(
                    assignment=assignment,
                    user=user,
                    enrolment=counted.get(user.pk) or enrolments[user.pk],
                    due_date=due_date,
                )
                for user in batch
            ]
        )
        added += len(batch)
    return added


def _unit_and_ancestor_paths(unit: OrganisationUnit) -> list[str]:
    step = OrganisationUnit.steplen
    return [unit.path[:end] for end in range(step, len(unit.path) + 1, step)]


@transaction.atomic
def assignment_apply_to_person(*, user: User, today: dt.date | None = None) -> list[AssignmentMember]:
    """Add a person to every active assignment that takes new staff, covers them now, has not
    passed its due date and does not have them yet (see the module's rules for the due date).
    Called after a learner profile is created or changes unit, position type, role group or
    employment type (assignments.signals)."""
    today = today or timezone.localdate()
    profile = LearnerProfile.objects.select_related("unit").filter(user=user).first()
    if profile is None or not user.is_active:
        return []
    candidates = (
        Assignment.objects.filter(
            is_active=True,
            includes_new_staff=True,
            due_date__gte=today,
            unit__path__in=_unit_and_ancestor_paths(profile.unit),
            people__isnull=True,
        )
        .filter(Q(position_type="") | Q(position_type=profile.position_type))
        .filter(Q(role_group__isnull=True) | Q(role_group_id=profile.role_group_id))
        .filter(Q(employment_type="") | Q(employment_type=profile.employment_type))
        .exclude(members__user=user)
        .select_related("course", "created_by")
        .order_by("pk")
    )
    added = []
    for assignment in candidates:
        due_date = max(assignment.due_date, today + dt.timedelta(days=NEW_ARRIVAL_MINIMUM_DAYS))
        counted, due_dates = _enrolment_needs(course=assignment.course, users=[user], due_date=due_date)
        # One person: the courses service itself, and saves that send their signals.
        enrolment = counted.get(user.pk) or enrolment_assign(
            user=user,
            course=assignment.course,
            assigned_by=assignment.created_by,
            due_date=due_dates[user.pk],
        )
        added.append(
            AssignmentMember.objects.create(
                assignment=assignment, user=user, enrolment=enrolment, due_date=due_date
            )
        )
    return added


@transaction.atomic
def assignment_deactivate(*, assignment: Assignment) -> Assignment:
    """Stop an assignment: nobody new joins it and its members get no more reminders. Its
    members and their enrolments stay (the courses stay assigned; compliance stays visible,
    and an overdue member still appears in their HR manager's digest)."""
    if assignment.is_active:
        assignment.is_active = False
        assignment.deactivated_at = timezone.now()
        assignment.save(update_fields=["is_active", "deactivated_at"])
    return assignment
