from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationsConfig(AppConfig):
    """The public service as data (organisation units) and the content partners."""

    name = "organisations"
    verbose_name = _("Organisations")
