"""What Django's own authentication events leave in the audit log: sign-in, failed sign-in,
sign-out, a lockout (django-axes, when installed), and a password changed or reset on any page
(the site's, the admin's, a reset link)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.http import HttpRequest

from audit.middleware import current_request
from audit.models import Action
from audit.services import audit_record


def _account_for(address: str) -> AbstractBaseUser | None:
    if not address:
        return None
    model = get_user_model()
    found: AbstractBaseUser | None = model._default_manager.filter(
        **{f"{model.USERNAME_FIELD}__iexact": address.strip()}
    ).first()
    return found


def record_sign_in(sender: Any, request: HttpRequest | None, user: AbstractBaseUser, **kwargs: Any) -> None:
    audit_record(action=Action.SIGN_IN, actor=user, request=request)


def record_sign_out(
    sender: Any, request: HttpRequest | None, user: AbstractBaseUser | None, **kwargs: Any
) -> None:
    audit_record(action=Action.SIGN_OUT, actor=user, request=request)


def _record_attempt(*, action: str, address: str, request: HttpRequest | None) -> None:
    # An address that belongs to an account is recorded as that account (by id); one that
    # belongs to none is kept as typed, which is what shows credential stuffing.
    account = _account_for(address)
    audit_record(
        action=action,
        subject=account,
        attempted="" if account is not None else address,
        request=request,
    )


def record_failed_sign_in(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    model = get_user_model()
    address = str(credentials.get(model.USERNAME_FIELD) or credentials.get("username") or "")
    _record_attempt(action=Action.SIGN_IN_FAILED, address=address, request=request)


def record_lockout(
    sender: Any, request: HttpRequest | None = None, username: str | None = None, **kwargs: Any
) -> None:
    _record_attempt(action=Action.LOCKOUT, address=username or "", request=request)


def record_password_change(sender: Any, instance: AbstractBaseUser, created: bool, **kwargs: Any) -> None:
    """A saved account whose password was just set (set_password leaves the raw password on
    the instance until the save completes). Changed by whoever is signed in; reset when
    nobody is (the reset link's page)."""
    if created or getattr(instance, "_password", None) is None:
        return
    request = current_request()
    signed_in = request is not None and request.user.is_authenticated
    action = Action.PASSWORD_RESET if request is not None and not signed_in else Action.PASSWORD_CHANGED
    audit_record(action=action, subject=instance, request=request)
