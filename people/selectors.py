"""Reads about people."""

from dataclasses import dataclass

from organisations.models import OrganisationUnit
from people.models import LearnerProfile, RoleAssignment, User


@dataclass(frozen=True)
class AccountSummary:
    profile: LearnerProfile | None
    unit_path: list[OrganisationUnit]  # ministry → … → the person's unit
    roles: list[RoleAssignment]


def account_summary(*, user: User) -> AccountSummary:
    """What "my account" shows: where the person sits and which roles they hold."""
    profile = LearnerProfile.objects.select_related("unit", "role_group").filter(user=user).first()
    unit_path = [*profile.unit.get_ancestors(), profile.unit] if profile else []
    roles = list(RoleAssignment.objects.filter(user=user).select_related("unit", "partner").order_by("role"))
    return AccountSummary(profile=profile, unit_path=unit_path, roles=roles)
