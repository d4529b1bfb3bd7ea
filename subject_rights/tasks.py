"""Background work for data-subject rights: building a person's export, and the nightly
retention rules. Thin: ids in, a service called."""

from celery import shared_task
from django.db import DatabaseError

from subject_rights.retention import retention_run
from subject_rights.services import export_request_run

RETRIES = {
    # Acknowledged only when done: a worker that dies mid-export leaves the message for another.
    "acks_late": True,
    "reject_on_worker_lost": True,
    "autoretry_for": (DatabaseError,),
    "retry_backoff": 5,
    "retry_backoff_max": 600,
    "max_retries": 5,
}


@shared_task(name="subject_rights.build_export", **RETRIES)
def build_export(request_id: int) -> None:
    export_request_run(request_id=request_id)


@shared_task(name="subject_rights.apply_retention", **RETRIES)
def apply_retention() -> int:
    """Nightly (Celery beat): every retention rule; returns how many items it touched."""
    return sum(report.count for report in retention_run(dry_run=False))
