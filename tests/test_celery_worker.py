"""A real Celery worker process consumes a task from the real broker and answers."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from tests.conftest import require_or_skip

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.integration


def test_a_task_runs_in_a_worker_through_the_broker():
    broker = os.environ.get("CELERY_BROKER_URL", "")
    require_or_skip(bool(broker), "THAKSA_REQUIRE_INTEGRATION", "A Celery broker (CELERY_BROKER_URL)")
    from celery import Celery
    from celery.result import allow_join_result

    queue = f"thaksa-test-{uuid.uuid4().hex[:8]}"  # only the worker started here listens on it
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "lms.settings.dev", "CELERY_BROKER_URL": broker}
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "lms", "worker", "--pool=solo", "-Q", queue,
         "--loglevel=INFO", "--without-gossip", "--without-mingle", "--hostname", f"{queue}@%h"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    try:
        client = Celery(broker=broker, backend=os.environ.get("CELERY_RESULT_BACKEND", broker))
        token = uuid.uuid4().hex
        result = client.send_task("lms.ping", args=[token], queue=queue)

        # Eager tasks run by the browser tests' live-server threads toggle Celery's
        # process-wide "joining would block" flag (celery.result.denied_join_result), and two
        # at once can leave it set; this test process is no task, so waiting is allowed.
        with allow_join_result():
            assert result.get(timeout=60) == f"pong:{token}"
    finally:
        worker.terminate()
        output, _ = worker.communicate(timeout=30)
    assert "lms.ping" in output
    assert "succeeded" in output
