"""What completing a course shows about a person's competencies.

Courses sits above competencies: it knows which competencies a course targets and calls
competencies' one writer of evidence (`competencies.services.evidence.evidence_record`). The
write runs after the completion commits, through competencies' retried task
(`CourseCompletionEvidence`, registered in wagtail_hooks.py; queued by courses/signals.py on
`course_completed`).
"""

import datetime as dt

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from competencies.evidence_sources import EvidenceSource, evidence_recorded, evidence_reference
from competencies.models import CompetencyEvidence
from competencies.services.evidence import evidence_record
from courses.models import CourseCompetencyTarget, Enrolment

ENROLMENT = "enrolment"  # evidence_reference(ENROLMENT, pk): one completion's evidence


def enrolment_reference(enrolment_id: int) -> str:
    """The reference every evidence row of one completion carries."""
    return evidence_reference(ENROLMENT, enrolment_id)


@transaction.atomic
def course_evidence_record(*, enrolment: Enrolment) -> list[CompetencyEvidence]:
    """Record what completing a course shows: each competency the course targets, at the level
    it targets, achieved on the day of completion (Bangkok time) and valid for the course's
    `validity_months` (for good when empty). One row per target, however often it is called.
    An enrolment no longer completed (the write runs later, in a task) shows nothing."""
    if enrolment.status != Enrolment.Status.COMPLETED or enrolment.completed_at is None:
        return []
    course = enrolment.course
    achieved_on = timezone.localtime(enrolment.completed_at).date()
    valid_until = course.completion_valid_until(achieved_on)
    targets = course.competency_targets.filter(competency__isnull=False).select_related("competency")
    return [
        evidence_record(
            user=enrolment.user,
            node=target.competency,
            level=target.target_level,
            source=CompetencyEvidence.Source.COURSE,
            reference=enrolment_reference(enrolment.pk),
            achieved_on=achieved_on,
            valid_until=valid_until,
            course=course,
        )
        for target in targets
    ]


def enrolments_without_evidence(*, since: dt.datetime | None = None) -> list[int]:
    """Enrolments completed since `since` (ever, for None) in courses that target a framework
    competency, with no evidence recorded for the completion at all (the write is all or
    nothing, so one row means done)."""
    targeted = CourseCompetencyTarget.objects.filter(
        course_id=OuterRef("course_id"), competency__isnull=False
    )
    completed = Enrolment.objects.filter(status=Enrolment.Status.COMPLETED, completed_at__isnull=False)
    if since is not None:
        completed = completed.filter(completed_at__gte=since)
    return list(
        completed.filter(Exists(targeted))
        .exclude(evidence_recorded(source=CompetencyEvidence.Source.COURSE, prefix=ENROLMENT))
        .order_by("completed_at")
        .values_list("pk", flat=True)
    )


class CourseCompletionEvidence(EvidenceSource):
    name = "course"

    def record(self, *, object_id: int) -> list[CompetencyEvidence]:
        enrolment = Enrolment.objects.select_related("course", "user").get(pk=object_id)
        return course_evidence_record(enrolment=enrolment)

    def missing(self, *, since: dt.datetime | None) -> list[int]:
        return enrolments_without_evidence(since=since)
