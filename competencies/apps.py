from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CompetenciesConfig(AppConfig):
    """Competency frameworks, role requirements, and evidence of competence.

    No signal receivers: the apps above competencies write their events' evidence through
    their evidence sources (competencies.evidence_sources)."""

    name = "competencies"
    verbose_name = _("Competencies")
