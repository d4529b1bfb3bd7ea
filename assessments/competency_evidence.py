"""What a passed post-test shows about a person's competencies.

Assessments sits above competencies: it knows each question's competencies and the scores,
and calls competencies' one writer of evidence (`competencies.services.evidence.evidence_record`).
The write runs after the submission commits, through competencies' retried task
(`PostTestEvidence`, registered in wagtail_hooks.py; queued by services/attempts.py).
"""

import datetime as dt

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.db.models.functions import Coalesce
from django.utils import timezone

from assessments.models import QuizAttempt, QuizPurpose
from assessments.selectors import competency_percentages
from assessments.services.attempts import POST_TEST_EVIDENCE
from competencies.evidence_sources import EvidenceSource, evidence_recorded, evidence_reference
from competencies.models import CompetencyEvidence
from competencies.services.evidence import evidence_record
from courses.models import CourseCompetencyTarget

POST_TEST_DEFAULT_MINIMUM_SCORE = 60  # percent, for courses that set no minimum post-test score


ATTEMPT = "attempt"  # evidence_reference(ATTEMPT, pk): one post-test attempt's evidence


def attempt_reference(attempt_id: int) -> str:
    """The reference every evidence row of one post-test attempt carries."""
    return evidence_reference(ATTEMPT, attempt_id)


@transaction.atomic
def post_test_evidence_record(*, attempt: QuizAttempt) -> list[CompetencyEvidence]:
    """Record what a submitted post-test shows about the competencies its course develops.

    For each competency its questions were tagged with (when drawn) that the course declares as
    an outcome, a learner who scored at least the course's minimum post-test score (60% when
    the course sets none) on that competency's questions gets evidence at the course's target
    level, achieved on the day of submission (Bangkok time), valid for the course's
    `validity_months`. Below the minimum nothing is recorded. One row per attempt and
    competency, however often it is called."""
    if attempt.purpose != QuizPurpose.POST_TEST or not attempt.is_submitted:
        return []
    course = attempt.course or attempt.enrolment.course
    if course is None:
        return []
    targets = {
        target.competency_id: target
        for target in course.competency_targets.filter(competency__isnull=False).select_related("competency")
    }
    minimum = (
        course.completion_minimum_score
        if course.completion_minimum_score is not None
        else POST_TEST_DEFAULT_MINIMUM_SCORE
    )
    achieved_on = timezone.localtime(attempt.submitted_at).date()
    valid_until = course.completion_valid_until(achieved_on)
    recorded = []
    for node_id, percent in competency_percentages(list(attempt.items.all())).items():
        target = targets.get(node_id)
        if target is None or percent < minimum:
            continue
        recorded.append(
            evidence_record(
                user=attempt.user,
                node=target.competency,
                level=target.target_level,
                source=CompetencyEvidence.Source.TEST,
                reference=attempt_reference(attempt.pk),
                achieved_on=achieved_on,
                valid_until=valid_until,
                course=course,
                note=f"{attempt.title} · {percent.normalize():f}%"[:255],
            )
        )
    return recorded


def post_tests_without_evidence(*, since: dt.datetime | None = None) -> list[int]:
    """Post-test attempts submitted since `since` (ever, for None) in courses that target a
    framework competency, with no evidence recorded for the attempt. Some are owed none (a
    score below the minimum): writing theirs again records nothing, which is why the catch-up
    looks back over a window rather than over every attempt ever submitted."""
    targeted = CourseCompetencyTarget.objects.filter(
        course_id=OuterRef("evidence_course_id"), competency__isnull=False
    )
    submitted = QuizAttempt.objects.filter(purpose=QuizPurpose.POST_TEST, status=QuizAttempt.Status.SUBMITTED)
    if since is not None:
        submitted = submitted.filter(submitted_at__gte=since)
    return list(
        submitted.annotate(evidence_course_id=Coalesce("course_id", "enrolment__course_id"))
        .filter(Exists(targeted))
        .exclude(evidence_recorded(source=CompetencyEvidence.Source.TEST, prefix=ATTEMPT))
        .order_by("submitted_at")
        .values_list("pk", flat=True)
    )


class PostTestEvidence(EvidenceSource):
    name = POST_TEST_EVIDENCE

    def record(self, *, object_id: int) -> list[CompetencyEvidence]:
        attempt = QuizAttempt.objects.select_related("course", "enrolment__course", "user").get(pk=object_id)
        return post_test_evidence_record(attempt=attempt)

    def missing(self, *, since: dt.datetime | None) -> list[int]:
        return post_tests_without_evidence(since=since)
