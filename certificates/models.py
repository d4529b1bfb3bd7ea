"""Certificates, the designs they are drawn with, and the keys that sign their credentials.

A `Certificate` is issued once per learner × course × validity period (`issuance_key`); a
re-issue is a new *revision* under the same key and the old document stays as it was, marked
superseded. What was printed is kept in `content` (the texts, both languages), the signed PDF
in storage with its SHA-256, and the signed Open Badges 3.0 credential in `credential`. The
status (valid, revoked, suspended, superseded) lives here and is published as Bitstring
Status Lists; "expired" is not a status but a date (`valid_until`) that has passed.
"""

import datetime as dt

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable, PreviewableMixin
from wagtail.search import index

validate_hex_colour = RegexValidator(
    r"^#[0-9a-fA-F]{6}$", _("Enter a colour as # followed by six hexadecimal digits, e.g. #1f3a5f.")
)


class Layout(models.TextChoices):
    CLASSIC = "classic", _("Classic: centred, double border")
    MODERN = "modern", _("Modern: coloured band with the logo on the left")


class CertificateTemplate(PreviewableMixin, index.Indexed, ClusterableModel):
    """A certificate design: a Wagtail snippet chosen per course, else the partner's default,
    else the platform's default."""

    name = models.CharField(_("name"), max_length=100)
    partner = models.ForeignKey(
        "organisations.ContentPartner",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="certificate_templates",
        verbose_name=_("content partner"),
        help_text=_("Empty: a platform design any course may use."),
    )
    is_default = models.BooleanField(
        _("default design"),
        default=False,
        help_text=_(
            "Used by the partner's courses (or, for a platform design, by every course) that choose none."
        ),
    )
    layout = models.CharField(_("layout"), max_length=16, choices=Layout.choices, default=Layout.CLASSIC)
    primary_colour = models.CharField(
        _("main colour"), max_length=7, default="#1f3a5f", validators=[validate_hex_colour]
    )
    accent_colour = models.CharField(
        _("accent colour"), max_length=7, default="#b8860b", validators=[validate_hex_colour]
    )
    background = models.ForeignKey(
        "wagtailimages.Image",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("background image"),
        help_text=_("Optional, drawn under everything: A4 landscape (297 × 210 mm), light and quiet."),
    )
    logo = models.ForeignKey(
        "wagtailimages.Image",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("logo"),
    )
    heading_th = models.CharField(_("heading (Thai)"), max_length=120, default="ประกาศนียบัตร")
    heading_en = models.CharField(_("heading (English)"), max_length=120, default="Certificate of Completion")
    statement_th = models.CharField(
        _("opening line (Thai)"), max_length=200, default="ขอมอบประกาศนียบัตรฉบับนี้ให้ไว้เพื่อแสดงว่า"
    )
    statement_en = models.CharField(
        _("opening line (English)"), max_length=200, default="This is to certify that"
    )
    completion_th = models.CharField(
        _("completion line (Thai)"), max_length=200, default="ได้สำเร็จการอบรมหลักสูตร"
    )
    completion_en = models.CharField(
        _("completion line (English)"), max_length=200, default="has successfully completed the course"
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("partner"), FieldPanel("is_default")]),
        MultiFieldPanel(
            [
                FieldPanel("layout"),
                FieldRowPanel([FieldPanel("primary_colour"), FieldPanel("accent_colour")]),
                FieldRowPanel([FieldPanel("logo"), FieldPanel("background")]),
            ],
            heading=_("Look"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("heading_th"), FieldPanel("heading_en")]),
                FieldRowPanel([FieldPanel("statement_th"), FieldPanel("statement_en")]),
                FieldRowPanel([FieldPanel("completion_th"), FieldPanel("completion_en")]),
            ],
            heading=_("Wording"),
        ),
        InlinePanel(
            "signatories",
            label=_("signatory"),
            max_num=3,
            heading=_("Signatories"),
            help_text=_(
                "Up to three, printed side by side. Signature images: PNG with a transparent background."
            ),
        ),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["partner__code", "name"]
        verbose_name = _("certificate design")
        verbose_name_plural = _("certificate designs")

    def __str__(self):
        return self.name

    def serve_preview(self, request: HttpRequest, mode_name: str) -> HttpResponse:
        """The preview is the real thing: a sample certificate drawn with this design (also
        unsaved edits: Wagtail's live preview), for people who may see the design."""
        # Both modules import this one: imported here, when a preview is asked for.
        from certificates.documents import design_sample_pdf
        from certificates.permissions import designs_visible

        if self.pk and not designs_visible(request.user).filter(pk=self.pk).exists():
            raise PermissionDenied
        try:
            pdf = design_sample_pdf(design=self)
        except ValueError as error:  # an image or colour the renderer cannot use; says which
            return HttpResponse(
                _("This design cannot be drawn yet: %(problem)s") % {"problem": error},
                status=400,
                content_type="text/plain; charset=utf-8",
            )
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = 'inline; filename="certificate-preview.pdf"'
        return response


