from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    """The append-only audit log: sign-ins, role changes, and who viewed or exported whose
    records. Below every app that records into it."""

    name = "audit"
    verbose_name = _("Audit log")
