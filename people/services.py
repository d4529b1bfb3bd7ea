"""Writes about people: accounts, profiles, roles and preferences."""

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, Permission
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from wagtail.search.backends import get_search_backends

from organisations.models import ContentPartner, OrganisationUnit
from people.models import LearnerProfile, Role, RoleAssignment, RoleGroup, User
from people.staff_import import (
    Action,
    RowError,
    StaffImportResult,
    StaffPlan,
    StaffRow,
    StaffScope,
    staff_rows_check,
    staff_scope_of,
)

# Platform roles work in the Wagtail admin through these groups; the permissions a group
# carries are listed here and nowhere else. Partner groups come with each partner (courses).
ROLE_GROUPS: dict[str, tuple[str, list[str]]] = {
    Role.PLATFORM_ADMIN: (
        "Platform administrators",
        [
            "wagtailadmin.access_admin",
            "people.add_user",
            "people.change_user",
            "people.delete_user",
            "people.view_user",
            "people.add_learnerprofile",
            "people.change_learnerprofile",
            "people.delete_learnerprofile",
            "people.view_learnerprofile",
            "people.add_roleassignment",
            "people.change_roleassignment",
            "people.delete_roleassignment",
            "people.view_roleassignment",
            "organisations.add_organisationunit",
            "organisations.change_organisationunit",
            "organisations.delete_organisationunit",
            "organisations.view_organisationunit",
            "organisations.add_contentpartner",
            "organisations.change_contentpartner",
            "organisations.delete_contentpartner",
            "organisations.view_contentpartner",
            "people.add_rolegroup",
            "people.change_rolegroup",
            "people.delete_rolegroup",
            "people.view_rolegroup",
            "themes.change_sitebranding",
            "courses.add_topic",
            "courses.change_topic",
            "courses.delete_topic",
            "courses.view_topic",
            "courses.change_enrolment",
            "courses.view_enrolment",
            "api.add_application",
            "api.change_application",
            "api.delete_application",
            "api.view_application",
        ],
    ),
    Role.PLATFORM_REVIEWER: ("Platform reviewers", ["wagtailadmin.access_admin"]),
    # The DPO answers data-subject requests, keeps the notices and the record of processing,
    # and reads the audit log; they see no one's learning records through the admin otherwise.
    Role.DATA_PROTECTION_OFFICER: (
        "Data protection officers",
        [
            "wagtailadmin.access_admin",
            "audit.view_auditevent",
            "privacy.add_privacynotice",
            "privacy.change_privacynotice",
            "privacy.view_privacynotice",
            "privacy.add_processingactivity",
            "privacy.change_processingactivity",
            "privacy.delete_processingactivity",
            "privacy.view_processingactivity",
            "subject_rights.view_datasubjectrequest",
            "subject_rights.change_datasubjectrequest",
        ],
    ),
}


def role_groups_sync() -> None:
    """Create the platform role groups and give them exactly their listed permissions.

    Runs after every migration, so new permissions reach the groups without a manual step.
    """
    for group_name, codenames in ROLE_GROUPS.values():
        group, _ = Group.objects.get_or_create(name=group_name)
        permissions = []
        for dotted in codenames:
            app_label, codename = dotted.split(".")
            permission = Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if permission is not None:
                permissions.append(permission)
        group.permissions.set(permissions)


@transaction.atomic
def user_create(*, email: str, password: str | None = None, **fields) -> User:
    user = User(email=email, **fields)
    user.full_clean(exclude=["password"])
    user.set_password(password)
    user.save()
    return user


@transaction.atomic
def user_update_or_create(*, email: str, password: str | None = None, **fields) -> User:
    """Idempotent upsert by e-mail (imports, the demo seed). Sets the password only if given."""
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        return user_create(email=email, password=password, **fields)
    for name, value in fields.items():
        setattr(user, name, value)
    if password is not None:
        user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    return user


def user_language_set(*, user: User, language: str) -> None:
    """Remember the language a person chose, for every device they sign in on."""
    if user.preferred_language != language:
        user.preferred_language = language
        user.save(update_fields=["preferred_language"])


@transaction.atomic
def learner_profile_update_or_create(
    *, user: User, unit: OrganisationUnit, employment_type: str, **fields
) -> LearnerProfile:
    """Place a person in the public service. Position type and level are checked against the
    Civil Service Act table."""
    profile = LearnerProfile.objects.filter(user=user).first() or LearnerProfile(user=user)
    profile.unit = unit
    profile.employment_type = employment_type
    for name, value in fields.items():
        setattr(profile, name, value)
    profile.full_clean()
    profile.save()
    return profile


@transaction.atomic
def learner_profiles_move(*, profiles: list[LearnerProfile], unit: OrganisationUnit) -> int:
    """Move people to another organisation unit (e.g. after a reorganisation).

    Each profile is saved on its own, so that what reacts to a move (assignments for new
    arrivals, the dashboards' aggregates) hears about every person."""
    moved = 0
    for profile in LearnerProfile.objects.filter(pk__in=[p.pk for p in profiles]).exclude(unit=unit):
        profile.unit = unit
        profile.save(update_fields=["unit", "updated_at"])
        moved += 1
    return moved


def role_group_membership_sync(*, user: User, role: str) -> None:
    """A person is in a role's admin group exactly while they hold that role.

    Called whenever an assignment is saved or deleted, whether by a service or the admin."""
    if role not in ROLE_GROUPS:
        return
    group, _ = Group.objects.get_or_create(name=ROLE_GROUPS[role][0])
    if RoleAssignment.objects.filter(user=user, role=role).exists():
        user.groups.add(group)
    else:
        user.groups.remove(group)


