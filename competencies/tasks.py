"""Background work for competencies. Tasks take ids and call a service."""

from celery import shared_task
from django.db import DatabaseError

from competencies.evidence_sources import evidence_sources


@shared_task(
    name="competencies.record_evidence",
    # Acknowledged only when done: a worker that dies mid-task leaves the message for another.
    # Recording is idempotent (one row per event and competency), so running twice is safe.
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(DatabaseError, OSError),
    retry_backoff=5,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=8,
)
def record_evidence(source: str, object_id: int) -> int:
    """Write the evidence of one event of a registered source; the number of rows written."""
    return len(evidence_sources()[source].record(object_id=object_id))
