"""An HR manager sees their unit and everything below it, and nobody else."""

import pytest

from people.models import Role
from people.permissions import can_view_person, can_view_unit, visible_people, visible_units
from people.services import learner_profiles_move, role_assign, role_revoke
from people.tests.factories import UserFactory, hr_manager_of, learner_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(public_service):
    u = public_service
    return {
        "minister_office": learner_in(u["MIN-A"], email="ministry@a.go.th"),
        "a1_head": learner_in(u["DEPT-A1"], email="head@a1.go.th"),
        "a1_hr": learner_in(u["DIV-A1-HR"], email="hr-staff@a1.go.th"),
        "a1_ict": learner_in(u["DIV-A1-ICT"], email="ict@a1.go.th"),
        "a2_hr": learner_in(u["DIV-A2-HR"], email="hr@a2.go.th"),
        "b1": learner_in(u["DEPT-B1"], email="staff@b1.go.th"),
        "c": learner_in(u["PUB-C"], email="staff@c.or.th"),
    }


def emails(queryset) -> set[str]:
    return set(queryset.values_list("email", flat=True))


def test_hr_manager_of_a_department_sees_exactly_its_staff(public_service, staff):
    manager = hr_manager_of(public_service["DEPT-A1"])

    assert emails(visible_people(manager)) == {"head@a1.go.th", "hr-staff@a1.go.th", "ict@a1.go.th"}


def test_hr_manager_of_a_department_sees_its_units_but_not_parent_or_siblings(public_service):
    manager = hr_manager_of(public_service["DEPT-A1"])

    codes = set(visible_units(manager).values_list("code", flat=True))

    assert codes == {"DEPT-A1", "DIV-A1-HR", "DIV-A1-ICT"}
    assert not can_view_unit(manager, public_service["MIN-A"])
    assert not can_view_unit(manager, public_service["DEPT-A2"])


@pytest.mark.parametrize("outsider", ["minister_office", "a2_hr", "b1", "c"])
def test_hr_manager_cannot_view_anyone_outside_their_subtree(public_service, staff, outsider):
    manager = hr_manager_of(public_service["DEPT-A1"])

    assert not can_view_person(manager, staff[outsider])


def test_hr_manager_of_a_ministry_sees_all_its_departments(public_service, staff):
    manager = hr_manager_of(public_service["MIN-A"])

    assert emails(visible_people(manager)) == {
        "ministry@a.go.th", "head@a1.go.th", "hr-staff@a1.go.th", "ict@a1.go.th", "hr@a2.go.th",
    }  # fmt: skip


def test_manager_of_two_units_sees_the_union_without_duplicates(public_service, staff):
    manager = hr_manager_of(
        public_service["DIV-A1-ICT"], public_service["DEPT-B1"], public_service["DEPT-A1"]
    )

    people = visible_people(manager)

    assert emails(people) == {"head@a1.go.th", "hr-staff@a1.go.th", "ict@a1.go.th", "staff@b1.go.th"}
    assert people.count() == 4


def test_a_learner_sees_only_themselves(staff):
    learner = staff["a1_ict"]

    assert not visible_people(learner).exists()
    assert not visible_units(learner).exists()
    assert can_view_person(learner, learner)
    assert not can_view_person(learner, staff["a1_hr"])


def test_platform_admin_sees_everyone(public_service, staff):
    admin = UserFactory()
    role_assign(user=admin, role=Role.PLATFORM_ADMIN)

    assert set(staff.values()) <= set(visible_people(admin))
    assert visible_units(admin).count() == len(public_service)


def test_moving_a_person_out_of_the_subtree_hides_them(public_service, staff):
    manager = hr_manager_of(public_service["DEPT-A1"])
    person = staff["a1_ict"]

    learner_profiles_move(profiles=[person.profile], unit=public_service["DEPT-B1"])

    assert not can_view_person(manager, person)


def test_revoking_the_role_removes_all_visibility(public_service, staff):
    manager = hr_manager_of(public_service["DEPT-A1"])
    assignment = manager.role_assignments.get()

    role_revoke(assignment=assignment)
    manager = type(manager).objects.get(pk=manager.pk)  # a new request

    assert not visible_people(manager).exists()


def test_inactive_manager_sees_nobody(public_service, staff):
    manager = hr_manager_of(public_service["DEPT-A1"], is_active=False)

    assert not visible_people(manager).exists()


def test_anonymous_visitor_sees_nobody(staff):
    from django.contrib.auth.models import AnonymousUser

    assert not visible_people(AnonymousUser()).exists()
    assert not can_view_person(AnonymousUser(), staff["b1"])
