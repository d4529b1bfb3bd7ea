"""Reminding holders before their certificates expire, in their own language, once per
reminder day (settings.CERTIFICATES_EXPIRY_REMINDER_DAYS, e.g. 60, 30 and 7 days before).

These e-mails are optional (PDPA: consent): only holders who consent to optional e-mails get
them (privacy.selectors.consenting_q, the one consent check)."""

import datetime as dt

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from certificates import documents
from certificates.models import Certificate
from privacy.models import ConsentPurpose
from privacy.selectors import consenting_q


def _due_reminder(certificate: Certificate, today: dt.date) -> int | None:
    """The reminder day this certificate has reached and not yet been sent (the nearest one:
    a certificate found 20 days before expiry gets the 30-day reminder, not also the 60)."""
    days_left = (certificate.valid_until - today).days
    reached = [d for d in settings.CERTIFICATES_EXPIRY_REMINDER_DAYS if days_left <= d]
    if not reached:
        return None
    nearest = min(reached)
    return None if nearest in certificate.expiry_reminders_sent else nearest


def expiry_reminders_send(*, today: dt.date | None = None) -> int:
    """Send every reminder that is due; returns how many were sent."""
    today = today or timezone.localdate()
    horizon = today + dt.timedelta(days=max(settings.CERTIFICATES_EXPIRY_REMINDER_DAYS, default=0))
    candidates = (
        Certificate.objects.filter(
            status=Certificate.Status.VALID, valid_until__gte=today, valid_until__lte=horizon
        )
        .filter(consenting_q(ConsentPurpose.OPTIONAL_EMAIL, person="learner"))
        .values_list("pk", flat=True)
    )
    sent = 0
    for pk in candidates:
        with transaction.atomic():
            certificate = (
                Certificate.objects.select_for_update(of=("self",))
                .select_related("learner", "course")
                .get(pk=pk)
            )
            day = _due_reminder(certificate, today)
            if day is None or certificate.status != Certificate.Status.VALID:
                continue
            _reminder_send(certificate, days_left=(certificate.valid_until - today).days)
            certificate.expiry_reminders_sent = sorted(
                {*certificate.expiry_reminders_sent, day}, reverse=True
            )
            certificate.save(update_fields=["expiry_reminders_sent"])
            sent += 1
    return sent


def _reminder_send(certificate: Certificate, *, days_left: int) -> None:
    learner = certificate.learner
    language = learner.preferred_language or "th"
    with translation.override(language):
        context = {
            "certificate": certificate,
            "learner": learner,
            "days_left": days_left,
            "course_title": certificate.content["course_title"].get(language)
            or certificate.content["course_title"]["th"],
            "course_url": documents.absolute_url(certificate.course.url or "/"),
            "verification_url": documents.verification_url(certificate),
        }
        subject = render_to_string("certificates/email/expiry_subject.txt", context).strip()
        body = render_to_string("certificates/email/expiry_body.txt", context)
    send_mail(subject, body, None, [learner.email])
