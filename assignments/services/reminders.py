"""Assignment reminders: the learner's and the HR manager's digest e-mails, and how a person
wants to hear about their assignments.

Reminders (`reminders_send`, every hour from 08:00 Bangkok time; at most one learner digest
and one manager digest per person per day, recorded in `ReminderSent`):

- **Learner digest**, for open assigned enrolments of active assignments. Reminder points
  (`reminder_point_for`): 7 days before the due date (reached any day from 7 to 2 days
  before), 1 day before, on the day, then once a week while overdue (1, 8, 15 … days late).
  Each point is e-mailed once (`AssignmentMember.reminder_point`); a person added 5 days
  before the due date gets the 7-day reminder at once, not also a missed one. With the
  daily preference (the default) a digest goes out on a day when at least one course
  reaches a new point and lists those courses; with the weekly preference it goes out on
  Mondays and lists every assigned course due within 7 days or overdue; with "none",
  never. Inactive people get nothing; completed courses are never listed.
- **Manager digest**, for HR managers who have not turned it off: their overdue staff (only
  people `people.permissions.visible_people` lets them see; overdue is
  `Enrolment.objects.overdue`, the rule every dashboard and page counts), grouped by unit. Sent on
  Mondays when anyone is overdue, and on other days only when someone has become overdue
  since the manager's previous digest (new overdue people are marked).
- Both are sent in the recipient's preferred language (Thai unless they chose English),
  with plain-text and HTML parts and absolute links (settings.WAGTAILADMIN_BASE_URL).
"""

import datetime as dt
import logging
import smtplib
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from assignments.models import AssignmentMember, ReminderPreference, ReminderSent
from courses.models import OPEN_STATUSES, Enrolment
from people.models import Role, User
from people.permissions import visible_people

logger = logging.getLogger(__name__)

DUE_SOON_DAYS = 7
REMINDER_START_HOUR = 8  # Bangkok time
MONDAY = 0
MANAGER_DIGEST_MAX_LINES = 200


def reminder_preference_set(*, user: User, frequency: str, manager_digest: bool) -> ReminderPreference:
    """Remember how a person wants to hear about their assignments."""
    if frequency not in ReminderPreference.Frequency.values:
        raise ValidationError({"frequency": _("Choose how often you want reminders.")})
    preference, _created = ReminderPreference.objects.update_or_create(
        user=user, defaults={"frequency": frequency, "manager_digest": manager_digest}
    )
    return preference


@dataclass(frozen=True)
class RemindersSent:
    learner_digests: int
    manager_digests: int


@dataclass(frozen=True)
class DigestItem:
    """One assigned course in a learner's digest."""

    title: str
    due_date: dt.date
    days_left: int  # negative when overdue
    url: str

    @property
    def days_late(self) -> int:
        return -self.days_left


def reminder_point_for(days_left: int) -> int | None:
    """The point of the reminder schedule a course has reached, None before it.

    7 (from 7 to 2 days before), 1 (the day before), 0 (the day itself), then -1 for the
    first week overdue (1–7 days late), -2 for the second (8–14) and so on."""
    if days_left > DUE_SOON_DAYS:
        return None
    if days_left >= 2:
        return DUE_SOON_DAYS
    if days_left >= 0:
        return days_left
    return -1 - (-days_left - 1) // 7


def reminders_send(*, now: dt.datetime | None = None) -> RemindersSent:
    """Send the learner and manager digests that are due (see the module's rules). Does
    nothing before 08:00 Bangkok time; safe to run every hour and from several workers."""
    local = timezone.localtime(now or timezone.now())
    if local.hour < REMINDER_START_HOUR:
        return RemindersSent(learner_digests=0, manager_digests=0)
    today = local.date()
    return RemindersSent(
        learner_digests=_learner_digests_send(today=today),
        manager_digests=_manager_digests_send(today=today),
    )


def _absolute_url(path: str) -> str:
    if path.startswith(("http://", "https://")):
        return path
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def _language_of(user: User) -> str:
    return user.preferred_language or settings.LANGUAGE_CODE


