"""Issuing: exactly once per period, what the certificate carries, re-issue and recertification."""

import hashlib
import json

import pytest
from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.utils import timezone

from certificates.documents import absolute_url
from certificates.models import Certificate
from certificates.proofs import proof_verify
from certificates.services.issuance import certificate_issue, certificate_reissue
from certificates.services.verification import pdf_verify
from certificates.tests.factories import issued_certificate
from competencies.models import CompetencyFramework, CompetencyNode
from courses.events import course_completed
from courses.models import CourseCompetencyTarget, Enrolment
from courses.tests.factories import complete, course_with_lessons
from people.tests.factories import learner

pytestmark = pytest.mark.django_db


def test_completion_event_issues_one_certificate_even_when_sent_twice(django_capture_on_commit_callbacks):
    course = course_with_lessons(lessons=1)
    user = learner()
    with django_capture_on_commit_callbacks(execute=True):
        enrolment = complete(user, course)
    assert Certificate.objects.filter(learner=user).count() == 1
    # The event again (a retried task, a duplicate message), and the task run directly again.
    course_completed.send(sender=Enrolment, enrolment=enrolment)
    certificate_issue(enrolment_id=enrolment.pk)
    certificates = Certificate.objects.filter(learner=user)
    assert certificates.count() == 1
    certificate = certificates.get()
    assert certificate.number.startswith("TKS-25")
    assert certificate.status == "valid"
    assert len(certificate.public_id) >= 22  # ≥ 128 random bits
    assert pdf_verify(certificate.pdf.read()).verdict == "genuine"


def test_no_certificate_when_the_course_gives_none_or_is_not_completed():
    course = course_with_lessons(lessons=2, certificate_on_completion=False)
    enrolment = complete(learner(), course)
    assert certificate_issue(enrolment_id=enrolment.pk) is None
    other = course_with_lessons(lessons=1)
    from courses.services import enrolment_request

    open_enrolment = enrolment_request(user=learner(email="b@example.test"), course=other)
    assert certificate_issue(enrolment_id=open_enrolment.pk) is None
    assert not Certificate.objects.exists()


def test_a_crash_before_commit_leaves_nothing_and_the_retry_issues(monkeypatch):
    course = course_with_lessons(lessons=1)
    enrolment = complete(learner(), course)
    from certificates.signing import pdf_signing

    real_sign = pdf_signing.pdf_sign

    def dying(*args, **kwargs):
        raise OSError("worker lost")

    monkeypatch.setattr(pdf_signing, "pdf_sign", dying)
    with pytest.raises(OSError, match="worker lost"):
        certificate_issue(enrolment_id=enrolment.pk)
    assert not Certificate.objects.exists()
    monkeypatch.setattr(pdf_signing, "pdf_sign", real_sign)
    assert certificate_issue(enrolment_id=enrolment.pk) is not None
    assert Certificate.objects.count() == 1


def test_certificate_carries_names_course_hours_competencies_score_and_expiry():
    course = course_with_lessons(
        lessons=1, title="การคุ้มครองข้อมูลส่วนบุคคล", title_en="Personal Data Protection", validity_months=24,
        certificate_shows_score=True,
    )  # fmt: skip
    CourseCompetencyTarget.objects.create(
        course=course, competency_code="DG-PDPA", competency_name_th="การคุ้มครองข้อมูลส่วนบุคคล",
        competency_name_en="Personal data protection", target_level=2,
    )  # fmt: skip
    user = learner()
    enrolment = complete(user, course)
    Enrolment.objects.filter(pk=enrolment.pk).update(score=86)
    certificate = certificate_issue(enrolment_id=enrolment.pk)
    content = certificate.content
    assert content["holder_name"] == {"th": "นางสาวสุดารัตน์ ทองดี", "en": "Miss Sudarat Thongdee"}
    assert content["course_title"] == {"th": "การคุ้มครองข้อมูลส่วนบุคคล", "en": "Personal Data Protection"}
    assert content["hours"] == "3.0"
    assert content["score"] == "86"
    assert content["competencies"][0]["name"]["en"] == "Personal data protection"
    completed = timezone.localtime(enrolment.completed_at).date()
    assert certificate.valid_until == completed + relativedelta(months=24)
    # The credential inside says the same, and is signed.
    credential = certificate.credential
    assert proof_verify(credential).verified
    assert credential["validUntil"].startswith(certificate.valid_until.isoformat())
    subject = credential["credentialSubject"]
    assert user.email not in json.dumps(credential)  # identified by a salted hash only
    identifier = subject["identifier"][0]
    expected = hashlib.sha256((user.email + identifier["salt"]).encode()).hexdigest()
    assert identifier["identityHash"] == f"sha256${expected}"
    alignment = subject["achievement"]["alignment"][0]
    assert alignment["targetName"] == "Personal data protection"
    # A competency named before courses chose them from frameworks points at the course's page.
    assert alignment["targetUrl"] == absolute_url(f"{course.url}#competency-DG-PDPA")
    purposes = {entry["statusPurpose"] for entry in credential["credentialStatus"]}
    assert purposes == {"revocation", "suspension"}


