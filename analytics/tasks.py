"""Background work for the dashboards: their aggregates and their exports. Tasks take ids
and call a service.

Each task is idempotent (a refresh recomputes from the raw rows, a rebuild from everything),
so a message redelivered after a lost worker does no harm."""

from dataclasses import asdict

from celery import shared_task
from django.db import DatabaseError

from analytics.export_jobs import export_job_run, export_jobs_delete_expired
from analytics.services import (
    aggregates_rebuild,
    person_contributions_refresh,
    person_contributions_refresh_dated,
)

RETRIES = {
    # Acknowledged only when done: a worker that dies mid-task leaves the message for another.
    "acks_late": True,
    "reject_on_worker_lost": True,
    # Lock waits and deadlocks with concurrent refreshes end in a DatabaseError: try again.
    "autoretry_for": (DatabaseError,),
    "retry_backoff": 5,
    "retry_backoff_max": 600,
    "retry_jitter": True,
    "max_retries": 8,
}


@shared_task(name="analytics.refresh_people", **RETRIES)
def refresh_people(user_ids: list[int]) -> int:
    """Queued after a transaction that changed these people's rows commits."""
    return person_contributions_refresh(user_ids=user_ids)


@shared_task(name="analytics.refresh_time_dependent", **RETRIES)
def refresh_time_dependent() -> int:
    """Hourly: people whose numbers changed with the date (due dates passed, evidence began
    or expired, a new fiscal year)."""
    return person_contributions_refresh_dated()


@shared_task(name="analytics.rebuild_aggregates", **RETRIES)
def rebuild_aggregates() -> dict:
    """Weekly: recompute everything; any cell it changes was wrong."""
    return asdict(aggregates_rebuild())


@shared_task(name="analytics.build_export", acks_late=True)
def build_export(job_id: int) -> str:
    """Build an export as its requester (analytics.export_jobs); a failure is recorded on the job."""
    job = export_job_run(job_id=job_id)
    return job.status if job is not None else "missing"


@shared_task(name="analytics.delete_expired_exports")
def delete_expired_exports() -> int:
    return export_jobs_delete_expired()