class Signatory(Orderable):
    template = ParentalKey(CertificateTemplate, on_delete=models.CASCADE, related_name="signatories")
    name_th = models.CharField(_("name (Thai)"), max_length=150)
    name_en = models.CharField(_("name (English)"), max_length=150)
    position_th = models.CharField(_("position (Thai)"), max_length=200)
    position_en = models.CharField(_("position (English)"), max_length=200)
    signature = models.ForeignKey(
        "wagtailimages.Image",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("signature image"),
    )

    panels = [
        FieldRowPanel([FieldPanel("name_th"), FieldPanel("name_en")]),
        FieldRowPanel([FieldPanel("position_th"), FieldPanel("position_en")]),
        FieldPanel("signature"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("signatory")
        verbose_name_plural = _("signatories")


class CredentialKey(models.Model):
    """Every Ed25519 public key that has signed credentials. Rotating the key adds a row; old
    rows stay, so credentials signed before a rotation still verify as ours."""

    public_key_multibase = models.CharField(_("public key"), max_length=64, unique=True)
    first_used_at = models.DateTimeField(_("first used"), default=timezone.now)

    class Meta:
        verbose_name = _("credential key")
        verbose_name_plural = _("credential keys")

    def __str__(self):
        return self.public_key_multibase


def expired_q(*, on: dt.date) -> Q:
    """Valid certificates whose last day (`valid_until`) is before `on`: what the verification
    page calls "expired" (`Certificate.public_status`, `is_expired` on one certificate)."""
    return Q(status=Certificate.Status.VALID, valid_until__lt=on)


class Certificate(models.Model):
    class Status(models.TextChoices):
        VALID = "valid", _("Valid")
        SUSPENDED = "suspended", _("Suspended")
        REVOKED = "revoked", _("Revoked")
        SUPERSEDED = "superseded", _("Superseded")

    class Reason(models.TextChoices):
        """Why a certificate was revoked, suspended or replaced: shown on the public page as a
        category; the note beside it stays internal."""

        ISSUED_IN_ERROR = "issued_in_error", _("Issued in error")
        DATA_CORRECTION = "data_correction", _("Details on the certificate were wrong")
        MISCONDUCT = "misconduct", _("Course requirements were not honestly met")
        UNDER_REVIEW = "under_review", _("Under review")
        RECERTIFIED = "recertified", _("Replaced by a recertification")
        OTHER = "other", _("Other")

    public_id = models.CharField(_("public identifier"), max_length=32, unique=True, editable=False)
    number = models.CharField(_("certificate number"), max_length=32, unique=True, editable=False)
    verification_code = models.CharField(_("verification code"), max_length=8, unique=True, editable=False)
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="certificates",
        verbose_name=_("learner"),
    )
    course = models.ForeignKey(
        "courses.CoursePage", on_delete=models.PROTECT, related_name="certificates", verbose_name=_("course")
    )
    enrolment = models.ForeignKey(
        "courses.Enrolment",
        on_delete=models.PROTECT,
        related_name="certificates",
        verbose_name=_("enrolment"),
    )
    issuance_key = models.CharField(_("issuance key"), max_length=64, editable=False)
    revision = models.PositiveSmallIntegerField(_("revision"), default=1, editable=False)
    completed_at = models.DateTimeField(_("completed"))
    issued_at = models.DateTimeField(_("issued"), default=timezone.now)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.VALID)
    status_changed_at = models.DateTimeField(_("status changed"), null=True, blank=True)
    status_reason = models.CharField(_("reason"), max_length=32, choices=Reason.choices, blank=True)
    status_note = models.TextField(_("internal note"), blank=True)
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("status changed by"),
    )
    superseded_by = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="supersedes",
        verbose_name=_("superseded by"),
    )
    # Where the certificate sits in the published status lists (certificates.status_list): list
    # number from its id, position drawn at random; empty only inside the issuing transaction.
    status_list_number = models.PositiveIntegerField(_("status list"), default=0, editable=False)
    status_list_position = models.PositiveIntegerField(
        _("position in the status list"), null=True, editable=False
    )
    content = models.JSONField(_("printed content"), default=dict, editable=False)
    pdf = models.FileField(_("signed PDF"), upload_to="certificates/", editable=False)
    pdf_sha256 = models.CharField(
        _("SHA-256 of the signed PDF"), max_length=64, db_index=True, editable=False
    )
    credential = models.JSONField(_("credential"), default=dict, editable=False)
    signing_certificate_sha256 = models.CharField(_("signing certificate"), max_length=64, editable=False)
    holder_name_public = models.BooleanField(
        _("show my full name on the public page"),
        default=False,
        help_text=_(
            "Otherwise the verification page shows your given name and the first letter of your family name."
        ),
    )
    expiry_reminders_sent = models.JSONField(
        _("expiry reminders sent (days before)"), default=list, blank=True
    )

    class Meta:
        ordering = ["-issued_at"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        constraints = [
            models.UniqueConstraint(
                fields=["issuance_key", "revision"], name="one_certificate_per_period_revision"
            )
        ]
        indexes = [models.Index(fields=["learner", "course"]), models.Index(fields=["status", "valid_until"])]

    def __str__(self):
        return self.number

    @property
    def is_expired(self) -> bool:
        """Past its last day (`valid_until`, counted in: courses' `completion_valid_until`),
        today in Bangkok; `expired_q` is the same rule as a filter."""
        return self.valid_until is not None and self.valid_until < timezone.localdate()

    @property
    def public_status(self) -> str:
        """What the verification page says: the stored status, or "expired" for a valid
        certificate past its date."""
        if self.status == self.Status.VALID and self.is_expired:
            return "expired"
        return self.status

    @property
    def renewal_due(self) -> bool:
        """Expired, or as close to expiry as the first reminder: time to take the course again."""
        if self.status != self.Status.VALID or self.valid_until is None:
            return False
        window = max(settings.CERTIFICATES_EXPIRY_REMINDER_DAYS, default=0)
        return (self.valid_until - timezone.localdate()).days <= window

    @property
    def verification_code_display(self) -> str:
        return f"{self.verification_code[:4]}-{self.verification_code[4:]}"
