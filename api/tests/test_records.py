"""A person's records through the API (transcript, certificates, competencies), the public
certificate check and a unit's figures: the numbers the pages show, only for people and units
the application sees, each read of someone else's records in the audit log."""

import datetime as dt
from decimal import Decimal

import pytest
from django.test import override_settings
from django.utils import timezone

from analytics.models import SNAPSHOT, AggregateCell, Measure
from api.tests.factories import ApplicationFactory, bearer
from audit.models import AuditEvent
from certificates.models import Certificate
from certificates.tests.factories import issued_certificate
from competencies.tests.builders import evidence, framework, node, requirement
from courses.tests.factories import complete, course_with_lessons
from lms.thai_calendar import current_fiscal_year
from organisations.tests.factories import ContentPartnerFactory
from people.civil_service import EmploymentType
from people.models import LearnerProfile
from people.tests.factories import RoleGroupFactory, learner_in

pytestmark = pytest.mark.django_db

FY = current_fiscal_year()
ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def world(public_service):
    """An agency's application (MIN-A) and two people: Sudarat in one of its divisions, and
    someone in another ministry (MIN-B)."""
    sudarat = learner_in(
        public_service["DIV-A1-HR"],
        email="sudarat@a.go.th",
        title="miss",
        first_name="สุดารัตน์",
        last_name="ทองดี",
        first_name_en="Sudarat",
        last_name_en="Thongdee",
    )
    stranger = learner_in(public_service["DEPT-B1"], email="stranger@b.go.th")
    return {
        "units": public_service,
        "app": ApplicationFactory.create(unit=public_service["MIN-A"]),
        "sudarat": sudarat,
        "stranger": stranger,
    }


def get(client, url, app, scope, **extra):
    return client.get(url, **bearer(app, scope=scope), **extra)


def records_viewed(what: str):
    return AuditEvent.objects.filter(action="records_viewed", what=what)


# Transcript -------------------------------------------------------------------------------


def test_the_transcript_lists_completed_courses_with_hours_per_fiscal_year(client, world):
    person = world["sudarat"]
    first = course_with_lessons(lessons=1, code="PDPA-101", title="คุ้มครองข้อมูล", estimated_hours=Decimal("3"))
    second = course_with_lessons(lessons=1, code="CYBER-1", estimated_hours=Decimal("1.5"))
    complete(person, first)
    complete(person, second)

    response = get(client, f"/api/v1/people/{person.pk}/transcript/", world["app"], "learning:read")

    assert response.status_code == 200
    body = response.json()
    assert body["person_id"] == person.pk
    assert body["current_fiscal_year_be"] == FY.year
    assert {row["course_code"] for row in body["courses"]} == {"PDPA-101", "CYBER-1"}
    row = next(row for row in body["courses"] if row["course_code"] == "PDPA-101")
    assert row["course_id"] == first.pk
    assert row["title_th"] == "คุ้มครองข้อมูล"
    assert row["fiscal_year_be"] == FY.year
    assert Decimal(row["hours_credited"]) == Decimal("3")
    assert row["completed_at"]
    assert Decimal(body["total_hours"]) == Decimal("4.5")
    this_year = body["fiscal_years"][0]
    assert this_year["fiscal_year"]["fiscal_year_be"] == FY.year
    assert this_year["fiscal_year"]["start"] == FY.start.isoformat()
    assert this_year["fiscal_year"]["end"] == FY.end.isoformat()
    assert this_year["fiscal_year"]["label"] == f"ปีงบประมาณ {FY.year}"
    assert Decimal(this_year["hours"]) == Decimal("4.5")


def test_reading_a_transcript_is_in_the_audit_log_with_the_application(client, world):
    person, app = world["sudarat"], world["app"]

    get(client, f"/api/v1/people/{person.pk}/transcript/", app, "learning:read")

    event = records_viewed("api:transcript").get()
    assert event.subject_id == person.pk
    assert event.actor_id is None  # a server's token: nobody signed in
    assert event.detail["application"] == app.client_id


def test_a_learner_reading_their_own_transcript_is_not_audited(client, public_service):
    person = learner_in(public_service["DIV-A1-HR"])
    app = ApplicationFactory.create(
        unit=public_service["MIN-A"], authorization_grant_type="authorization-code"
    )

    response = client.get(
        f"/api/v1/people/{person.pk}/transcript/", **bearer(app, scope="learning:read", user=person)
    )

    assert response.status_code == 200
    assert response.json()["courses"] == []
    assert not records_viewed("api:transcript").exists()


# Certificates -----------------------------------------------------------------------------


