"""Who may see whom: the one place where Thaksa's scoping rules live.

Every view, dashboard, export and API that shows people or organisation units asks these
functions; none re-implements a rule.

- A platform administrator sees every unit and every person.
- An HR manager sees the unit they manage and everything below it (their subtree), and the
  people whose learner profile sits in that subtree: nothing above it, nothing beside it.
  A person may manage several units; their scope is the union of those subtrees.
- Everybody else sees no one but themselves.

Content (SCORM packages, and their reports) belongs to a content partner: the partner's
authors and reviewers see it, authors change it, platform administrators and reviewers
see all of it and administrators change all of it.
"""

from collections.abc import Iterable

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from organisations.models import ContentPartner, OrganisationUnit, within_units
from people.models import PARTNER_ROLES, Role, RoleAssignment, User

_MANAGED_PATHS_CACHE = "_thaksa_managed_unit_paths"


def has_role(user: User | AnonymousUser, role: Role) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return RoleAssignment.objects.filter(user=user, role=role).exists()


def is_platform_admin(user: User | AnonymousUser) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or has_role(user, Role.PLATFORM_ADMIN)


def managed_unit_paths(user: User | AnonymousUser) -> list[str]:
    """Tree paths of the units this person manages as HR manager, without nested duplicates."""
    if not user.is_authenticated or not user.is_active:
        return []
    cached = getattr(user, _MANAGED_PATHS_CACHE, None)
    if cached is not None:
        return cached
    paths = sorted(
        RoleAssignment.objects.filter(user=user, role=Role.HR_MANAGER).values_list("unit__path", flat=True)
    )
    # A unit inside another managed unit adds nothing: keep only the top of each subtree.
    tops: list[str] = []
    for path in paths:
        if not any(path.startswith(top) for top in tops):
            tops.append(path)
    setattr(user, _MANAGED_PATHS_CACHE, tops)
    return tops


def manages_people(user: User | AnonymousUser) -> bool:
    """HR managers (of at least one unit) and platform administrators: the people who may open
    the agency dashboard, manage assignments, import staff lists and evidence, and look at
    someone else's competency profile (each within `visible_people`)."""
    return is_platform_admin(user) or bool(managed_unit_paths(user))


def visible_units(user: User | AnonymousUser) -> QuerySet[OrganisationUnit]:
    """Organisation units this person may see in dashboards, filters and drill-downs."""
    if is_platform_admin(user):
        return OrganisationUnit.objects.all()
    paths = managed_unit_paths(user)
    if not paths:
        return OrganisationUnit.objects.none()
    return OrganisationUnit.objects.filter(within_units(paths))


def people_placed_in(paths: Iterable[str], *, among: QuerySet[User] | None = None) -> QuerySet[User]:
    """People (of `among`, default everyone) whose learner profile sits in any of these
    subtrees, whatever their account's state: the subtree rule on people, which
    `visible_people`, `visible_people_in` and an assignment's audience (assignments.selectors)
    all build on."""
    people = User.objects.all() if among is None else among
    return people.filter(within_units(paths, through="profile__unit"))


def visible_people(user: User | AnonymousUser) -> QuerySet[User]:
    """People whose records this person may see as a manager (their own record aside).

    Deactivated accounts stay visible (their history is still the agency's); what counts
    people as *staff* (dashboards, assignments) adds "account active" on top of this."""
    if is_platform_admin(user):
        return User.objects.all()
    paths = managed_unit_paths(user)
    if not paths:
        return User.objects.none()
    return people_placed_in(paths)


def visible_people_in(viewer: User | AnonymousUser, unit: OrganisationUnit) -> QuerySet[User]:
    """The people this person may see whose learner profile sits in `unit` or below it (the
    people a manager may name in an assignment of that unit)."""
    return people_placed_in([unit.path], among=visible_people(viewer))


def can_view_person(viewer: User | AnonymousUser, person: User) -> bool:
    if not viewer.is_authenticated:
        return False
    if viewer.pk == person.pk:
        return True
    return visible_people(viewer).filter(pk=person.pk).exists()


def can_view_unit(viewer: User | AnonymousUser, unit: OrganisationUnit) -> bool:
    return visible_units(viewer).filter(pk=unit.pk).exists()


def sees_learners_contact_details(user: User | AnonymousUser) -> bool:
    """Whether reports on content (SCORM attempts, issued certificates) show learners' e-mail
    addresses: platform administrators only, who answer the learners. A partner's authors and
    reviewers, and platform reviewers, see what they need for a course: each learner's name
    and agency (PDPA's data minimisation)."""
    return is_platform_admin(user)


def content_partners_visible(user: User | AnonymousUser) -> QuerySet[ContentPartner]:
    """Partners whose content (packages, reports on them) this person may see."""
    if not user.is_authenticated or not user.is_active:
        return ContentPartner.objects.none()
    if is_platform_admin(user) or has_role(user, Role.PLATFORM_REVIEWER):
        return ContentPartner.objects.all()
    return ContentPartner.objects.filter(
        memberships__user=user, memberships__role__in=PARTNER_ROLES
    ).distinct()


def can_view_partner_content(user: User | AnonymousUser, partner_id: int) -> bool:
    """Whether this person may see this partner's content and the reports on it."""
    return content_partners_visible(user).filter(pk=partner_id).exists()


def content_partners_editable(user: User | AnonymousUser) -> QuerySet[ContentPartner]:
    """Partners this person may upload and change content for."""
    if is_platform_admin(user):
        return ContentPartner.objects.all()
    if not user.is_authenticated or not user.is_active:
        return ContentPartner.objects.none()
    return ContentPartner.objects.filter(
        memberships__user=user, memberships__role=Role.PARTNER_AUTHOR
    ).distinct()
