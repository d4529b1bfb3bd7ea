"""Sign-in with a provider: which account a first sign-in belongs to, and what a new account
from a provider holds. allauth calls these through identity.adapters."""

import logging
import time
from dataclasses import dataclass
from typing import Any

from allauth.account.authentication import get_authentication_records
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from identity.policies import has_second_step, two_step_required
from people.models import User

logger = logging.getLogger(__name__)

# A second step may be set up without typing the password again this soon after signing in.
SIGNED_IN_MOMENTS_AGO_SECONDS = 5 * 60
# New accounts without an address from the provider get a placeholder nobody can receive mail at.
PLACEHOLDER_DOMAIN = "sign-in.invalid"


@dataclass(frozen=True)
class FirstSignIn:
    """The account a first sign-in links to, or why it links to none and makes none."""

    user: User | None = None
    refusal: str | Promise | None = None


def account_for_first_sign_in(extra_data: dict[str, Any], entry: dict[str, Any]) -> FirstSignIn:
    """The account a provider's first sign-in belongs to (identity.adapters explains the order).

    No account: a new one is made when the entry allows (`create_accounts`), unless the
    provider named an address that is already someone's: that is refused rather than linked,
    since the provider did not vouch for it (or is not trusted to)."""
    digest = extra_data.get("national_id_hash")
    if digest:
        found = User.objects.filter(national_id_hash=digest).first()
        if found is not None:
            return _linkable_by_national_id(found, extra_data)
    email = (extra_data.get("email") or "").lower()
    if email:
        found = User.objects.filter(email__iexact=email).first()
        if found is not None:
            if entry.get("trust_email") and extra_data.get("email_verified"):
                if digest and found.national_id_hash and found.national_id_hash != digest:
                    return FirstSignIn(
                        refusal=_(
                            "The account with this address belongs to someone with another national ID "
                            "number. Ask your agency's HR manager to check your record."
                        )
                    )
                return _usable(found)
            return FirstSignIn(
                refusal=_(
                    "An account with the address this provider gave already exists, and the provider "
                    "has not confirmed that the address is yours. Sign in with your password, then "
                    "connect this provider on your account page."
                )
            )
    if not entry.get("create_accounts"):
        return FirstSignIn(
            refusal=_(
                "No Thaksa account belongs to you yet. Ask your agency's HR manager to add you to "
                "the staff list, or sign in with your password and connect this provider on your "
                "account page."
            )
        )
    return FirstSignIn()


def _linkable_by_national_id(user: User, extra_data: dict[str, Any]) -> FirstSignIn:
    """The number on an account came from an agency's staff list, which the person did not
    check: it links only an account nobody has used yet (never signed in, no password), whose
    role does not require a second step, and whose Thai names, when both sides have them, are
    the provider's. Anything else the person links themselves, signed in with their password."""
    if not user.is_active:
        return _usable(user)
    names_differ = any(
        extra_data.get(claim)
        and getattr(user, field)
        and _name_key(extra_data[claim]) != _name_key(getattr(user, field))
        for claim, field in (("given_name", "first_name"), ("family_name", "last_name"))
    )
    if user.last_login is not None or user.has_usable_password() or two_step_required(user) or names_differ:
        return FirstSignIn(
            refusal=_(
                "Your national ID number is recorded on a Thaksa account that this sign-in cannot take "
                "over by itself. Sign in with that account's password, then connect the provider on your "
                "account page; if you have no password, ask your agency's HR manager."
            )
        )
    return FirstSignIn(user=user)


def _name_key(name: str) -> str:
    return "".join(name.split()).casefold()


def _usable(user: User) -> FirstSignIn:
    if not user.is_active:
        return FirstSignIn(
            refusal=_("This account is closed. Ask your agency's HR manager to open it again.")
        )
    return FirstSignIn(user=user)


def fill_new_account(user: User, extra_data: dict[str, Any], uid: str, entry: dict[str, Any]) -> User:
    """A new account made by a first sign-in: names from the provider, no password (the person
    signs in with the provider), and the provider's address only when the provider vouches
    for it and the entry trusts that (`trust_email`): an address taken unchecked would later
    receive the agency's records for whoever really holds it. Otherwise a placeholder."""
    vouched = bool(extra_data.get("email_verified")) and bool(entry.get("trust_email"))
    email = (extra_data.get("email") or "").lower() if vouched else ""
    user.email = email or f"{uid[:24]}@{PLACEHOLDER_DOMAIN}"
    user.first_name = extra_data.get("given_name", "")[:150]
    user.last_name = extra_data.get("family_name", "")[:150]
    user.first_name_en = extra_data.get("given_name_en", "")[:150]
    user.last_name_en = extra_data.get("family_name_en", "")[:150]
    user.set_unusable_password()
    return user


def remember_national_id(user: User, extra_data: dict[str, Any]) -> None:
    """Keep the national ID's keyed hash on the account, unless it already has one or another
    account holds it (an agency's staff list decides between two accounts, not a sign-in)."""
    digest = extra_data.get("national_id_hash")
    if not digest or user.national_id_hash:
        return
    try:
        with transaction.atomic():
            User.objects.filter(pk=user.pk, national_id_hash__isnull=True).update(national_id_hash=digest)
    except IntegrityError:
        logger.warning("A national ID from a sign-in is already held by another account (user %s).", user.pk)
        return
    user.national_id_hash = digest


def first_second_step_moments_after_sign_in(request: HttpRequest) -> bool:
    """Whether this request sets up the person's first authenticator app or security key
    within minutes of signing in."""
    user = request.user
    if not user.is_authenticated or request.path not in (
        reverse("mfa_activate_totp"),
        reverse("mfa_add_webauthn"),
    ):
        return False
    if has_second_step(user):
        return False
    records = get_authentication_records(request, user)
    return bool(records) and time.time() - float(records[-1].get("at", 0)) < SIGNED_IN_MOMENTS_AGO_SECONDS


def log_provider_refusal(provider: Any, error: object, exception: object) -> None:
    name = getattr(getattr(provider, "app", None), "provider_id", None) or getattr(provider, "id", "?")
    logger.warning("Sign-in with %s failed: %s %s", name, error, exception or "")


def authenticator_app_set_up(user: User, secret: str) -> bool:
    """Give the person an authenticator app with this key (base32) and recovery codes, unless
    they have one: what the setup page does once the person has typed a code, for accounts
    made by a script (the demo's). Whether one was set up."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
    from allauth.mfa.totp.internal.auth import TOTP

    if Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        return False
    TOTP.activate(user, secret)
    RecoveryCodes.activate(user)
    return True


def authenticator_code_now(secret: str) -> str:
    """The code an authenticator app with this key shows now."""
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    return str(format_hotp_value(hotp_value(secret, int(time.time()) // 30)))
