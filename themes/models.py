"""Branding per Wagtail site, and the home page.

Each Wagtail Site (host name) has its own branding, so an agency can run a branded Thaksa
on its own host name from the same installation.
"""

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField
from wagtail.models import Page

from lms.bilingual import in_active_language
from themes.contrast import contrast_ratio

HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
WCAG_AA_NORMAL_TEXT = 4.5


def validate_colour_on_white(value: str) -> None:
    """Brand colours carry white text (buttons, header): WCAG 2.1 AA needs 4.5:1 contrast."""
    if not HEX_COLOUR.match(value):
        raise ValidationError(_("Enter a colour as # followed by six hexadecimal digits, e.g. #1b4f8a."))
    ratio = contrast_ratio(value, "#ffffff")
    if ratio < WCAG_AA_NORMAL_TEXT:
        raise ValidationError(
            _(
                "White text on %(colour)s has a contrast of %(ratio).1f:1; WCAG 2.1 AA needs at "
                "least 4.5:1. Choose a darker colour."
            )
            % {"colour": value, "ratio": ratio}
        )


@register_setting(icon="image")
class SiteBranding(BaseSiteSetting):
    name_th = models.CharField(_("site name (Thai)"), max_length=100, default="ทักษะ")
    name_en = models.CharField(_("site name (English)"), max_length=100, default="Thaksa")
    tagline_th = models.CharField(
        _("tagline (Thai)"), max_length=255, blank=True,
        default="แพลตฟอร์มพัฒนาทักษะดิจิทัลสำหรับบุคลากรภาครัฐ",
    )  # fmt: skip
    tagline_en = models.CharField(
        _("tagline (English)"), max_length=255, blank=True,
        default="Digital skills for the Thai public service",
    )  # fmt: skip
    logo = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("logo"),
    )
    primary_colour = models.CharField(
        _("primary colour"), max_length=7, default="#1b4f8a", validators=[validate_colour_on_white]
    )
    accent_colour = models.CharField(
        _("accent colour"), max_length=7, default="#8a3b12", validators=[validate_colour_on_white]
    )
    footer_text_th = models.TextField(_("footer text (Thai)"), blank=True)
    footer_text_en = models.TextField(_("footer text (English)"), blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact telephone"), max_length=64, blank=True)
    contact_address_th = models.TextField(_("address (Thai)"), blank=True)
    contact_address_en = models.TextField(_("address (English)"), blank=True)

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("name_th"),
                FieldPanel("name_en"),
                FieldPanel("tagline_th"),
                FieldPanel("tagline_en"),
            ],
            heading=_("Name"),
        ),
        MultiFieldPanel(
            [FieldPanel("logo"), FieldPanel("primary_colour"), FieldPanel("accent_colour")],
            heading=_("Look"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("footer_text_th"),
                FieldPanel("footer_text_en"),
                FieldPanel("contact_email"),
                FieldPanel("contact_phone"),
                FieldPanel("contact_address_th"),
                FieldPanel("contact_address_en"),
            ],
            heading=_("Footer and contact"),
        ),
    ]

    class Meta:
        verbose_name = _("site branding")

    @property
    def name(self) -> str:
        return in_active_language(self.name_th, self.name_en)

    @property
    def tagline(self) -> str:
        return in_active_language(self.tagline_th, self.tagline_en)

    @property
    def footer_text(self) -> str:
        return in_active_language(self.footer_text_th, self.footer_text_en)

    @property
    def contact_address(self) -> str:
        return in_active_language(self.contact_address_th, self.contact_address_en)


class HomePage(Page):
    """The front page of a site: a welcome in both languages; the catalogue hangs below it."""

    heading_th = models.CharField(_("heading (Thai)"), max_length=255)
    heading_en = models.CharField(_("heading (English)"), max_length=255, blank=True)
    introduction_th = RichTextField(_("introduction (Thai)"), blank=True, features=["bold", "italic", "link"])
    introduction_en = RichTextField(
        _("introduction (English)"), blank=True, features=["bold", "italic", "link"]
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("heading_th"),
        FieldPanel("heading_en"),
        FieldPanel("introduction_th"),
        FieldPanel("introduction_en"),
    ]

    parent_page_types = ["wagtailcore.Page"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("home page")

    @property
    def heading(self) -> str:
        return in_active_language(self.heading_th, self.heading_en)

    @property
    def introduction(self) -> str:
        return in_active_language(self.introduction_th, self.introduction_en)
