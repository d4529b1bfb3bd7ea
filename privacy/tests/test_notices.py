"""The privacy notice: read by anyone, acknowledged by everybody signed in before anything
else, asked again when a new version is published, and frozen once published."""

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from people.tests.factories import learner
from privacy.models import NoticeAcknowledgement, PrivacyNotice
from privacy.tests.factories import ProcessingActivityFactory, notice_draft, published_notice

pytestmark = pytest.mark.django_db


def _signed_in(client):
    user = learner()
    client.force_login(user)
    return user


def test_without_a_published_notice_nobody_is_stopped(client):
    notice_draft()  # a draft only
    _signed_in(client)
    assert client.get(reverse("learning:my-learning")).status_code == 200
    assert client.get(reverse("privacy:notice")).status_code == 404


def test_anyone_reads_the_notice_with_purposes_bases_recipients_and_retention(client):
    ProcessingActivityFactory(
        name_th="รายงานของฝ่ายบุคคล",
        recipients_th="ฝ่ายบุคคลของหน่วยงานต้นสังกัด และมหาวิทยาลัยผู้สอน",
        retention_th="10 ปี",
        lawful_basis="legal_obligation",
    )
    published_notice()
    page = client.get(reverse("privacy:notice")).content.decode()
    for expected in ("รายงานของฝ่ายบุคคล", "มหาวิทยาลัยผู้สอน", "10 ปี", "ฐานหน้าที่ตามกฎหมาย"):
        assert expected in page, expected
    assert "ฉันได้อ่านประกาศนี้แล้ว" not in page  # nothing to acknowledge for the public


def test_a_signed_in_person_reads_the_notice_first_then_goes_where_they_were_going(client):
    notice = published_notice()
    user = _signed_in(client)
    response = client.get(reverse("learning:my-learning"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("privacy:notice"))
    assert "next=%2Fmy%2F" in response["Location"]
    page = client.get(response["Location"]).content.decode()
    assert "ฉันได้อ่านประกาศนี้แล้ว" in page

    done = client.post(
        reverse("privacy:acknowledge"), {"notice": notice.pk, "next": reverse("learning:my-learning")}
    )
    assert done["Location"] == reverse("learning:my-learning")
    assert client.get(reverse("learning:my-learning")).status_code == 200
    acknowledgement = NoticeAcknowledgement.objects.get(user=user)
    assert acknowledgement.notice.version == 1
    assert AuditEvent.objects.filter(actor=user, action="notice_acknowledged").count() == 1


def test_a_new_version_asks_again_and_forms_in_flight_are_not_lost(client):
    first = published_notice()
    user = _signed_in(client)
    client.post(reverse("privacy:acknowledge"), {"notice": first.pk, "next": "/my/"})
    assert client.get(reverse("learning:my-learning")).status_code == 200

    second = published_notice(introduction_th="ฉบับปรับปรุง")
    assert second.version == 2
    assert client.get(reverse("learning:my-learning")).status_code == 302
    # A form someone was filling in still goes through (only page visits are sent to the notice).
    switched = client.post(reverse("language-switch"), {"language": "en", "next": "/"})
    assert switched.status_code == 302
    assert switched["Location"] == "/"
    client.post(reverse("privacy:acknowledge"), {"notice": second.pk, "next": "/my/"})
    assert set(NoticeAcknowledgement.objects.filter(user=user).values_list("notice__version", flat=True)) == {
        1,
        2,
    }


def test_acknowledging_a_version_that_is_no_longer_in_force_asks_for_the_new_one(client):
    first = published_notice()
    published_notice()
    user = _signed_in(client)
    response = client.post(reverse("privacy:acknowledge"), {"notice": first.pk, "next": "/my/"})
    assert response["Location"].startswith(reverse("privacy:notice"))
    assert not NoticeAcknowledgement.objects.filter(user=user).exists()


def test_next_never_leads_off_the_site(client):
    notice = published_notice()
    _signed_in(client)
    response = client.post(
        reverse("privacy:acknowledge"), {"notice": notice.pk, "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


def test_a_published_version_keeps_what_people_read(client):
    activity = ProcessingActivityFactory.create(purpose_th="วัตถุประสงค์เดิม")
    notice = published_notice()
    activity.purpose_th = "วัตถุประสงค์ใหม่"
    activity.save()
    page = client.get(reverse("privacy:notice-version", args=[notice.version])).content.decode()
    assert "วัตถุประสงค์เดิม" in page
    assert "วัตถุประสงค์ใหม่" not in page


def test_publishing_needs_a_record_of_processing():
    from django.core.exceptions import ValidationError

    from privacy.services import notice_publish

    with pytest.raises(ValidationError, match="บันทึกรายการกิจกรรมการประมวลผลว่างอยู่"):
        notice_publish(notice=notice_draft(), by=None)
    assert not PrivacyNotice.objects.published().exists()
