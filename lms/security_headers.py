"""The headers that tell the browser what a Thaksa page may do: Content-Security-Policy (with
django-csp) and Permissions-Policy.

Three kinds of response, three answers:

- **The app's pages** get `CONTENT_SECURITY_POLICY` (settings, django-csp 4 format): scripts
  and `<style>` elements only from the app's origin or carrying this response's nonce
  (`request.csp_nonce`, read by templates as `{{ request.csp_nonce }}`; the header names the
  nonce only when a template used it), nothing inline otherwise, frames from the app, the
  SCORM content origin and the video providers of lesson embeds, no plugins, no `<base>`
  elsewhere, forms posting only to the app (and, for the lesson's launch form that the app
  redirects to the player, the content origin), framed only by the app.
- **The Wagtail admin** (`THAKSA_ADMIN_PATH_PREFIXES`) gets `THAKSA_ADMIN_CONTENT_SECURITY_POLICY`:
  Wagtail 8 still writes inline scripts (InlinePanel, the date and time widgets, choosers,
  modal workflows answering with HTML that carries scripts), so scripts there may be inline
  but still come only from the app's origin: no other host, no `eval`, no plugins, framed
  only by the app. The admin is used by signed-in staff; hostile partner text reaches it only
  through Wagtail's own escaping.
- **The SCORM content origin** (`SCORM_CONTENT_ORIGIN`) gets nothing from here:
  `scorm.middleware` sends that host's own headers (packages are partners' HTML and
  JavaScript, with inline scripts of their own).

The content origin is read per request (the tests move it), and added to `frame-src`,
`child-src` and `form-action` of both policies: the lesson page frames the player there, and
the admin's preview does too.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from csp.middleware import CSPMiddleware, PolicyParts
from csp.utils import default_config
from django.conf import settings
from django.http import HttpRequest, HttpResponseBase

_DEFAULT_PORTS = {"http": 80, "https": 443}


def _origin_host(origin: str) -> str:
    """`host[:port]` of an origin as a request's Host names it (the default port left out)."""
    parts = urlsplit(origin)
    host = (parts.hostname or "").lower()
    host = f"[{host}]" if ":" in host else host
    return f"{host}:{parts.port}" if parts.port and parts.port != _DEFAULT_PORTS.get(parts.scheme) else host


def is_content_origin_request(request: HttpRequest) -> bool:
    """Whether the request came to the SCORM content host (whose headers scorm.middleware sets)."""
    origin = settings.SCORM_CONTENT_ORIGIN
    if not origin:
        return False
    host = request.get_host().lower()
    port = _DEFAULT_PORTS.get(urlsplit(origin).scheme)
    if port and host.endswith(f":{port}"):
        host = host.removesuffix(f":{port}")
    return host == _origin_host(origin)


def is_admin_request(request: HttpRequest) -> bool:
    return request.path_info.startswith(tuple(settings.THAKSA_ADMIN_PATH_PREFIXES))


def permissions_policy(content_origin: str) -> str:
    """The Permissions-Policy header: `PERMISSIONS_POLICY` (feature → allowlist, where "self"
    is the app and "content" the SCORM content origin, when there is one)."""
    directives = []
    for feature, allowed in settings.PERMISSIONS_POLICY.items():
        sources = []
        for source in allowed:
            if source == "self":
                sources.append("self")
            elif source == "content":
                if content_origin:
                    sources.append(f'"{content_origin}"')
            else:
                sources.append(f'"{source}"')
        directives.append(f"{feature}=({' '.join(sources)})")
    return ", ".join(directives)


class SecurityHeadersMiddleware(CSPMiddleware):
    """django-csp's middleware, choosing the policy by path and leaving the content host alone."""

    def process_response(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        if is_content_origin_request(request):
            return response
        response = super().process_response(request, response)
        if "Permissions-Policy" not in response:
            response["Permissions-Policy"] = permissions_policy(settings.SCORM_CONTENT_ORIGIN)
        return response

    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if report_only:
            return parts
        if parts.config is None and is_admin_request(request):
            parts.config = default_config(settings.THAKSA_ADMIN_CONTENT_SECURITY_POLICY["DIRECTIVES"])
        origin = settings.SCORM_CONTENT_ORIGIN
        if origin:
            update: dict[str, Any] = dict(parts.update or {})
            # form-action: the lesson's launch form posts to the app, which redirects the
            # frame to the player there (browsers check form-action on that redirect too).
            for directive in ("frame-src", "child-src", "form-action"):
                update[directive] = [*update.get(directive, ()), origin]
            parts.update = update
        return parts
