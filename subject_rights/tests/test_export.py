"""A learner downloads everything the platform holds about them: asked on
/my/privacy/requests/, built in the background with a progress page that works without
JavaScript, downloaded through an expiring link only they can open."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import zipfile

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from audit.models import Action, AuditEvent
from people.models import LearnerProfile
from subject_rights.models import DataSubjectRequest
from subject_rights.services import export_request_start
from subject_rights.tests.scenario import (
    EMAIL,
    EMPLOYEE_NUMBER,
    FAMILY_TH,
    learner_with_everything,
    new_person,
    signed_in,
)

pytestmark = pytest.mark.django_db


def download_link(html: str) -> str:
    start = html.index('href="/my/privacy/requests/') + len('href="')
    candidates = [part.split('"', 1)[0] for part in html[start - len('href="') :].split('href="')[1:]]
    return next(link for link in candidates if "/download/" in link)


def test_a_learner_downloads_everything_the_platform_holds_about_them(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        scenario = learner_with_everything()
    # A hostile value the learner typed must not run as a formula in the CSV.
    LearnerProfile.objects.filter(user=scenario.person).update(position_title='=HYPERLINK("http://x")')
    browser = signed_in(scenario.person)
    # Their HR manager looks at their competency profile: the export says so.
    assert (
        signed_in(scenario.hr_manager)
        .get(reverse("competencies:person", args=[scenario.person.pk]))
        .status_code
        == 200
    )

    page = browser.get(reverse("subject-rights:requests"))
    assert page.status_code == 200
    assert "Prepare my data" in page.content.decode() or "เตรียมข้อมูล" in page.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = browser.post(reverse("subject-rights:export"))
    request = DataSubjectRequest.objects.get(person=scenario.person, kind="export")
    assert response.status_code == 302
    assert response["Location"] == reverse("subject-rights:detail", args=[request.pk])
    assert request.status == "done"
    assert request.progress == 100
    assert request.expires_at is not None
    assert request.handled_at is not None
    assert request.expires_at - request.handled_at == dt.timedelta(
        days=settings.SUBJECT_RIGHTS_EXPORT_KEEP_DAYS
    )

    detail = browser.get(response["Location"]).content.decode()
    assert 'http-equiv="refresh"' not in detail  # finished: no more reloading
    link = download_link(detail)
    download = browser.get(link)
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert "no-store" in download["Cache-Control"]
    content = b"".join(download.streaming_content)  # type: ignore[attr-defined]
    archive = zipfile.ZipFile(io.BytesIO(content))

    data = json.loads(archive.read("data.json"))
    sections = data["sections"]
    assert sections["account"]["rows"][0]["email"] == EMAIL
    assert sections["profile"]["rows"][0]["employee_number"] == EMPLOYEE_NUMBER
    # the certified course, the SCORM and the quiz lessons' courses, and the assigned one
    assert len(sections["enrolments"]["rows"]) == 4
    assert sections["scorm_commits"]["rows"]
    assert sections["scorm_interactions"]["rows"]
    assert {row["interaction_id"] for row in sections["scorm_interactions"]["rows"]} == {"Q1", "Q2"}
    assert sections["quiz_attempts"]["rows"][0]["status"] == "submitted"
    assert any(FAMILY_TH in json.dumps(row, ensure_ascii=False) for row in sections["scorm_attempts"]["rows"])
    assert sections["competency_evidence"]["rows"][0]["note"].startswith("ประเมินโดยหัวหน้า")
    numbers = {row["number"] for row in sections["certificates"]["rows"]}
    assert numbers == set(scenario.person.certificates.values_list("number", flat=True))
    assert scenario.certificate.number in numbers
    assert sections["assignments"]["rows"][0]["assignment__campaign"] == scenario.assignment.campaign
    assert sections["dashboard_exports"]["rows"]
    assert f"certificates/{scenario.certificate.number}.pdf" in archive.namelist()
    # Who viewed their records, by name.
    viewed = [row for row in sections["audit_log"]["rows"] if row["linked_as"] == "subject"]
    assert any(
        row["action"] == Action.RECORDS_VIEWED and row["actor_name"] == scenario.hr_manager.full_name()
        for row in viewed
    )

    profile_csv = archive.read("csv/profile.csv").decode("utf-8-sig")
    row = next(csv.DictReader(io.StringIO(profile_csv)))
    assert row["employee_number"] == EMPLOYEE_NUMBER
    assert row["position_title"].startswith("'=")  # formula-guarded

    # Downloading is written to the audit log.
    assert AuditEvent.objects.filter(
        action=Action.DATA_EXPORT_DOWNLOADED, subject_id=scenario.person.pk
    ).exists()


def test_the_link_opens_only_for_its_person_and_only_until_it_expires(django_capture_on_commit_callbacks):
    person, other = new_person(), new_person()
    with django_capture_on_commit_callbacks(execute=True):
        request = export_request_start(person=person)
    request.refresh_from_db()
    mine = signed_in(person)
    link = download_link(mine.get(reverse("subject-rights:detail", args=[request.pk])).content.decode())
    assert mine.get(link).status_code == 200

    # Another signed-in person, or nobody, gets nothing, and the raw file is not served.
    assert signed_in(other).get(link).status_code == 404
    assert signed_in(other).get(reverse("subject-rights:detail", args=[request.pk])).status_code == 404
    anonymous = Client().get(link)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse(settings.LOGIN_URL))
    assert Client().get(settings.MEDIA_URL + request.file.name).status_code == 404
    # A tampered token opens nothing.
    assert mine.get(link[:-3] + "xyz/").status_code == 404

    # After expiry the link is dead and the page says so.
    DataSubjectRequest.objects.filter(pk=request.pk).update(
        expires_at=timezone.now() - dt.timedelta(minutes=1)
    )
    assert mine.get(link).status_code == 404
    page = mine.get(reverse("subject-rights:detail", args=[request.pk])).content.decode()
    assert "/download/" not in page


def test_the_progress_page_reloads_itself_until_the_file_is_ready():
    person = new_person()
    request = DataSubjectRequest.objects.create(
        person=person, kind="export", status="in_progress", progress=40
    )
    page = signed_in(person).get(reverse("subject-rights:detail", args=[request.pk])).content.decode()
    assert '<meta http-equiv="refresh" content="5">' in page
    assert 'value="40"' in page
    assert "/download/" not in page


def test_asking_twice_while_building_gives_the_same_request():
    person = new_person()
    first = export_request_start(person=person)
    assert export_request_start(person=person) == first


def test_a_learner_files_an_erasure_request_for_the_dpo(client):
    person = new_person()
    browser = signed_in(person)
    response = browser.post(reverse("subject-rights:new"), {"kind": "erasure", "details": "ลบข้อมูลของฉันทั้งหมด"})
    assert response.status_code == 302
    request = DataSubjectRequest.objects.get(person=person)
    assert (request.kind, request.status) == ("erasure", "received")
    assert request.due_at - request.received_at == dt.timedelta(days=30)
    page = browser.get(reverse("subject-rights:requests")).content.decode()
    assert reverse("subject-rights:detail", args=[request.pk]) in page

    # An empty request or an export through this form is refused with the field's error.
    refused = browser.post(reverse("subject-rights:new"), {"kind": "export", "details": ""})
    assert refused.status_code == 400
    assert DataSubjectRequest.objects.filter(person=person).count() == 1


def test_state_changes_need_post_and_a_signed_in_person(client):
    assert client.get(reverse("subject-rights:requests")).status_code == 302
    browser = signed_in(new_person())
    assert browser.get(reverse("subject-rights:export")).status_code == 405
    assert not DataSubjectRequest.objects.exists()
