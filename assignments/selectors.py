"""Reads about assignments: who an assignment covers, what a viewer may see, compliance.

Compliance of an assignment is counted from its members (`AssignmentMember`), each against
their own due date:

- members: everyone the assignment ever covered (people who moved away stay counted);
- completed: the member's enrolment is completed (a completion counted when they were
  assigned included);
- completed on time: completed on or before the member's due date (Bangkok dates);
- overdue: the member's enrolment is overdue (`courses.models.overdue_q`, the one rule:
  assigned, still to be done, its due date passed, the person's account active);
- percent: completed / members.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from assignments.models import Assignment, AssignmentMember, ReminderPreference, completed_on_time_q
from courses.models import Enrolment, overdue_q
from organisations.models import OrganisationUnit
from people.models import RoleGroup, User
from people.permissions import people_placed_in, visible_units

COMPLETED = Enrolment.Status.COMPLETED
NOT_COMPLETED = [status for status in Enrolment.Status.values if status != COMPLETED]


@dataclass(frozen=True)
class Compliance:
    members: int
    completed: int
    on_time: int
    overdue: int

    @property
    def percent(self) -> int | None:
        """Completed as a whole percentage of members (None when nobody is covered)."""
        if not self.members:
            return None
        return round(100 * self.completed / self.members)


def assignment_audience(
    *,
    unit: OrganisationUnit,
    position_type: str = "",
    role_group: RoleGroup | None = None,
    employment_type: str = "",
    people: list[User] | None = None,
) -> QuerySet[User]:
    """Active people an assignment with these settings covers now: their learner profile sits
    in the unit's subtree and matches every filter given; if people are named, only they."""
    audience = people_placed_in([unit.path]).filter(is_active=True)
    if position_type:
        audience = audience.filter(profile__position_type=position_type)
    if role_group is not None:
        audience = audience.filter(profile__role_group=role_group)
    if employment_type:
        audience = audience.filter(profile__employment_type=employment_type)
    if people:
        audience = audience.filter(pk__in=[person.pk for person in people])
    return audience


def assignments_visible(*, viewer: User) -> QuerySet[Assignment]:
    """Assignments of the units this person may see (people.permissions.visible_units)."""
    return Assignment.objects.filter(unit__in=visible_units(viewer))


def _compliance_counts(today: dt.date) -> dict:
    completed = Q(members__enrolment__status=COMPLETED)
    return {
        "member_count": Count("members", distinct=True),
        "completed_count": Count("members", filter=completed, distinct=True),
        "on_time_count": Count(
            "members",
            filter=completed_on_time_q(through="members__"),
            distinct=True,
        ),
        "overdue_count": Count(
            "members", filter=overdue_q(on=today, through="members__enrolment__"), distinct=True
        ),
    }


def _compliance_of(assignment: Assignment) -> Compliance:
    return Compliance(
        members=assignment.member_count,
        completed=assignment.completed_count,
        on_time=assignment.on_time_count,
        overdue=assignment.overdue_count,
    )


def assignments_with_compliance(
    *, viewer: User, today: dt.date | None = None
) -> list[tuple[Assignment, Compliance]]:
    """The viewer's assignments, newest first, each with its compliance (one query)."""
    today = today or timezone.localdate()
    assignments = (
        assignments_visible(viewer=viewer)
        .select_related("course", "unit", "role_group")
        .annotate(**_compliance_counts(today))
        .order_by("-created_at")
    )
    return [(assignment, _compliance_of(assignment)) for assignment in assignments]


def assignment_compliance(*, assignment: Assignment, today: dt.date | None = None) -> Compliance:
    today = today or timezone.localdate()
    counted = Assignment.objects.filter(pk=assignment.pk).annotate(**_compliance_counts(today)).get()
    return _compliance_of(counted)


class MemberFilter:
    ALL = ""
    OVERDUE = "overdue"
    COMPLETED = "completed"
    OPEN = "open"


def assignment_members(
    *, assignment: Assignment, show: str = MemberFilter.ALL, today: dt.date | None = None
) -> QuerySet[AssignmentMember]:
    """An assignment's members for its detail page, overdue first then by due date and name."""
    today = today or timezone.localdate()
    members = AssignmentMember.objects.filter(assignment=assignment).select_related(
        "user", "user__profile__unit", "enrolment__user"
    )
    not_completed = Q(enrolment__isnull=True) | Q(enrolment__status__in=NOT_COMPLETED)
    if show == MemberFilter.OVERDUE:
        members = members.filter(overdue_q(on=today, through="enrolment__"))
    elif show == MemberFilter.COMPLETED:
        members = members.filter(enrolment__status=COMPLETED)
    elif show == MemberFilter.OPEN:
        members = members.filter(not_completed)
    return members.order_by("due_date", "user__first_name", "user__last_name", "user__email")


def reminder_preference_of(*, user: User) -> ReminderPreference:
    """The person's reminder preference; the default (daily, manager digest on) if never set."""
    return ReminderPreference.objects.filter(user=user).first() or ReminderPreference(user=user)
