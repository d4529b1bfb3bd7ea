"""The retention rules: a dry run reports per rule and changes nothing; a run does it."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.utils import timezone, translation

from analytics.models import ExportJob
from courses.tests.factories import enrolled
from people.models import User
from scorm.models import CommitRecord, ScoSession
from scorm.services.commits import scorm_commit_apply
from scorm.tests.factories import launch, package_ready, scorm_lesson
from subject_rights.models import DataSubjectRequest
from subject_rights.tasks import apply_retention
from subject_rights.tests.scenario import new_person

pytestmark = pytest.mark.django_db

LONG_AGO = timezone.now() - dt.timedelta(days=5 * 365)


@pytest.fixture
def old_things(settings):
    settings.PRIVACY_INACTIVE_ACCOUNT_DAYS = 365
    settings.SCORM_COMMIT_HISTORY_YEARS = 2
    # A closed account unused for years, a closed one used last month, an open one unused.
    gone = new_person(email="left.long.ago@agency.go.th", is_active=False)
    User.objects.filter(pk=gone.pk).update(last_login=LONG_AGO, date_joined=LONG_AGO)
    recent = new_person(is_active=False)
    User.objects.filter(pk=recent.pk).update(last_login=timezone.now() - dt.timedelta(days=30))
    still_staff = new_person()
    User.objects.filter(pk=still_staff.pk).update(last_login=LONG_AGO, date_joined=LONG_AGO)

    # An old SCORM session with two commits, and a recent one.
    lesson = scorm_lesson(package=package_ready(version="2004").package)
    old_session = launch(enrolled(new_person(), lesson), lesson).session
    for sequence in (1, 2):
        scorm_commit_apply(
            session_id=old_session.pk,
            payload={"commitSequence": sequence, "runtimeData": {"cmi": {"location": str(sequence)}}},
        )
    ScoSession.objects.filter(pk=old_session.pk).update(started_at=LONG_AGO)
    CommitRecord.objects.filter(session=old_session).update(received_at=LONG_AGO)
    new_session = launch(enrolled(new_person(), lesson), lesson).session
    scorm_commit_apply(
        session_id=new_session.pk, payload={"commitSequence": 1, "runtimeData": {"cmi": {"location": "1"}}}
    )

    job = ExportJob.objects.create(requested_by=still_staff, kind="table_csv", parameters={})
    job.file.save("old/people.csv", ContentFile(b"a,b"), save=True)
    ExportJob.objects.filter(pk=job.pk).update(created_at=LONG_AGO)

    expired = DataSubjectRequest.objects.create(person=still_staff, kind="export", status="done",
                                                expires_at=timezone.now() - dt.timedelta(days=1))  # fmt: skip
    expired.file.save("x/thaksa-my-data.zip", ContentFile(b"PK"), save=True)
    return {"gone": gone, "recent": recent, "still_staff": still_staff, "old_session": old_session,
            "new_session": new_session, "job": job, "expired": expired}  # fmt: skip


def test_a_dry_run_reports_every_rule_and_changes_nothing(old_things):
    out = StringIO()
    with translation.override("en"):  # the labels the assertions read
        call_command("subject_rights_retention", "--dry-run", stdout=out)
    report = out.getvalue()
    lines = {line.split(":", 1)[0]: line for line in report.splitlines()}
    assert set(lines) == {"inactive_accounts", "scorm_history", "import_previews", "dashboard_exports",
                          "subject_exports", "audit_log"}  # fmt: skip
    assert lines["inactive_accounts"].endswith("accounts: 1 (would be)")
    assert lines["scorm_history"].endswith("commit records: 2, sessions: 1 (would be)")
    assert lines["dashboard_exports"].endswith("exports: 1 (would be)")
    assert lines["subject_exports"].endswith("files: 1 (would be)")

    assert User.objects.get(pk=old_things["gone"].pk).email == "left.long.ago@agency.go.th"
    assert CommitRecord.objects.filter(session=old_things["old_session"]).count() == 2
    assert ExportJob.objects.filter(pk=old_things["job"].pk).exists()
    assert DataSubjectRequest.objects.get(pk=old_things["expired"].pk).file


def test_the_run_anonymises_reduces_and_deletes(old_things):
    job_file = ExportJob.objects.get(pk=old_things["job"].pk).file
    export_file = DataSubjectRequest.objects.get(pk=old_things["expired"].pk).file
    storage, job_name, export_name = job_file.storage, job_file.name, export_file.name

    apply_retention()

    assert User.objects.get(pk=old_things["gone"].pk).email.endswith("@erased.invalid")
    assert "@erased.invalid" not in User.objects.get(pk=old_things["recent"].pk).email
    assert "@erased.invalid" not in User.objects.get(pk=old_things["still_staff"].pk).email
    # The old session keeps its summary row, without its commits; the recent one keeps all.
    assert ScoSession.objects.filter(pk=old_things["old_session"].pk).exists()
    assert not CommitRecord.objects.filter(session=old_things["old_session"]).exists()
    assert CommitRecord.objects.filter(session=old_things["new_session"]).count() == 1
    assert not ExportJob.objects.filter(pk=old_things["job"].pk).exists()
    assert not storage.exists(job_name)
    request = DataSubjectRequest.objects.get(pk=old_things["expired"].pk)
    assert not request.file
    assert not storage.exists(export_name)

    # A second run finds nothing more to do.
    out = StringIO()
    with translation.override("en"):  # the labels the assertions read
        call_command("subject_rights_retention", "--dry-run", stdout=out)
    assert "accounts: 0 " in out.getvalue()
    assert "commit records: 0," in out.getvalue()
