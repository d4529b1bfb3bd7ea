"""Organisation units of the Thai public service, and the content partners who write courses."""

from collections.abc import Iterable
from functools import reduce
from operator import or_

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node
from wagtail.search import index

from lms.bilingual import in_active_language


class BilingualNameMixin:
    """`name` in the active language, falling back to Thai."""

    name_th: str
    name_en: str
    short_name_th: str
    short_name_en: str

    @property
    def name(self) -> str:
        return in_active_language(self.name_th, self.name_en)

    @property
    def short_name(self) -> str:
        return in_active_language(self.short_name_th, self.short_name_en) or self.name


class OrganisationUnit(BilingualNameMixin, index.Indexed, MP_Node):
    """A ministry, department, division or public organisation, in one tree.

    The materialised path (`path`) makes "this unit and everything below it" a single
    prefix filter, which is how HR managers' scope is enforced (see people.permissions).
    """

    class Kind(models.TextChoices):
        MINISTRY = "ministry", _("Ministry or equivalent")
        DEPARTMENT = "department", _("Department")
        DIVISION = "division", _("Division or office")
        PUBLIC_ORGANISATION = "public_organisation", _("Public organisation")
        STATE_ENTERPRISE = "state_enterprise", _("State enterprise")

    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    code = models.CharField(
        _("code"),
        max_length=32,
        unique=True,
        help_text=_("A short unique identifier, e.g. MDES-NSO. Used in imports and exports."),
    )
    name_th = models.CharField(_("name (Thai)"), max_length=255)
    name_en = models.CharField(_("name (English)"), max_length=255, blank=True)
    short_name_th = models.CharField(_("short name (Thai)"), max_length=64, blank=True)
    short_name_en = models.CharField(_("short name (English)"), max_length=64, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    node_order_by = ["code"]

    search_fields = [
        index.SearchField("name_th"),
        index.SearchField("name_en"),
        index.AutocompleteField("name_th"),
        index.AutocompleteField("name_en"),
        index.SearchField("code"),
        index.SearchField("short_name_th"),
        index.SearchField("short_name_en"),
        index.FilterField("kind"),
        index.FilterField("is_active"),
    ]

    class Meta:
        verbose_name = _("organisation unit")
        verbose_name_plural = _("organisation units")

    def __str__(self) -> str:
        return self.name

    @property
    def admin_label(self) -> str:
        """The name indented by depth, so admin listings read as a tree."""
        return "— " * (self.depth - 1) + self.name

    admin_label.fget.short_description = _("Name")


def within_units(paths: Iterable[str], *, through: str = "") -> Q:
    """Rows whose organisation unit lies in the subtree of any of these tree paths.

    `through` names the way from the filtered model to its unit ("profile__unit" from a
    User, "unit" from a LearnerProfile, "" on OrganisationUnit itself). The materialised path
    makes "this unit and everything below it" a prefix match: one indexed LIKE per subtree.
    """
    field = f"{through}__path__startswith" if through else "path__startswith"
    return reduce(or_, (Q(**{field: path}) for path in paths), Q(pk__in=[]))


class ContentPartner(BilingualNameMixin, index.Indexed, models.Model):
    """A university or institute that contributes courses. Its members hold partner roles."""

    class Kind(models.TextChoices):
        UNIVERSITY = "university", _("University")
        INSTITUTE = "institute", _("Institute or academy")
        GOVERNMENT_AGENCY = "government_agency", _("Government agency")
        OTHER = "other", _("Other")

    code = models.SlugField(_("code"), max_length=32, unique=True)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    name_th = models.CharField(_("name (Thai)"), max_length=255)
    name_en = models.CharField(_("name (English)"), max_length=255, blank=True)
    short_name_th = models.CharField(_("short name (Thai)"), max_length=64, blank=True)
    short_name_en = models.CharField(_("short name (English)"), max_length=64, blank=True)
    website = models.URLField(_("website"), blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    search_fields = [
        index.SearchField("name_th"),
        index.SearchField("name_en"),
        index.AutocompleteField("name_th"),
        index.SearchField("code"),
        index.FilterField("kind"),
        index.FilterField("is_active"),
    ]

    class Meta:
        ordering = ["code"]
        verbose_name = _("content partner")
        verbose_name_plural = _("content partners")

    def __str__(self) -> str:
        return self.name
