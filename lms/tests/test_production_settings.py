"""Production settings refuse to start without their secrets or with a cache each process keeps
for itself, and pass Django's deploy checks (django-axes's and django_ratelimit's included)."""

import json
import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings as django_settings

ROOT = Path(__file__).resolve().parents[2]
GOOD_KEY = "k" * 20 + "-production-secret-key-for-the-test-only-" + "q" * 20


def controlled_environment(**env: str) -> dict[str, str]:
    """This machine's environment without any setting the test does not choose."""
    chosen = (
        "DJANGO_",
        "DATABASE_URL",
        "CACHE_URL",
        "THAKSA_",
        "AXES_",
        "SCORM_",
        "WAGTAILADMIN_",
        "OIDC_",
        "THAID_",
        "NATIONAL_ID_",
        "CELERY_",
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith(chosen)}
    clean.update({"DJANGO_SETTINGS_MODULE": "lms.settings.production", **env})
    return clean


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=controlled_environment(**env),
        capture_output=True,
        text=True,
        timeout=120,
    )


def production_settings(**env: str) -> subprocess.CompletedProcess:
    """Import the production settings module alone, in a process of its own, and print what
    the test asks about as JSON."""
    script = (
        "import json, lms.settings.production as s; print(json.dumps({"
        "'apps': s.INSTALLED_APPS, 'middleware': s.MIDDLEWARE, 'backends': s.AUTHENTICATION_BACKENDS,"
        "'proxies': s.THAKSA_TRUSTED_PROXY_COUNT, 'ip_key': s.RATELIMIT_IP_META_KEY,"
        "'axes_ip': s.AXES_CLIENT_IP_CALLABLE, 'cache': s.CACHES['default']['BACKEND']}))"
    )
    return subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=controlled_environment(**env),
        capture_output=True,
        text=True,
        timeout=120,
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
    # The ID-token signing key (the test settings made it), then a retired one.
    "OIDC_RSA_KEY_FILES": ",".join(django_settings.OIDC_RSA_KEY_FILES),
    "NATIONAL_ID_HASH_KEY": "n" * 48,
    "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
}


def test_refuses_to_start_without_the_id_token_signing_key():
    without = {key: value for key, value in CONFIGURED.items() if key != "OIDC_RSA_KEY_FILES"}
    result = run_manage("check", **without)

    assert result.returncode != 0
    assert "OIDC_RSA_KEY_FILES must name the PEM file" in result.stderr


THAID = {
    "THAID_CLIENT_ID": "thaksa",
    "THAID_CLIENT_SECRET": "from-the-registration",
    "THAID_DISCOVERY_URL": "https://imauth.bora.dopa.go.th/",
}


def test_refuses_to_start_without_a_celery_broker():
    without = {key: value for key, value in CONFIGURED.items() if key != "CELERY_BROKER_URL"}
    refused = run_manage("check", **without)
    assert refused.returncode != 0
    assert "CELERY_BROKER_URL must name the broker" in refused.stderr


def test_refuses_to_start_without_a_strong_national_id_hash_key():
    without = {key: value for key, value in CONFIGURED.items() if key != "NATIONAL_ID_HASH_KEY"}
    refused = run_manage("check", **without)
    assert refused.returncode != 0
    assert "NATIONAL_ID_HASH_KEY must be at least 32 random characters" in refused.stderr
    weak = run_manage("check", **{**CONFIGURED, "NATIONAL_ID_HASH_KEY": "short"})
    assert weak.returncode != 0
    configured = run_manage("check", "--deploy", "--fail-level", "WARNING", **CONFIGURED, **THAID)
    assert configured.returncode == 0, configured.stderr + configured.stdout


def test_a_mistake_in_the_sign_in_providers_stops_the_server_with_its_reason():
    missing = json.dumps([{"id": "ministry", "name": "กระทรวง", "client_id": "x"}])
    result = run_manage("check", **CONFIGURED, OIDC_SIGN_IN_PROVIDERS=missing)
    assert result.returncode != 0
    assert "'ministry' lacks discovery_url" in result.stderr
    not_json = run_manage("check", **CONFIGURED, OIDC_SIGN_IN_PROVIDERS="[{")
    assert "OIDC_SIGN_IN_PROVIDERS is not JSON" in not_json.stderr


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


def test_refuses_to_start_without_a_shared_cache():
    without = {key: value for key, value in CONFIGURED.items() if key != "CACHE_URL"}

    missing = production_settings(**without)
    in_process_memory = production_settings(**{**CONFIGURED, "CACHE_URL": "locmemcache://thaksa"})
    on_disk = production_settings(**{**CONFIGURED, "CACHE_URL": "filecache:///tmp/thaksa-cache"})

    for refused in (missing, in_process_memory, on_disk):
        assert refused.returncode != 0
        assert "ImproperlyConfigured" in refused.stderr
        assert "CACHE_URL must name a Redis server every web process shares" in refused.stderr
    assert run_manage("check", **without).returncode != 0


def test_with_redis_every_limit_counts_in_it_by_the_client_address_behind_the_proxies():
    result = production_settings(**CONFIGURED, THAKSA_TRUSTED_PROXY_COUNT="2")

    assert result.returncode == 0, result.stderr
    configured = json.loads(result.stdout)
    assert configured["cache"] == "django.core.cache.backends.redis.RedisCache"
    assert configured["proxies"] == 2
    assert configured["ip_key"] == configured["axes_ip"] == "lms.client_ip.client_ip"
    assert "django_ratelimit" in configured["apps"]  # so its own cache checks run
    assert "axes" in configured["apps"]
    assert configured["backends"][0] == "axes.backends.AxesStandaloneBackend"
    assert configured["middleware"][-1] == "axes.middleware.AxesMiddleware"
