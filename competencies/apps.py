from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CompetenciesConfig(AppConfig):
    """Competency frameworks, role groups and their targets, and evidence of competence."""

    name = "competencies"
    verbose_name = _("Competencies")

    def ready(self):
        from competencies import signals  # noqa: F401
