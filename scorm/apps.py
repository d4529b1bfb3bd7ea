from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScormConfig(AppConfig):
    """SCORM 1.2 and 2004 packages: safe import, the player, commits and reports."""

    name = "scorm"
    verbose_name = _("SCORM")

    def ready(self) -> None:
        from scorm import checks  # noqa: F401 - registers the content-origin check
