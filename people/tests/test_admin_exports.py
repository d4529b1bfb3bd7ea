"""The admin's "Learners" and "Role assignments" spreadsheets: every row, whatever is empty."""

import csv
import io

import pytest
from openpyxl import load_workbook

from people.models import Role
from people.services import role_assign
from people.tests.factories import LearnerProfileFactory, RoleGroupFactory, UserFactory, learner_in

pytestmark = pytest.mark.django_db

PROFILES = "/admin/snippets/people/learnerprofile/"
ROLES = "/admin/snippets/people/roleassignment/"


@pytest.fixture
def admin_client(client):
    admin = UserFactory.create(email="platform.admin@thaksa.test")
    role_assign(user=admin, role=Role.PLATFORM_ADMIN)
    client.force_login(admin)
    return client


def csv_rows(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_the_learners_csv_lists_people_without_a_role_group(admin_client, public_service):
    unit = public_service["DIV-A1-HR"]
    learner_in(unit, email="a.without.group@a1.go.th")
    LearnerProfileFactory(
        user=UserFactory.create(email="b.with.group@a1.go.th"),
        unit=unit,
        role_group=RoleGroupFactory(code="SRV"),
    )

    rows = csv_rows(admin_client.get(PROFILES, {"export": "csv"}))

    by_email = {row[0]: row for row in rows[1:]}
    assert {"a.without.group@a1.go.th", "b.with.group@a1.go.th"} <= set(by_email)
    assert by_email["a.without.group@a1.go.th"][7] == ""
    assert by_email["b.with.group@a1.go.th"][7] == "SRV"


def test_the_learners_xlsx_lists_people_without_a_role_group(admin_client, public_service):
    learner_in(public_service["DIV-A1-HR"], email="a.without.group@a1.go.th")

    response = admin_client.get(PROFILES, {"export": "xlsx"})

    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    emails = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert "a.without.group@a1.go.th" in emails


def test_the_role_assignments_csv_lists_roles_without_a_unit_or_partner(admin_client, public_service):
    manager = UserFactory.create(email="hr@a1.go.th")
    role_assign(user=manager, role=Role.HR_MANAGER, unit=public_service["DEPT-A1"])

    rows = csv_rows(admin_client.get(ROLES, {"export": "csv"}))

    emails = [row[0] for row in rows[1:]]
    assert {"platform.admin@thaksa.test", "hr@a1.go.th"} <= set(emails)


def test_a_name_written_as_a_formula_is_exported_as_text(admin_client, public_service):
    learner_in(public_service["DIV-A1-HR"], email="formula@a1.go.th", first_name='=HYPERLINK("http://x")')

    rows = csv_rows(admin_client.get(PROFILES, {"export": "csv"}))

    row = next(row for row in rows if row[0] == "formula@a1.go.th")
    assert row[1] == '\'=HYPERLINK("http://x")'
