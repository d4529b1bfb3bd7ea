"""What a certificate says, and the two documents that say it: the PDF and the credential.

`certificate_content` takes the snapshot stored with a certificate when it is issued (names,
titles, dates, hours, competencies, score: plain JSON), so re-drawing or showing it later never
depends on what the learner or course look like today. The rest turns that snapshot into the
renderer's inputs (`certificates.rendering`) and into an Open Badges 3.0 credential
(`certificates.open_badges`). Both languages are always printed: every caption is translated
into Thai and English with `translation.override`."""

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

from django.conf import settings
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from certificates import open_badges
from certificates.models import Certificate, CertificateTemplate
from certificates.rendering import certificate_pdf
from certificates.rendering.inputs import Bilingual, CertificateText, Design, Labels, Signatory
from lms.thai_calendar import buddhist_year, format_date

STATUS_PURPOSES = ("revocation", "suspension")


def absolute_url(path: str) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def _both(text_function) -> Bilingual:
    """Call `text_function` with Thai active, then English: one caption, both languages."""
    with translation.override("th"):
        th = str(text_function())
    with translation.override("en"):
        en = str(text_function())
    return Bilingual(th=th, en=en)


# ---------------------------------------------------------------------------
# The snapshot taken at issue
# ---------------------------------------------------------------------------
def certificate_content(*, enrolment, template: CertificateTemplate | None) -> dict:
    """Everything printed on the certificate, frozen at issue."""
    learner, course = enrolment.user, enrolment.course
    partner = course.partner
    competencies = [
        {
            "code": target.competency_code,
            "name": {
                "th": target.competency_name_th or target.competency_code,
                "en": target.competency_name_en or target.competency_name_th or target.competency_code,
            },
            "level": target.target_level,
            # Where the competency is defined (None for targets named before frameworks existed).
            "framework": {
                "code": target.competency.framework.code,
                "version": target.competency.framework.version,
                "competency": target.competency.code,
            }
            if target.competency_id
            else None,
        }
        for target in course.competency_targets.select_related("competency__framework").order_by("sort_order")
    ]
    score = enrolment.score if course.certificate_shows_score and enrolment.score is not None else None
    return {
        "holder_name": _both_names(learner),
        "course_title": {"th": course.title, "en": course.title_en or course.title},
        "course_code": course.code,
        "partner_name": {"th": partner.name_th, "en": partner.name_en or partner.name_th},
        "issuer_name": {
            "th": settings.CERTIFICATES_ISSUER["name_th"],
            "en": settings.CERTIFICATES_ISSUER["name_en"],
        },
        "completed_on": timezone.localtime(enrolment.completed_at).date().isoformat(),
        "hours": str(course.estimated_hours),
        "competencies": competencies,
        "score": None if score is None else str(Decimal(score).quantize(Decimal("1"))),
        "template_id": template.pk if template else None,
    }


def _both_names(learner) -> dict:
    """The name with its title, each in its own language ("นางสาว…", "Miss …")."""
    names = {}
    for language in ("th", "en"):
        with translation.override(language):
            names[language] = learner.full_name(language)
    return names


def template_for(course) -> CertificateTemplate | None:
    """The course's own design, else its partner's default, else the platform's default."""
    if course.certificate_template_id:
        return course.certificate_template
    return (
        CertificateTemplate.objects.filter(is_default=True)
        .filter(Q(partner_id=course.partner_id) | Q(partner__isnull=True))
        .order_by(F("partner_id").asc(nulls_last=True))  # the partner's own before the platform's
        .prefetch_related("signatories__signature")
        .select_related("logo", "background")
        .first()
    )


def certificate_number(*, pk: int, issued_at: dt.datetime) -> str:
    return f"TKS-{buddhist_year(timezone.localtime(issued_at).year)}-{pk:06d}"


# ---------------------------------------------------------------------------
# The PDF
# ---------------------------------------------------------------------------
def _image_bytes(image, spec: str) -> bytes | None:
    """A design's image as the renderer takes it, through a Wagtail rendition: any uploaded
    format becomes PNG or JPEG, and size is capped so a large upload does not bloat every PDF."""
    if image is None:
        return None
    rendition = image.get_rendition(spec)
    with rendition.file.open("rb") as file:
        return file.read()


