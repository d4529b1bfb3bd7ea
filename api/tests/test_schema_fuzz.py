"""Schemathesis against the generated OpenAPI schema, bounded to fit in `make test`: no server
errors, every answer matches the schema (status, headers, body), for an agency's application
holding every scope. Left out: the check that every schema-valid request is accepted, which
cannot know business rules (a person this application does not see, a due date in the past:
refused with 400 and a message)."""

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from api.tests.factories import ALL_SCOPES, ApplicationFactory, bearer
from courses.services.enrolment import enrolment_assign
from courses.tests.factories import course_with_lessons
from people.tests.factories import learner_in


@pytest.fixture
def api_schema(db):
    # Requests go straight to the WSGI application, inside the test's transaction: keep Django
    # from closing the connection at the end of each (as its own test client does).
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", get_wsgi_application())
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def agency_token(public_service) -> dict[str, str]:
    person = learner_in(public_service["DIV-A1-HR"])
    learner_in(public_service["MIN-B"])
    enrolment_assign(user=person, course=course_with_lessons(lessons=1), assigned_by=None)
    app = ApplicationFactory.create(unit=public_service["MIN-A"])
    return {"Authorization": bearer(app, scope=ALL_SCOPES)["HTTP_AUTHORIZATION"]}


def test_the_api_keeps_its_schema(api_schema, agency_token):
    # Driven by hand (not schemathesis' pytest plugin, which does not run under pytest 9):
    # each operation gets its own bounded Hypothesis run with the schema's own strategy.
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 10
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=12,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,
            database=None,
        )
        def keeps_its_schema(case):
            case.call_and_validate(headers=agency_token, excluded_checks=[positive_data_acceptance])

        keeps_its_schema()
