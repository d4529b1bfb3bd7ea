"""Registering applications and their secrets. A client secret exists in clear only in the
response that shows it once; the database keeps a hash (django-oauth-toolkit hashes it on
save), so a lost secret is replaced, never recovered."""

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from oauth2_provider.generators import generate_client_secret
from oauth2_provider.models import get_access_token_model, get_grant_model, get_refresh_token_model

from api.models import Application
from people.models import User


@transaction.atomic
def application_secret_renew(*, application: Application) -> str:
    """A new secret for the application, returned once; the old one stops working at once and
    so do the tokens issued with it (they are revoked)."""
    secret: str = generate_client_secret()
    application.client_secret = secret
    application.save(update_fields=["client_secret", "updated"])
    application_tokens_revoke(application=application)
    return secret


def application_tokens_revoke(*, application: Application) -> int:
    """Revoke every access and refresh token of the application: what stops an application at
    once (a leaked secret, a partner that left)."""
    revoked = 0
    for refresh in get_refresh_token_model().objects.filter(application=application, revoked__isnull=True):
        refresh.revoke()
        revoked += 1
    deleted: int
    deleted, _ = get_access_token_model().objects.filter(application=application).delete()
    return revoked + deleted


def applications_allowed_by(*, user: User) -> QuerySet[Application]:
    """The applications this person let act for them that still can: a live access token, or a
    refresh token not revoked."""
    now = timezone.now()
    live_access = get_access_token_model().objects.filter(user=user, expires__gt=now).values("application_id")
    live_refresh = (
        get_refresh_token_model().objects.filter(user=user, revoked__isnull=True).values("application_id")
    )
    allowed: QuerySet[Application] = Application.objects.filter(
        Q(pk__in=live_access) | Q(pk__in=live_refresh)
    )
    return allowed.order_by("name")


@transaction.atomic
def application_access_withdraw(*, user: User, application: Application) -> None:
    """The person takes back what they allowed: every token the application holds for them
    ends now, and its next request for their account asks them again."""
    for refresh in get_refresh_token_model().objects.filter(
        user=user, application=application, revoked__isnull=True
    ):
        refresh.revoke()
    get_access_token_model().objects.filter(user=user, application=application).delete()
    get_grant_model().objects.filter(user=user, application=application).delete()
