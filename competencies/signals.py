"""Reactions: a completed course (courses.events.course_completed) records the competencies it
targets as evidence."""

import logging

from django.dispatch import receiver

from competencies.services.evidence import course_evidence_record
from courses.events import course_completed

logger = logging.getLogger(__name__)


@receiver(course_completed, dispatch_uid="competencies.evidence_on_completion")
def record_evidence_on_completion(sender, enrolment, **kwargs):
    try:
        course_evidence_record(enrolment=enrolment)
    except Exception:
        # The completion is already committed and the learner is waiting for their page; a
        # failure here must not turn it into an error. Sending the event again (or calling
        # course_evidence_record) records the evidence later, once.
        logger.exception("Recording the competency evidence of enrolment %s failed", enrolment.pk)
