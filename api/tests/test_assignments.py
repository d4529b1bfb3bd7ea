"""Course assignments through the API: an agency reads its own (with compliance), never
another's; assigns a course with a person signed in; stops an assignment."""

import datetime as dt

import pytest
from django.utils import timezone

from api.tests.factories import ApplicationFactory, bearer
from assignments.models import Assignment, AssignmentMember
from assignments.services.assignments import assignment_create
from courses.models import Enrolment
from courses.tests.factories import course_with_lessons
from organisations.tests.factories import ContentPartnerFactory
from people.tests.factories import hr_manager_of, learner_in


@pytest.fixture
def world(public_service):
    course = course_with_lessons(lessons=1)
    hr = learner_in(public_service["DIV-A1-HR"], email="hr.person@a.go.th")
    ict = learner_in(public_service["DIV-A1-ICT"], email="ict.person@a.go.th")
    learner_in(public_service["DEPT-A2"], email="a2.person@a.go.th")
    theirs = learner_in(public_service["DEPT-B1"], email="theirs@b.go.th")
    manager_a = hr_manager_of(public_service["DEPT-A1"], email="manager@a.go.th")
    manager_b = hr_manager_of(public_service["MIN-B"], email="manager@b.go.th")
    due = timezone.localdate() + dt.timedelta(days=30)
    own = assignment_create(
        created_by=manager_a, course=course, unit=public_service["DEPT-A1"], due_date=due, campaign="PDPA"
    )
    Enrolment.objects.filter(user=hr, course=course).update(
        status=Enrolment.Status.COMPLETED, completed_at=timezone.now()
    )
    foreign = assignment_create(
        created_by=manager_b, course=course, unit=public_service["MIN-B"], due_date=due
    )
    return {
        "units": public_service,
        "course": course,
        "hr": hr,
        "ict": ict,
        "theirs": theirs,
        "manager_a": manager_a,
        "own": own,
        "foreign": foreign,
        "app": ApplicationFactory.create(unit=public_service["DEPT-A1"]),
    }


def test_an_agency_lists_its_own_assignments_with_their_compliance(client, world):
    response = client.get("/api/v1/assignments/", **bearer(world["app"]))
    assert response.status_code == 200
    (row,) = response.json()["results"]
    assert row["id"] == world["own"].pk
    assert row["unit_code"] == "DEPT-A1"
    assert row["campaign"] == "PDPA"
    assert row["active"] is True
    assert row["named_people"] is False
    assert row["role_group_code"] is None
    assert row["compliance"] == {"members": 2, "completed": 1, "on_time": 1, "overdue": 0, "percent": 50}
    assert "theirs@b.go.th" not in response.content.decode()


def test_filters_and_another_agencys_assignment(client, world):
    headers = bearer(world["app"])
    assert client.get("/api/v1/assignments/", {"unit": "MIN-B"}, **headers).status_code == 404
    by_unit = client.get("/api/v1/assignments/", {"unit": "DIV-A1-HR"}, **headers).json()["results"]
    assert by_unit == []  # the assignment is made at DEPT-A1, above the filtered unit
    by_course = client.get("/api/v1/assignments/", {"course": world["course"].pk}, **headers)
    assert [row["id"] for row in by_course.json()["results"]] == [world["own"].pk]
    assert client.get("/api/v1/assignments/", {"active": "false"}, **headers).json()["results"] == []
    assert client.get("/api/v1/assignments/", {"active": "maybe"}, **headers).status_code == 400
    detail = client.get(f"/api/v1/assignments/{world['own'].pk}/", **headers)
    assert detail.json()["compliance"]["members"] == 2
    hidden = client.get(f"/api/v1/assignments/{world['foreign'].pk}/", **headers)
    assert hidden.status_code == 404
    assert hidden.json()["error"]["code"] == "not_found"
    stopped = client.patch(
        f"/api/v1/assignments/{world['foreign'].pk}/",
        {"active": False},
        content_type="application/json",
        **headers,
    )
    assert stopped.status_code == 404
    assert Assignment.objects.get(pk=world["foreign"].pk).is_active


def test_a_partners_application_sees_no_assignments(client, world):
    app = ApplicationFactory.create(partner=ContentPartnerFactory.create())
    assert client.get("/api/v1/assignments/", **bearer(app)).json()["results"] == []
    assert client.get(f"/api/v1/assignments/{world['own'].pk}/", **bearer(app)).status_code == 404


def test_a_token_without_the_scope_is_refused(client, world):
    read_only = bearer(world["app"], scope="learning:read")
    response = client.post(
        "/api/v1/assignments/",
        {"unit_code": "DEPT-A1", "course_id": world["course"].pk, "due_date": "2030-01-31"},
        content_type="application/json",
        **read_only,
    )
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"
    listing = client.get("/api/v1/assignments/", **bearer(world["app"], scope="enrolments:write"))
    assert listing.status_code == 403
    assert listing.json()["error"]["code"] == "permission_denied"


