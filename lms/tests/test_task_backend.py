"""With a broker, Wagtail's background tasks go to Celery after the transaction commits."""

import pytest
from django_tasks import task

from lms.task_backends import CeleryTaskBackend

RECEIVED: list[str] = []


@task()
def remember(value: str) -> None:
    RECEIVED.append(value)


@pytest.mark.django_db
def test_task_runs_through_celery_only_after_commit(django_capture_on_commit_callbacks, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    RECEIVED.clear()
    backend = CeleryTaskBackend("celery", {})

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        result = backend.enqueue(remember, ["indexed page 42"], {})
        assert RECEIVED == []  # nothing reaches the worker before the data is committed

    assert len(callbacks) == 1
    assert RECEIVED == ["indexed page 42"]
    assert result.status == "READY"
