"""Failed sign-ins: how many are allowed, and for how long the sign-in stays refused after.

django-axes counts the failures of every sign-in that goes through Django's `authenticate`
(the site's sign-in page and the Wagtail admin's) and refuses the next ones once a limit is
reached, for a cool-off period (`AXES_COOLOFF_TIME`). Three limits apply, each counted over
the cool-off period, each in the settings:

- one account from one client (`AXES_FAILURE_LIMIT`, axes's own): someone who mistyped their
  password a few times, or somebody guessing it;
- one client across accounts (`THAKSA_SIGN_IN_FAILURE_LIMIT_PER_CLIENT`): credential stuffing,
  many addresses with a leaked password each. Higher, because a ministry's offices may reach
  us through one address;
- one account across clients (`THAKSA_SIGN_IN_FAILURE_LIMIT_PER_ACCOUNT`): guessing one
  person's password from many addresses. Whoever reaches it can keep that person out for the
  cool-off; resetting the password lets them in at once (`sign_in_failures_forget`).

The client is `lms.client_ip.client_ip` (`AXES_CLIENT_IP_CALLABLE`), the account the address
typed, in the form Thaksa stores it (`sign_in_username`), so "Somchai@Agency.go.th" and
"somchai@agency.go.th" are one account. Failures of addresses that have no account count
the same, so a refusal tells nobody whether an address has one. A successful sign-in clears
that account's failures from that client (`AXES_RESET_ON_SUCCESS`).
"""

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt
from axes.signals import user_locked_out
from axes.utils import reset
from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone

USERNAME_FIELD = "username"  # what AuthenticationForm (ours and Wagtail's) hands to authenticate()


def sign_in_username(request: HttpRequest, credentials: Mapping[str, Any] | None) -> str | None:
    """The account a sign-in is for, as stored: the e-mail address, trimmed and in lower case
    (`AXES_USERNAME_CALLABLE`)."""
    typed = (credentials or {}).get(USERNAME_FIELD)
    if typed is None and request is not None:
        typed = request.POST.get(USERNAME_FIELD)
    if not typed:
        return None
    return str(typed).strip().lower()[:255]


def _cool_off(request: HttpRequest | None) -> timedelta:
    return get_cool_off(request) or timedelta(0)


def _limits(request: HttpRequest, credentials: Mapping[str, Any] | None) -> list[tuple[dict[str, str], int]]:
    """Each limit as (which failures count, how many are allowed)."""
    username = get_client_username(request, credentials)
    address = getattr(request, "axes_ip_address", None)
    limits: list[tuple[dict[str, str], int]] = []
    if username and address:
        limits.append(({"username": username, "ip_address": address}, int(settings.AXES_FAILURE_LIMIT)))
    if address:
        limits.append(({"ip_address": address}, int(settings.THAKSA_SIGN_IN_FAILURE_LIMIT_PER_CLIENT)))
    if username:
        limits.append(({"username": username}, int(settings.THAKSA_SIGN_IN_FAILURE_LIMIT_PER_ACCOUNT)))
    return limits


def sign_in_locked_until(
    request: HttpRequest, credentials: Mapping[str, Any] | None = None
) -> datetime | None:
    """When this sign-in (this client, this account) is allowed again; None if it is allowed now.

    axes keeps one row per account, client and browser, with its failures and the time of the
    latest one; a row counts while that time is within the cool-off. A limit is reached when
    the newest rows add up to it, and lifts a cool-off after the oldest of those rows."""
    cool_off = _cool_off(request)
    since = timezone.now() - cool_off
    until: datetime | None = None
    for counted, limit in _limits(request, credentials):
        failures = 0
        rows = (
            AccessAttempt.objects.filter(**counted, attempt_time__gte=since)
            .order_by("-attempt_time")
            .values_list("attempt_time", "failures_since_start")
        )
        for attempt_time, count in rows:
            failures += count
            if failures >= limit:
                lifted = attempt_time + cool_off
                until = lifted if until is None else max(until, lifted)
                break
    return until


class SignInFailureHandler(AxesDatabaseHandler):
    """axes's database handler (`AXES_HANDLER`) with the three limits above instead of one.

    axes itself locks on its own limit (one account from one client) when a failure is
    recorded; this handler also locks when a wider limit is reached, and asks all three
    before every sign-in."""

    def is_locked(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> bool:
        refused_until = sign_in_locked_until(request, credentials)
        return bool(getattr(settings, "AXES_LOCK_OUT_AT_FAILURE", True)) and refused_until is not None

    def user_login_failed(
        self, sender: object, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
    ) -> None:
        super().user_login_failed(sender, credentials, request, **kwargs)
        if request is None or getattr(request, "axes_locked_out", False):
            return
        if not self.is_locked(request, credentials):
            return
        request.axes_locked_out = True  # type: ignore[attr-defined]
        request.axes_credentials = credentials  # type: ignore[attr-defined]
        user_locked_out.send(
            "axes",
            request=request,
            username=get_client_username(request, credentials),
            ip_address=getattr(request, "axes_ip_address", None),
        )


def sign_in_failures_forget(*, email: str) -> int:
    """Forget an account's failed sign-ins from every client: its owner has just proved they
    hold the mailbox (a password reset), so a lockout someone else caused ends for them.
    Returns how many failure records were removed."""
    return int(reset(username=email.strip().lower()))
