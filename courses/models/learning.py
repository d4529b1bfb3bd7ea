"""What learners do: enrolments, lesson progress, and the learning-hours ledger."""

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def overdue_q(*, on: dt.date, through: str = "") -> Q:
    """**The one definition of "overdue"**, as a filter on enrolments (`through` is the path
    to the enrolment from another model, e.g. "enrolment__" from an AssignmentMember).

    An enrolment is overdue on the Bangkok calendar day `on` when all of these hold:

    - it was **assigned** by an agency (source "assignment"): a due date an administrator
      typed on a self-enrolment is a reminder to the learner, not a deadline HR counts;
    - it is **still to be done**: active or waiting for approval. A completed course is not
      overdue, even if completed late (that is "compliance", counted on time or not); a
      withdrawn or rejected enrolment is not (only the agency can withdraw an assigned one);
    - its **due date is before `on`**: a course due today is not overdue until tomorrow;
      no due date, never overdue;
    - the **person's account is active**: people who left the service are not chased.

    Deactivating the assignment does not change it: the course stays assigned with its due
    date (assignments.services.assignments). Every view, export, e-mail and figure uses this, through
    `Enrolment.objects.overdue(on=...)`, this Q with `through`, or `Enrolment.is_overdue_on`
    (the same rule on one loaded enrolment)."""
    return Q(
        **{
            f"{through}source": "assignment",
            f"{through}status__in": OPEN_STATUSES,
            f"{through}due_date__lt": on,
            f"{through}user__is_active": True,
        }
    )


class EnrolmentQuerySet(models.QuerySet):
    def overdue(self, *, on: dt.date | None = None) -> "EnrolmentQuerySet":
        """Enrolments overdue on `on` (default: today in Bangkok); the rule is `overdue_q`."""
        return self.filter(overdue_q(on=on or timezone.localdate()))

    def in_progress(self) -> "EnrolmentQuerySet":
        """Admitted and not finished (status active): what completion is evaluated on, and
        what carries a learner into a new fiscal year as an active learner."""
        return self.filter(status=Enrolment.Status.ACTIVE)

    def not_completed(self) -> "EnrolmentQuerySet":
        """The row a person has at most one of per course (constraint
        `one_open_enrolment_per_course`): pending, active, withdrawn or rejected. Asking to
        join, being assigned or coming back reuses it, with its progress."""
        return self.exclude(status=Enrolment.Status.COMPLETED)


class Enrolment(models.Model):
    """A person taking a course, from request or assignment to completion.

    One enrolment per person and course is open at a time (pending, active, withdrawn or
    rejected); a completed enrolment is kept for good, and taking the course again after it
    expires is a new enrolment."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for approval")
        ACTIVE = "active", _("In progress")
        COMPLETED = "completed", _("Completed")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        REJECTED = "rejected", _("Not approved")

    class Source(models.TextChoices):
        SELF = "self", _("Enrolled themselves")
        APPROVAL = "approval", _("Approved request")
        ASSIGNMENT = "assignment", _("Assigned")
        ADMIN = "admin", _("Enrolled by an administrator")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="enrolments",
        verbose_name=_("learner"),
    )
    course = models.ForeignKey(
        "courses.CoursePage", on_delete=models.PROTECT, related_name="enrolments", verbose_name=_("course")
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.ACTIVE)
    source = models.CharField(_("how enrolled"), max_length=16, choices=Source.choices, default=Source.SELF)
    requested_at = models.DateTimeField(_("requested"), default=timezone.now)
    enrolled_at = models.DateTimeField(_("enrolled"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved or assigned by"),
    )
    due_date = models.DateField(_("due"), null=True, blank=True)
    last_lesson = models.ForeignKey(
        "courses.LessonPage", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    last_activity_at = models.DateTimeField(_("last activity"), null=True, blank=True)
    progress_percent = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    score = models.DecimalField(
        _("post-test score (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    objects = EnrolmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "course"],
                condition=~Q(status="completed"),
                name="one_open_enrolment_per_course",
            ),
            models.CheckConstraint(
                name="completed_enrolment_has_date",
                condition=~Q(status="completed") | Q(completed_at__isnull=False),
            ),
        ]
        indexes = [
            models.Index(fields=["user", "status"]),
            models.Index(fields=["course", "status"]),
            # The dashboards' overdue list and the overdue counts: assigned, open, by due date.
            models.Index(
                fields=["due_date"],
                condition=Q(source="assignment", status__in=["active", "pending"]),
                name="enrolment_assigned_open_due",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.course}"

    @property
    def is_open_for_learning(self) -> bool:
        """Whether the learner may open its lessons: see LEARNING_STATUSES."""
        return self.status in LEARNING_STATUSES

    @property
    def is_overdue(self) -> bool:
        """Overdue today in Bangkok: `is_overdue_on(today)`."""
        return self.is_overdue_on(timezone.localdate())

    def is_overdue_on(self, on: dt.date) -> bool:
        """`overdue_q` on this one enrolment, without a query: assigned, active or pending,
        due before `on`, the person's account active (courses.tests prove the two agree)."""
        return (
            self.source == self.Source.ASSIGNMENT
            and self.status in OPEN_STATUSES
            and self.due_date is not None
            and self.due_date < on
            and self.user.is_active
        )


