"""Background work for assignments. Tasks are thin: they call a service."""

from dataclasses import asdict

from celery import shared_task

from assignments.services.reminders import reminders_send


@shared_task(name="assignments.send_reminders")
def send_reminders() -> dict[str, int]:
    """Every hour (beat): the learner and manager digests that are due, from 08:00 Bangkok
    time, at most one of each per person per day."""
    return asdict(reminders_send())
