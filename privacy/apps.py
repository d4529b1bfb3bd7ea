from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class PrivacyConfig(AppConfig):
    """PDPA notices and their acknowledgements, consent for the optional purposes, and the
    record of processing activities."""

    name = "privacy"
    verbose_name = pgettext_lazy("app name", "Privacy")
