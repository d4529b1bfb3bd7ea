from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnalyticsConfig(AppConfig):
    """Pre-computed aggregates and the dashboards that read them."""

    name = "analytics"
    verbose_name = _("Analytics")

    def ready(self) -> None:
        from analytics import signals  # noqa: F401
