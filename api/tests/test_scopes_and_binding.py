"""Every operation of the schema is guarded by the scope it names, and an agency's application
sees its own agency only, through every endpoint, filter and id. The operations are read from
the generated schema, so a new endpoint is checked the day it is added."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator

from api.scopes import SCOPES
from api.tests.factories import ALL_SCOPES, ApplicationFactory, bearer
from assignments.services.assignments import assignment_create
from courses.models import Enrolment
from courses.services.enrolment import enrolment_assign
from courses.tests.factories import course_with_lessons
from people.tests.factories import hr_manager_of, learner_in

# Operations anyone may call without a token: the public catalogue and certificate checks.
PUBLIC_OPERATIONS = {
    ("GET", "/api/v1/courses/"),
    ("GET", "/api/v1/courses/{id}/"),
    ("GET", "/api/v1/certificates/verify/{code}/"),
}


def operations() -> list[tuple[str, str, str | None]]:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    found = []
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            security = operation.get("security") or []
            scopes = [scope for requirement in security for scope in requirement.get("oauth2", [])]
            assert len(scopes) <= 1, f"{method} {path} names several scopes: {scopes}"
            found.append((method.upper(), path, scopes[0] if scopes else None))
    return found


@pytest.fixture
def world(public_service):
    unit_a, unit_b = public_service["DEPT-A1"], public_service["MIN-B"]
    mine = learner_in(public_service["DIV-A1-HR"], email="mine@a.go.th")
    theirs = learner_in(unit_b, email="theirs@b.go.th")
    course = course_with_lessons(lessons=1)
    own_enrolment = enrolment_assign(user=mine, course=course, assigned_by=None)
    their_enrolment = enrolment_assign(user=theirs, course=course, assigned_by=None)
    # Assignments of another course: the enrolments above stay as they are.
    assigned, due = course_with_lessons(lessons=1), timezone.localdate() + dt.timedelta(days=30)
    own_assignment = assignment_create(
        created_by=hr_manager_of(unit_a), course=assigned, unit=unit_a, due_date=due
    )
    their_assignment = assignment_create(
        created_by=hr_manager_of(unit_b), course=assigned, unit=unit_b, due_date=due
    )
    return {
        "app": ApplicationFactory.create(unit=unit_a),
        "mine": mine,
        "theirs": theirs,
        "unit_a": unit_a,
        "unit_b": unit_b,
        "course": course,
        "own_enrolment": own_enrolment,
        "their_enrolment": their_enrolment,
        "own_assignment": own_assignment,
        "their_assignment": their_assignment,
    }


def fill(path: str, ids: dict[str, object]) -> str:
    return re.sub(r"\{(\w+)\}", lambda match: str(ids.get(match.group(1), 1)), path)


def own_ids(path: str, world) -> dict[str, object]:
    if path.startswith("/api/v1/enrolments/"):
        return {"id": world["own_enrolment"].pk}
    if path.startswith("/api/v1/units/"):
        return {"id": world["unit_a"].pk}
    if path.startswith("/api/v1/assignments/"):
        return {"id": world["own_assignment"].pk}
    if path.startswith("/api/v1/courses/"):
        return {"id": world["course"].pk}
    return {"id": world["mine"].pk, "code": "NOPE"}


def test_the_schema_names_a_scope_for_every_operation_that_is_not_public():
    found = operations()
    public = {(method, path) for method, path, scope in found if scope is None}
    assert public == PUBLIC_OPERATIONS & {(method, path) for method, path, _ in found}
    assert {scope for _, _, scope in found if scope} <= set(SCOPES)
    assert len(found) >= 10


@pytest.mark.django_db
def test_each_operation_refuses_a_token_without_its_scope_and_accepts_one_with_it(client, world):
    app = world["app"]
    for method, path, scope in operations():
        if scope is None:
            continue
        url = fill(path, own_ids(path, world))
        call = getattr(client, method.lower())
        others = " ".join(name for name in SCOPES if name != scope)
        refused = call(
            url,
            content_type="application/json",
            data={} if method != "GET" else None,
            **bearer(app, scope=others),
        )
        assert refused.status_code == 403, f"{method} {path} without {scope}: {refused.status_code}"
        assert refused.json()["error"]["code"] == "permission_denied"
        allowed = call(
            url,
            content_type="application/json",
            data={} if method != "GET" else None,
            **bearer(app, scope=scope),
        )
        assert allowed.status_code not in (401, 403), f"{method} {path} with {scope}: {allowed.status_code}"
        anonymous = call(url, content_type="application/json", data={} if method != "GET" else None)
        assert anonymous.status_code == 401, f"{method} {path} without a token: {anonymous.status_code}"


@pytest.mark.django_db
def test_an_agency_application_never_reaches_another_agencys_people(client, world):
    app, theirs = world["app"], world["theirs"]
    headers = bearer(app, scope=ALL_SCOPES)
    foreign = {
        "/api/v1/enrolments/": {"id": world["their_enrolment"].pk},
        "/api/v1/units/": {"id": world["unit_b"].pk},
        "/api/v1/assignments/": {"id": world["their_assignment"].pk},
    }
    for method, path, scope in operations():
        if scope is None or method != "GET":
            continue
        if "{" in path:
            prefix = next((key for key in foreign if path.startswith(key)), None)
            ids = foreign[prefix] if prefix else {"id": theirs.pk}
            response = client.get(fill(path, ids), **headers)
            assert response.status_code == 404, f"{path} with another agency's id: {response.status_code}"
            continue
        if path == "/api/v1/me/":
            assert client.get(path, **headers).status_code == 404  # nobody signed in to a server's token
            continue
        # Lists: nobody from the other agency, whichever filter names them.
        for query in ({}, {"person": theirs.pk}, {"unit": world["unit_b"].code}):
            response = client.get(path, query, **headers)
            if response.status_code == 404 and "unit" in query:
                continue  # a unit it does not see does not exist for it
            assert response.status_code == 200, f"{path} {query}: {response.status_code}"
            text = response.content.decode()
            assert "theirs@b.go.th" not in text
            rows = response.json().get("results", [])
            assert theirs.pk not in {
                row.get("person_id", row.get("id"))
                for row in rows
                if path not in ("/api/v1/units/", "/api/v1/assignments/")  # ids of other things
            }
            assert world["unit_b"].pk not in {row["id"] for row in rows} or path != "/api/v1/units/"


@pytest.mark.django_db
def test_an_agency_application_cannot_enrol_or_move_another_agencys_people(client, world):
    app, theirs = world["app"], world["theirs"]
    headers = bearer(app)
    response = client.post(
        "/api/v1/enrolments/",
        {"person_id": theirs.pk, "course_id": world["course"].pk},
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 400
    assert "person_id" in response.json()["error"]["fields"]
    moved = client.patch(
        f"/api/v1/enrolments/{world['their_enrolment'].pk}/",
        {"due_date": "2030-01-31"},
        content_type="application/json",
        **headers,
    )
    assert moved.status_code == 404
    assert Enrolment.objects.get(pk=world["their_enrolment"].pk).due_date is None
