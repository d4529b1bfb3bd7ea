"""Course assignments by agencies: who must take which course by when, and the reminders.

An `Assignment` names a course, a due date and who it is for: the people in a unit's
subtree, narrowed by position type, role group or employment type, or listed people. Every
matching person, now or arriving later, gets an assigned enrolment and an
`AssignmentMember` row; compliance is counted from those rows.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from people.civil_service import EmploymentType, PositionType


class Assignment(models.Model):
    course = models.ForeignKey(
        "courses.CoursePage", on_delete=models.PROTECT, related_name="assignments", verbose_name=_("course")
    )
    campaign = models.CharField(
        _("campaign"),
        max_length=255,
        blank=True,
        help_text=_("A name people will recognise, e.g. “PDPA for all staff by 30 September”."),
    )
    unit = models.ForeignKey(
        "organisations.OrganisationUnit",
        on_delete=models.PROTECT,
        related_name="assignments",
        verbose_name=_("organisation unit"),
        help_text=_("The assignment covers this unit and every unit below it."),
    )
    position_type = models.CharField(
        _("position type"), max_length=32, choices=PositionType.choices, blank=True
    )
    role_group = models.ForeignKey(
        "people.RoleGroup",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assignments",
        verbose_name=_("role group"),
    )
    employment_type = models.CharField(
        _("employment type"), max_length=32, choices=EmploymentType.choices, blank=True
    )
    people = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="+",
        verbose_name=_("named people"),
        help_text=_("If you name people, only they are assigned (within the unit)."),
    )
    due_date = models.DateField(_("due"))
    is_mandatory = models.BooleanField(_("mandatory"), default=True)
    includes_new_staff = models.BooleanField(
        _("include people who join later"),
        default=True,
        help_text=_("People who arrive in the unit later and match are assigned too."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    deactivated_at = models.DateTimeField(_("deactivated"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("by")
    )
    # An agency's HR system made it through the API with no person signed in: its name.
    created_via = models.CharField(_("made by the application"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        indexes = [models.Index(fields=["is_active", "due_date"])]

    def __str__(self) -> str:
        return self.campaign or str(self.course)


def completed_on_time_q(*, through: str = "") -> Q:
    """**The one definition of "completed on time"** for an assignment member (`through` is
    the path to the member, e.g. "members__" from an Assignment): the enrolment that counts is
    completed, on or before the member's own due date (the Bangkok day of completion). It is
    what assignment compliance and the dashboards' "mandatory training done on time" count."""
    return Q(
        **{
            f"{through}enrolment__status": "completed",
            f"{through}enrolment__completed_at__date__lte": F(f"{through}due_date"),
        }
    )


class AssignmentMember(models.Model):
    """One person covered by an assignment, and the enrolment it gave them.

    `due_date` is this person's own deadline: the assignment's, or later for someone who
    arrived close to it (assignments.services.assignments). `enrolment` is the enrolment that counts: a
    completion still valid on the due date, or the open (assigned) enrolment. `reminder_point`
    is the last point of the reminder schedule already e-mailed (assignments.services.reminders)."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assignments")
    enrolment = models.ForeignKey(
        "courses.Enrolment",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assignment_members",
    )
    assigned_at = models.DateTimeField(default=timezone.now)
    due_date = models.DateField(_("due"))
    reminder_point = models.SmallIntegerField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assignment", "user"], name="unique_assignment_member")
        ]
        indexes = [models.Index(fields=["user"]), models.Index(fields=["due_date"])]

    def __str__(self) -> str:
        return f"{self.user} · {self.assignment}"


class ReminderPreference(models.Model):
    """How a person wants to hear about their assignments."""

    class Frequency(models.TextChoices):
        DAILY = "daily", _("A daily digest when something is due or overdue")
        WEEKLY = "weekly", _("A weekly digest (Mondays)")
        NONE = "none", _("No reminder e-mails")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminder_preference"
    )
    frequency = models.CharField(
        _("reminders"), max_length=16, choices=Frequency.choices, default=Frequency.DAILY
    )
    manager_digest = models.BooleanField(
        _("as an HR manager, send me a digest of overdue staff"), default=True
    )

    def __str__(self) -> str:
        return f"{self.user}: {self.frequency}"


class ReminderSent(models.Model):
    """One digest sent to one person on one day: reminders never repeat within a day."""

    class Kind(models.TextChoices):
        LEARNER = "learner", _("Learner digest")
        MANAGER = "manager", _("Manager digest")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    sent_on = models.DateField()
    items = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind", "sent_on"], name="one_digest_per_day")]

    def __str__(self) -> str:
        return f"{self.kind} digest to {self.user} on {self.sent_on}"