def _digest_send(*, user: User, template: str, context: dict) -> None:
    """One e-mail in the recipient's language, with plain-text and HTML parts."""
    with translation.override(_language_of(user)):
        context = {**context, "recipient": user, "account_url": _absolute_url(reverse("account:profile"))}
        subject = " ".join(render_to_string(f"assignments/email/{template}_subject.txt", context).split())
        text = render_to_string(f"assignments/email/{template}.txt", context)
        html = render_to_string(f"assignments/email/{template}.html", context)
    message = EmailMultiAlternatives(subject, text, None, [user.email])
    message.attach_alternative(html, "text/html")
    message.send()


def _sent_today(*, kind: str, today: dt.date) -> QuerySet[ReminderSent, dict[str, Any]]:
    return ReminderSent.objects.filter(kind=kind, sent_on=today).values("user")


def _claim(*, user: User, kind: str, today: dt.date, items: int) -> bool:
    """Record today's digest; False if one was already recorded (another worker, an earlier run)."""
    try:
        with transaction.atomic():
            ReminderSent.objects.create(user=user, kind=kind, sent_on=today, items=items)
    except IntegrityError:
        return False
    return True


def _learner_digests_send(*, today: dt.date) -> int:
    members = (
        AssignmentMember.objects.filter(
            assignment__is_active=True,
            user__is_active=True,
            enrolment__status__in=OPEN_STATUSES,
            due_date__lte=today + dt.timedelta(days=DUE_SOON_DAYS),
        )
        .exclude(user__reminder_preference__frequency=ReminderPreference.Frequency.NONE)
        .exclude(user__in=_sent_today(kind=ReminderSent.Kind.LEARNER, today=today))
        .select_related("user", "user__reminder_preference", "enrolment__course")
        .order_by("user_id", "due_date", "pk")
    )
    by_user: dict[int, list[AssignmentMember]] = defaultdict(list)
    for member in members:
        by_user[member.user_id].append(member)
    sent = 0
    for user_members in by_user.values():
        if _learner_digest_send(members=user_members, today=today):
            sent += 1
    return sent


def _learner_digest_send(*, members: list[AssignmentMember], today: dt.date) -> bool:
    user = members[0].user
    preference = getattr(user, "reminder_preference", None)
    weekly = preference is not None and preference.frequency == ReminderPreference.Frequency.WEEKLY
    if weekly and today.weekday() != MONDAY:
        return False
    by_enrolment: dict[int, list[AssignmentMember]] = defaultdict(list)
    for member in members:
        by_enrolment[member.enrolment_id].append(member)
    chosen: list[tuple[Enrolment, dt.date, list[AssignmentMember]]] = []
    for enrolment_members in by_enrolment.values():
        # Two assignments of one course share the enrolment: the earlier due date counts.
        due_date = min(member.due_date for member in enrolment_members)
        point = reminder_point_for((due_date - today).days)
        already = {member.reminder_point for member in enrolment_members}
        if weekly or point not in already:
            chosen.append((enrolment_members[0].enrolment, due_date, enrolment_members))
    if not chosen:
        return False
    try:
        with transaction.atomic():
            if not _claim(user=user, kind=ReminderSent.Kind.LEARNER, today=today, items=len(chosen)):
                return False
            for _enrolment, due_date, enrolment_members in chosen:
                AssignmentMember.objects.filter(pk__in=[m.pk for m in enrolment_members]).update(
                    reminder_point=reminder_point_for((due_date - today).days)
                )
            with translation.override(_language_of(user)):
                items = [
                    DigestItem(
                        title=enrolment.course.display_title,
                        due_date=due_date,
                        days_left=(due_date - today).days,
                        url=_absolute_url(enrolment.course.url or "/"),
                    )
                    for enrolment, due_date, _members in sorted(chosen, key=lambda entry: entry[1])
                ]
            _digest_send(
                user=user,
                template="learner_digest",
                context={
                    "overdue": [item for item in items if item.days_left < 0],
                    "due_today": [item for item in items if item.days_left == 0],
                    "due_soon": [item for item in items if item.days_left > 0],
                    "count": len(items),
                    "my_learning_url": _absolute_url(reverse("learning:my-learning")),
                },
            )
    except (smtplib.SMTPException, OSError):
        # Nothing was recorded: the next hourly run tries again.
        logger.exception("Could not send the assignment digest to user %s", user.pk)
        return False
    return True


