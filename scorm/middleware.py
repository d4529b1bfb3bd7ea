"""Keep the content origin to its job, and the app out of it.

SCORM packages are partners' HTML and JavaScript. They run on a host name of their own,
SCORM_CONTENT_ORIGIN (never the app's: scorm.checks refuses such a configuration), which
serves the player, the package files, commits, SCORM navigation and static files, and
nothing else. On that host this middleware, placed before the session and authentication
middleware:

- drops the request's cookies before anything else reads them, so no view there can ever
  act with a visitor's session, even if the browser sends the app's cookies;
- removes every cookie from the response, so the content host never sets one;
- sends the headers package responses need: a CSP that lets only the app (and the player,
  which frames the SCO: 'self') frame them, `nosniff`, and no referrer (the URL carries a
  token). X-Frame-Options is dropped there: it would stop the app's lesson page framing
  the player, and `frame-ancestors` says the same more precisely.

On every other host (the app), the content routes answer 404: the player never runs beside
the app's pages. Settings are read per request, so tests can override them.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpResponseNotFound

# Navigation is the player's own route (a POST of `nav=<request>` to `/scorm/player/<navigation token>/`).
CONTENT_PATHS = ("/scorm/player/", "/scorm/content/", "/scorm/commit/")
_DEFAULT_PORTS = {"http": "80", "https": "443"}


def origin_host(origin: str) -> str:
    """`host:port` of an origin as a request names it (the scheme's default port left out)."""
    parts = urlsplit(origin)
    host = (parts.hostname or "").lower()
    host = f"[{host}]" if ":" in host else host
    if parts.port and str(parts.port) != _DEFAULT_PORTS.get(parts.scheme):
        return f"{host}:{parts.port}"
    return host


def _request_host(request, scheme: str) -> str:
    host = request.get_host().lower()
    name, _, port = host.rpartition(":") if not host.endswith("]") else (host, "", "")
    if name and port == _DEFAULT_PORTS.get(scheme):
        return name
    return host


def app_origin() -> str:
    """The app's origin (scheme://host[:port]), from WAGTAILADMIN_BASE_URL."""
    parts = urlsplit(settings.WAGTAILADMIN_BASE_URL)
    return f"{parts.scheme}://{parts.netloc}"


def content_headers_apply(response) -> None:
    """What every response of the content host carries (see the module docstring)."""
    response["Content-Security-Policy"] = f"frame-ancestors 'self' {app_origin()}"
    response["X-Content-Type-Options"] = "nosniff"
    response["Referrer-Policy"] = "no-referrer"
    if "X-Frame-Options" in response:
        del response["X-Frame-Options"]
    response.cookies.clear()
    if "Set-Cookie" in response:
        del response["Set-Cookie"]


class ContentOriginMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        origin = settings.SCORM_CONTENT_ORIGIN
        content_path = request.path.startswith(CONTENT_PATHS)
        if not origin:  # no content host: SCORM content is served nowhere
            return HttpResponseNotFound() if content_path else self.get_response(request)
        scheme = urlsplit(origin).scheme
        if _request_host(request, scheme) != origin_host(origin):
            return HttpResponseNotFound() if content_path else self.get_response(request)
        request.META.pop("HTTP_COOKIE", None)
        request.COOKIES = {}
        if content_path or request.path.startswith(settings.STATIC_URL):
            response = self.get_response(request)
        else:
            response = HttpResponseNotFound()
        content_headers_apply(response)
        return response
