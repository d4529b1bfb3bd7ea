"""Background work for assessments. Tasks take ids and call a service."""

from celery import shared_task

from assessments.services.attempts import overdue_attempts_submit


@shared_task(name="assessments.submit_overdue_attempts")
def submit_overdue_attempts() -> int:
    """Every minute: attempts left open past their time limit are submitted with what was saved."""
    return overdue_attempts_submit()
