"""Who must use a second step when signing in: the one place the rule lives.

Platform administrators (superusers included), HR managers and data protection officers see
other people's records, so a stolen password must not be enough to sign in as them. Everybody
else may add a second step and is never asked to.
"""

from django.conf import settings
from django.contrib.auth.models import AnonymousUser

from people.models import Role, RoleAssignment, User

ROLES_REQUIRING_TWO_STEP = (Role.PLATFORM_ADMIN, Role.HR_MANAGER, Role.DATA_PROTECTION_OFFICER)
# Second steps that count: a code from an authenticator app (recovery codes only stand in for
# a lost one).
SECOND_STEP_TYPES = ("totp", "webauthn")


def two_step_required(user: User | AnonymousUser) -> bool:
    if not settings.THAKSA_TWO_STEP_REQUIRED or not user.is_authenticated or not user.is_active:
        return False
    return (
        user.is_superuser
        or RoleAssignment.objects.filter(user=user, role__in=ROLES_REQUIRING_TWO_STEP).exists()
    )


def has_second_step(user: User | AnonymousUser) -> bool:
    from allauth.mfa.models import Authenticator

    if not user.is_authenticated:
        return False
    return bool(Authenticator.objects.filter(user=user, type__in=SECOND_STEP_TYPES).exists())
