from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    """Question banks, quizzes (pre-test, post-test, practice, survey), attempts and grading."""

    name = "assessments"
    verbose_name = _("Assessments")
