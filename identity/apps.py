from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IdentityConfig(AppConfig):
    name = "identity"
    verbose_name = _("Sign-in and two-step verification")

    def ready(self) -> None:
        from identity import signals  # noqa: F401 - registers the receivers
