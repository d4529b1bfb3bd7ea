"""System checks: SCORM content never shares the app's origin.

Registered for every `manage.py check` (and so for `check --deploy` and `runserver`), not
only the deployment checks: there is no environment in which package scripts may run on
the app's origin, and a production start with a wrong SCORM_CONTENT_ORIGIN must not depend
on someone remembering `--deploy`.
"""

import ipaddress
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register
from django.http.request import validate_host

# Second-level labels under which country-code domains are registered (go.th, co.th, ac.uk,
# com.au...). Without a public-suffix list this is how `example.go.th` is told from `go.th`.
_SECOND_LEVEL_LABELS = {"ac", "co", "com", "edu", "go", "gov", "in", "mi", "net", "or", "org"}
_DEBUG_HOSTS = [".localhost", "127.0.0.1", "[::1]"]  # what Django allows when DEBUG and no ALLOWED_HOSTS


def _site(host: str) -> str:
    """The registrable domain of a host name, approximately (an IP address is its own site)."""
    try:
        ipaddress.ip_address(host.strip("[]"))
        return host
    except ValueError:
        pass
    labels = host.rstrip(".").split(".")
    size = 3 if len(labels) >= 3 and len(labels[-1]) == 2 and labels[-2] in _SECOND_LEVEL_LABELS else 2
    return ".".join(labels[-size:])


def _cookie_domain_covers(domain: str | None, host: str) -> bool:
    if not domain:
        return False
    domain = domain.lower().lstrip(".")
    return host == domain or host.endswith("." + domain)


@register(Tags.security)
def content_origin_check(app_configs, **kwargs):
    origin = settings.SCORM_CONTENT_ORIGIN
    hint_origin = (
        "Set SCORM_CONTENT_ORIGIN to a host under a registrable domain of its own, "
        "e.g. https://thaksa-content.go.th beside https://thaksa.go.th."
    )
    if not origin:
        return [
            Error(
                "SCORM_CONTENT_ORIGIN is not set: SCORM packages would have nowhere safe to run.",
                hint=hint_origin,
                id="scorm.E001",
            )
        ]
    parts = urlsplit(origin)
    if parts.scheme not in {"http", "https"} or not parts.hostname or parts.path not in {"", "/"}:
        return [
            Error(
                f"SCORM_CONTENT_ORIGIN={origin!r} is not an origin: expected http(s)://host[:port] "
                "and nothing after it.",
                hint=hint_origin,
                id="scorm.E002",
            )
        ]
    content_host = parts.hostname.lower()
    app_host = (urlsplit(settings.WAGTAILADMIN_BASE_URL).hostname or "").lower()
    messages = []
    # Host names, not origins: cookies ignore the port, so another port is no separation.
    if content_host == app_host:
        messages.append(
            Error(
                f"SCORM_CONTENT_ORIGIN ({origin}) has the app's host name ({app_host}, from "
                "WAGTAILADMIN_BASE_URL): package scripts would run with the app's cookies and pages.",
                hint=hint_origin,
                id="scorm.E003",
            )
        )
    allowed = settings.ALLOWED_HOSTS or (_DEBUG_HOSTS if settings.DEBUG else [])
    if not validate_host(content_host, allowed):
        messages.append(
            Error(
                f"The SCORM content host {content_host} is not in ALLOWED_HOSTS: the player would not open.",
                hint="Add it to DJANGO_ALLOWED_HOSTS.",
                id="scorm.E004",
            )
        )
    if content_host != app_host and _site(content_host) == _site(app_host):
        # Same-site: the app's SameSite=Lax cookies go along with requests the package makes
        # (e.g. framing the app's launch address of another lesson), and package scripts can
        # set cookies for the shared parent domain. Tolerable only on a developer's machine.
        level, check_id = (Warning, "scorm.W001") if settings.DEBUG else (Error, "scorm.E005")
        messages.append(
            level(
                f"The SCORM content host {content_host} and the app host {app_host} share the site "
                f"{_site(content_host)}: the browser treats them as same-site (SameSite cookies go along).",
                hint=hint_origin,
                id=check_id,
            )
        )
    for name in ("SESSION_COOKIE_DOMAIN", "CSRF_COOKIE_DOMAIN", "LANGUAGE_COOKIE_DOMAIN"):
        if _cookie_domain_covers(getattr(settings, name, None), content_host):
            messages.append(
                Error(
                    f"{name} covers the SCORM content host {content_host}: the browser sends that cookie "
                    "to package content, and scripts there can read or overwrite it.",
                    hint=f"Leave {name} unset, or use a domain that does not include the content host.",
                    id="scorm.E006",
                )
            )
    return messages


@register(Tags.security, deploy=True)
def single_use_tokens_check(app_configs, **kwargs):
    """One-time preview grants and navigation tokens are spent in the cache: a cache of each
    process's own memory would let a copied link work once per web process."""
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if backend.endswith(("LocMemCache", "DummyCache")):
        return [
            Error(
                "The default cache is not shared between processes, so SCORM preview grants and "
                "navigation tokens could be used more than once.",
                hint="Set CACHE_URL to a Redis server (or another cache every web process shares).",
                id="scorm.E007",
            )
        ]
    return []