@transaction.atomic
def role_assign(
    *,
    user: User,
    role: str,
    unit: OrganisationUnit | None = None,
    partner: ContentPartner | None = None,
    granted_by: User | None = None,
) -> RoleAssignment:
    """Give a person a role in its scope. Assigning a role they already hold changes nothing.

    The scope that does not belong to the role (a unit for a partner role, say) is dropped by
    RoleAssignment.clean(); a missing scope is a ValidationError naming the field."""
    assignment = RoleAssignment(user=user, role=role, unit=unit, partner=partner, granted_by=granted_by)
    assignment.full_clean(exclude=["granted_by"], validate_unique=False, validate_constraints=False)
    existing = RoleAssignment.objects.filter(
        user=user, role=role, unit=assignment.unit, partner=assignment.partner
    ).first()
    if existing is not None:
        return existing
    assignment.save()
    return assignment


@transaction.atomic
def role_revoke(*, assignment: RoleAssignment) -> None:
    assignment.delete()


@transaction.atomic
def learner_profiles_set_role_group(*, profiles: list[LearnerProfile], role_group: RoleGroup | None) -> int:
    """Put people in a role group (or none), which decides their competency targets. Saved
    one by one, like moves, so that assignments and the dashboards hear about each person."""
    changed = 0
    for profile in LearnerProfile.objects.filter(pk__in=[p.pk for p in profiles]).exclude(
        role_group=role_group
    ):
        profile.role_group = role_group
        profile.save(update_fields=["role_group", "updated_at"])
        changed += 1
    return changed


def staff_import(
    *, rows: list[StaffRow], apply: bool, importer: User | None = None, scope: StaffScope | None = None
) -> StaffImportResult:
    """An HR manager's (or platform administrator's) staff file: create, update and move people.

    Every row is checked first (people.staff_import: units and people within the importer's
    scope, choices, the LearnerProfile rules); with `apply=False`, or if any row has a problem,
    nothing is written. Otherwise every row is applied in one transaction: all or nothing.
    New people get an unusable password (they sign in through password reset or single
    sign-on). Profiles are saved one by one, so profile signals fire (assignments for people
    who arrive, the dashboards' figures); new accounts are inserted in bulk, having been
    checked already, and added to the search index in bulk. A row whose address has an account
    the importer may not change changes nothing: it is referred to the platform administrators
    after the commit (`staff_referrals_send`)."""
    if scope is None:
        assert importer is not None, "an import is made by a person or within a given scope"
        scope = staff_scope_of(importer)
    plans, errors = staff_rows_check(rows=rows, scope=scope)
    if errors or not apply:
        return StaffImportResult(plans=plans, errors=errors, applied=False)
    try:
        with transaction.atomic():
            _staff_plans_apply(plans)
    except IntegrityError:
        # Someone else wrote one of these people since the rows were checked.
        return StaffImportResult(
            plans=plans,
            errors=[
                RowError(
                    row=0,
                    column="",
                    message=_(
                        "Someone changed some of these people while the file was being imported. Nothing "
                        "was imported; upload the file again to see the changes."
                    ),
                )
            ],
            applied=False,
        )
    referred = [plan for plan in plans if plan.account_elsewhere is not None]
    if referred:
        transaction.on_commit(lambda: staff_referrals_send(scope=scope, plans=referred))
    return StaffImportResult(plans=plans, errors=[], applied=True)


def staff_referrals_send(*, scope: StaffScope, plans: list[StaffPlan]) -> int:
    """Tell every platform administrator, in their language, which addresses an HR manager's
    staff file placed in their units although the address already has an account elsewhere
    (or in no unit): the manager is not told, so that an import never reveals who has an
    account; an administrator checks and moves the person if that is right. Returns the number
    of e-mails sent."""
    administrators = User.objects.filter(
        is_active=True, role_assignments__role=Role.PLATFORM_ADMIN
    ).distinct()
    sent = 0
    for administrator in administrators:
        if not administrator.email:
            continue
        with translation.override(administrator.preferred_language or "th"):
            context = {
                "administrator": administrator,
                "who_name": scope.who_name,
                "who_email": scope.who_email,
                "plans": plans,
            }
            subject = render_to_string("people/email/staff_referral_subject.txt", context).strip()
            body = render_to_string("people/email/staff_referral.txt", context)
        send_mail(subject, body, None, [administrator.email])
        sent += 1
    return sent


def _staff_plans_apply(plans: list[StaffPlan]) -> None:
    plans = [plan for plan in plans if plan.account_elsewhere is None]  # referred, not applied
    to_create = [plan for plan in plans if plan.action == Action.CREATE]
    created = User.objects.bulk_create(
        [User(email=plan.email, password=make_password(None), **plan.user_fields) for plan in to_create],
        batch_size=1000,
    )
    for backend in get_search_backends(with_auto_update=True):
        backend.add_bulk(User, created)
    for plan, user in zip(to_create, created, strict=True):
        plan.user = user
    for plan in plans:
        if plan.action == Action.UNCHANGED:
            continue
        user = plan.user
        changed = [name for name, value in plan.user_fields.items() if getattr(user, name) != value]
        if changed and plan.action != Action.CREATE:
            for name in changed:
                setattr(user, name, plan.user_fields[name])
            user.save(update_fields=changed)
        profile = getattr(user, "profile", None) if plan.action != Action.CREATE else None
        profile = profile or LearnerProfile(user=user)
        profile.unit = plan.unit
        for name, value in plan.profile_fields.items():
            setattr(profile, name, value)
        profile.save()
