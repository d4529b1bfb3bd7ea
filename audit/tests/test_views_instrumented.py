"""Every page and export that shows other people's records leaves one entry: who, whose (or,
for a list, its filters and how many people), what, and from where.

INSTRUMENTED lists each place with a visit that must leave its entry, so that a change that
drops an audit call fails here; `test_every_audit_call_in_the_product_is_listed_here` fails
when a new call is added without a visit."""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from analytics.models import ExportJob
from assignments.tests.factories import assignment_of
from audit.models import Action, AuditEvent
from certificates.tests.factories import issued_certificate
from courses.models import Enrolment
from courses.tests.factories import enrolled
from people.models import LearnerProfile, Role
from people.services import role_assign
from people.tests.factories import hr_manager_of, learner, learner_in
from scorm.tests.factories import launch, package_ready, scorm_lesson

pytestmark = pytest.mark.django_db

ADDRESS = "198.51.100.23"


@dataclass(frozen=True)
class Visit:
    viewer: object
    url: str
    action: str
    what: str
    subject: object = None  # the person whose record it is; None for a list
    people: int | None = None  # for a list: how many people it showed, at least
    upload: bytes = b""  # a file sent with POST (an import's preview) instead of a GET
    headers: dict[str, str] = field(default_factory=dict)  # an API call's access token


def _staff(public_service):
    manager = hr_manager_of(public_service["DEPT-A1"])
    return manager, learner_in(public_service["DIV-A1-ICT"])


def _admin():
    admin = learner(is_superuser=True)
    role_assign(user=admin, role=Role.PLATFORM_ADMIN)
    return admin


def competency_profile(public_service, **_):
    manager, person = _staff(public_service)
    return Visit(manager, reverse("competencies:person", args=[person.pk]), Action.RECORDS_VIEWED,
                 "competencies.profile", subject=person)  # fmt: skip


def agency_dashboard(public_service, **_):
    manager, _person = _staff(public_service)
    return Visit(manager, reverse("analytics:dashboard") + f"?unit={public_service['DIV-A1-ICT'].pk}",
                 Action.RECORDS_VIEWED, "analytics.dashboard", people=0)  # fmt: skip


def dashboard_table_export(public_service, **_):
    manager, _person = _staff(public_service)
    return Visit(manager, reverse("analytics:table-export", args=["by_unit", "csv"]), Action.RECORDS_EXPORTED,
                 "analytics.table_csv")  # fmt: skip


def dashboard_report(public_service, **_):
    manager, _person = _staff(public_service)
    return Visit(manager, reverse("analytics:report-pdf"), Action.RECORDS_EXPORTED, "analytics.report_pdf")


def export_job_download(public_service, client, django_capture_on_commit_callbacks, **_):
    manager, _person = _staff(public_service)
    client.force_login(manager)
    with django_capture_on_commit_callbacks(execute=True):
        client.get(reverse("analytics:table-export", args=["all", "xlsx"]))
    job = ExportJob.objects.get(status=ExportJob.Status.DONE)
    return Visit(manager, reverse("analytics:export-job-download", args=[job.pk]), Action.RECORDS_EXPORTED,
                 "analytics.dashboard_xlsx")  # fmt: skip


def assignment_members(public_service, **_):
    manager, _person = _staff(public_service)
    assignment = assignment_of(public_service["DEPT-A1"], created_by=manager)
    return Visit(manager, reverse("assignments:detail", args=[assignment.pk]), Action.RECORDS_VIEWED,
                 f"assignments.assignment:{assignment.pk}", people=1)  # fmt: skip


def _scorm_registration():
    version = package_ready()
    lesson = scorm_lesson(package=version.package)
    person = learner()
    registration = launch(enrolled(person, lesson), lesson).session.attempt.registration
    author = learner()
    role_assign(user=author, role=Role.PARTNER_AUTHOR, partner=version.package.partner)
    return author, person, registration


def scorm_attempts(**_):
    author, _learner, registration = _scorm_registration()
    package = registration.version.package
    return Visit(author, reverse("scorm_admin:attempts", args=[package.pk]), Action.RECORDS_VIEWED,
                 f"scorm.attempts:{package.pk}", people=1)  # fmt: skip


def scorm_attempts_csv(**_):
    author, _learner, registration = _scorm_registration()
    package = registration.version.package
    return Visit(author, reverse("scorm_admin:attempts", args=[package.pk]) + "?format=csv",
                 Action.RECORDS_EXPORTED, f"scorm.attempts:{package.pk}", people=1)  # fmt: skip


