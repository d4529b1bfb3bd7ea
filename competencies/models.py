"""Role groups: the groups of people who share competency targets.

The full framework model (frameworks, scales, competency nodes, role requirements, evidence)
is built on top of these in the competencies issue; a learner's profile already points here.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from lms.bilingual import in_active_language


class RoleGroup(models.Model):
    """A group of roles with the same competency targets, e.g. OCSC's CIO, EXE, MGT, ACA, SRV,
    TEC and OTH. Groups may nest (a tree through `parent`)."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name_th = models.CharField(_("name (Thai)"), max_length=255)
    name_en = models.CharField(_("name (English)"), max_length=255, blank=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent group"),
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("role group")
        verbose_name_plural = _("role groups")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return in_active_language(self.name_th, self.name_en)
