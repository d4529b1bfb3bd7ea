import pytest
from django.contrib.auth.models import Group

from organisations.tests.factories import ContentPartnerFactory
from people.models import Role, RoleAssignment
from people.services import ROLE_GROUPS, role_assign, role_revoke
from people.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_assigning_a_role_twice_keeps_one_assignment(public_service):
    user = UserFactory()

    first = role_assign(user=user, role=Role.HR_MANAGER, unit=public_service["DEPT-A1"])
    second = role_assign(user=user, role=Role.HR_MANAGER, unit=public_service["DEPT-A1"])

    assert first.pk == second.pk
    assert RoleAssignment.objects.filter(user=user).count() == 1


def test_platform_admin_can_reach_the_admin_and_loses_it_on_revoke():
    user = UserFactory()

    assignment = role_assign(user=user, role=Role.PLATFORM_ADMIN)
    user = type(user).objects.get(pk=user.pk)
    assert user.has_perm("wagtailadmin.access_admin")
    assert user.has_perm("organisations.add_organisationunit")

    role_revoke(assignment=assignment)
    user = type(user).objects.get(pk=user.pk)
    assert not user.has_perm("wagtailadmin.access_admin")
    assert not user.groups.filter(name=ROLE_GROUPS[Role.PLATFORM_ADMIN][0]).exists()


def test_platform_admin_group_carries_every_listed_permission():
    group = Group.objects.get(name=ROLE_GROUPS[Role.PLATFORM_ADMIN][0])

    granted = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}

    assert granted == set(ROLE_GROUPS[Role.PLATFORM_ADMIN][1])


def test_hr_manager_gets_no_admin_access(public_service):
    user = UserFactory()
    role_assign(user=user, role=Role.HR_MANAGER, unit=public_service["DEPT-A1"])

    assert not type(user).objects.get(pk=user.pk).has_perm("wagtailadmin.access_admin")


def test_partner_roles_are_scoped_to_their_partner():
    partner = ContentPartnerFactory()
    user = UserFactory()

    assignment = role_assign(user=user, role=Role.PARTNER_AUTHOR, partner=partner)

    assert assignment.partner == partner
    assert assignment.unit is None
    assert list(partner.memberships.values_list("user__email", flat=True)) == [user.email]


def test_a_scope_that_does_not_belong_to_the_role_is_dropped(public_service):
    partner = ContentPartnerFactory()

    assignment = role_assign(
        user=UserFactory(), role=Role.PARTNER_REVIEWER, partner=partner, unit=public_service["DEPT-A1"]
    )

    assert assignment.unit is None
    assert assignment.partner == partner


def test_deleting_a_person_deletes_their_roles(public_service):
    user = UserFactory()
    role_assign(user=user, role=Role.PLATFORM_ADMIN)
    role_assign(user=user, role=Role.HR_MANAGER, unit=public_service["DEPT-A1"])

    user.delete()

    assert not RoleAssignment.objects.exists()
    assert not Group.objects.get(name=ROLE_GROUPS[Role.PLATFORM_ADMIN][0]).user_set.exists()
