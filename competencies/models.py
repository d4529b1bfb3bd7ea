"""Competency frameworks, role requirements and the evidence of what people can do.

One generic model holds every framework Thaksa hosts (the Thai civil-service digital
competency framework, its superseded 2018 OCSC version, EU DigComp 2.2, the UK DDaT
framework, SFIA); nothing about any one of them is hard-coded:

    CompetencyFramework (versioned; may supersede another)
      └ ProficiencyScale → ProficiencyLevel (1..n, optional bands)
      └ CompetencyNode (a tree: area → competence → skill; core or optional)
          └ LevelDescriptor (what the node means at one level, where defined)
    RoleRequirement (people.RoleGroup × node → required level)
    CompetencyMapping (node of one framework ↔ node of another)
    CompetencyEvidence (person × node × level × source × date × validity)

A person's profile is the best valid evidence per node; a gap is a role requirement minus
that profile (competencies.selectors).
"""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lms.bilingual import in_active_language


class BilingualName:
    name_th: str
    name_en: str

    @property
    def name(self) -> str:
        return in_active_language(self.name_th, self.name_en)


class CompetencyFramework(BilingualName, models.Model):
    """A published competency framework in one version, e.g. TPQI-DSC 2024 or DigComp 2.2."""

    class Status(models.TextChoices):
        CURRENT = "current", _("Current")
        SUPERSEDED = "superseded", _("Superseded")
        DRAFT = "draft", _("Draft")

    code = models.CharField(
        _("code"), max_length=32, help_text=_("A short identifier shared by all versions, e.g. DIGCOMP.")
    )
    version = models.CharField(_("version"), max_length=32)
    name_th = models.CharField(_("name (Thai)"), max_length=255)
    name_en = models.CharField(_("name (English)"), max_length=255, blank=True)
    publisher = models.CharField(_("publisher"), max_length=255, blank=True)
    description_th = models.TextField(_("description (Thai)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    source_url = models.URLField(_("source"), blank=True)
    published_on = models.DateField(_("published"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.CURRENT)
    supersedes = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="superseded_by",
        verbose_name=_("supersedes"),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["code", "-version"]
        verbose_name = _("competency framework")
        verbose_name_plural = _("competency frameworks")
        constraints = [models.UniqueConstraint(fields=["code", "version"], name="unique_framework_version")]

    def __str__(self) -> str:
        return f"{self.name} ({self.version})"

    @property
    def description(self) -> str:
        return in_active_language(self.description_th, self.description_en)


class ProficiencyScale(BilingualName, models.Model):
    """The levels a framework measures proficiency in, e.g. DigComp's eight or DDaT's four."""

    framework = models.OneToOneField(
        CompetencyFramework, on_delete=models.CASCADE, related_name="scale", verbose_name=_("framework")
    )
    name_th = models.CharField(_("name (Thai)"), max_length=255)
    name_en = models.CharField(_("name (English)"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("proficiency scale")
        verbose_name_plural = _("proficiency scales")

    def __str__(self) -> str:
        return self.name


class ProficiencyLevel(BilingualName, models.Model):
    """One level of a scale. `value` orders the levels (1 is the lowest); a band groups them
    (DigComp: Foundation 1–2, Intermediate 3–4, Advanced 5–6, Highly specialised 7–8)."""

    scale = models.ForeignKey(
        ProficiencyScale, on_delete=models.CASCADE, related_name="levels", verbose_name=_("scale")
    )
    value = models.PositiveSmallIntegerField(_("level"))
    code = models.CharField(_("code"), max_length=32, blank=True)
    name_th = models.CharField(_("name (Thai)"), max_length=255)
    name_en = models.CharField(_("name (English)"), max_length=255, blank=True)
    band_th = models.CharField(_("band (Thai)"), max_length=100, blank=True)
    band_en = models.CharField(_("band (English)"), max_length=100, blank=True)

    class Meta:
        ordering = ["scale", "value"]
        verbose_name = _("proficiency level")
        verbose_name_plural = _("proficiency levels")
        constraints = [models.UniqueConstraint(fields=["scale", "value"], name="unique_level_value")]

    def __str__(self) -> str:
        return f"{self.value} · {self.name}"

    @property
    def band(self) -> str:
        return in_active_language(self.band_th, self.band_en)


class CompetencyNode(BilingualName, models.Model):
    """An area, competence or skill of a framework, in a tree (`parent`)."""

    class Kind(models.TextChoices):
        AREA = "area", _("Area")
        COMPETENCE = "competence", _("Competence")
        SKILL = "skill", _("Skill")

    framework = models.ForeignKey(
        CompetencyFramework, on_delete=models.CASCADE, related_name="nodes", verbose_name=_("framework")
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("part of"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.COMPETENCE)
    code = models.CharField(_("code"), max_length=32, help_text=_("Unique within the framework, e.g. 4.2."))
    name_th = models.CharField(_("name (Thai)"), max_length=255)
    name_en = models.CharField(_("name (English)"), max_length=255, blank=True)
    description_th = models.TextField(_("description (Thai)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    is_core = models.BooleanField(
        _("core"),
        default=False,
        help_text=_("Core competencies apply to everyone; the others by role or plan."),
    )
    sort_order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["framework", "sort_order", "code"]
        verbose_name = _("competency")
        verbose_name_plural = _("competencies")
        constraints = [models.UniqueConstraint(fields=["framework", "code"], name="unique_node_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def description(self) -> str:
        return in_active_language(self.description_th, self.description_en)

    def clean(self) -> None:
        super().clean()
        if self.parent_id and self.parent.framework_id != self.framework_id:
            raise ValidationError(
                {"parent": _("A competency can only be part of one in the same framework.")}
            )


class LevelDescriptor(models.Model):
    """What a competency looks like at one proficiency level (where the framework defines it)."""

    node = models.ForeignKey(
        CompetencyNode, on_delete=models.CASCADE, related_name="descriptors", verbose_name=_("competency")
    )
    level = models.ForeignKey(
        ProficiencyLevel, on_delete=models.CASCADE, related_name="descriptors", verbose_name=_("level")
    )
    text_th = models.TextField(_("descriptor (Thai)"))
    text_en = models.TextField(_("descriptor (English)"), blank=True)

    class Meta:
        ordering = ["node", "level__value"]
        verbose_name = _("level descriptor")
        verbose_name_plural = _("level descriptors")
        constraints = [models.UniqueConstraint(fields=["node", "level"], name="unique_node_level_descriptor")]

    def __str__(self) -> str:
        return f"{self.node.code} @ {self.level.value}"

    @property
    def text(self) -> str:
        return in_active_language(self.text_th, self.text_en)


class RoleRequirement(models.Model):
    """A role group needs a competency at a level of its framework's scale."""

    # The role group is people's HR classification; competencies attaches targets to it.
    role_group = models.ForeignKey(
        "people.RoleGroup",
        on_delete=models.CASCADE,
        related_name="requirements",
        verbose_name=_("role group"),
    )
    node = models.ForeignKey(
        CompetencyNode, on_delete=models.CASCADE, related_name="requirements", verbose_name=_("competency")
    )
    required_level = models.PositiveSmallIntegerField(_("required level"))

    class Meta:
        ordering = ["role_group", "node__sort_order"]
        verbose_name = _("role requirement")
        verbose_name_plural = _("role requirements")
        constraints = [models.UniqueConstraint(fields=["role_group", "node"], name="unique_role_requirement")]

    def __str__(self) -> str:
        return f"{self.role_group.code} · {self.node.code} ≥ {self.required_level}"


class CompetencyMapping(models.Model):
    """A link between competencies of two frameworks (e.g. OCSC 2018 → TPQI 2024)."""

    class Relation(models.TextChoices):
        EXACT = "exact", _("Same competency")
        BROADER = "broader", _("The target is broader")
        NARROWER = "narrower", _("The target is narrower")
        RELATED = "related", _("Related")

    source = models.ForeignKey(
        CompetencyNode, on_delete=models.CASCADE, related_name="mappings_out", verbose_name=_("from")
    )
    target = models.ForeignKey(
        CompetencyNode, on_delete=models.CASCADE, related_name="mappings_in", verbose_name=_("to")
    )
    relation = models.CharField(
        _("relation"), max_length=16, choices=Relation.choices, default=Relation.EXACT
    )

    class Meta:
        verbose_name = _("competency mapping")
        verbose_name_plural = _("competency mappings")
        constraints = [models.UniqueConstraint(fields=["source", "target"], name="unique_competency_mapping")]

    def __str__(self) -> str:
        return f"{self.source} → {self.target} ({self.relation})"


def valid_evidence_q(*, on: dt.date, through: str = "") -> Q:
    """**The one definition of evidence that counts** on the day `on` (`through` is the path
    to the evidence from another model): not withdrawn, achieved on or before `on`, and
    `valid_until` empty (for good) or on or after `on` (the last day counts). The level a
    person holds is the highest level among it (competencies.selectors.best_levels);
    `CompetencyEvidence.is_valid_on` is the same rule on one loaded row."""
    return Q(**{f"{through}withdrawn_at__isnull": True, f"{through}achieved_on__lte": on}) & (
        Q(**{f"{through}valid_until__isnull": True}) | Q(**{f"{through}valid_until__gte": on})
    )


class CompetencyEvidenceQuerySet(models.QuerySet):
    def valid_on(self, on: dt.date) -> "CompetencyEvidenceQuerySet":
        """Evidence that counts on `on`: `valid_evidence_q`."""
        return self.filter(valid_evidence_q(on=on))


class CompetencyEvidence(models.Model):
    """Something that shows a person holds a competency at a level, and until when.

    `reference` says which record produced it (e.g. "enrolment:42", "attempt:7",
    "import:<batch>:<row>"), so that the same event never records twice."""

    class Source(models.TextChoices):
        COURSE = "course", _("Course completed")
        TEST = "test", _("Post-test")
        IMPORT = "import", _("Imported record")
        MANAGER = "manager", _("Manager's assessment")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="competency_evidence",
        verbose_name=_("person"),
    )
    node = models.ForeignKey(
        CompetencyNode, on_delete=models.CASCADE, related_name="evidence", verbose_name=_("competency")
    )
    level = models.PositiveSmallIntegerField(_("level"))
    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    reference = models.CharField(_("reference"), max_length=64)
    course = models.ForeignKey(
        "courses.CoursePage",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("course"),
    )
    achieved_on = models.DateField(_("achieved"), default=timezone.localdate)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    note = models.CharField(_("note"), max_length=255, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    objects = CompetencyEvidenceQuerySet.as_manager()

    class Meta:
        ordering = ["-achieved_on"]
        verbose_name = _("competency evidence")
        verbose_name_plural = _("competency evidence")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "node", "source", "reference"], name="unique_evidence_reference"
            )
        ]
        indexes = [models.Index(fields=["user", "node"]), models.Index(fields=["valid_until"])]

    def __str__(self) -> str:
        return f"{self.user} · {self.node.code} {self.level}"

    def is_valid_on(self, day: dt.date) -> bool:
        """`valid_evidence_q` on this one row, without a query."""
        return (
            self.withdrawn_at is None
            and self.achieved_on <= day
            and (self.valid_until is None or self.valid_until >= day)
        )
