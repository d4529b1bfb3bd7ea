from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SubjectRightsConfig(AppConfig):
    """Data-subject rights under the PDPA: a person's data export, erasure, the requests queue
    for the DPO, and the retention rules. Above every app whose data it exports or erases."""

    name = "subject_rights"
    verbose_name = _("Data-subject rights")
