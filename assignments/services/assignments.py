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
- **Moving the due date** (`assignment_due_date_move`, an active assignment, not into the
  past). Members whose date was the assignment's follow it; a member given a later date of
  their own (a late arrival) keeps it unless the new date is later still. A member whose date
  moves gets reminders again from the new date. A completion that no longer counts on the new date
  (its validity ends before it) gives that member a new assigned enrolment, as above. An open
  assigned enrolment's due date becomes the earliest date of the members it counts for,
  except that a date set by something else (another assignment, a person's own extension, a
  cleared date) stays unless the move makes the enrolment due sooner. A lapsed completion is
  taken again only by active people still in the unit's subtree, and only while the course
  is live.
- **Nothing is taken away.** Someone who moves out of an assignment's scope stays a member
  with their enrolment (history and compliance stay true). Deactivating an assignment stops
  new arrivals and the learners' reminders; members and enrolments stay, and a member still
  overdue stays in their HR manager's digest (overdue is one rule: `courses.models.overdue_q`).
"""

import datetime as dt
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Min, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from assignments.models import Assignment, AssignmentMember
from assignments.selectors import assignment_audience
from courses.events import enrolments_created
from courses.models import OPEN_STATUSES, CoursePage, Enrolment
from courses.services.enrolment import enrolment_assign
from organisations.models import OrganisationUnit
from people.models import LearnerProfile, RoleGroup, User
from people.permissions import people_placed_in, visible_people, visible_units

logger = logging.getLogger(__name__)

NEW_ARRIVAL_MINIMUM_DAYS = 14
_BATCH = 1000


# Creating and applying -------------------------------------------------------------------


@dataclass(frozen=True)
class AssignmentScope:
    """Where an assignment may be made and whom it may name: a person's (`assignment_scope_of`:
    the units and people they manage) or an agency's HR system's through the API (its
    application's units and people, api.principals)."""

    units: QuerySet[OrganisationUnit]
    people: QuerySet[User]


def assignment_scope_of(person: User) -> AssignmentScope:
    return AssignmentScope(units=visible_units(person), people=visible_people(person))


def _assignment_check(
    *,
    scope: AssignmentScope,
    course: CoursePage,
    unit: OrganisationUnit,
    due_date: dt.date,
    people: list[User],
    today: dt.date,
) -> None:
    errors: dict[str, list[str]] = {}
    if not scope.units.filter(pk=unit.pk).exists():
        errors["unit"] = [_("You can assign courses only to the units you manage.")]
    if not CoursePage.objects.live().filter(pk=course.pk).exists():
        errors["course"] = [_("This course is not published. Choose a published course.")]
    if due_date < today:
        errors["due_date"] = [_("The due date has passed. Choose today or a later date.")]
    if people and "unit" not in errors:
        allowed = set(
            people_placed_in([unit.path], among=scope.people)
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
    created_by: User | None,
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
    scope: AssignmentScope | None = None,
    created_via: str = "",
) -> Assignment:
    """Assign a course to everyone it covers now (see the module's rules), in one transaction.

    Refused with a ValidationError naming the field when the unit is outside the creator's
    scope, the course is not live, the due date has passed or a named person is not among the
    people the creator manages in the unit. The scope is the creator's, unless an agency's HR
    system makes it with no person signed in: then its application's (`scope`), named in
    `created_via`."""
    today = today or timezone.localdate()
    people = list(people or [])
    if scope is None:
        if created_by is None:
            raise ValueError("an assignment needs a person who makes it, or a scope and created_via")
        scope = assignment_scope_of(created_by)
    _assignment_check(scope=scope, course=course, unit=unit, due_date=due_date, people=people, today=today)
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
        created_via=created_via[:255],
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
def assignment_due_date_move(
    *, assignment: Assignment, due_date: dt.date, today: dt.date | None = None
) -> Assignment:
    """Move an assignment's due date (see the module's rules). Refused with a ValidationError on
    `due_date` for a stopped assignment or a date in the past."""
    today = today or timezone.localdate()
    # of=("self",): PostgreSQL locks no row on the nullable side of the creator's outer join.
    assignment = (
        Assignment.objects.select_for_update(of=("self",))
        .select_related("course", "unit", "created_by")
        .get(pk=assignment.pk)
    )
    if not assignment.is_active:
        raise ValidationError({"due_date": [_("A stopped assignment's due date cannot be moved.")]})
    if due_date < today:
        raise ValidationError({"due_date": [_("The due date has passed. Choose today or a later date.")]})
    old = assignment.due_date
    if due_date == old:
        return assignment
    assignment.due_date = due_date
    assignment.save(update_fields=["due_date"])  # analytics recounts its members (analytics.signals)
    members = list(assignment.members.select_related("enrolment", "user"))
    old_dates = {member.pk: member.due_date for member in members}
    for member in members:
        member.due_date = due_date if member.due_date == old else max(due_date, member.due_date)
        if member.due_date != old_dates[member.pk]:
            member.reminder_point = None  # the schedule starts again from the new date
    AssignmentMember.objects.bulk_update(members, ["due_date", "reminder_point"], batch_size=_BATCH)
    _members_retake_lapsed(assignment=assignment, members=members)
    _enrolment_due_dates_follow(members=members, old_dates=old_dates)
    return assignment


def _members_retake_lapsed(*, assignment: Assignment, members: list[AssignmentMember]) -> None:
    """Members whose completion no longer counts on their new due date get a new assigned
    enrolment (or a later completion that does count): only active people still in the
    assignment's unit or below it, and only while the course is live (anyone else keeps the
    record as it is, as when they moved away)."""
    course = assignment.course
    lapsed = [
        member
        for member in members
        if member.enrolment is not None
        and member.enrolment.status == Enrolment.Status.COMPLETED
        and not _completion_counts(
            completed_at=member.enrolment.completed_at, course=course, due_date=member.due_date
        )
    ]
    if not lapsed or not CoursePage.objects.live().filter(pk=course.pk).exists():
        return
    still_covered = set(
        people_placed_in(
            [assignment.unit.path],
            among=User.objects.filter(pk__in=[member.user_id for member in lapsed], is_active=True),
        ).values_list("pk", flat=True)
    )
    lapsed = [member for member in lapsed if member.user_id in still_covered]
    by_date: dict[dt.date, list[AssignmentMember]] = {}
    for member in lapsed:
        by_date.setdefault(member.due_date, []).append(member)
    for member_due, group in by_date.items():
        users = [member.user for member in group]
        counted, due_dates = _enrolment_needs(course=course, users=users, due_date=member_due)
        enrolments = _enrolments_assign(
            users=[user for user in users if user.pk in due_dates],
            course=course,
            assigned_by=assignment.created_by,
            due_dates=due_dates,
        )
        for member in group:
            member.enrolment = counted.get(member.user_id) or enrolments[member.user_id]
        AssignmentMember.objects.bulk_update(group, ["enrolment"], batch_size=_BATCH)


def _enrolment_due_dates_follow(*, members: list[AssignmentMember], old_dates: dict[int, dt.date]) -> None:
    ids = {member.enrolment_id for member in members if member.enrolment_id}
    earliest = dict(
        AssignmentMember.objects.filter(enrolment_id__in=ids)
        .values("enrolment_id")
        .annotate(earliest=Min("due_date"))
        .values_list("enrolment_id", "earliest")
    )
    old_by_enrolment = {
        member.enrolment_id: old_dates[member.pk] for member in members if member.enrolment_id
    }
    changed = []
    for enrolment in Enrolment.objects.select_for_update().filter(
        pk__in=ids, source=Enrolment.Source.ASSIGNMENT, status__in=OPEN_STATUSES
    ):
        if enrolment.due_date is None:
            continue  # cleared for this person on purpose
        # A date that is not this assignment's was set elsewhere (another assignment, a
        # person's own extension): it stays, unless the move makes the enrolment due sooner.
        set_elsewhere = enrolment.due_date != old_by_enrolment[enrolment.pk]
        wanted = min(enrolment.due_date, earliest[enrolment.pk]) if set_elsewhere else earliest[enrolment.pk]
        if enrolment.due_date != wanted:
            enrolment.due_date = wanted
            changed.append(enrolment)
    # Bulk writes send no signals: the assignment's save above queued its members for analytics.
    Enrolment.objects.bulk_update(changed, ["due_date"], batch_size=_BATCH)


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