def test_a_competency_from_a_framework_points_at_the_frameworks_public_page():
    framework = CompetencyFramework.objects.create(code="DIGCOMP", version="2.2", name_th="DigComp")
    node = CompetencyNode.objects.create(
        framework=framework, code="4.2", name_th="การคุ้มครองข้อมูลส่วนบุคคล", name_en="Protecting personal data"
    )
    course = course_with_lessons(lessons=1)
    CourseCompetencyTarget.objects.create(course=course, competency=node, target_level=3)

    certificate = certificate_issue(enrolment_id=complete(learner(), course).pk)

    [alignment] = certificate.credential["credentialSubject"]["achievement"]["alignment"]
    assert alignment["targetUrl"] == absolute_url("/competencies/frameworks/DIGCOMP/2.2/#competency-4.2")
    assert (alignment["targetName"], alignment["targetCode"]) == ("Protecting personal data", "4.2:3")
    assert proof_verify(certificate.credential).verified


def test_score_is_left_out_unless_the_course_shows_it():
    certificate = issued_certificate()
    assert certificate.content["score"] is None


def test_reissue_makes_a_new_revision_and_keeps_the_old_document():
    certificate = issued_certificate()
    old_pdf = certificate.pdf.read()
    user = certificate.learner
    user.last_name_en = "Thongdee-Smith"
    user.save()
    new = certificate_reissue(certificate=certificate, by=None, note="name corrected")
    certificate.refresh_from_db()
    assert new.revision == 2
    assert new.issuance_key == certificate.issuance_key
    assert new.content["holder_name"]["en"] == "Miss Sudarat Thongdee-Smith"
    assert certificate.status == "superseded"
    assert certificate.superseded_by == new
    assert certificate.pdf.read() == old_pdf  # untouched
    assert hashlib.sha256(old_pdf).hexdigest() == certificate.pdf_sha256
    assert new.valid_until == certificate.valid_until
    with pytest.raises(ValueError, match="superseded"):
        certificate_reissue(certificate=certificate, by=None)  # only the current revision


def test_recertification_issues_a_new_certificate_and_supersedes_the_old():
    course = course_with_lessons(lessons=1, validity_months=12)
    user = learner()
    first = certificate_issue(enrolment_id=complete(user, course).pk)
    with transaction.atomic():
        second_enrolment = complete(user, course)  # a new enrolment after the first completed
    second = certificate_issue(enrolment_id=second_enrolment.pk)
    first.refresh_from_db()
    assert second.pk != first.pk
    assert first.status == "superseded"
    assert first.superseded_by == second
    assert first.status_reason == Certificate.Reason.RECERTIFIED


def test_a_course_without_expiry_gives_one_certificate_for_ever():
    course = course_with_lessons(lessons=1)
    user = learner()
    first = certificate_issue(enrolment_id=complete(user, course).pk)
    again = certificate_issue(enrolment_id=complete(user, course).pk)
    assert again == first
    assert Certificate.objects.count() == 1


def test_learner_renews_from_the_course_page_and_the_new_completion_supersedes(client):
    course = course_with_lessons(lessons=1, validity_months=12)
    user = learner()
    first = certificate_issue(enrolment_id=complete(user, course).pk)
    client.force_login(user)
    page = client.get(course.url).content.decode()
    assert "เรียนหลักสูตรนี้อีกครั้ง" in page  # "take the course again"
    client.post(course.url + "enrol/")
    renewal = Enrolment.objects.get(user=user, course=course, status=Enrolment.Status.ACTIVE)
    assert renewal.pk != first.enrolment_id
    with transaction.atomic():
        from courses.selectors import course_lessons
        from courses.services import lesson_progress_record

        for lesson in course_lessons(course=course):
            lesson_progress_record(enrolment=renewal, lesson=lesson, seconds=60, reached_end=True)
    second = certificate_issue(enrolment_id=renewal.pk)
    first.refresh_from_db()
    assert first.superseded_by == second


def test_a_course_without_expiry_offers_no_retake(client):
    course = course_with_lessons(lessons=1)
    user = learner()
    complete(user, course)
    client.force_login(user)
    assert "เรียนหลักสูตรนี้อีกครั้ง" not in client.get(course.url).content.decode()
