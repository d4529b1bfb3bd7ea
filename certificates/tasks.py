"""Background work for certificates. Tasks take ids and call a service."""

from celery import shared_task
from django.db import DatabaseError

from certificates.services.issuance import certificate_issue
from certificates.services.reminders import expiry_reminders_send


@shared_task(
    name="certificates.issue_certificate",
    # Acknowledged only when done: a worker that dies mid-task leaves the message for another.
    # Issuing is idempotent (one per issuance key), so running twice is safe.
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(DatabaseError, OSError),
    retry_backoff=5,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=8,
)
def issue_certificate(enrolment_id: int) -> str | None:
    certificate = certificate_issue(enrolment_id=enrolment_id)
    return certificate.number if certificate else None


@shared_task(name="certificates.send_expiry_reminders")
def send_expiry_reminders() -> int:
    """Every six hours: e-mail the holders of certificates nearing expiry (once per reminder day)."""
    return expiry_reminders_send()