def test_a_person_signed_in_assigns_a_course_to_a_subtree(client, world):
    course = course_with_lessons(lessons=1)
    due = timezone.localdate() + dt.timedelta(days=60)
    headers = bearer(world["app"], user=world["manager_a"])
    response = client.post(
        "/api/v1/assignments/",
        {"unit_code": "DIV-A1-ICT", "course_id": course.pk, "due_date": due.isoformat(), "campaign": "Cyber"},
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["compliance"] == {"members": 1, "completed": 0, "on_time": 0, "overdue": 0, "percent": 0}
    assignment = Assignment.objects.get(pk=body["id"])
    assert assignment.created_by == world["manager_a"]
    assert list(AssignmentMember.objects.filter(assignment=assignment).values_list("user_id", flat=True)) == [
        world["ict"].pk
    ]
    enrolment = Enrolment.objects.get(course=course)
    assert (enrolment.user, enrolment.source, enrolment.due_date) == (
        world["ict"],
        Enrolment.Source.ASSIGNMENT,
        due,
    )


def test_named_people_outside_the_application_are_refused(client, world):
    headers = bearer(world["app"], user=world["manager_a"])
    response = client.post(
        "/api/v1/assignments/",
        {
            "unit_code": "DEPT-A1",
            "course_id": world["course"].pk,
            "due_date": (timezone.localdate() + dt.timedelta(days=10)).isoformat(),
            "person_ids": [world["theirs"].pk],
        },
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 400
    assert "person_ids" in response.json()["error"]["fields"]


def test_past_and_buddhist_era_due_dates_are_refused(client, world):
    headers = bearer(world["app"], user=world["manager_a"])
    before = Assignment.objects.count()
    for due in (timezone.localdate() - dt.timedelta(days=1), dt.date(timezone.localdate().year + 543, 1, 31)):
        response = client.post(
            "/api/v1/assignments/",
            {"unit_code": "DEPT-A1", "course_id": world["course"].pk, "due_date": due.isoformat()},
            content_type="application/json",
            **headers,
        )
        assert response.status_code == 400
        assert "due_date" in response.json()["error"]["fields"]
    assert Assignment.objects.count() == before


def test_an_agencys_hr_system_assigns_within_its_agency_with_a_server_token(client, world):
    course = course_with_lessons(lessons=1)
    due = (timezone.localdate() + dt.timedelta(days=10)).isoformat()
    made = client.post(
        "/api/v1/assignments/",
        {"unit_code": "DEPT-A1", "course_id": course.pk, "due_date": due, "person_ids": [world["ict"].pk]},
        content_type="application/json",
        **bearer(world["app"]),
    )
    assert made.status_code == 201, made.json()
    assignment = Assignment.objects.get(pk=made.json()["id"])
    assert assignment.created_by is None
    assert assignment.created_via == world["app"].name
    assert list(assignment.members.values_list("user_id", flat=True)) == [world["ict"].pk]
    enrolment = Enrolment.objects.get(course=course, user=world["ict"])
    assert enrolment.source == Enrolment.Source.ASSIGNMENT

    # Never beyond its agency: another agency's unit or people.
    for refused, field in (
        ({"unit_code": "DEPT-B1"}, "unit_code"),
        ({"unit_code": "DEPT-A1", "person_ids": [world["theirs"].pk]}, "person_ids"),
    ):
        response = client.post(
            "/api/v1/assignments/",
            {"course_id": course.pk, "due_date": due, **refused},
            content_type="application/json",
            **bearer(world["app"]),
        )
        assert response.status_code == 400
        assert field in response.json()["error"]["fields"]
    assert Assignment.objects.count() == 3


def test_stopping_an_assignment(client, world):
    headers = bearer(world["app"])
    url = f"/api/v1/assignments/{world['own'].pk}/"
    response = client.patch(url, {"active": False}, content_type="application/json", **headers)
    assert response.status_code == 200
    assert response.json()["active"] is False
    assert response.json()["deactivated_at"] is not None
    assert AssignmentMember.objects.filter(assignment=world["own"]).count() == 2  # members stay
    again = client.patch(url, {"active": True}, content_type="application/json", **headers)
    assert again.status_code == 400
    assert "active" in again.json()["error"]["fields"]


def test_moving_an_assignments_due_date(client, world):
    url = f"/api/v1/assignments/{world['own'].pk}/"
    new = timezone.localdate() + dt.timedelta(days=45)
    moved = client.patch(
        url, {"due_date": new.isoformat()}, content_type="application/json", **bearer(world["app"])
    )
    assert moved.status_code == 200, moved.json()
    assert moved.json()["due_date"] == new.isoformat()
    assert Enrolment.objects.get(user=world["ict"], course=world["course"]).due_date == new
    for refused in (
        {},
        {"due_date": "2570-01-31"},
        {"due_date": (timezone.localdate() - dt.timedelta(days=1)).isoformat()},
    ):
        response = client.patch(url, refused, content_type="application/json", **bearer(world["app"]))
        assert response.status_code == 400
    foreign = client.patch(
        f"/api/v1/assignments/{world['foreign'].pk}/",
        {"due_date": new.isoformat()},
        content_type="application/json",
        **bearer(world["app"]),
    )
    assert foreign.status_code == 404
    world["foreign"].refresh_from_db()
    assert world["foreign"].due_date != new
