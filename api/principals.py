"""Who a request to the API acts for, and what that lets it see. The one place where the API's
scoping lives; every endpoint reads its rows through these functions, which build on the
platform's own rules (`people.permissions`, `courses.selectors.partner_learners`).

- An application bound to an agency (organisation unit) sees the people and units of that
  subtree, as an HR manager of that unit would. With a person signed in to it (authorization
  code), it sees at most what that person may see as a manager, and the person themselves,
  inside that subtree.
- An application bound to a content partner sees the partner's courses and the learners who
  enrolled in them; with a person signed in, only if that person belongs to the partner (else
  only themselves, if they are one of those learners).
- An application bound to nothing sees only the person signed in to it: a learner's own records.
"""

from dataclasses import dataclass
from typing import Any, cast

from django.db.models import QuerySet
from rest_framework.exceptions import AuthenticationFailed

from api.models import Application
from certificates.models import Certificate
from courses.models import CoursePage, Enrolment
from courses.selectors import partner_learners
from organisations.models import OrganisationUnit, within_units
from people.models import User
from people.permissions import can_view_partner_content, people_placed_in, visible_people, visible_units


@dataclass(frozen=True)
class Principal:
    application: Application
    user: User | None  # None: a server-to-server token (client credentials)

    @property
    def agency(self) -> OrganisationUnit | None:
        return self.application.unit

    @property
    def partner_id(self) -> int | None:
        partner_id: int | None = self.application.partner_id
        return partner_id


def principal_of(request) -> Principal | None:  # type: ignore[no-untyped-def]
    token: Any = getattr(request, "auth", None)
    application: Application | None = getattr(token, "application", None)
    if application is None:
        return None
    user: User | None = token.user if token.user_id else None
    if user is not None and not user.is_active:
        # A person's token never falls back to the application's own (wider) view: a closed
        # account's token is simply dead (refreshing it is refused too: api.oauth).
        raise AuthenticationFailed
    return Principal(application=application, user=user)


def _self_only(principal: Principal) -> QuerySet[User]:
    if principal.user is None:
        return User.objects.none()
    return User.objects.filter(pk=principal.user.pk)


def people_visible(principal: Principal) -> QuerySet[User]:
    """The people whose records this principal may read."""
    unit = principal.agency
    if unit is not None:
        people = people_placed_in([unit.path])
        if principal.user is not None:
            own = visible_people(principal.user).values("pk")
            people = people.filter(pk__in=own) | people.filter(pk=principal.user.pk)
        return people
    if principal.partner_id is not None:
        learners = partner_learners(partner_id=principal.partner_id)
        if principal.user is None or can_view_partner_content(principal.user, principal.partner_id):
            return learners
        return learners.filter(pk=principal.user.pk)
    return _self_only(principal)


def people_manageable(principal: Principal) -> QuerySet[User]:
    """The people this principal may enrol, assign or whose due dates it may move: those it
    sees, and, with a person signed in, only those that person manages (a learner's own
    token never changes their own assignments)."""
    people = people_visible(principal)
    if principal.user is not None:
        people = people.filter(pk__in=visible_people(principal.user).values("pk"))
    return people


def units_visible(principal: Principal) -> QuerySet[OrganisationUnit]:
    """The organisation units this principal may list, filter by and read figures of."""
    unit = principal.agency
    if unit is None:
        return cast(QuerySet[OrganisationUnit], OrganisationUnit.objects.none())
    units: QuerySet[OrganisationUnit] = OrganisationUnit.objects.filter(within_units([unit.path]))
    if principal.user is not None:
        units = units.filter(pk__in=visible_units(principal.user).values("pk"))
    return units


def courses_enrollable(principal: Principal) -> QuerySet[CoursePage]:
    """Live courses this principal may enrol people in: a partner's own courses for a partner's
    application, every published course for an agency's."""
    courses: QuerySet[CoursePage] = CoursePage.objects.live().public()
    if principal.partner_id is not None:
        return courses.filter(partner_id=principal.partner_id)
    if principal.agency is None:
        return courses.none()
    return courses


def people_with_records(principal: Principal) -> QuerySet[User]:
    """Whose transcript and competency profile this principal may read: the people it sees
    (`people_visible`). A content partner's application sees its learners for its own courses
    only (their enrolments and certificates in them), not their whole record: through it, only
    the person signed in to it reads their own."""
    people = people_visible(principal)
    if principal.partner_id is not None:
        return people.filter(pk=principal.user.pk) if principal.user is not None else people.none()
    return people


def enrolments_visible(principal: Principal) -> QuerySet[Enrolment]:
    """Enrolments of the people this principal sees; a partner's application sees only the
    enrolments in its own courses."""
    enrolments = Enrolment.objects.filter(user__in=people_visible(principal).values("pk"))
    if principal.partner_id is not None:
        enrolments = enrolments.filter(course__partner_id=principal.partner_id)
    return enrolments.select_related("course")


def certificates_visible(principal: Principal) -> QuerySet[Certificate]:
    """Certificates of the people this principal sees; a partner's application sees only the
    certificates of its own courses (as with enrolments)."""
    certificates = Certificate.objects.filter(learner__in=people_visible(principal).values("pk"))
    if principal.partner_id is not None:
        certificates = certificates.filter(course__partner_id=principal.partner_id)
    return certificates.select_related("course", "superseded_by")
