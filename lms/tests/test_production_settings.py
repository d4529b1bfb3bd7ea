"""Production settings refuse to start without their secrets, and pass Django's deploy checks."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GOOD_KEY = "k" * 20 + "-production-secret-key-for-the-test-only-" + "q" * 20


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    clean.update({"DJANGO_SETTINGS_MODULE": "lms.settings.production", **env})
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=120
    )


def test_refuses_to_start_without_a_secret_key():
    result = run_manage("check", DJANGO_ALLOWED_HOSTS="thaksa.go.th")

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_refuses_a_short_secret_key():
    result = run_manage("check", DJANGO_SECRET_KEY="short", DJANGO_ALLOWED_HOSTS="thaksa.go.th")

    assert result.returncode != 0
    assert "at least 50" in result.stderr


def test_refuses_to_start_without_allowed_hosts():
    result = run_manage("check", DJANGO_SECRET_KEY=GOOD_KEY)

    assert result.returncode != 0
    assert "DJANGO_ALLOWED_HOSTS" in result.stderr


def test_passes_the_deployment_checklist_when_configured():
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING",
        DJANGO_SECRET_KEY=GOOD_KEY, DJANGO_ALLOWED_HOSTS="thaksa.go.th",
    )  # fmt: skip

    assert result.returncode == 0, result.stderr + result.stdout


def test_seed_demo_refuses_production_settings():
    result = run_manage("seed_demo", DJANGO_SECRET_KEY=GOOD_KEY, DJANGO_ALLOWED_HOSTS="thaksa.go.th")

    assert result.returncode != 0
    assert "never runs under production settings" in result.stderr
