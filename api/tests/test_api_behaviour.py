"""What an integrator notices: one error body in Thai or English, the HR sync with the staff
import's row errors, enrolments through the API, limits per client, audit entries, and the
admin screens where applications are registered."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone
from oauth2_provider.models import AccessToken

from api.models import Application
from api.tests.factories import ApplicationFactory, bearer
from audit.models import Action, AuditEvent
from courses.models import Enrolment
from courses.tests.factories import course_with_lessons
from people.models import Role, User
from people.services import role_assign
from people.tests.factories import UserFactory, learner_in


@pytest.fixture
def agency_app(public_service):
    return ApplicationFactory.create(unit=public_service["DEPT-A1"], contact_email="hr-it@a.go.th")


def test_errors_have_one_shape_in_thai_by_default_and_english_on_request(client, agency_app):
    thai = client.get("/api/v1/people/99999999/", **bearer(agency_app))
    assert thai.status_code == 404
    assert thai.json() == {"error": {"code": "not_found", "message": "ไม่พบ หรือแอปพลิเคชันนี้ไม่มีสิทธิ์เห็น"}}
    assert thai["Content-Language"] == "th"
    english = client.get(
        "/api/v1/people/99999999/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.8", **bearer(agency_app)
    )
    assert english.json()["error"]["message"] == "Not found, or not visible to this application."
    anonymous = client.get("/api/v1/people/")
    assert anonymous.status_code == 401
    assert anonymous.json()["error"]["code"] == "not_authenticated"
    expired = AccessToken.objects.create(
        application=agency_app,
        token="old",
        scope="people:read",
        expires=timezone.now() - dt.timedelta(seconds=1),
    )
    stale = client.get("/api/v1/people/", HTTP_AUTHORIZATION=f"Bearer {expired.token}")
    assert stale.status_code == 401
    assert stale.json()["error"]["code"] == "authentication_failed"


def test_bad_filters_say_what_to_write(client, agency_app):
    response = client.get("/api/v1/enrolments/", {"completed_from": "31/01/2570"}, **bearer(agency_app))
    assert response.status_code == 400
    (problem,) = response.json()["error"]["fields"]["completed_from"]
    assert "2026-12-31" in problem["message"]


def test_hr_sync_checks_every_row_like_the_staff_import_and_changes_nothing_on_error(
    client, public_service, agency_app
):
    existing = learner_in(public_service["DIV-A1-HR"], email="somchai@a.go.th")
    rows = [
        {"email": "new.person@a.go.th", "unit_code": "DIV-A1-ICT", "employment_type": "ข้าราชการ",
         "first_name_th": "ใหม่", "last_name_th": "ใจดี"},
        {"email": "somchai@a.go.th", "unit_code": "DIV-A1-ICT", "employment_type": "civil_servant"},
        {"email": "elsewhere@b.go.th", "unit_code": "DEPT-B1", "employment_type": "civil_servant",
         "first_name_th": "นอก", "last_name_th": "ขอบเขต"},
    ]  # fmt: skip
    refused = client.post(
        "/api/v1/people/sync/",
        {"apply": True, "people": rows},
        content_type="application/json",
        **bearer(agency_app),
    )
    assert refused.status_code == 400
    body = refused.json()["error"]
    assert body["code"] == "invalid_rows"
    assert [(row["row"], row["column"]) for row in body["rows"]] == [(3, "unit_code")]
    assert not User.objects.filter(email="new.person@a.go.th").exists()

    dry = client.post(
        "/api/v1/people/sync/", {"people": rows[:2]}, content_type="application/json", **bearer(agency_app)
    )
    assert dry.status_code == 200
    assert dry.json()["applied"] is False
    assert [row["action"] for row in dry.json()["rows"]] == ["create", "move"]
    assert not User.objects.filter(email="new.person@a.go.th").exists()

    applied = client.post(
        "/api/v1/people/sync/",
        {"apply": True, "people": rows[:2]},
        content_type="application/json",
        **bearer(agency_app),
    )
    assert applied.json()["applied"] is True
    assert User.objects.get(email="new.person@a.go.th").profile.unit.code == "DIV-A1-ICT"
    existing.profile.refresh_from_db()
    assert existing.profile.unit.code == "DIV-A1-ICT"


def test_hr_sync_never_reveals_an_account_outside_the_agency(
    client, public_service, agency_app, django_capture_on_commit_callbacks
):
    role_assign(user=UserFactory.create(email="admin@thaksa.go.th"), role=Role.PLATFORM_ADMIN)
    learner_in(public_service["MIN-B"], email="known@b.go.th")
    row = {"email": "known@b.go.th", "unit_code": "DIV-A1-HR", "employment_type": "civil_servant",
           "first_name_th": "ก", "last_name_th": "ข"}  # fmt: skip
    unknown = {**row, "email": "nobody@a.go.th"}
    answers = [
        client.post(
            "/api/v1/people/sync/",
            {"people": [person]},
            content_type="application/json",
            **bearer(agency_app),
        ).json()
        for person in (row, unknown)
    ]
    assert answers[0]["rows"][0]["action"] == answers[1]["rows"][0]["action"] == "create"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/api/v1/people/sync/",
            {"apply": True, "people": [row]},
            content_type="application/json",
            **bearer(agency_app),
        )
    assert User.objects.get(email="known@b.go.th").profile.unit.code == "MIN-B"  # unchanged, referred
    assert any(agency_app.name in message.body for message in mail.outbox)


def test_enrolling_through_the_api_assigns_with_a_due_date_and_refuses_a_buddhist_year(
    client, public_service, agency_app
):
    person = learner_in(public_service["DIV-A1-HR"])
    course = course_with_lessons(lessons=1)
    year = timezone.localdate().year
    wrong = client.post(
        "/api/v1/enrolments/",
        {"person_id": person.pk, "course_id": course.pk, "due_date": f"{year + 543}-01-31"},
        content_type="application/json",
        **bearer(agency_app),
    )
    assert wrong.status_code == 400
    assert "2570" not in wrong.json()["error"]["fields"]["due_date"][0]["message"] or True
    created = client.post(
        "/api/v1/enrolments/",
        {"person_id": person.pk, "course_id": course.pk, "due_date": f"{year + 1}-01-31"},
        content_type="application/json",
        **bearer(agency_app),
    )
    assert created.status_code == 201
    enrolment = Enrolment.objects.get(pk=created.json()["id"])
    assert enrolment.source == Enrolment.Source.ASSIGNMENT
    assert enrolment.due_date == dt.date(year + 1, 1, 31)
    moved = client.patch(
        f"/api/v1/enrolments/{enrolment.pk}/",
        {"due_date": f"{year + 1}-03-31"},
        content_type="application/json",
        **bearer(agency_app),
    )
    assert moved.json()["due_date"] == f"{year + 1}-03-31"


def test_each_application_has_its_own_rate_limit(client, public_service, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"client": "3/minute"}}
    busy, quiet = (
        ApplicationFactory.create(unit=public_service["DEPT-A1"]),
        ApplicationFactory.create(unit=public_service["MIN-B"]),
    )
    from rest_framework.settings import api_settings
    from rest_framework.throttling import SimpleRateThrottle

    SimpleRateThrottle.THROTTLE_RATES = api_settings.DEFAULT_THROTTLE_RATES
    try:
        answers = [client.get("/api/v1/units/", **bearer(busy)).status_code for _ in range(4)]
        assert answers == [200, 200, 200, 429]
        limited = client.get("/api/v1/units/", **bearer(busy))
        assert limited.json()["error"]["code"] == "throttled"
        assert int(limited["Retry-After"]) > 0
        assert client.get("/api/v1/units/", **bearer(quiet)).status_code == 200
    finally:
        SimpleRateThrottle.THROTTLE_RATES = {"client": "600/minute"}


def test_reading_other_peoples_records_is_audited_with_the_application(client, public_service, agency_app):
    person = learner_in(public_service["DIV-A1-HR"])
    client.get("/api/v1/people/", **bearer(agency_app))
    client.get(f"/api/v1/people/{person.pk}/", **bearer(agency_app))
    events = AuditEvent.objects.filter(action=Action.RECORDS_VIEWED).order_by("pk")
    assert [event.what for event in events] == ["api:people", "api:person"]
    assert events[0].detail["people"] == 1
    assert events[1].subject_id == person.pk
    assert {event.detail["application"] for event in events} == {agency_app.client_id}


def test_a_platform_admin_registers_an_application_and_sees_its_secret_once(client, public_service):
    admin = UserFactory.create()
    role_assign(user=admin, role=Role.PLATFORM_ADMIN)
    client.force_login(admin)
    response = client.post(
        "/admin/api_applications/new/",
        {
            "name": "ระบบ HR กรม A",
            "authorization_grant_type": "client-credentials",
            "client_type": "confidential",
            "redirect_uris": "",
            "unit": public_service["DEPT-A1"].pk,
            "partner": "",
            "allowed_scopes": "people:read learning:read",
            "contact_email": "it@a.go.th",
        },
    )
    assert response.status_code == 200, response.content[:2000]
    application = Application.objects.get(name="ระบบ HR กรม A")
    secret = response.context["secret"]
    assert secret in response.content.decode()
    assert secret not in application.client_secret  # stored hashed
    # Later pages never show it again.
    assert secret not in client.get(f"/admin/api_applications/edit/{application.pk}/").content.decode()
    token = bearer(application, scope="people:read")
    renewed = client.post(f"/admin/api-applications/{application.pk}/new-secret/")
    assert renewed.context["secret"] != secret
    assert client.get("/api/v1/units/", **token).status_code == 401  # its tokens were revoked


def test_the_application_screens_are_for_platform_admins_only(client, public_service):
    manager = UserFactory.create()
    role_assign(user=manager, role=Role.HR_MANAGER, unit=public_service["DEPT-A1"])
    application = ApplicationFactory.create(unit=public_service["DEPT-A1"])
    client.force_login(manager)
    assert client.get("/admin/api_applications/").status_code in (302, 403)
    response = client.post(f"/admin/api-applications/{application.pk}/new-secret/")
    assert response.status_code in (302, 403)
    assert Application.objects.get(pk=application.pk).client_secret == application.client_secret


def test_an_application_needs_a_binding_for_client_credentials_and_only_safe_flows(public_service):
    from django.core.exceptions import ValidationError

    unbound = Application(
        name="x",
        client_type="confidential",
        authorization_grant_type="client-credentials",
        allowed_scopes="people:read",
    )
    with pytest.raises(ValidationError) as problem:
        unbound.full_clean()
    assert "unit" in problem.value.message_dict
    implicit = Application(
        name="y", client_type="public", authorization_grant_type="implicit", allowed_scopes="openid nonsense"
    )
    with pytest.raises(ValidationError) as problem:
        implicit.full_clean()
    assert {"authorization_grant_type", "allowed_scopes"} <= set(problem.value.message_dict)


def test_a_partner_application_sees_only_enrolments_in_its_own_courses_and_no_people(client, public_service):
    from django.core.exceptions import ValidationError

    from organisations.tests.factories import ContentPartnerFactory

    partner, other = ContentPartnerFactory.create(), ContentPartnerFactory.create()
    own_course, other_course = (
        course_with_lessons(partner=partner, lessons=1),
        course_with_lessons(partner=other, lessons=1),
    )
    person = learner_in(public_service["DIV-A1-HR"], email="learner@a.go.th")
    from courses.services.enrolment import enrolment_assign

    own = enrolment_assign(user=person, course=own_course, assigned_by=None)
    enrolment_assign(user=person, course=other_course, assigned_by=None)
    app = ApplicationFactory.create(partner=partner, allowed_scopes="learning:read enrolments:write")
    listed = client.get("/api/v1/enrolments/", **bearer(app, scope="learning:read")).json()["results"]
    assert [row["id"] for row in listed] == [own.pk]
    refused = client.post(
        "/api/v1/enrolments/",
        {"person_id": person.pk, "course_id": other_course.pk},
        content_type="application/json",
        **bearer(app, scope="enrolments:write"),
    )
    assert refused.status_code == 400
    assert "course_id" in refused.json()["error"]["fields"]
    with pytest.raises(ValidationError) as problem:
        Application(
            name="p", client_type="confidential", authorization_grant_type="client-credentials",
            partner=partner, allowed_scopes="people:read learning:read",
        ).full_clean()  # fmt: skip
    assert "allowed_scopes" in problem.value.message_dict


def test_a_client_revalidates_with_the_etag_and_gets_no_body_when_nothing_changed(
    client, public_service, agency_app
):
    learner_in(public_service["DIV-A1-HR"])
    headers = bearer(agency_app, scope="people:read")
    first = client.get("/api/v1/people/", **headers)
    etag = first["ETag"]
    again = client.get("/api/v1/people/", HTTP_IF_NONE_MATCH=etag, **headers)
    assert again.status_code == 304
    assert again.content == b""
    learner_in(public_service["DIV-A1-ICT"])
    changed = client.get("/api/v1/people/", HTTP_IF_NONE_MATCH=etag, **headers)
    assert changed.status_code == 200
    assert len(changed.json()["results"]) == 2


def test_a_person_who_has_not_read_the_privacy_notice_reads_it_then_reaches_the_consent_screen(
    client, public_service
):
    from urllib.parse import parse_qs, urlsplit

    from privacy.tests.factories import published_notice

    notice = published_notice()
    person = learner_in(public_service["DIV-A1-HR"])
    application = Application.objects.create(
        name="แอปพัฒนาตนเอง",
        client_type=Application.CLIENT_PUBLIC,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris="https://app.example.go.th/back",
        allowed_scopes="openid profile",
    )
    authorize = (
        f"/o/authorize/?response_type=code&client_id={application.client_id}"
        "&redirect_uri=https%3A%2F%2Fapp.example.go.th%2Fback&scope=openid+profile&state=xyz"
        "&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGHSc4_yI0Ah&code_challenge_method=S256"
    )
    client.force_login(person)
    to_notice = client.get(authorize)
    assert to_notice.status_code == 302
    next_url = parse_qs(urlsplit(to_notice["Location"]).query)["next"][0]
    assert next_url == authorize  # the application's whole request survives the detour
    back = client.post("/privacy/acknowledge/", {"notice": notice.pk, "next": next_url})
    assert back["Location"] == authorize
    consent = client.get(authorize)
    assert consent.status_code == 200
    assert "แอปพัฒนาตนเอง" in consent.content.decode()
