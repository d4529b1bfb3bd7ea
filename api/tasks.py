"""The provider's housekeeping: expired and revoked tokens do not pile up."""

from celery import shared_task
from oauth2_provider.models import clear_expired


@shared_task(name="api.clear_expired_tokens")
def clear_expired_tokens() -> None:
    """django-oauth-toolkit's own clean-up (REFRESH_TOKEN_EXPIRE_SECONDS decides how long a
    refresh token outlives its access token)."""
    clear_expired()