def scorm_registration(**_):
    author, person, registration = _scorm_registration()
    return Visit(author, reverse("scorm_admin:history", args=[registration.pk]), Action.RECORDS_VIEWED,
                 f"scorm.registration:{registration.pk}", subject=person)  # fmt: skip


def certificate_list(**_):
    issued_certificate()
    return Visit(_admin(), reverse("certificates_admin:index"), Action.RECORDS_VIEWED,
                 "certificates.certificate", people=1)  # fmt: skip


def certificate_detail(**_):
    certificate = issued_certificate()
    return Visit(_admin(), reverse("certificates_admin:detail", args=[certificate.pk]), Action.RECORDS_VIEWED,
                 f"certificates.certificate:{certificate.pk}", subject=certificate.learner)  # fmt: skip


def _snippet_url(model, name, *args):
    return reverse(model.snippet_viewset.get_url_name(name), args=args)


def learner_profiles_list(public_service, **_):
    _manager, _person = _staff(public_service)
    return Visit(_admin(), _snippet_url(LearnerProfile, "list"), Action.RECORDS_VIEWED,
                 "people.learnerprofile", people=1)  # fmt: skip


def learner_profiles_export(public_service, **_):
    _manager, _person = _staff(public_service)
    return Visit(_admin(), _snippet_url(LearnerProfile, "list") + "?export=csv", Action.RECORDS_EXPORTED,
                 "people.learnerprofile", people=1)  # fmt: skip


def learner_profile_edit(public_service, **_):
    _manager, person = _staff(public_service)
    profile = person.profile
    return Visit(_admin(), _snippet_url(LearnerProfile, "edit", profile.pk), Action.RECORDS_VIEWED,
                 f"people.learnerprofile:{profile.pk}", subject=person)  # fmt: skip


def _enrolment():
    version = package_ready()
    person = learner()
    return person, enrolled(person, scorm_lesson(package=version.package))


def enrolments_list(**_):
    _enrolment()
    return Visit(
        _admin(), _snippet_url(Enrolment, "list"), Action.RECORDS_VIEWED, "courses.enrolment", people=1
    )


def enrolment_edit(**_):
    person, enrolment = _enrolment()
    return Visit(_admin(), _snippet_url(Enrolment, "edit", enrolment.pk), Action.RECORDS_VIEWED,
                 f"courses.enrolment:{enrolment.pk}", subject=person)  # fmt: skip


def accounts_list(**_):
    learner()
    return Visit(
        _admin(), reverse("wagtailusers_users:index"), Action.RECORDS_VIEWED, "people.user", people=2
    )


def account_edit(**_):
    person = learner()
    return Visit(_admin(), reverse("wagtailusers_users:edit", args=[person.pk]), Action.RECORDS_VIEWED,
                 f"people.user:{person.pk}", subject=person)  # fmt: skip


def staff_import_preview(public_service, **_):
    manager, person = _staff(public_service)
    moving = f"email,unit_code,employment_type\r\n{person.email},DIV-A1-HR,ข้าราชการ\r\n".encode()
    return Visit(manager, reverse("staff:import"), Action.RECORDS_VIEWED, "people.staff_import", people=1,
                 upload=moving)  # fmt: skip


def api_people_list(public_service, **_):
    """An agency's HR system (a server's token, nobody signed in) lists its people."""
    from api.tests.factories import ApplicationFactory, bearer

    learner_in(public_service["DIV-A1-ICT"])
    application = ApplicationFactory.create(unit=public_service["DEPT-A1"])
    return Visit(None, "/api/v1/people/", Action.RECORDS_VIEWED, "api:people", people=1,
                 headers=bearer(application, scope="people:read"))  # fmt: skip


def api_person_for_a_manager(public_service, **_):
    """An HR manager, signed in to the agency's application, reads one of their people."""
    from api.tests.factories import ApplicationFactory, bearer

    manager, person = _staff(public_service)
    application = ApplicationFactory.create(
        unit=public_service["DEPT-A1"], authorization_grant_type="authorization-code",
        redirect_uris="https://hr.example.go.th/back",
    )  # fmt: skip
    return Visit(manager, f"/api/v1/people/{person.pk}/", Action.RECORDS_VIEWED, "api:person", subject=person,
                 headers=bearer(application, scope="people:read", user=manager))  # fmt: skip


def audit_log_export(**_):
    dpo = learner()
    role_assign(user=dpo, role=Role.DATA_PROTECTION_OFFICER)
    return Visit(dpo, reverse("audit_log") + "?format=csv", Action.RECORDS_EXPORTED, "audit.log")


