"""Expiry reminders, and certificates in the admin: scoping, status changes, re-issue, designs."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone, translation

from certificates.models import Certificate, CertificateTemplate
from certificates.services.reminders import expiry_reminders_send
from certificates.tests.factories import issued_certificate
from organisations.tests.factories import ContentPartnerFactory
from people.models import Role, RoleAssignment
from people.tests.factories import UserFactory
from privacy.models import ConsentPurpose
from privacy.services import consent_decide

pytestmark = pytest.mark.django_db


def _expiring_in(days: int, *, consents: bool = True) -> Certificate:
    certificate = issued_certificate(validity_months=12)
    certificate.valid_until = timezone.localdate() + dt.timedelta(days=days)
    certificate.save()
    if consents:  # expiry reminders are optional e-mails: only with the holder's consent
        consent_decide(user=certificate.learner, purpose=ConsentPurpose.OPTIONAL_EMAIL, given=True)
    return certificate


def test_no_reminder_without_consent_and_none_after_it_is_withdrawn(settings):
    settings.CERTIFICATES_EXPIRY_REMINDER_DAYS = [60, 30, 7]
    never_asked = _expiring_in(25, consents=False)
    withdrawn = _expiring_in(25)
    consent_decide(user=withdrawn.learner, purpose=ConsentPurpose.OPTIONAL_EMAIL, given=False)
    consenting = _expiring_in(25)
    assert expiry_reminders_send() == 1
    assert [message.to for message in mail.outbox] == [[consenting.learner.email]]
    assert never_asked.learner.email != consenting.learner.email


def test_reminders_go_once_per_reminder_day_in_the_learners_language(settings):
    settings.CERTIFICATES_EXPIRY_REMINDER_DAYS = [60, 30, 7]
    certificate = _expiring_in(25)
    today = timezone.localdate()
    assert expiry_reminders_send(today=today) == 1
    assert expiry_reminders_send(today=today) == 0  # not twice
    message = mail.outbox[0]
    assert message.to == [certificate.learner.email]
    assert "25" in message.subject
    assert "ประกาศนียบัตร" in message.subject
    assert certificate.number in message.body
    assert reverse("certificates:verify", args=[certificate.public_id]) in message.body
    # 7 days before: the next reminder.
    assert expiry_reminders_send(today=today + dt.timedelta(days=19)) == 1
    certificate.refresh_from_db()
    assert certificate.expiry_reminders_sent == [30, 7]


def test_no_reminder_far_from_expiry_or_for_revoked_or_permanent_certificates():
    _expiring_in(200)
    revoked = _expiring_in(5)
    revoked.status = Certificate.Status.REVOKED
    revoked.save()
    issued_certificate()  # never expires
    assert expiry_reminders_send() == 0
    assert mail.outbox == []


def test_english_speaker_gets_english(settings):
    certificate = _expiring_in(6)
    certificate.learner.preferred_language = "en"
    certificate.learner.save()
    expiry_reminders_send()
    assert mail.outbox[0].subject.startswith("Your certificate for")


def _partner_role(user, partner, role):
    RoleAssignment.objects.create(user=user, role=role, partner=partner)


def test_admin_sees_only_their_partners_certificates_and_may_act(client):
    ours = issued_certificate()
    theirs = issued_certificate()
    author = UserFactory()
    _partner_role(author, ours.course.partner, Role.PARTNER_AUTHOR)
    client.force_login(author)
    listing = client.get(reverse("certificates_admin:index")).content.decode()
    assert ours.number in listing
    assert theirs.number not in listing
    assert client.get(reverse("certificates_admin:detail", args=[theirs.pk])).status_code == 404
    response = client.post(
        reverse("certificates_admin:status", args=[theirs.pk]), {"action": "revoke", "reason": "misconduct"}
    )
    assert response.status_code == 404
    client.post(
        reverse("certificates_admin:status", args=[ours.pk]), {"action": "suspend", "reason": "under_review"}
    )
    ours.refresh_from_db()
    assert ours.status == "suspended"
    assert ours.status_changed_by == author
    # A reason is required to revoke.
    client.post(reverse("certificates_admin:status", args=[ours.pk]), {"action": "revoke"})
    ours.refresh_from_db()
    assert ours.status == "suspended"
    client.post(reverse("certificates_admin:reissue", args=[ours.pk]), {"note": "ชื่อสะกดผิด"})
    ours.refresh_from_db()
    assert ours.status == "superseded"
    assert ours.superseded_by.status == "suspended"  # a re-issue does not lift a suspension


def test_reviewer_looks_but_cannot_act_and_learners_see_nothing(client):
    certificate = issued_certificate()
    reviewer = UserFactory()
    _partner_role(reviewer, certificate.course.partner, Role.PARTNER_REVIEWER)
    client.force_login(reviewer)
    assert certificate.number in client.get(reverse("certificates_admin:index")).content.decode()
    response = client.post(
        reverse("certificates_admin:status", args=[certificate.pk]), {"action": "revoke", "reason": "other"}
    )
    assert response.status_code == 404
    certificate.refresh_from_db()
    assert certificate.status == "valid"
    client.force_login(certificate.learner)
    assert client.get(reverse("certificates_admin:index")).status_code in (302, 403)


def test_design_preview_renders_a_sample_pdf_and_designs_are_scoped(client):
    partner, other = ContentPartnerFactory(), ContentPartnerFactory()
    author = UserFactory()
    _partner_role(author, partner, Role.PARTNER_AUTHOR)
    mine = CertificateTemplate.objects.create(name="แบบของเรา", partner=partner)
    theirs = CertificateTemplate.objects.create(name="แบบของเขา", partner=other)
    platform = CertificateTemplate.objects.create(name="แบบของแพลตฟอร์ม", is_default=True)
    client.force_login(author)
    viewset = CertificateTemplate.snippet_viewset
    listing = client.get(reverse(viewset.get_url_name("list"))).content.decode()
    assert "แบบของเรา" in listing
    assert "แบบของแพลตฟอร์ม" in listing
    assert "แบบของเขา" not in listing
    assert client.get(reverse(viewset.get_url_name("edit"), args=[theirs.pk])).status_code == 404
    assert client.get(reverse(viewset.get_url_name("inspect"), args=[theirs.pk])).status_code == 404
    assert client.get(reverse(viewset.get_url_name("inspect"), args=[platform.pk])).status_code == 200
    assert client.get(reverse(viewset.get_url_name("edit"), args=[platform.pk])).status_code == 404
    assert client.get(reverse(viewset.get_url_name("edit"), args=[mine.pk])).status_code == 200
    preview_url = reverse(viewset.get_url_name("preview_on_edit"), args=[mine.pk])
    form = {
        "name": "แบบของเรา", "partner": partner.pk, "layout": "modern", "primary_colour": "#7a1f45",
        "accent_colour": "#a07a2c", "heading_th": "วุฒิบัตร", "heading_en": "Certificate",
        "statement_th": "ขอมอบวุฒิบัตรนี้ให้ไว้เพื่อแสดงว่า", "statement_en": "This certifies that",
        "completion_th": "ได้ผ่านการอบรมหลักสูตร", "completion_en": "has completed",
        "signatories-TOTAL_FORMS": "0", "signatories-INITIAL_FORMS": "0",
        "signatories-MIN_NUM_FORMS": "0", "signatories-MAX_NUM_FORMS": "3",
    }  # fmt: skip
    assert client.post(preview_url, form).json()["is_valid"]
    preview = client.get(preview_url)
    assert preview.status_code == 200
    assert preview["Content-Type"] == "application/pdf"
    assert preview.content.startswith(b"%PDF")


def test_design_preview_names_what_cannot_be_drawn_and_hides_other_partners_designs(rf):
    """The preview is served by the design itself (Wagtail's `serve_preview`): a design the
    renderer cannot draw gets a message saying why, and a design of another partner is refused."""
    partner = ContentPartnerFactory()
    author = UserFactory()
    _partner_role(author, partner, Role.PARTNER_AUTHOR)
    request = rf.get("/")
    request.user = author
    unsaved = CertificateTemplate(name="ร่าง", partner=partner, primary_colour="navy")
    with translation.override("en"):
        response = unsaved.serve_preview(request, "")
    assert response.status_code == 400
    assert "This design cannot be drawn yet" in response.content.decode()
    assert "primary colour" in response.content.decode()
    theirs = CertificateTemplate.objects.create(name="แบบของเขา", partner=ContentPartnerFactory())
    with pytest.raises(PermissionDenied):
        theirs.serve_preview(request, "")
    mine = CertificateTemplate.objects.create(name="แบบของเรา", partner=partner)
    assert mine.serve_preview(request, "").content.startswith(b"%PDF")


def test_course_uses_its_design_else_the_partners_default_else_the_platforms():
    from certificates.documents import template_for
    from courses.tests.factories import course_with_lessons

    partner = ContentPartnerFactory()
    course = course_with_lessons(partner=partner, lessons=1)
    assert template_for(course) is None
    platform = CertificateTemplate.objects.create(name="platform", is_default=True)
    assert template_for(course) == platform
    partners = CertificateTemplate.objects.create(name="partner", partner=partner, is_default=True)
    assert template_for(course) == partners
    chosen = CertificateTemplate.objects.create(name="chosen", partner=partner)
    course.certificate_template = chosen
    course.save()
    assert template_for(course) == chosen


def test_a_course_cannot_use_another_partners_design():
    from django.core.exceptions import ValidationError

    from courses.tests.factories import course_with_lessons

    course = course_with_lessons(lessons=1)
    course.certificate_template = CertificateTemplate.objects.create(
        name="x", partner=ContentPartnerFactory()
    )
    with pytest.raises(ValidationError, match="เป็นของภาคีอื่น"):
        course.full_clean()
    course.certificate_template = CertificateTemplate.objects.create(name="platform")
    course.full_clean()
