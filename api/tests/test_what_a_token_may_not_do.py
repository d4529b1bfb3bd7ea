"""What a token may not do, whatever it holds: outlive its person's account, keep a scope its
application lost, let a learner move their own deadline, let a partner undo an agency's
assignment, learn about another application's tokens, or break on a NUL character."""

import datetime as dt

import pytest
from django.utils import timezone

from api.tests.factories import ApplicationFactory, bearer
from courses.models import Enrolment
from courses.services.enrolment import enrolment_assign
from courses.tests.factories import course_with_lessons
from organisations.tests.factories import ContentPartnerFactory
from people.tests.factories import hr_manager_of, learner_in


@pytest.fixture
def agency_web_app(public_service):
    return ApplicationFactory.create(
        unit=public_service["DEPT-A1"],
        authorization_grant_type="authorization-code",
        redirect_uris="https://hr.example.go.th/back",
    )


def test_a_closed_accounts_token_is_dead_and_never_widens_to_the_applications_view(
    client, public_service, agency_web_app
):
    me = learner_in(public_service["DIV-A1-HR"], email="me@a.go.th")
    learner_in(public_service["DIV-A1-HR"], email="colleague@a.go.th")
    headers = bearer(agency_web_app, scope="people:read", user=me)
    assert [row["email"] for row in client.get("/api/v1/people/", **headers).json()["results"]] == [
        "me@a.go.th"
    ]
    me.is_active = False
    me.save()
    closed = client.get("/api/v1/people/", **headers)
    assert closed.status_code == 401
    assert "colleague@a.go.th" not in closed.content.decode()


def test_a_token_loses_a_scope_the_moment_its_application_does(client, public_service):
    application = ApplicationFactory.create(
        unit=public_service["DEPT-A1"], allowed_scopes="people:read learning:read"
    )
    learner_in(public_service["DIV-A1-HR"])
    headers = bearer(application, scope="people:read learning:read")
    assert client.get("/api/v1/people/", **headers).status_code == 200
    # Rebound to a partner (which may never read people), and the old token with it.
    application.unit, application.partner = None, ContentPartnerFactory.create()
    application.save()
    assert client.get("/api/v1/people/", **headers).status_code == 403
    application.partner, application.unit, application.allowed_scopes = (
        None,
        public_service["DEPT-A1"],
        "learning:read",
    )
    application.save()
    assert client.get("/api/v1/people/", **headers).status_code == 403


def test_a_learners_own_token_cannot_move_their_deadline_or_assign_themselves(
    client, public_service, agency_web_app
):
    me = learner_in(public_service["DIV-A1-HR"])
    course = course_with_lessons(lessons=1)
    due = timezone.localdate() + dt.timedelta(days=10)
    assigned = enrolment_assign(user=me, course=course, assigned_by=None, due_date=due)
    headers = bearer(agency_web_app, scope="learning:read enrolments:write", user=me)
    moved = client.patch(
        f"/api/v1/enrolments/{assigned.pk}/", {"due_date": None}, content_type="application/json", **headers
    )
    assert moved.status_code == 403
    assert Enrolment.objects.get(pk=assigned.pk).due_date == due
    other = course_with_lessons(lessons=1, enrolment_mode="approval")
    joined = client.post(
        "/api/v1/enrolments/",
        {"person_id": me.pk, "course_id": other.pk},
        content_type="application/json",
        **headers,
    )
    assert joined.status_code == 400
    assert not Enrolment.objects.filter(user=me, course=other).exists()
    # Their manager, signed in to the same application, may.
    manager = hr_manager_of(public_service["DEPT-A1"])
    as_manager = bearer(agency_web_app, scope="enrolments:write", user=manager)
    later = (due + dt.timedelta(days=5)).isoformat()
    answer = client.patch(
        f"/api/v1/enrolments/{assigned.pk}/",
        {"due_date": later},
        content_type="application/json",
        **as_manager,
    )
    assert answer.status_code == 200
    assert answer.json()["due_date"] == later