@dataclass(frozen=True)
class OverduePerson:
    name: str
    email: str
    course: str
    due_date: dt.date
    days_late: int
    is_new: bool


@dataclass(frozen=True)
class OverdueUnit:
    name: str
    people: list[OverduePerson]


def _manager_digests_send(*, today: dt.date) -> int:
    managers = (
        User.objects.filter(is_active=True, role_assignments__role=Role.HR_MANAGER)
        .exclude(reminder_preference__manager_digest=False)
        .exclude(pk__in=_sent_today(kind=ReminderSent.Kind.MANAGER, today=today))
        .distinct()
        .order_by("pk")
    )
    return sum(1 for manager in managers if _manager_digest_send(manager=manager, today=today))


def _manager_digest_send(*, manager: User, today: dt.date) -> bool:
    overdue = Enrolment.objects.overdue(on=today).filter(user__in=visible_people(manager))
    if not overdue.exists():
        return False
    previous = (
        ReminderSent.objects.filter(user=manager, kind=ReminderSent.Kind.MANAGER)
        .order_by("-sent_on")
        .values_list("sent_on", flat=True)
        .first()
    )
    # Someone whose due date is on or after the previous digest became overdue since it.
    is_new = Q(due_date__gte=previous) if previous else Q()
    if today.weekday() != MONDAY and not overdue.filter(is_new).exists():
        return False
    # Counted in the database; only the lines the e-mail shows are loaded (a ministry's HR
    # manager may have thousands of overdue lines).
    people_count = overdue.values("user_id").distinct().count()
    line_count = overdue.count()
    new_count = overdue.filter(is_new).values("user_id").distinct().count() if previous else 0
    rows = list(
        overdue.select_related("user", "user__profile__unit", "course").order_by(
            "user__profile__unit__path", "user__first_name", "user__last_name", "due_date"
        )[:MANAGER_DIGEST_MAX_LINES]
    )
    try:
        with transaction.atomic():
            if not _claim(user=manager, kind=ReminderSent.Kind.MANAGER, today=today, items=people_count):
                return False
            with translation.override(_language_of(manager)):
                units = _overdue_units(rows=rows, today=today, previous=previous)
            _digest_send(
                user=manager,
                template="manager_digest",
                context={
                    "units": units,
                    "people_count": people_count,
                    "shown_count": sum(len(unit.people) for unit in units),
                    "line_count": line_count,
                    "new_count": new_count,
                    "dashboard_url": _absolute_url(reverse("assignments:list")),
                },
            )
    except (smtplib.SMTPException, OSError):
        logger.exception("Could not send the manager digest to user %s", manager.pk)
        return False
    return True


def _overdue_units(*, rows: list[Enrolment], today: dt.date, previous: dt.date | None) -> list[OverdueUnit]:
    """Overdue staff grouped by unit (tree order), at most MANAGER_DIGEST_MAX_LINES lines."""
    units: dict[int | None, OverdueUnit] = {}
    for row in rows[:MANAGER_DIGEST_MAX_LINES]:
        profile = getattr(row.user, "profile", None)
        unit = profile.unit if profile else None
        key = unit.pk if unit else None
        if key not in units:
            units[key] = OverdueUnit(name=unit.name if unit else _("No organisation unit"), people=[])
        units[key].people.append(
            OverduePerson(
                name=row.user.full_name(),
                email=row.user.email,
                course=row.course.display_title,
                due_date=row.due_date,
                days_late=(today - row.due_date).days,
                is_new=previous is not None and row.due_date >= previous,
            )
        )
    return list(units.values())
