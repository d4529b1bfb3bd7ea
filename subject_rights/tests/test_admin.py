"""The DPO's queue in the Wagtail admin: the 30-day clock, Buddhist-era dates, and the
decisions, for the data protection officer only."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from audit.models import Action, AuditEvent
from organisations.tests.factories import OrganisationUnitFactory
from people.models import Role
from people.services import role_assign
from people.tests.factories import hr_manager_of
from subject_rights.models import DataSubjectRequest
from subject_rights.services import request_file
from subject_rights.tests.scenario import new_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def dpo():
    person = new_person()
    role_assign(user=person, role=Role.DATA_PROTECTION_OFFICER)
    return person


def browser(person) -> Client:
    client = Client()
    client.force_login(person)
    return client


def test_the_queue_shows_days_left_and_overdue_requests_in_red(dpo):
    learner = new_person(first_name="มานี", last_name="มีนา")
    fresh = request_file(person=learner, kind="objection", details="ไม่ต้องการรับอีเมล")
    late = request_file(person=learner, kind="rectification", details="ชื่อสะกดผิด")
    DataSubjectRequest.objects.filter(pk=late.pk).update(
        received_at=timezone.now() - dt.timedelta(days=35), due_at=timezone.now() - dt.timedelta(days=5)
    )
    html = browser(dpo).get(reverse("subject_rights_admin:queue")).content.decode()
    assert "มานีมีนา" in html.replace(" ", "") or "มานี มีนา" in html
    assert html.index(f"#{late.pk}") < html.index(f"#{fresh.pk}")  # the overdue one first
    assert 'class="w-text-critical-200 overdue"' in html
    assert str(timezone.localdate().year + 543) in html  # Buddhist-era dates
    row = html[html.index(f"#{fresh.pk}") :].split("</tr>", 1)[0]
    assert "<td>30</td>" in row or "<td>29</td>" in row
    assert "overdue" not in row


def test_only_the_dpo_sees_the_queue_and_decides(dpo):
    request = request_file(person=new_person(), kind="restriction", details="ระงับการใช้ข้อมูล")
    unit = OrganisationUnitFactory()
    for outsider in (new_person(), hr_manager_of(unit)):
        client = browser(outsider)
        assert client.get(reverse("subject_rights_admin:queue")).status_code in (302, 403)
        assert client.post(
            reverse("subject_rights_admin:reject", args=[request.pk]), {"note": "x"}
        ).status_code in (302, 403)
    request.refresh_from_db()
    assert request.status == "received"


def test_the_dpo_marks_a_restriction_handled_with_a_note(dpo):
    request = request_file(person=new_person(), kind="restriction", details="ระงับการใช้ข้อมูล")
    client = browser(dpo)
    client.post(reverse("subject_rights_admin:handle", args=[request.pk]), {"note": ""})
    request.refresh_from_db()
    assert request.status == "received"  # a note is required
    client.post(reverse("subject_rights_admin:handle", args=[request.pk]), {"note": "ระงับการส่งอีเมลแล้ว"})
    request.refresh_from_db()
    assert (request.status, request.handled_by, request.outcome_note) == ("done", dpo, "ระงับการส่งอีเมลแล้ว")
    assert AuditEvent.objects.filter(action=Action.REQUEST_HANDLED, subject_id=request.person_id).exists()
    # The learner sees the answer.
    page = browser(request.person).get(reverse("subject-rights:detail", args=[request.pk])).content.decode()
    assert "ระงับการส่งอีเมลแล้ว" in page


def test_the_dpo_rejects_with_a_reason(dpo):
    request = request_file(person=new_person(), kind="erasure", details="ลบทั้งหมด")
    browser(dpo).post(
        reverse("subject_rights_admin:reject", args=[request.pk]), {"note": "ต้องเก็บไว้ตามระเบียบ ก.พ."}
    )
    request.refresh_from_db()
    assert (request.status, request.outcome_note) == ("rejected", "ต้องเก็บไว้ตามระเบียบ ก.พ.")


def test_an_erasure_needs_the_confirmation_and_then_erases(dpo):
    learner = new_person(email="somsri.k@dga.or.th", first_name="สมศรี")
    request = request_file(person=learner, kind="erasure", details="โปรดลบข้อมูลของฉัน สมศรี")
    client = browser(dpo)
    page = client.get(reverse("subject_rights_admin:detail", args=[request.pk])).content.decode()
    assert "certificates.Certificate" in page  # what erasure does, per model

    client.post(reverse("subject_rights_admin:erase", args=[request.pk]), {"note": "ตรวจสอบตัวตนแล้ว"})
    learner.refresh_from_db()
    assert learner.email == "somsri.k@dga.or.th"  # not confirmed: nothing happened

    client.post(
        reverse("subject_rights_admin:erase", args=[request.pk]), {"confirm": "on", "note": "ตรวจสอบตัวตนแล้ว"}
    )
    learner.refresh_from_db()
    request.refresh_from_db()
    assert learner.email.endswith("@erased.invalid")
    assert learner.first_name == ""
    assert (request.status, request.details, request.handled_by) == ("done", "", dpo)
    assert AuditEvent.objects.filter(action=Action.ERASURE_DONE, subject_id=learner.pk).exists()
    # A second erasure of an answered request is refused.
    client.post(reverse("subject_rights_admin:erase", args=[request.pk]), {"confirm": "on"})
    assert DataSubjectRequest.objects.get(pk=request.pk).handled_at == request.handled_at


def test_the_retention_dry_run_page_changes_nothing(dpo):
    html = browser(dpo).get(reverse("subject_rights_admin:retention")).content.decode()
    assert "SCORM" in html