# A full-page background as JPEG (150 dpi for A4): ReportLab embeds JPEG as it is, while a PNG
# is recompressed on every certificate. Logos and signatures keep transparency as PNG.
BACKGROUND_RENDITION = "max-1754x1240|format-jpeg|jpegquality-85"
MARK_RENDITION = "max-800x800|format-png"


def design_of(template: CertificateTemplate | None) -> Design:
    if template is None:
        template = CertificateTemplate()  # the field defaults are the platform's plain design
    signatories = tuple(
        Signatory(
            name=Bilingual(th=s.name_th, en=s.name_en),
            position=Bilingual(th=s.position_th, en=s.position_en),
            signature_image=_image_bytes(s.signature, MARK_RENDITION),
        )
        for s in template.signatories.all()
    )
    return Design(
        layout=template.layout,
        primary_colour=template.primary_colour,
        accent_colour=template.accent_colour,
        heading=Bilingual(th=template.heading_th, en=template.heading_en),
        statement=Bilingual(th=template.statement_th, en=template.statement_en),
        completion=Bilingual(th=template.completion_th, en=template.completion_en),
        background_image=_image_bytes(template.background, BACKGROUND_RENDITION),
        logo_image=_image_bytes(template.logo, MARK_RENDITION),
        signatories=signatories,
    )


def labels() -> Labels:
    return Labels(
        number=_both(lambda: _("Certificate no.")),
        verification_code=_both(lambda: _("Verification code")),
        completed_on=_both(lambda: _("Completed on")),
        hours=_both(lambda: _("Learning hours")),
        score=_both(lambda: _("Final score")),
        valid_until=_both(lambda: _("Valid until")),
        competencies=_both(lambda: _("Competencies attained")),
        verify_at=_both(lambda: _("Check this certificate at")),
        issued_by=_both(lambda: _("Issued by")),
    )


def _hours_text(hours: str) -> Bilingual:
    value = Decimal(hours).normalize()
    shown = f"{value:f}"
    return _both(lambda: _("%(hours)s hours") % {"hours": shown})


def _competency_text(item: dict) -> Bilingual:
    name = item.get("name") or {}
    return _both(
        lambda: (
            _("%(competency)s, level %(level)s")
            % {
                "competency": name.get(translation.get_language()[:2]) or item["code"],
                "level": item["level"],
            }
        )
    )


def _date_text(value: dt.date) -> Bilingual:
    return Bilingual(th=format_date(value, "th"), en=format_date(value, "en"))


def certificate_text(certificate: Certificate) -> CertificateText:
    content = certificate.content
    score = content.get("score")
    return CertificateText(
        holder_name=Bilingual(**content["holder_name"]),
        course_title=Bilingual(**content["course_title"]),
        partner_name=Bilingual(**content["partner_name"]),
        issuer_name=Bilingual(**content["issuer_name"]),
        completed_on=_date_text(dt.date.fromisoformat(content["completed_on"])),
        hours=_hours_text(content["hours"]),
        competencies=tuple(_competency_text(item) for item in content["competencies"]),
        score=None if score is None else _both(lambda: _("%(score)s%%") % {"score": score}),
        valid_until=_date_text(certificate.valid_until) if certificate.valid_until else None,
        number=certificate.number,
        verification_code=certificate.verification_code_display,
        verification_url=verification_url(certificate),
    )


# What a design is previewed with: a made-up learner and course, so a design can be judged
# before any certificate uses it.
SAMPLE_CONTENT = {
    "holder_name": {"th": "นางสาวสุดารัตน์ ทองดี", "en": "Ms. Sudarat Thongdee"},
    "course_title": {
        "th": "การคุ้มครองข้อมูลส่วนบุคคลสำหรับเจ้าหน้าที่ภาครัฐ",
        "en": "Personal Data Protection for Public Officers",
    },
    "course_code": "SAMPLE-101",
    "hours": "6",
    "competencies": [{"code": "DG-PDPA", "level": 2}, {"code": "DG-DATA", "level": 1}],
    "score": "86",
}


