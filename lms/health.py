"""`/healthz`: is this instance able to serve? Database, cache and broker, each checked live.

Load balancers and monitoring call it. The public gets only the verdict: 200 with the body
`ok` when every dependency works, 503 with `fail` when one does not, so that nobody learns
the database vendor, the cache backend or an error message from outside. Operators get the
details as JSON (each check, its detail or error, how long it took): a request bearing the
`HEALTHZ_TOKEN` setting as `Authorization: Bearer <token>` (monitoring), or a signed-in
person the `HEALTHZ_OPERATORS` setting accepts (a dotted path to a function of the user:
platform administrators; this package sits below the apps that know roles, so the rule is
named in the settings rather than imported).
"""

import hmac
import time
import uuid
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.module_loading import import_string
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

BROKER_TIMEOUT_SECONDS = 2


def check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return connection.vendor


def check_cache() -> str:
    key = f"healthz:{uuid.uuid4().hex}"
    cache.set(key, "ok", timeout=10)
    if cache.get(key) != "ok":
        raise RuntimeError("the cache did not return what was just written")
    cache.delete(key)
    return str(settings.CACHES["default"]["BACKEND"]).rsplit(".", 1)[-1]


def check_broker() -> str:
    if not settings.CELERY_BROKER_URL:
        return "in-process (no broker configured)"
    from lms.celery import app

    with app.connection_for_write(url=settings.CELERY_BROKER_URL) as conn:
        conn.ensure_connection(max_retries=1, timeout=BROKER_TIMEOUT_SECONDS)
        return str(conn.transport.driver_type)


CHECKS: dict[str, Callable[[], str]] = {
    "database": check_database,
    "cache": check_cache,
    "broker": check_broker,
}


def service_status() -> tuple[bool, dict[str, dict[str, object]]]:
    """Run every check; never raises. Returns (all healthy, per-check details)."""
    results: dict[str, dict[str, object]] = {}
    for name, check in CHECKS.items():
        started = time.perf_counter()
        try:
            detail = check()
        except Exception as exc:  # noqa: BLE001 - any failure means "down", reported by name
            results[name] = {"ok": False, "error": f"{type(exc).__name__}: {exc}"}
        else:
            results[name] = {"ok": True, "detail": detail}
        results[name]["ms"] = round((time.perf_counter() - started) * 1000, 1)
    return all(r["ok"] for r in results.values()), results


def _bearer_token(request: HttpRequest) -> str:
    scheme, _space, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def is_operator(request: HttpRequest) -> bool:
    """Whether this request may see the details: the monitoring token, or a signed-in
    operator. Never raises: with the database down, a session cannot be read and the
    request is answered as the public's."""
    expected = settings.HEALTHZ_TOKEN
    presented = _bearer_token(request)
    if expected and presented and hmac.compare_digest(presented.encode(), expected.encode()):
        return True
    try:
        user = request.user
        if not user.is_authenticated:
            return False
        operators: Callable[[object], bool] = import_string(settings.HEALTHZ_OPERATORS)
        return bool(operators(user))
    except Exception:  # noqa: BLE001 - a failing session or database means "not known to be an operator"
        return False


@never_cache
@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    healthy, checks = service_status()
    status = 200 if healthy else 503
    if is_operator(request):
        return JsonResponse({"status": "ok" if healthy else "unavailable", "checks": checks}, status=status)
    return HttpResponse("ok" if healthy else "fail", status=status, content_type="text/plain; charset=utf-8")
