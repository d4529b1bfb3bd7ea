from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ThemesConfig(AppConfig):
    """The site's look: base templates, static assets, branding per site, and the home page."""

    name = "themes"
    verbose_name = _("Themes")

    def ready(self) -> None:
        from themes import signals  # noqa: F401 - creates the home page after migrations