def test_certificates_of_the_people_the_application_sees(client, world):
    certificate = issued_certificate(user=world["sudarat"], title="ความปลอดภัยไซเบอร์")
    foreign = issued_certificate(user=world["stranger"])

    response = get(client, "/api/v1/certificates/", world["app"], "certificates:read")

    assert response.status_code == 200
    rows = response.json()["results"]
    assert [row["number"] for row in rows] == [certificate.number]
    row = rows[0]
    assert row["code"] == certificate.verification_code
    assert row["person_id"] == world["sudarat"].pk
    assert row["course_id"] == certificate.course_id
    assert row["status"] == "valid"
    assert row["verify_url"].endswith(f"/{certificate.public_id}/")
    assert foreign.number not in response.content.decode()
    event = records_viewed("api:certificates").get()
    assert event.detail["people"] == 1


def test_certificates_filtered_by_person_unit_and_issue_date(client, world):
    units = world["units"]
    certificate = issued_certificate(user=world["sudarat"])
    colleague = learner_in(units["DEPT-A2"])
    other = issued_certificate(user=colleague)
    Certificate.objects.filter(pk=other.pk).update(issued_at=timezone.now() - dt.timedelta(days=400))
    app = world["app"]

    def numbers(**query):
        response = client.get("/api/v1/certificates/", query, **bearer(app, scope="certificates:read"))
        assert response.status_code == 200, response.content
        return {row["number"] for row in response.json()["results"]}

    assert numbers() == {certificate.number, other.number}
    assert numbers(person=colleague.pk) == {other.number}
    assert numbers(unit="DEPT-A1") == {certificate.number}
    today = timezone.localdate().isoformat()
    assert numbers(issued_from=today) == {certificate.number}
    assert numbers(issued_to=(timezone.localdate() - dt.timedelta(days=1)).isoformat()) == {other.number}
    refused = client.get("/api/v1/certificates/", {"person": "me"}, **bearer(app, scope="certificates:read"))
    assert refused.status_code == 400
    assert "person" in refused.json()["error"]["fields"]
    unseen = client.get("/api/v1/certificates/", {"unit": "MIN-B"}, **bearer(app, scope="certificates:read"))
    assert unseen.status_code == 404


def test_an_expired_or_revoked_certificate_says_so(client, world):
    expired = issued_certificate(user=world["sudarat"])
    Certificate.objects.filter(pk=expired.pk).update(valid_until=timezone.localdate() - dt.timedelta(days=1))
    revoked = issued_certificate(user=world["sudarat"])
    Certificate.objects.filter(pk=revoked.pk).update(status=Certificate.Status.REVOKED)

    rows = get(client, "/api/v1/certificates/", world["app"], "certificates:read").json()["results"]

    statuses = {row["number"]: row["status"] for row in rows}
    assert statuses == {expired.number: "expired", revoked.number: "revoked"}


def test_a_partner_application_sees_certificates_of_its_own_courses_only(client, world):
    partner = ContentPartnerFactory.create()
    own = issued_certificate(user=world["sudarat"], partner=partner)
    elsewhere = issued_certificate(user=world["sudarat"])

    rows = get(
        client, "/api/v1/certificates/", ApplicationFactory.create(partner=partner), "certificates:read"
    ).json()

    assert [row["number"] for row in rows["results"]] == [own.number]
    assert elsewhere.number not in str(rows)


# The public check -------------------------------------------------------------------------


def test_anyone_checks_a_certificate_by_its_code_and_sees_only_the_masked_name(client, world):
    certificate = issued_certificate(
        user=world["sudarat"], title="ความปลอดภัยไซเบอร์", title_en="Cybersecurity"
    )
    code = certificate.verification_code_display.lower()  # as typed off the paper

    response = client.get(f"/api/v1/certificates/verify/{code}/", **ENGLISH)

    assert response.status_code == 200
    body = response.json()
    assert body["number"] == certificate.number
    assert body["status"] == "valid"
    assert body["holder_name"] == {"th": "นางสาวสุดารัตน์ ท.", "en": "Miss Sudarat T."}
    assert body["holder_name_masked"] is True
    assert body["course_title"]["en"] == "Cybersecurity"
    assert body["pdf_url"] is None
    assert body["verify_url"].endswith(f"/{certificate.public_id}/")
    text = response.content.decode()
    assert "sudarat@a.go.th" not in text
    assert "Thongdee" not in text
    assert "ทองดี" not in text


def test_a_holder_who_shows_their_full_name_is_named_in_full_with_the_pdf(client, world):
    certificate = issued_certificate(user=world["sudarat"])
    Certificate.objects.filter(pk=certificate.pk).update(holder_name_public=True)

    body = client.get(f"/api/v1/certificates/verify/{certificate.verification_code}/").json()

    assert body["holder_name"]["en"] == "Miss Sudarat Thongdee"
    assert body["holder_name_masked"] is False
    assert body["pdf_url"].endswith(f"/{certificate.public_id}/certificate.pdf")
    assert "sudarat@a.go.th" not in str(body)