INSTRUMENTED: dict[str, list[Callable[..., Visit]]] = {
    "competencies/views/profiles.py": [competency_profile],
    "analytics/views/dashboards.py": [agency_dashboard],
    "analytics/views/exports.py": [dashboard_table_export, dashboard_report, export_job_download],
    "assignments/views.py": [assignment_members],
    "scorm/views/admin.py": [scorm_attempts, scorm_attempts_csv, scorm_registration],
    "certificates/views/admin.py": [certificate_list, certificate_detail],
    "people/wagtail_hooks.py": [learner_profiles_list, learner_profiles_export, learner_profile_edit],
    "courses/wagtail_hooks.py": [enrolments_list, enrolment_edit],
    "people/admin.py": [accounts_list, account_edit],
    "people/views/staff.py": [staff_import_preview],
    "audit/views.py": [audit_log_export],
    "api/views/people.py": [api_people_list, api_person_for_a_manager],
}
VISITS = [visit for visits in INSTRUMENTED.values() for visit in visits]


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.mark.parametrize("build", VISITS, ids=[build.__name__ for build in VISITS])
def test_each_view_of_other_peoples_records_leaves_one_entry(
    build, client, public_service, media, django_capture_on_commit_callbacks
):
    visit = build(
        public_service=public_service,
        client=client,
        django_capture_on_commit_callbacks=django_capture_on_commit_callbacks,
    )
    before = set(AuditEvent.objects.values_list("pk", flat=True))
    if visit.viewer is not None and not visit.headers:
        client.force_login(visit.viewer)

    if visit.upload:
        response = client.post(
            visit.url, {"file": SimpleUploadedFile("staff.csv", visit.upload)}, REMOTE_ADDR=ADDRESS
        )
    else:
        response = client.get(visit.url, REMOTE_ADDR=ADDRESS, **visit.headers)

    assert response.status_code == 200, response.status_code
    new = AuditEvent.objects.exclude(pk__in=before).filter(
        action__in=[Action.RECORDS_VIEWED, Action.RECORDS_EXPORTED]
    )
    assert [(event.action, event.what) for event in new] == [(visit.action, visit.what)]
    event = new.get()
    assert (event.actor_id, event.ip_address) == (getattr(visit.viewer, "pk", None), ADDRESS)
    assert event.subject_id == (visit.subject.pk if visit.subject is not None else None)
    if visit.people is not None:
        assert event.detail["people"] >= visit.people


def test_a_list_records_its_filters_but_never_the_text_searched(client, public_service):
    admin = _admin()
    learner_in(public_service["DIV-A1-ICT"], email="somchai.j@agency.go.th")
    client.force_login(admin)

    client.get(
        _snippet_url(LearnerProfile, "list"),
        {"q": "somchai.j@agency.go.th", "employment_type": "civil_servant"},
    )

    event = AuditEvent.objects.get(action=Action.RECORDS_VIEWED)
    assert event.detail["filters"] == {"searched": True, "employment_type": "civil_servant"}
    assert "somchai" not in str(list(AuditEvent.objects.values_list()))


def test_a_person_looking_at_their_own_records_leaves_no_entry(client, public_service):
    manager, person = _staff(public_service)
    client.force_login(manager)
    own = client.get(reverse("competencies:person", args=[manager.pk]))
    assert own.status_code == 302  # to "my competencies"
    assert not AuditEvent.objects.filter(action=Action.RECORDS_VIEWED).exists()
    client.get(reverse("competencies:person", args=[person.pk]))  # the control
    assert AuditEvent.objects.filter(action=Action.RECORDS_VIEWED, subject_id=person.pk).count() == 1


def test_an_administrator_opening_their_own_account_leaves_no_entry(client):
    admin = _admin()
    client.force_login(admin)
    assert client.get(reverse("wagtailusers_users:edit", args=[admin.pk])).status_code == 200
    assert not AuditEvent.objects.filter(action=Action.RECORDS_VIEWED).exists()


def test_every_audit_call_in_the_product_is_listed_here():
    root = Path(settings.BASE_DIR)
    calling = set()
    for source in root.glob("*/**/*.py"):
        relative = source.relative_to(root).as_posix()
        if relative.startswith((".venv/", "audit/")) or "/tests/" in relative or "/migrations/" in relative:
            continue
        if re.search(r"audit_(view|export)_of\(|Audited\w+View", source.read_text(encoding="utf-8")):
            calling.add(relative)
    assert calling | {"audit/views.py"} == set(INSTRUMENTED)
