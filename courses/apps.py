from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    """Catalogue, course pages, lessons, enrolment, progress and the learning-hours ledger."""

    name = "courses"
    verbose_name = _("Courses")

    def ready(self) -> None:
        from courses import signals  # noqa: F401
