"""Platform administrators manage units, partners, people and roles in the Wagtail admin."""

import pytest

from organisations.models import OrganisationUnit
from people.models import Role, RoleAssignment
from people.services import role_assign
from people.tests.factories import UserFactory, hr_manager_of, learner_in

pytestmark = pytest.mark.django_db

UNITS = "/admin/snippets/organisations/organisationunit/"
PROFILES = "/admin/snippets/people/learnerprofile/"
ROLES = "/admin/snippets/people/roleassignment/"


@pytest.fixture
def admin_client(client):
    admin = UserFactory(email="platform.admin@thaksa.test")
    role_assign(user=admin, role=Role.PLATFORM_ADMIN)
    client.force_login(admin)
    return client


def test_platform_admin_creates_a_division_under_a_department(admin_client, public_service):
    response = admin_client.post(
        f"{UNITS}add/",
        {"parent": public_service["DEPT-A2"].pk, "kind": "division", "code": "DIV-A2-ICT",
         "name_th": "ศูนย์เทคโนโลยีสารสนเทศ", "name_en": "ICT Centre", "is_active": "on"},
    )  # fmt: skip

    assert response.status_code == 302, response.content
    created = OrganisationUnit.objects.get(code="DIV-A2-ICT")
    assert created.get_parent().code == "DEPT-A2"


def test_duplicate_unit_code_is_reported_on_the_field(admin_client, public_service):
    response = admin_client.post(
        f"{UNITS}add/", {"parent": "", "kind": "ministry", "code": "MIN-A", "name_th": "ซ้ำ"}
    )

    assert response.status_code == 200
    assert "MIN-A" in response.text
    assert OrganisationUnit.objects.filter(code="MIN-A").count() == 1


def test_unit_listing_searches_and_filters_within_a_ministry(admin_client, public_service):
    found = admin_client.get(UNITS, {"q": "DIV-A1"})
    assert "DIV-A1-HR" in found.text
    assert "DEPT-B1" not in found.text

    within = admin_client.get(UNITS, {"within": public_service["MIN-B"].pk})
    assert "DEPT-B1" in within.text
    assert "DEPT-A1" not in within.text


def test_unit_choices_read_as_an_indented_tree(admin_client, public_service):
    form = admin_client.get(f"{PROFILES}add/").text

    ministry, department = public_service["MIN-A"].name_th, public_service["DEPT-A1"].name_th
    assert form.index(f">{ministry}<") < form.index(f">— {department}<")


def test_learner_listing_filters_people_within_a_unit_subtree(admin_client, public_service):
    inside = learner_in(public_service["DIV-A1-ICT"], first_name="ภายใน")
    outside = learner_in(public_service["DEPT-B1"], first_name="ภายนอก")

    response = admin_client.get(PROFILES, {"within": public_service["DEPT-A1"].pk})

    assert inside.full_name("th") in response.text
    assert outside.full_name("th") not in response.text


def test_assigning_an_hr_manager_by_email(admin_client, public_service):
    person = UserFactory(email="new.hr@a1.go.th")

    response = admin_client.post(
        f"{ROLES}add/",
        {"user": "NEW.HR@a1.go.th", "role": "hr_manager", "unit": public_service["DEPT-A1"].pk},
    )

    assert response.status_code == 302, response.content
    assert RoleAssignment.objects.filter(
        user=person, role="hr_manager", unit=public_service["DEPT-A1"]
    ).exists()


def test_unknown_email_in_a_role_assignment_says_what_to_do(admin_client, public_service):
    response = admin_client.post(
        f"{ROLES}add/", {"user": "nobody@nowhere.go.th", "role": "platform_reviewer"}
    )

    assert response.status_code == 200
    assert "ไม่พบบุคคลที่ใช้อีเมลนี้" in response.text


def test_bulk_move_of_learners_to_another_unit(admin_client, public_service):
    people = [learner_in(public_service["DEPT-A1"]) for _ in range(3)]
    ids = "&".join(f"id={p.profile.pk}" for p in people)
    url = f"/admin/bulk/people/learnerprofile/move_to_unit/?next={PROFILES}&{ids}"

    response = admin_client.post(url, {"unit": public_service["DEPT-B1"].pk})

    assert response.status_code == 302, response.content
    for person in people:
        person.profile.refresh_from_db()
        assert person.profile.unit == public_service["DEPT-B1"]


@pytest.mark.parametrize("role_holder", ["hr_manager", "learner"])
def test_hr_managers_and_learners_cannot_enter_the_admin(client, public_service, role_holder):
    user = hr_manager_of(public_service["DEPT-A1"]) if role_holder == "hr_manager" else UserFactory()
    client.force_login(user)

    response = client.get(UNITS)

    assert response.status_code in (302, 403)
    assert client.get(PROFILES).status_code in (302, 403)


def test_editing_a_units_parent_moves_it_with_its_divisions(admin_client, public_service):
    unit = public_service["DEPT-A1"]

    response = admin_client.post(
        f"{UNITS}edit/{unit.pk}/",
        {"parent": public_service["MIN-B"].pk, "kind": "department", "code": "DEPT-A1",
         "name_th": unit.name_th, "name_en": "Moved department", "is_active": "on"},
    )  # fmt: skip

    assert response.status_code == 302, response.content
    division = OrganisationUnit.objects.get(code="DIV-A1-HR")
    assert [u.code for u in division.get_ancestors()] == ["MIN-B", "DEPT-A1"]
    assert OrganisationUnit.objects.get(code="DEPT-A1").name_en == "Moved department"


def test_user_admin_edits_title_and_english_names(admin_client):
    person = UserFactory(email="someone@agency.go.th")

    page = admin_client.get(f"/admin/users/edit/{person.pk}/")
    assert 'name="first_name_en"' in page.text
    assert 'name="title"' in page.text

    response = admin_client.post(
        f"/admin/users/edit/{person.pk}/",
        {"email": person.email, "first_name": "สมหญิง", "last_name": "ใจดี", "title": "mrs",
         "first_name_en": "Somying", "last_name_en": "Jaidee", "preferred_language": "en",
         "is_active": "on", "password1": "", "password2": ""},
    )  # fmt: skip

    assert response.status_code == 302, response.content
    person.refresh_from_db()
    assert person.full_name("en") == "Mrs. Somying Jaidee"
