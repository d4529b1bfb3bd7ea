from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificatesConfig(AppConfig):
    """Signed certificates, their credentials, verification, revocation and expiry."""

    name = "certificates"
    verbose_name = _("Certificates")

    def ready(self):
        from certificates import signals  # noqa: F401