def test_an_unknown_code_is_not_found(client, world):
    response = client.get("/api/v1/certificates/verify/ZZZZ-ZZZZ/")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


@override_settings(CERTIFICATES_VERIFY_RATE="2/m")
def test_checks_share_the_public_pages_rate_limit(client, world):
    certificate = issued_certificate(user=world["sudarat"])
    url = f"/api/v1/certificates/verify/{certificate.verification_code}/"

    assert client.get(url).status_code == 200
    assert client.get(f"/certificates/{certificate.public_id}/").status_code == 200  # the page
    refused = client.get(url)

    assert refused.status_code == 429
    assert refused.json()["error"]["code"] == "throttled"
    assert refused["Retry-After"]


# Competencies -----------------------------------------------------------------------------


def test_the_competency_profile_shows_levels_required_held_and_the_gap(client, world):
    person = world["sudarat"]
    digcomp = framework(levels=4)
    area = node(digcomp, "1", "Information literacy")
    searching = node(digcomp, "1.1", "Searching", parent=area, sort_order=1)
    evaluating = node(digcomp, "1.2", "Evaluating", parent=area, sort_order=2)
    group = RoleGroupFactory.create(code="ANALYST", name_en="Analysts")
    LearnerProfile.objects.filter(user=person).update(role_group=group)
    requirement(group, searching, 3)
    evidence(person, searching, 2)
    evidence(person, evaluating, 1)

    response = get(
        client, f"/api/v1/people/{person.pk}/competencies/", world["app"], "competencies:read", **ENGLISH
    )

    assert response.status_code == 200
    body = response.json()
    assert body["role_group"]["code"] == "ANALYST"
    assert body["required_count"] == 1
    assert body["met_count"] == 0
    [required] = body["requirements"]
    assert required["competency_id"] == searching.pk
    assert required["code"] == "1.1"
    assert required["framework"] == "DIGCOMP"
    assert required["area"] == "1"
    assert required["level_required"] == 3
    assert required["level_required_name"] == "Advanced"
    assert required["level_held"] == 2
    assert required["level_held_name"] == "Intermediate"
    assert required["gap"] == 1
    assert required["met"] is False
    [held] = body["also_held"]
    assert held["code"] == "1.2"
    assert held["level_held"] == 1
    assert records_viewed("api:competencies").get().subject_id == person.pk


def test_a_person_without_a_role_group_has_no_requirements(client, world):
    person = world["sudarat"]

    body = get(client, f"/api/v1/people/{person.pk}/competencies/", world["app"], "competencies:read").json()

    assert body["role_group"] is None
    assert body["requirements"] == []
    assert body["also_held"] == []


# A unit's figures -------------------------------------------------------------------------


def cell(unit, measure: str, value: int, *, fy: int = FY.year) -> None:
    """An aggregate cell as the analytics jobs write it (snapshot measures in year 0)."""
    snapshot = measure in {Measure.STAFF, Measure.OVERDUE, Measure.OVERDUE_PEOPLE}
    AggregateCell.objects.create(
        fiscal_year=SNAPSHOT if snapshot else fy,
        unit=unit,
        measure=measure,
        item=0,
        value=value,
        employment_type=EmploymentType.CIVIL_SERVANT,
    )


@pytest.fixture
def figures_world(world):
    units = world["units"]
    cell(units["DEPT-A1"], Measure.STAFF, 3)
    cell(units["DIV-A1-HR"], Measure.STAFF, 2)
    cell(units["DIV-A1-HR"], Measure.ACTIVE, 4)
    cell(units["DIV-A1-HR"], Measure.COMPLETIONS, 5)
    cell(units["DIV-A1-HR"], Measure.LEARNERS_COMPLETED, 3)
    cell(units["DIV-A1-HR"], Measure.HOURS, 75)  # tenths of an hour
    cell(units["DIV-A1-HR"], Measure.MANDATORY_DUE, 4)
    cell(units["DIV-A1-HR"], Measure.MANDATORY_DONE, 3)
    cell(units["DIV-A1-HR"], Measure.OVERDUE, 1)
    cell(units["DIV-A1-HR"], Measure.COMPLETIONS, 9, fy=FY.year - 1)
    cell(units["DEPT-A2"], Measure.STAFF, 10)  # a sibling: not counted
    cell(units["DEPT-A2"], Measure.COMPLETIONS, 7)
    return world


