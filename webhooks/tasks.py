"""Background work for webhooks. Tasks take ids and call a service."""

from typing import Any

from celery import shared_task

from webhooks.services import MAX_ATTEMPTS, deliveries_prune, delivery_attempt, overdue_announce, retry_delay


@shared_task(bind=True, name="webhooks.deliver", max_retries=MAX_ATTEMPTS - 1)
def deliver(self, delivery_id: int) -> Any:  # type: ignore[no-untyped-def]
    """One attempt; a failed one is retried by Celery after `retry_delay` (exponential), until
    `MAX_ATTEMPTS` were made. Without a broker (eager mode) retries run at once."""
    attempts_made = self.request.retries + 1
    retry_in = retry_delay(attempts_made) if attempts_made < MAX_ATTEMPTS else None
    delivery = delivery_attempt(delivery_id=delivery_id, retry_in=retry_in)
    if delivery.status == delivery.Status.RETRYING and retry_in is not None:
        retry = self.retry(countdown=retry_in, throw=False)
        if self.request.is_eager:
            # In-process (no broker, and the tests) apply() runs a *returned* Retry again at
            # once; a raised one would escape as an error under CELERY_TASK_EAGER_PROPAGATES.
            return retry
        raise retry
    return str(delivery.status)


@shared_task(name="webhooks.announce_overdue")
def announce_overdue() -> int:
    """Daily: announce the assigned enrolments that became overdue (each once per due date)."""
    return overdue_announce()


@shared_task(name="webhooks.prune_deliveries")
def prune_deliveries() -> int:
    """Daily: delete the delivery log older than WEBHOOKS_DELIVERY_LOG_DAYS."""
    return deliveries_prune()
