"""A Django tasks backend that hands work to Celery.

Wagtail enqueues its background work (search and reference indexing, image focal points)
through Django's task interface. With a broker configured, this backend sends each task to
a Celery worker once the surrounding transaction commits, so the worker sees the saved rows.
"""

from django.db import transaction
from django.utils import timezone
from django_tasks.backends.base import BaseTaskBackend
from django_tasks.base import Task, TaskResult, TaskResultStatus
from django_tasks.utils import get_random_id, normalize_json


class CeleryTaskBackend(BaseTaskBackend):
    supports_async_task = False
    supports_priority = False

    def enqueue(self, task: Task, args, kwargs) -> TaskResult:
        self.validate_task(task)
        from lms.tasks import run_django_task

        args = normalize_json(list(args))
        kwargs = normalize_json(dict(kwargs))
        transaction.on_commit(lambda: run_django_task.delay(task.module_path, args, kwargs))
        return TaskResult(
            task=task,
            id=get_random_id(),
            status=TaskResultStatus.READY,
            enqueued_at=timezone.now(),
            started_at=None,
            last_attempted_at=None,
            finished_at=None,
            args=args,
            kwargs=kwargs,
            backend=self.alias,
            errors=[],
            worker_ids=[],
        )
