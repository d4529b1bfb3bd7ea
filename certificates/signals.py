"""Reactions: a completed course (courses.events.course_completed) queues its certificate."""

import logging

from django.dispatch import receiver

from certificates.tasks import issue_certificate
from courses.events import course_completed

logger = logging.getLogger(__name__)


@receiver(course_completed, dispatch_uid="certificates.issue_on_completion")
def issue_certificate_on_completion(sender, enrolment, **kwargs):
    if not enrolment.course.certificate_on_completion:
        return
    try:
        issue_certificate.delay(enrolment.pk)
    except Exception:
        # The completion is already committed; without a broker the task runs in-process, and
        # its failure must not turn the learner's "lesson complete" into an error page. The
        # admin's "issue missing certificates" (certificates_issue_missing) catches up.
        logger.exception("Issuing the certificate of enrolment %s failed", enrolment.pk)
