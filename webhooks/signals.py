"""Reactions: the events of courses and certificates become webhook deliveries.

Each event arrives after its transaction committed; a failure here is logged and never turns
the learner's action into an error page (the event itself already happened)."""

import logging
from collections.abc import Callable

from django.dispatch import receiver

from certificates.events import certificate_issued, certificate_revoked
from courses.events import course_completed, enrolments_created, lesson_completed
from webhooks.models import EventType
from webhooks.payloads import (
    PendingEvent,
    certificate_events,
    course_completed_events,
    enrolments_created_events,
    lesson_completed_events,
)
from webhooks.services import events_emit, subscriptions_listening

logger = logging.getLogger(__name__)


def _emit(event_type: EventType, describe: Callable[[], list[PendingEvent]], what: str) -> None:
    """Describe the events (queries) only if some subscription listens."""
    try:
        if subscriptions_listening(event_type):
            events_emit(describe())
    except Exception:
        logger.exception("Webhook deliveries for %s could not be prepared", what)


@receiver(enrolments_created, dispatch_uid="webhooks.enrolments_created")
def on_enrolments_created(sender, enrolments, **kwargs):  # type: ignore[no-untyped-def]
    _emit(EventType.ENROLMENT_CREATED, lambda: enrolments_created_events(list(enrolments)), "new enrolments")


@receiver(lesson_completed, dispatch_uid="webhooks.lesson_completed")
def on_lesson_completed(sender, progress, **kwargs):  # type: ignore[no-untyped-def]
    _emit(
        EventType.LESSON_COMPLETED,
        lambda: lesson_completed_events(progress),
        f"lesson progress {progress.pk}",
    )


@receiver(course_completed, dispatch_uid="webhooks.course_completed")
def on_course_completed(sender, enrolment, **kwargs):  # type: ignore[no-untyped-def]
    _emit(EventType.COURSE_COMPLETED, lambda: course_completed_events(enrolment), f"enrolment {enrolment.pk}")


@receiver(certificate_issued, dispatch_uid="webhooks.certificate_issued")
def on_certificate_issued(sender, certificate, **kwargs):  # type: ignore[no-untyped-def]
    _emit(
        EventType.CERTIFICATE_ISSUED,
        lambda: certificate_events(EventType.CERTIFICATE_ISSUED, certificate),
        f"certificate {certificate.pk}",
    )


@receiver(certificate_revoked, dispatch_uid="webhooks.certificate_revoked")
def on_certificate_revoked(sender, certificate, **kwargs):  # type: ignore[no-untyped-def]
    _emit(
        EventType.CERTIFICATE_REVOKED,
        lambda: certificate_events(EventType.CERTIFICATE_REVOKED, certificate),
        f"certificate {certificate.pk}",
    )