def test_a_units_figures_add_up_its_subtree_for_the_current_fiscal_year(client, figures_world):
    unit = figures_world["units"]["DEPT-A1"]

    response = get(
        client, f"/api/v1/units/{unit.pk}/figures/", figures_world["app"], "analytics:read", **ENGLISH
    )

    assert response.status_code == 200
    body = response.json()
    assert body["unit"]["code"] == "DEPT-A1"
    assert body["fiscal_year"]["fiscal_year_be"] == FY.year
    assert body["fiscal_year"]["label"] == f"Fiscal year {FY.year - 543} (B.E. {FY.year})"
    assert body["staff"] == 5
    assert body["active_learners"] == 4
    assert body["completions"] == 5
    assert body["learners_completed"] == 3
    assert body["hours"] == 7.5
    assert body["hours_per_person"] == 1.5
    assert body["compliance_percent"] == 75.0
    assert body["overdue"] == 1
    figures = {figure["key"]: figure for figure in body["figures"]}
    assert figures["staff"]["label"] == "Staff"
    assert figures["compliance"]["value"] == 75.0


def test_a_units_figures_for_an_earlier_fiscal_year(client, figures_world):
    unit = figures_world["units"]["DEPT-A1"]

    body = get(
        client,
        f"/api/v1/units/{unit.pk}/figures/?fiscal_year={FY.year - 1}",
        figures_world["app"],
        "analytics:read",
    ).json()

    assert body["fiscal_year"]["fiscal_year_be"] == FY.year - 1
    assert body["completions"] == 9
    assert body["staff"] == 5  # head counts are as of now
    assert body["compliance_percent"] is None  # no mandatory training was due that year


@pytest.mark.parametrize("year", ["2026", "abc", "25700"])
def test_a_fiscal_year_that_is_not_a_buddhist_era_year_is_refused(client, figures_world, year):
    unit = figures_world["units"]["DEPT-A1"]

    response = get(
        client,
        f"/api/v1/units/{unit.pk}/figures/?fiscal_year={year}",
        figures_world["app"],
        "analytics:read",
        **ENGLISH,
    )

    assert response.status_code == 400
    [problem] = response.json()["error"]["fields"]["fiscal_year"]
    assert problem["message"] == (
        f"Give the fiscal year in the Buddhist era: fiscal year {FY.year} runs from "
        f"1 October {FY.year - 544} to 30 September {FY.year - 543}."
    )


# Scoping and scopes -----------------------------------------------------------------------


def person_and_unit_urls(world) -> list[tuple[str, str]]:
    stranger, foreign_unit = world["stranger"], world["units"]["DEPT-B1"]
    return [
        (f"/api/v1/people/{stranger.pk}/transcript/", "learning:read"),
        (f"/api/v1/people/{stranger.pk}/competencies/", "competencies:read"),
        (f"/api/v1/units/{foreign_unit.pk}/figures/", "analytics:read"),
        ("/api/v1/people/999999/transcript/", "learning:read"),
        ("/api/v1/units/999999/figures/", "analytics:read"),
    ]


def test_another_agencys_people_and_units_do_not_exist_for_the_application(client, world):
    issued_certificate(user=world["stranger"])
    for url, scope in person_and_unit_urls(world):
        response = get(client, url, world["app"], scope)
        assert response.status_code == 404, url
        assert response.json()["error"]["code"] == "not_found"
    assert not AuditEvent.objects.filter(subject=world["stranger"]).exists()


def test_a_partner_application_reads_no_learners_transcript_or_competencies(client, world):
    partner = ContentPartnerFactory.create()
    course = course_with_lessons(lessons=1, partner=partner)
    complete(world["sudarat"], course)  # one of the partner's learners
    app = ApplicationFactory.create(partner=partner)

    for path, scope in (("transcript", "learning:read"), ("competencies", "competencies:read")):
        response = get(client, f"/api/v1/people/{world['sudarat'].pk}/{path}/", app, scope)
        assert response.status_code == 404


@pytest.mark.parametrize(
    ("url", "scope"),
    [
        ("/api/v1/people/{person}/transcript/", "learning:read"),
        ("/api/v1/people/{person}/competencies/", "competencies:read"),
        ("/api/v1/certificates/", "certificates:read"),
        ("/api/v1/units/{unit}/figures/", "analytics:read"),
    ],
)
def test_a_token_without_the_scope_is_refused_with_an_explanation(client, world, url, scope):
    url = url.format(person=world["sudarat"].pk, unit=world["units"]["DEPT-A1"].pk)

    refused = get(client, url, world["app"], "people:read", **ENGLISH)
    anonymous = client.get(url)

    assert refused.status_code == 403
    assert refused.json() == {
        "error": {
            "code": "permission_denied",
            "message": "This token may not do this: it lacks the scope this operation needs.",
        }
    }
    assert anonymous.status_code == 401
    assert anonymous.json()["error"]["code"] == "not_authenticated"
    assert get(client, url, world["app"], scope).status_code == 200
