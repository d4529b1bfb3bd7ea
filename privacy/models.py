"""The platform's own PDPA duties as data: the record of processing activities (s.39), the
privacy notices people are shown (s.23), each person's acknowledgement of a notice version,
and consent for the purposes that need it (s.19).

Lawful bases follow `../shared/docs/competencies.md`: mandated training is a public task,
enrolment a contract, HR reporting a legal obligation; only what is optional rests on consent.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lms.bilingual import in_active_language


class LawfulBasis(models.TextChoices):
    """PDPA s.24 (and s.19 for consent)."""

    CONSENT = "consent", _("Consent (s.19)")
    CONTRACT = "contract", _("Contract (s.24(3))")
    LEGAL_OBLIGATION = "legal_obligation", _("Legal obligation (s.24(6))")
    PUBLIC_TASK = "public_task", _("Public task (s.24(4))")
    LEGITIMATE_INTEREST = "legitimate_interest", _("Legitimate interest (s.24(5))")
    VITAL_INTEREST = "vital_interest", _("Vital interest (s.24(2))")


class ConsentPurpose(models.TextChoices):
    """The optional purposes: the only ones a person is asked to consent to. Everything the
    platform needs to run the civil service's training rests on another basis (see the
    record of processing), so it is never put to a consent that could be refused.

    Thaksa runs no optional analytics (no tracking, no third-party measurement), so no
    consent is asked for one; a new optional purpose is one entry here, a line in the record
    of processing, and a `consent_given` check at the one place that acts on it."""

    OPTIONAL_EMAIL = "optional_email", _("Optional e-mails: reminders before a certificate expires")


class ProcessingActivity(models.Model):
    """One line of the record of processing activities (PDPA s.39), kept by the DPO."""

    name_th = models.CharField(_("activity (Thai)"), max_length=200)
    name_en = models.CharField(_("activity (English)"), max_length=200, blank=True)
    purpose_th = models.TextField(_("purpose (Thai)"))
    purpose_en = models.TextField(_("purpose (English)"), blank=True)
    lawful_basis = models.CharField(_("lawful basis"), max_length=32, choices=LawfulBasis.choices)
    consent_purpose = models.CharField(
        _("consent purpose"),
        max_length=32,
        choices=ConsentPurpose.choices,
        blank=True,
        help_text=_("Only for activities whose lawful basis is consent: the choice people make."),
    )
    data_subjects = models.CharField(_("whose data"), max_length=300)
    data_categories = models.TextField(_("categories of personal data"))
    recipients_th = models.TextField(_("recipients (Thai)"))
    recipients_en = models.TextField(_("recipients (English)"), blank=True)
    retention_th = models.CharField(_("retention period (Thai)"), max_length=300)
    retention_en = models.CharField(_("retention period (English)"), max_length=300, blank=True)
    security_measures = models.TextField(_("security measures"), blank=True)
    transfers_abroad = models.CharField(
        _("transfers abroad"), max_length=300, blank=True, help_text=_("Leave empty when there are none.")
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("processing activity")
        verbose_name_plural = _("record of processing activities")
        ordering = ["sort_order", "pk"]
        constraints = [
            models.CheckConstraint(
                name="consent_purpose_only_for_consent",
                condition=(models.Q(lawful_basis="consent") & ~models.Q(consent_purpose=""))
                | (~models.Q(lawful_basis="consent") & models.Q(consent_purpose="")),
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return in_active_language(self.name_th, self.name_en)

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        super().clean()
        if self.lawful_basis == LawfulBasis.CONSENT and not self.consent_purpose:
            raise ValidationError(
                {"consent_purpose": _("Say which optional purpose people consent to for this activity.")}
            )
        if self.lawful_basis != LawfulBasis.CONSENT and self.consent_purpose:
            raise ValidationError(
                {"consent_purpose": _("Only activities based on consent name a consent purpose.")}
            )

    def snapshot(self) -> dict[str, Any]:
        """What a published notice keeps of this line, as it was on publication."""
        return {
            "name": {"th": self.name_th, "en": self.name_en},
            "purpose": {"th": self.purpose_th, "en": self.purpose_en},
            "lawful_basis": self.lawful_basis,
            "consent_purpose": self.consent_purpose,
            "data_subjects": self.data_subjects,
            "data_categories": self.data_categories,
            "recipients": {"th": self.recipients_th, "en": self.recipients_en},
            "retention": {"th": self.retention_th, "en": self.retention_en},
            "transfers_abroad": self.transfers_abroad,
        }


class PrivacyNoticeQuerySet(models.QuerySet["PrivacyNotice"]):
    def published(self) -> PrivacyNoticeQuerySet:
        return self.filter(published_at__isnull=False, published_at__lte=timezone.now())


class PrivacyNotice(models.Model):
    """A version of the privacy notice. A draft can be edited; publishing numbers it, freezes
    its text and a snapshot of the record of processing, and everybody is asked to read it
    at their next visit."""

    version = models.PositiveIntegerField(_("version"), null=True, blank=True, unique=True, editable=False)
    introduction_th = models.TextField(_("introduction (Thai)"))
    introduction_en = models.TextField(_("introduction (English)"))
    rights_th = models.TextField(
        _("your rights and how to use them (Thai)"),
        help_text=_("Access, a copy, objection, erasure, restriction, rectification, complaint to the PDPC."),
    )
    rights_en = models.TextField(_("your rights and how to use them (English)"))
    controller_contact = models.TextField(
        _("controller and DPO contact"), help_text=_("Who is responsible, and how to reach the DPO.")
    )
    processing = models.JSONField(_("processing activities as published"), default=list, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True, editable=False)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("published by"),
    )

    objects = PrivacyNoticeQuerySet.as_manager()

    class Meta:
        verbose_name = _("privacy notice")
        verbose_name_plural = _("privacy notices")
        ordering = ["-version", "-pk"]

    def __str__(self) -> str:
        if self.version is None:
            return str(pgettext_lazy("privacy notice", "Draft notice"))
        return str(_("Privacy notice, version %(version)s") % {"version": self.version})

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    @property
    def introduction(self) -> str:
        return in_active_language(self.introduction_th, self.introduction_en)

    @property
    def rights(self) -> str:
        return in_active_language(self.rights_th, self.rights_en)


class NoticeAcknowledgement(models.Model):
    """A person read a notice version (recorded once per version)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notice_acknowledgements",
        verbose_name=_("person"),
    )
    notice = models.ForeignKey(
        PrivacyNotice, on_delete=models.PROTECT, related_name="acknowledgements", verbose_name=_("notice")
    )
    acknowledged_at = models.DateTimeField(_("acknowledged"), default=timezone.now)

    class Meta:
        verbose_name = _("notice acknowledgement")
        verbose_name_plural = _("notice acknowledgements")
        constraints = [
            models.UniqueConstraint(fields=["user", "notice"], name="one_acknowledgement_per_version")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} · {self.notice}"


class ConsentRecord(models.Model):
    """One decision about one optional purpose: given or withdrawn. The records are a history;
    the latest one per purpose is the person's current choice (privacy.selectors)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="consent_records",
        verbose_name=_("person"),
    )
    purpose = models.CharField(_("purpose"), max_length=32, choices=ConsentPurpose.choices)
    given = models.BooleanField(_("given"))
    notice = models.ForeignKey(
        PrivacyNotice,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("notice shown"),
    )
    decided_at = models.DateTimeField(_("decided"), default=timezone.now)

    class Meta:
        verbose_name = _("consent record")
        verbose_name_plural = _("consent records")
        ordering = ["-decided_at", "-pk"]
        indexes = [models.Index(fields=["user", "purpose", "-decided_at"], name="consent_latest")]

    def __str__(self) -> str:
        return f"{self.user_id} · {self.purpose} · {self.given}"
