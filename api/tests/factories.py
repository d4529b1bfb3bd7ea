import datetime as dt
import secrets

from django.utils import timezone
from factory.declarations import Sequence
from factory.django import DjangoModelFactory
from oauth2_provider.models import AccessToken

from api.models import Application
from api.scopes import SCOPES

ALL_SCOPES = " ".join(SCOPES)


class ApplicationFactory(DjangoModelFactory[Application]):
    """A server-to-server application (client credentials); give it `unit` or `partner`."""

    class Meta:
        model = Application

    name = Sequence(lambda n: f"HR system {n}")
    client_type = Application.CLIENT_CONFIDENTIAL
    authorization_grant_type = Application.GRANT_CLIENT_CREDENTIALS
    allowed_scopes = ALL_SCOPES
    redirect_uris = ""


def bearer(application: Application, *, scope: str = ALL_SCOPES, user=None) -> dict[str, str]:
    """Headers of a fresh access token of this application (for the test client)."""
    token = AccessToken.objects.create(
        application=application,
        user=user,
        token=secrets.token_urlsafe(24),
        scope=scope,
        expires=timezone.now() + dt.timedelta(hours=1),
    )
    return {"HTTP_AUTHORIZATION": f"Bearer {token.token}"}
