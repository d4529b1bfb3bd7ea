"""People: the account (User), the learner's place in the public service and role group, and roles."""

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from wagtail.search import index

from lms.bilingual import in_active_language
from people.civil_service import (
    LEVELS_BY_POSITION_TYPE,
    EmploymentType,
    PositionLevel,
    PositionType,
    Title,
)


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **fields) -> "User":
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def get_by_natural_key(self, username: str) -> "User":
        # Addresses are stored in lower case; people type them any way they like.
        return self.get(email=self.normalize_email(username).lower())

    def create_user(self, email: str, password: str | None = None, **fields) -> "User":
        fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **fields)

    def create_superuser(self, email: str, password: str | None = None, **fields) -> "User":
        fields.update(is_superuser=True)
        return self._create_user(email, password, **fields)


class User(index.Indexed, AbstractBaseUser, PermissionsMixin):
    """An account. People sign in with their e-mail address.

    `first_name` / `last_name` hold the Thai given and family names (ชื่อ / นามสกุล); the
    English forms sit beside them. The Thai names keep Django's field names so that Wagtail's
    user admin and external sign-in libraries fill them without adapters.
    """

    email = models.EmailField(_("e-mail address"), unique=True)
    title = models.CharField(_("title"), max_length=32, choices=Title.choices, blank=True)
    first_name = models.CharField(_("given name (Thai)"), max_length=150, blank=True)
    last_name = models.CharField(_("family name (Thai)"), max_length=150, blank=True)
    first_name_en = models.CharField(_("given name (English)"), max_length=150, blank=True)
    last_name_en = models.CharField(_("family name (English)"), max_length=150, blank=True)
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=8,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("Empty until the person chooses; the site is then shown in Thai."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    # A keyed hash of the Thai national ID number (people.national_id), never the number: how a
    # first sign-in with ThaID finds the account an agency already made for the person.
    national_id_hash = models.CharField(
        _("national ID (keyed hash)"), max_length=64, unique=True, null=True, blank=True, editable=False
    )
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    search_fields = [
        index.SearchField("email"),
        index.SearchField("first_name"),
        index.SearchField("last_name"),
        index.SearchField("first_name_en"),
        index.SearchField("last_name_en"),
        index.AutocompleteField("first_name"),
        index.AutocompleteField("last_name"),
        index.AutocompleteField("email"),
        index.FilterField("is_active"),
    ]

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["email"]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    def clean(self) -> None:
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()

    def full_name(self, language: str | None = None, *, with_title: bool = True) -> str:
        """The name as people write it in that language: "นายสมชาย ใจดี", "Mr. Somchai Jaidee"."""
        language = language or translation.get_language() or settings.LANGUAGE_CODE
        if language == "en" and (self.first_name_en or self.last_name_en):
            given, family = self.first_name_en, self.last_name_en
        else:
            given, family = self.first_name, self.last_name
            language = "th"
        name = " ".join(part for part in (given, family) if part)
        if not (with_title and self.title and name):
            return name
        with translation.override(language):
            title = str(Title(self.title).label)
        # Thai titles are written joined to the given name; English ones with a space.
        return f"{title}{name}" if language == "th" else f"{title} {name}"

    def get_full_name(self) -> str:
        return self.full_name()

    def get_short_name(self) -> str:
        return self.full_name(with_title=False).split(" ")[0] or self.email


class RoleGroup(models.Model):
    """A group of roles with the same competency targets, e.g. OCSC's CIO, EXE, MGT, ACA, SRV,
    TEC and OTH, or TPQI's IT / Non-IT personnel at each role level. Groups may nest.

    An HR classification of positions, so it lives with people; competencies hangs role
    requirements on it. The framework that defines a group is a foreign key given by its model
    label, not an import: a schema dependency on competencies (people's migration 0002 depends on
    it) that import-linter does not see, kept on purpose (docs/architecture.md, "Layers").
    The table keeps its first name from when the model lived in competencies: moving it
    changed no data.
    """

    code = models.CharField(_("code"), max_length=32, unique=True)
    name_th = models.CharField(_("name (Thai)"), max_length=255)
    name_en = models.CharField(_("name (English)"), max_length=255, blank=True)
    framework = models.ForeignKey(
        "competencies.CompetencyFramework",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="role_groups",
        verbose_name=_("framework"),
        help_text=_("The framework that defines this group, if any."),
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent group"),
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        db_table = "competencies_rolegroup"
        ordering = ["sort_order", "code"]
        verbose_name = _("role group")
        verbose_name_plural = _("role groups")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return in_active_language(self.name_th, self.name_en)


class LearnerProfile(models.Model):
    """Where a person sits in the public service: unit, employment, position and role group."""

    user = models.OneToOneField(
        User, on_delete=models.CASCADE, related_name="profile", verbose_name=_("person")
    )
    unit = models.ForeignKey(
        "organisations.OrganisationUnit",
        on_delete=models.PROTECT,
        related_name="members",
        verbose_name=_("organisation unit"),
    )
    employment_type = models.CharField(_("employment type"), max_length=32, choices=EmploymentType.choices)
    position_title = models.CharField(
        _("position title"),
        max_length=255,
        blank=True,
        help_text=_("e.g. นักวิเคราะห์นโยบายและแผน"),
    )
    position_type = models.CharField(
        _("position type"), max_length=32, choices=PositionType.choices, blank=True
    )
    position_level = models.CharField(
        _("position level"), max_length=32, choices=PositionLevel.choices, blank=True
    )
    role_group = models.ForeignKey(
        RoleGroup,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="profiles",
        verbose_name=_("role group"),
        help_text=_("Decides which competency targets apply to this person."),
    )
    employee_number = models.CharField(_("employee number"), max_length=32, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("learner profile")
        verbose_name_plural = _("learner profiles")
        indexes = [
            models.Index(fields=["employee_number"]),
            models.Index(fields=["employment_type", "position_type"]),
        ]

    def __str__(self) -> str:
        return str(self.user)

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        if self.position_level and not self.position_type:
            errors["position_type"] = _("Choose the position type that this level belongs to.")
        elif self.position_level and self.position_level not in LEVELS_BY_POSITION_TYPE[self.position_type]:
            errors["position_level"] = _("%(level)s is not a level of the %(type)s position type.") % {
                "level": PositionLevel(self.position_level).label,
                "type": PositionType(self.position_type).label,
            }
        if self.position_type and self.employment_type != EmploymentType.CIVIL_SERVANT:
            errors["position_type"] = _(
                "Position types and levels apply to civil servants only; leave them empty."
            )
        if errors:
            raise ValidationError(errors)


class Role(models.TextChoices):
    PLATFORM_ADMIN = "platform_admin", _("Platform administrator")
    PLATFORM_REVIEWER = "platform_reviewer", _("Platform reviewer")
    HR_MANAGER = "hr_manager", _("HR manager")
    PARTNER_AUTHOR = "partner_author", _("Partner author")
    PARTNER_REVIEWER = "partner_reviewer", _("Partner reviewer")
    DATA_PROTECTION_OFFICER = "data_protection_officer", _("Data protection officer")


# Tuples, not sets: the database constraints below are built from them, and a set's order
# changes from one process to the next (string hashing), which made `makemigrations --check`
# see a change now and then.
PARTNER_ROLES = (Role.PARTNER_AUTHOR, Role.PARTNER_REVIEWER)
# Roles over the whole platform, with no unit or partner to scope them.
PLATFORM_ROLES = (Role.PLATFORM_ADMIN, Role.PLATFORM_REVIEWER, Role.DATA_PROTECTION_OFFICER)


class RoleAssignment(models.Model):
    """A person holds a role, with its scope: an organisation unit (HR managers, who see that
    unit and everything below it) or a content partner (partner authors and reviewers).

    Every signed-in person is a learner; that role needs no assignment.
    """

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="role_assignments", verbose_name=_("person")
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    unit = models.ForeignKey(
        "organisations.OrganisationUnit",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="role_assignments",
        verbose_name=_("organisation unit"),
        help_text=_("HR managers only: they see this unit and every unit below it."),
    )
    partner = models.ForeignKey(
        "organisations.ContentPartner",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("content partner"),
        help_text=_("Partner authors and reviewers only."),
    )
    granted_at = models.DateTimeField(_("granted"), default=timezone.now)
    granted_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("granted by"),
    )

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.CheckConstraint(
                name="role_scope_matches_role",
                condition=(
                    Q(role=Role.HR_MANAGER, unit__isnull=False, partner__isnull=True)
                    | Q(role__in=PARTNER_ROLES, unit__isnull=True, partner__isnull=False)
                    | Q(role__in=PLATFORM_ROLES, unit__isnull=True, partner__isnull=True)
                ),
            ),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=Q(role__in=PLATFORM_ROLES),
                name="unique_platform_role",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "unit"],
                condition=Q(role=Role.HR_MANAGER),
                name="unique_hr_manager_unit",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "partner"],
                condition=Q(role__in=PARTNER_ROLES),
                name="unique_partner_role",
            ),
        ]

    def __str__(self) -> str:
        scope = self.unit or self.partner
        label = Role(self.role).label
        return f"{self.user} · {label}" + (f" · {scope}" if scope else "")

    def clean(self) -> None:
        super().clean()
        if self.role == Role.HR_MANAGER:
            if not self.unit_id:
                raise ValidationError({"unit": _("An HR manager needs the organisation unit they manage.")})
            self.partner = None
        elif self.role in PARTNER_ROLES:
            if not self.partner_id:
                raise ValidationError({"partner": _("Partner roles need the content partner.")})
            self.unit = None
        else:
            self.unit = None
            self.partner = None
