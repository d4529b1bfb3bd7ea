"""Administrators, HR managers and data protection officers set up a second step before
anything else (identity.policies). Until they do, every page they open sends them to the
setup, and anything else they send is refused; once an authenticator exists, allauth asks
for its code at every sign-in.

What counts is this session's proof, not the account's state: a session signed in with a
password alone (before the second step was required, or before its owner set one up on
another device) is signed out as soon as the account has an authenticator, and must sign in
again with it. A session proves it by passing the second step (allauth's "mfa" record) or by
setting up the authenticator itself (identity.signals)."""

from collections.abc import Callable

from allauth.account.authentication import get_authentication_records
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from identity.policies import has_second_step, two_step_required

# Named for what it records: the session proved the second step (an earlier key recorded only
# that the account had one, and is ignored).
SESSION_KEY = "identity_second_step_proved"
# Where the person was going when they were sent to the setup (identity.views.continue_after_setup).
NEXT_SESSION_KEY = "identity_after_setup"
# Files and health: never a person's business.
FILES = ("/static/", "/media/", "/healthz", "/favicon")
# Before the second step is set up: the setup itself, signing out, the privacy notice (asked
# next) and the language.
EXEMPT_PREFIXES = (
    *FILES,
    "/account/two-step/",
    "/account/confirm/",
    "/account/sign-out/",
    "/privacy/",
    "/language/",
)


class TwoStepRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        refusal = self._refusal(request)
        return refusal if refusal is not None else self.get_response(request)

    def _refusal(self, request: HttpRequest) -> HttpResponse | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or request.session.get(SESSION_KEY):
            return None
        if request.path.startswith(FILES) or not two_step_required(user):
            return None
        if has_second_step(user):
            # Checked on every page, the second step's own included: a session without the
            # proof must not reach the recovery codes either.
            if any(record.get("method") == "mfa" for record in get_authentication_records(request, user)):
                request.session[SESSION_KEY] = True
                return None
            logout(request)
            messages.warning(
                request,
                _(
                    "Your account now has a second step: sign in again, with the code from your "
                    "authenticator app."
                ),
            )
            return HttpResponseRedirect(reverse("account:sign-in"))
        if request.path.startswith(EXEMPT_PREFIXES):
            return None
        if request.method in ("GET", "HEAD") and "text/html" in request.headers.get("Accept", "text/html"):
            request.session[NEXT_SESSION_KEY] = request.get_full_path()
            messages.warning(
                request,
                _(
                    "Your role in Thaksa lets you see other people's records, so your account needs a "
                    "second step before you go on: set up an authenticator app now."
                ),
            )
            return HttpResponseRedirect(reverse("mfa_activate_totp"))
        return render(request, "identity/two_step_required.html", status=403)