# The enrolment statuses that mean something as a group; every module asks these.
OPEN_STATUSES = (Enrolment.Status.PENDING, Enrolment.Status.ACTIVE)
"""Open: waiting for approval or in progress, i.e. still to be done. One open enrolment per
person and course at a time (the constraint `one_open_enrolment_per_course` also counts
withdrawn and rejected ones, so that taking the course again reopens them)."""
LEARNING_STATUSES = (Enrolment.Status.ACTIVE, Enrolment.Status.COMPLETED)
"""Learning: the person may open the lessons and is counted an active learner (in progress,
or completed and free to revisit)."""


class LessonProgress(models.Model):
    """One learner's progress in one lesson, keyed to the lesson page, which keeps its
    identity through every revision. If a lesson is deleted the row stays (lesson empty) as
    a record of the work done; it no longer counts towards the course."""

    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", _("In progress")
        COMPLETED = "completed", _("Completed")

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="lesson_progress")
    lesson = models.ForeignKey(
        "courses.LessonPage", on_delete=models.SET_NULL, null=True, related_name="progress_records"
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.IN_PROGRESS)
    seconds_spent = models.PositiveIntegerField(default=0)
    reached_end = models.BooleanField(default=False)
    # Per activity block id, the state its block judges (courses.blocks.ActivityBlock).
    activities = models.JSONField(default=dict, blank=True)
    first_visited_at = models.DateTimeField(default=timezone.now)
    last_seen_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("lesson progress")
        verbose_name_plural = _("lesson progress")
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "lesson"], name="one_progress_per_lesson")
        ]

    def __str__(self) -> str:
        return f"{self.enrolment} · {self.lesson or '–'}"


class LearningHoursEntry(models.Model):
    """Hours credited to a learner for a completed course, in the fiscal year of completion.

    One entry per completed enrolment, so hours are never counted twice."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="learning_hours",
        verbose_name=_("learner"),
    )
    enrolment = models.OneToOneField(Enrolment, on_delete=models.CASCADE, related_name="hours_entry")
    course = models.ForeignKey("courses.CoursePage", on_delete=models.PROTECT, related_name="+")
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year (B.E.)"))
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=1)
    credited_at = models.DateTimeField(_("credited"))

    class Meta:
        verbose_name = _("learning hours")
        verbose_name_plural = _("learning hours")
        indexes = [models.Index(fields=["user", "fiscal_year"])]

    def __str__(self) -> str:
        return f"{self.user} · {self.fiscal_year} · {self.hours}"
