"""Everybody signed in reads the privacy notice in force before anything else (PDPA s.23):
the first time they sign in, and again at their next visit after a new version is published.

Only page visits (GET and HEAD that ask for HTML) are sent to the notice; form posts, the
player's commits and background requests go through untouched, so nothing anybody is doing
is lost. The person's acknowledged version is remembered in their session, so a page costs
one cached lookup, not a query.
"""

from collections.abc import Callable
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from privacy import selectors

SESSION_KEY = "privacy_notice_acknowledged"

# Paths a person can always reach: the notice itself, signing out, files, health, and the
# background requests of pages already open.
EXEMPT_PREFIXES = ("/privacy/", "/account/sign-out/", "/static/", "/media/", "/healthz", "/favicon")


class NoticeAcknowledgementMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        redirect = self._redirect_to_notice(request)
        return redirect if redirect is not None else self.get_response(request)

    def _redirect_to_notice(self, request: HttpRequest) -> HttpResponse | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if request.method not in ("GET", "HEAD") or request.path.startswith(EXEMPT_PREFIXES):
            return None
        if "text/html" not in request.headers.get("Accept", "text/html"):
            return None
        notice_id = selectors.current_notice_id()
        if notice_id is None or request.session.get(SESSION_KEY) == notice_id:
            return None
        if selectors.notice_acknowledged(user, notice_id):
            request.session[SESSION_KEY] = notice_id
            return None
        return HttpResponseRedirect(
            f"{reverse('privacy:notice')}?{urlencode({'next': request.get_full_path()})}"
        )
