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


# A production configuration: partner SCORM content on a site of its own, and a cache every
# web process shares (single-use SCORM links are spent there).
CONFIGURED = {
    "DJANGO_SECRET_KEY": GOOD_KEY,
    "DJANGO_ALLOWED_HOSTS": "thaksa.go.th,thaksa-content.go.th",
    "WAGTAILADMIN_BASE_URL": "https://thaksa.go.th",
    "SCORM_CONTENT_ORIGIN": "https://thaksa-content.go.th",
    "CACHE_URL": "redis://127.0.0.1:6379/1",
}


def test_refuses_to_start_without_a_separate_scorm_content_origin():
    without = {key: value for key, value in CONFIGURED.items() if key != "SCORM_CONTENT_ORIGIN"}
    result = run_manage("check", **without)

    assert result.returncode != 0
    assert "scorm.E001" in result.stderr
    same_site = run_manage("check", **{**CONFIGURED, "SCORM_CONTENT_ORIGIN": "https://content.thaksa.go.th"})
    assert same_site.returncode != 0
    assert "scorm.E005" in same_site.stderr


def test_passes_the_deployment_checklist_when_configured():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", **CONFIGURED)

    assert result.returncode == 0, result.stderr + result.stdout


def test_seed_demo_refuses_production_settings():
    result = run_manage("seed_demo", **CONFIGURED)

    assert result.returncode != 0
    assert "never runs under production settings" in result.stderr
