import pytest
from django.db import OperationalError

from lms import health
from people.services import role_assign
from people.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TOKEN = "monitoring-token-for-the-tests"


@pytest.fixture
def operator_token(settings):
    settings.HEALTHZ_TOKEN = TOKEN
    return {"HTTP_AUTHORIZATION": f"Bearer {TOKEN}"}


@pytest.fixture
def broker_down(settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1


def test_the_public_gets_ok_and_nothing_more(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.content == b"ok"
    assert response["Content-Type"].startswith("text/plain")
    assert response["Cache-Control"].startswith("max-age=0")


def test_the_public_gets_fail_without_naming_what_failed(client, broker_down):
    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.content == b"fail"


def test_a_wrong_token_or_an_ordinary_account_gets_the_public_answer(client, operator_token, broker_down):
    assert client.get("/healthz", HTTP_AUTHORIZATION="Bearer not-the-token").content == b"fail"
    client.force_login(UserFactory.create())
    assert client.get("/healthz").content == b"fail"


def test_no_token_is_accepted_while_the_setting_is_empty(client, settings):
    settings.HEALTHZ_TOKEN = ""

    assert client.get("/healthz", HTTP_AUTHORIZATION="Bearer ").content == b"ok"


def test_the_monitoring_token_gets_each_check(client, operator_token):
    response = client.get("/healthz", **operator_token)

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert {name: check["ok"] for name, check in body["checks"].items()} == {
        "database": True, "cache": True, "broker": True,
    }  # fmt: skip


def test_a_signed_in_platform_administrator_gets_each_check(client, broker_down):
    admin = UserFactory.create()
    role_assign(user=admin, role="platform_admin")
    client.force_login(admin)

    response = client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["broker"]["ok"] is False
    assert body["checks"]["database"]["ok"] is True


def test_unreachable_cache_gives_503_naming_the_cache(client, settings, operator_token):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 1},
        }
    }

    response = client.get("/healthz", **operator_token)

    assert response.status_code == 503
    assert response.json()["checks"]["cache"]["ok"] is False


def test_failing_database_gives_503(client, monkeypatch, operator_token):
    def database_down():
        raise OperationalError("could not connect to server")

    monkeypatch.setitem(health.CHECKS, "database", database_down)

    response = client.get("/healthz", **operator_token)
    public = client.get("/healthz")

    assert response.status_code == 503
    assert "could not connect" in response.json()["checks"]["database"]["error"]
    assert (public.status_code, public.content) == (503, b"fail")
