"""What completing a course shows about a person's competencies.

Courses sits above competencies: it knows which competencies a course targets and calls
competencies' one writer of evidence (`competencies.services.evidence.evidence_record`). The
write runs after the completion commits, through competencies' retried task
(`CourseCompletionEvidence`, registered in wagtail_hooks.py; queued by courses/signals.py on
`course_completed`).
"""

from django.db import transaction
from django.db.models import CharField, Exists, OuterRef, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from competencies.evidence_sources import EvidenceSource
from competencies.models import CompetencyEvidence
from competencies.services.evidence import evidence_record
from courses.models import CourseCompetencyTarget, Enrolment


def enrolment_reference(enrolment_id: int) -> str:
    """The reference every evidence row of one completion carries."""
    return f"enrolment:{enrolment_id}"


@transaction.atomic
def course_evidence_record(*, enrolment: Enrolment) -> list[CompetencyEvidence]:
    """Record what completing a course shows: each competency the course targets, at the level
    it targets, achieved on the day of completion (Bangkok time) and valid for the course's
    `validity_months` (for good when empty). One row per target, however often it is called."""
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


def enrolments_without_evidence() -> list[int]:
    """Completed enrolments in courses that target a framework competency, with no evidence
    recorded for the completion at all (the write is all or nothing, so one row means done)."""
    targeted = CourseCompetencyTarget.objects.filter(
        course_id=OuterRef("course_id"), competency__isnull=False
    )
    recorded = CompetencyEvidence.objects.filter(
        source=CompetencyEvidence.Source.COURSE,
        user_id=OuterRef("user_id"),
        reference=Concat(Value("enrolment:"), Cast(OuterRef("pk"), CharField())),
    )
    return list(
        Enrolment.objects.filter(status=Enrolment.Status.COMPLETED, completed_at__isnull=False)
        .filter(Exists(targeted))
        .exclude(Exists(recorded))
        .order_by("completed_at")
        .values_list("pk", flat=True)
    )


class CourseCompletionEvidence(EvidenceSource):
    name = "course"

    def record(self, *, object_id: int) -> list[CompetencyEvidence]:
        enrolment = Enrolment.objects.select_related("course", "user").get(pk=object_id)
        return course_evidence_record(enrolment=enrolment)

    def missing(self) -> list[int]:
        return enrolments_without_evidence()
