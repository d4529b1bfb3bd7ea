"""Site-wide Celery tasks: the bridge for Django tasks and periodic maintenance.

Tasks are thin: they call a service or a management command and own their retries.
"""

from celery import shared_task
from django.core import management
from django.utils.module_loading import import_string


@shared_task(name="lms.run_django_task")
def run_django_task(task_path: str, args: list, kwargs: dict):
    """Run a Django (`django_tasks`) task, such as Wagtail's search-index update, in a worker."""
    django_task = import_string(task_path)
    return django_task.call(*args, **kwargs)


@shared_task(name="lms.publish_scheduled_pages")
def publish_scheduled_pages() -> None:
    """Publish and unpublish Wagtail pages whose scheduled time has come."""
    management.call_command("publish_scheduled")


@shared_task(name="lms.clear_expired_sessions")
def clear_expired_sessions() -> None:
    management.call_command("clearsessions")


@shared_task(name="lms.ping")
def ping(payload: str) -> str:
    """Answer with what it was given: proves a worker consumes from the broker."""
    return f"pong:{payload}"