def design_sample_pdf(*, design: CertificateTemplate) -> bytes:
    """A sample certificate drawn with `design` (saved or not: Wagtail's live preview passes
    unsaved edits), issued today by the platform for the design's partner.

    Raises ValueError, naming the problem, when the design has an image or colour the
    renderer cannot use."""
    partner = design.partner
    content = {
        **SAMPLE_CONTENT,
        "partner_name": {
            "th": partner.name_th if partner else "มหาวิทยาลัยตัวอย่าง",
            "en": (partner.name_en or partner.name_th) if partner else "Sample University",
        },
        "issuer_name": {
            "th": settings.CERTIFICATES_ISSUER["name_th"],
            "en": settings.CERTIFICATES_ISSUER["name_en"],
        },
        "completed_on": timezone.localdate().isoformat(),
    }
    sample = SimpleNamespace(
        content=content,
        number="TKS-0000-000000",
        verification_code_display="SAMP-LE00",
        valid_until=timezone.localdate() + dt.timedelta(days=3 * 365),
        public_id="sample",
    )
    return certificate_pdf(certificate_text(sample), design_of(design), labels())


def verification_url(certificate: Certificate) -> str:
    return absolute_url(reverse("certificates:verify", args=[certificate.public_id]))


def credential_url(certificate: Certificate) -> str:
    return absolute_url(reverse("certificates:credential", args=[certificate.public_id]))


def status_list_url(purpose: str, number: int) -> str:
    return absolute_url(reverse("certificates:status-list", args=[purpose, number]))


def pdf_url(certificate: Certificate) -> str:
    return absolute_url(reverse("certificates:pdf", args=[certificate.public_id]))


def issuer_url() -> str:
    return absolute_url(reverse("certificates:issuer"))


def competency_url(item: dict, *, course_url: str) -> str:
    """A competency of the snapshot on its framework's public page; a competency named before
    courses chose them from frameworks, on the course's page."""
    framework = item.get("framework")
    if not framework:
        return f"{course_url}#competency-{item['code']}"
    page = reverse(
        "competencies:framework-detail", kwargs={"code": framework["code"], "version": framework["version"]}
    )
    return f"{absolute_url(page)}#competency-{framework['competency']}"


# ---------------------------------------------------------------------------
# The credential
# ---------------------------------------------------------------------------
def issuer_profile() -> dict:
    issuer = settings.CERTIFICATES_ISSUER
    return open_badges.issuer_profile(
        id=issuer_url(),
        name={"th": issuer["name_th"], "en": issuer["name_en"]},
        url=absolute_url("/"),
        email=issuer["email"],
    )


def unsigned_credential(certificate: Certificate, *, salt: str) -> dict:
    content = certificate.content
    course_url = absolute_url(certificate.course.url or "/")
    title = content["course_title"]
    hours, code, partner = content["hours"], content["course_code"], content["partner_name"]
    alignments = [
        open_badges.alignment(
            target_name=item["name"]["en"],
            target_url=competency_url(item, course_url=course_url),
            target_code=f"{item['code']}:{item['level']}",
            target_framework=None,
        )
        for item in content["competencies"]
    ]
    achievement = open_badges.achievement(
        id=f"{course_url}#achievement",
        name=title,
        description={
            "th": f"{title['th']} ({code}), {hours} ชั่วโมง, โดย {partner['th']}",
            "en": f"{title['en']} ({code}), {hours} hours, by {partner['en']}",
        },
        criteria_narrative={
            "th": "สำเร็จบทเรียนที่กำหนดทั้งหมดและผ่านเกณฑ์การจบหลักสูตร",
            "en": "Completed every required lesson and met the course's completion rule.",
        },
        alignments=alignments,
    )
    status_entries = [
        open_badges.status_entry(
            status_list_credential=status_list_url(purpose, certificate.status_list_number),
            index=certificate.status_list_position,
            purpose=purpose,
        )
        for purpose in STATUS_PURPOSES
    ]
    valid_until = None
    if certificate.valid_until:
        valid_until = dt.datetime.combine(
            certificate.valid_until, dt.time(23, 59, 59), tzinfo=timezone.get_current_timezone()
        )
    return open_badges.open_badge_credential(
        credential_id=credential_url(certificate),
        name={"th": f"{title['th']} ({certificate.number})", "en": f"{title['en']} ({certificate.number})"},
        issuer=issuer_profile(),
        valid_from=certificate.issued_at,
        valid_until=valid_until,
        email=certificate.learner.email,
        salt=salt,
        achievement=achievement,
        status_entries=status_entries,
    )