def test_a_partner_cannot_undo_an_agencys_assignment_of_its_course(client, public_service):
    partner = ContentPartnerFactory.create()
    course = course_with_lessons(lessons=1, partner=partner)
    person = learner_in(public_service["DIV-A1-HR"])
    due = timezone.localdate() + dt.timedelta(days=10)
    assigned = enrolment_assign(user=person, course=course, assigned_by=None, due_date=due)
    application = ApplicationFactory.create(partner=partner, allowed_scopes="learning:read enrolments:write")
    headers = bearer(application, scope="learning:read enrolments:write")
    again = client.post(
        "/api/v1/enrolments/",
        {"person_id": person.pk, "course_id": course.pk},
        content_type="application/json",
        **headers,
    )
    assert again.status_code == 400
    moved = client.patch(
        f"/api/v1/enrolments/{assigned.pk}/", {"due_date": None}, content_type="application/json", **headers
    )
    assert moved.status_code == 403
    assigned.refresh_from_db()
    assert (assigned.due_date, assigned.source) == (due, Enrolment.Source.ASSIGNMENT)


def test_leaving_the_due_date_out_keeps_the_one_an_enrolment_has(client, public_service):
    application = ApplicationFactory.create(unit=public_service["DEPT-A1"])
    person = learner_in(public_service["DIV-A1-HR"])
    course = course_with_lessons(lessons=1)
    due = timezone.localdate() + dt.timedelta(days=10)
    enrolment_assign(user=person, course=course, assigned_by=None, due_date=due)
    answer = client.post(
        "/api/v1/enrolments/",
        {"person_id": person.pk, "course_id": course.pk},
        content_type="application/json",
        **bearer(application),
    )
    assert answer.status_code == 201
    assert answer.json()["due_date"] == due.isoformat()


def test_a_client_learns_nothing_about_another_applications_tokens(client, public_service):
    mine = ApplicationFactory.create(unit=public_service["DEPT-A1"], client_secret="mine-secret-" + "x" * 30)
    theirs = ApplicationFactory.create(unit=public_service["MIN-B"], client_secret="their-secret-" + "y" * 30)
    person = learner_in(public_service["MIN-B"], email="someone@b.go.th")
    their_token = bearer(theirs, scope="learning:read", user=person)["HTTP_AUTHORIZATION"].removeprefix(
        "Bearer "
    )
    import base64

    def introspect(application, secret):
        basic = base64.b64encode(f"{application.client_id}:{secret}".encode()).decode()
        return client.post(
            "/o/introspect/", {"token": their_token}, HTTP_AUTHORIZATION=f"Basic {basic}"
        ).json()

    assert introspect(mine, "mine-secret-" + "x" * 30) == {"active": False}
    own = introspect(theirs, "their-secret-" + "y" * 30)
    assert own["active"] is True
    assert own["sub"] == str(person.pk)
    assert "someone@b.go.th" not in str(own)


def test_a_nul_character_in_a_filter_is_refused_with_a_message(client, public_service):
    application = ApplicationFactory.create(unit=public_service["DEPT-A1"])
    for query in ("employee_number=%00", "unit=%00", "cursor=%00"):
        answer = client.get(f"/api/v1/people/?{query}", **bearer(application, scope="people:read"))
        assert answer.status_code == 400, query
        assert answer.json()["error"]["code"] == "invalid"


def test_a_partner_sees_certificates_without_the_codes_that_would_name_its_learners(client, public_service):
    from certificates.services.issuance import certificate_issue
    from courses.tests.factories import complete

    partner = ContentPartnerFactory.create()
    course = course_with_lessons(lessons=1, partner=partner)
    person = learner_in(public_service["DIV-A1-HR"])
    certificate_issue(enrolment_id=complete(person, course).pk)
    partner_app = ApplicationFactory.create(partner=partner, allowed_scopes="certificates:read")
    (row,) = client.get("/api/v1/certificates/", **bearer(partner_app, scope="certificates:read")).json()[
        "results"
    ]
    assert row["code"] is None
    assert row["verify_url"] is None
    agency_app = ApplicationFactory.create(unit=public_service["DEPT-A1"])
    (row,) = client.get("/api/v1/certificates/", **bearer(agency_app, scope="certificates:read")).json()[
        "results"
    ]
    assert row["code"]
