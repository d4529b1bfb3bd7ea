"""HR managers' staff import: reading the CSV or XLSX file, and checking every row.

The file has the column names in row 1 and one person per row below it:

    email, title, first_name_th, last_name_th, first_name_en, last_name_en, unit_code,
    employment_type, position_title, position_type, position_level, role_group_code,
    employee_number, national_id

`email`, `unit_code` and `employment_type` are required; a new person also needs
`first_name_th` and `last_name_th`. Choices (title, employment type, position type and
level) may be written as their code ("civil_servant"), their Thai label ("ข้าราชการ") or
their English label ("Civil servant"); a level may also be written without its type when
the position type is given ("ต้น", "ชำนาญการ"). `national_id` is the 13-digit national ID
number (its check digit is checked): only its keyed hash is kept (people.national_id), so that
the person's first sign-in with ThaID finds this account; an empty cell leaves it as it is,
and a number already recorded is never replaced from a file.

What a row does to an existing person (found by e-mail, in any letter case):
- a column missing from the file leaves that field as it is;
- an empty cell in a profile column (position title, type, level, role group, employee
  number) clears it; an empty name or title cell leaves the name as it is (people correct
  their own names in "my account");
- the person must be in the units the importer manages. Whether an address has an account
  anywhere else on the platform is not an HR manager's to learn (PDPA: data minimisation),
  so for them an address outside their units reads exactly as an address nobody has: the
  row is a new person's, with the same checks and the same preview. When it is applied, a
  new address becomes an account in their unit; an address that already has an account
  (placed elsewhere or nowhere) changes nothing and goes to the platform administrators,
  who place the person if that is right (`people.services.staff_referrals_send`). The page
  says so for every new row alike. Platform administrators see and change everyone.

Nothing is written here: `staff_rows_check` returns the plan for each row and every problem
(row number, column, what to do); `people.services.staff_import` applies a plan without
problems in one transaction. The file is read by `lms.spreadsheets.reading` (its limits: 5 MB,
20,000 people).
"""

import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import QuerySet
from django.db.models.functions import Upper
from django.utils import translation
from django.utils.translation import gettext as _

from lms.spreadsheets.reading import (
    SheetRow,
    SpreadsheetRejected,
    cells_by_column,
    column_token,
    spreadsheet_rows,
)
from organisations.models import OrganisationUnit
from people.civil_service import LEVELS_BY_POSITION_TYPE, EmploymentType, PositionLevel, PositionType, Title
from people.models import LearnerProfile, RoleGroup, User
from people.national_id import national_id_hash
from people.permissions import is_platform_admin, visible_people, visible_units

COLUMNS = (
    "email",
    "title",
    "first_name_th",
    "last_name_th",
    "first_name_en",
    "last_name_en",
    "unit_code",
    "employment_type",
    "position_title",
    "position_type",
    "position_level",
    "role_group_code",
    "employee_number",
    "national_id",
)
REQUIRED_COLUMNS = ("email", "unit_code", "employment_type")
NAME_COLUMNS = ("title", "first_name_th", "last_name_th", "first_name_en", "last_name_en")
MAX_LENGTHS = {
    "first_name_th": 150,
    "last_name_th": 150,
    "first_name_en": 150,
    "last_name_en": 150,
    "position_title": 255,
    "employee_number": 32,
}
# Where each column goes: (model, field name).
USER_FIELDS = {
    "title": "title",
    "first_name_th": "first_name",
    "last_name_th": "last_name",
    "first_name_en": "first_name_en",
    "last_name_en": "last_name_en",
}
PROFILE_FIELDS = {
    "employment_type": "employment_type",
    "position_title": "position_title",
    "position_type": "position_type",
    "position_level": "position_level",
    "employee_number": "employee_number",
}


@dataclass(frozen=True)
class StaffRow:
    """One person's row as read: its spreadsheet row number and the cells of the columns the
    file has (trimmed text)."""

    number: int
    values: dict[str, str]


@dataclass(frozen=True)
class RowError:
    row: int  # 0: the file as a whole
    column: str
    message: str


class StaffFileRejected(Exception):
    """The file cannot be read at all (type, size, encoding, header)."""

    def __init__(self, errors: list[RowError]):
        super().__init__("; ".join(error.message for error in errors))
        self.errors = errors


class Action:
    CREATE = "create"
    UPDATE = "update"
    MOVE = "move"
    UNCHANGED = "unchanged"


@dataclass
class StaffPlan:
    """What one row will do."""

    row: int
    email: str
    action: str = Action.UNCHANGED
    user: User | None = None  # the existing account, when the importer may change it
    # An account the importer may not change, found by the address: the row reads as a new
    # person's and is referred to the platform administrators. Never shown to the importer.
    account_elsewhere: User | None = None
    user_fields: dict[str, str] = field(default_factory=dict)
    unit: OrganisationUnit | None = None
    unit_before: OrganisationUnit | None = None
    profile_fields: dict[str, object] = field(default_factory=dict)
    changed: list[str] = field(default_factory=list)  # column names


@dataclass(frozen=True)
class StaffImportResult:
    """What an import did (applied) or would do (a dry run, or refused because of errors)."""

    plans: list[StaffPlan]
    errors: list[RowError]
    applied: bool

    def count(self, action: str) -> int:
        return sum(1 for plan in self.plans if plan.action == action)

    @property
    def counts(self) -> dict[str, int]:
        return {
            action: self.count(action)
            for action in (Action.CREATE, Action.UPDATE, Action.MOVE, Action.UNCHANGED)
        }


# Reading -----------------------------------------------------------------------------------


def staff_file_read(*, name: str, data: bytes) -> list[StaffRow]:
    """The rows of a .csv or .xlsx staff file. StaffFileRejected says why a file is unreadable."""
    try:
        table = spreadsheet_rows(name=name, data=data, columns=COLUMNS)
    except SpreadsheetRejected as rejected:
        raise StaffFileRejected([RowError(row=rejected.row, column="", message=rejected.message)]) from None
    return _rows_from_table(table)


def _rows_from_table(table: list[SheetRow]) -> list[StaffRow]:
    if not table or table[0].number != 1:
        raise StaffFileRejected(
            [
                RowError(
                    row=1,
                    column="",
                    message=_("Row 1 must hold the column names: %(columns)s.")
                    % {"columns": ", ".join(COLUMNS)},
                )
            ]
        )
    header_cells = table[0].cells
    header = [column_token(cell) for cell in header_cells]
    errors = []
    positions: dict[int, str] = {}
    for index, token in enumerate(header):
        if not token:
            continue
        if token not in COLUMNS:
            errors.append(
                RowError(
                    row=1,
                    column=header_cells[index],
                    message=_("“%(name)s” is not a column of the staff file. Use: %(columns)s.")
                    % {"name": header_cells[index], "columns": ", ".join(COLUMNS)},
                )
            )
        elif token in positions.values():
            errors.append(
                RowError(
                    row=1, column=token, message=_("The %(column)s column appears twice.") % {"column": token}
                )
            )
        else:
            positions[index] = token
    for column in REQUIRED_COLUMNS:
        if column not in positions.values():
            errors.append(
                RowError(
                    row=1,
                    column=column,
                    message=_("The %(column)s column is missing. Add it in row 1.") % {"column": column},
                )
            )
    if errors:
        raise StaffFileRejected(errors)
    rows = [StaffRow(number=row.number, values=cells_by_column(positions, row)) for row in table[1:]]
    if not rows:
        raise StaffFileRejected(
            [
                RowError(
                    row=0,
                    column="",
                    message=_(
                        "The file has column names but nobody in it. Write one person per row from row 2."
                    ),
                )
            ]
        )
    return rows


# Checking ----------------------------------------------------------------------------------


def _choice_lookup(choices: type, extra: dict[str, str] | None = None) -> dict[str, str]:
    """Code, Thai label and English label (compared without case and spaces) → code."""
    lookup: dict[str, str] = {}
    for value, label in choices.choices:
        lookup[_key(value)] = value
        for language in ("th", "en"):
            with translation.override(language):
                lookup[_key(str(label))] = value
    lookup.update({_key(name): value for name, value in (extra or {}).items()})
    return lookup


def _key(text: str) -> str:
    return re.sub(r"[\s_\-–]+", "", text.lower())


def _level_lookup(position_type: str) -> dict[str, str]:
    """A level's code or label, or its label without the type ("ต้น", "primary")."""
    lookup = {}
    for level in LEVELS_BY_POSITION_TYPE.get(position_type, []):
        lookup[_key(level)] = level
        for language in ("th", "en"):
            with translation.override(language):
                label = str(PositionLevel(level).label)
                type_label = str(PositionType(position_type).label)
            lookup[_key(label)] = level
            short = label.replace(type_label, "", 1).strip(" –-")
            for variant in (short, short.replace("ระดับ", "")):
                if _key(variant):
                    lookup[_key(variant)] = level
    return lookup


@dataclass(frozen=True)
class StaffScope:
    """Whose records an import may create and change, and how a referral names who imported:
    an HR manager or platform administrator (`staff_scope_of`), or an agency's HR system
    through the API (api.views.people, with its application's units and people)."""

    units: QuerySet[OrganisationUnit]
    people: QuerySet[User]
    everyone: bool
    who_name: str
    who_email: str


def staff_scope_of(importer: User) -> StaffScope:
    return StaffScope(
        units=visible_units(importer),
        people=visible_people(importer),
        everyone=is_platform_admin(importer),
        who_name=importer.full_name(),
        who_email=importer.email,
    )


class _Checker:
    """Checks rows against the database, reading what it needs in a few bulk queries."""

    def __init__(self, *, rows: list[StaffRow], scope: StaffScope):
        self.errors: list[RowError] = []
        emails = {row.values.get("email", "").lower() for row in rows}
        codes = {row.values.get("unit_code", "").upper() for row in rows}
        self.units = {
            unit.code.upper(): unit
            for unit in OrganisationUnit.objects.annotate(code_upper=Upper("code")).filter(
                code_upper__in=codes
            )
        }
        self.units_in_scope = set(
            scope.units.filter(pk__in=[u.pk for u in self.units.values()]).values_list("pk", flat=True)
        )
        self.role_groups = {group.code.upper(): group for group in RoleGroup.objects.all()}
        self.accounts = {
            user.email.lower(): user
            for user in User.objects.filter(email__in=emails).select_related("profile__unit")
        }
        self.people_in_scope = set(
            scope.people.filter(pk__in=[user.pk for user in self.accounts.values()]).values_list(
                "pk", flat=True
            )
        )
        self.platform_admin = scope.everyone
        self.titles = _choice_lookup(Title)
        self.employment_types = _choice_lookup(EmploymentType)
        self.position_types = _choice_lookup(PositionType)
        self.seen_emails: dict[str, int] = {}
        self.national_ids = {row.number: national_id_hash(row.values.get("national_id")) for row in rows}
        self.national_id_holders = dict(
            User.objects.filter(
                national_id_hash__in=[d for d in self.national_ids.values() if d]
            ).values_list("national_id_hash", "pk")
        )
        self.seen_national_ids: dict[str, int] = {}

    def add(self, row: int, column: str, message: str) -> None:
        self.errors.append(RowError(row=row, column=column, message=message))

    def plan(self, row: StaffRow) -> StaffPlan | None:
        errors_before = len(self.errors)
        values = row.values
        email = self._email(row)
        user = self.accounts.get(email) if email else None
        account_elsewhere = None
        if user is not None and not self._may_change(user):
            # Checked and shown as a new person's row: nothing here may depend on the account.
            account_elsewhere, user = user, None
        plan = StaffPlan(row=row.number, email=email, user=user, account_elsewhere=account_elsewhere)
        profile = getattr(user, "profile", None) if user else None
        plan.unit_before = profile.unit if profile else None
        self._unit(row, plan)
        self._choices(row, plan)
        self._role_group(row, plan)
        self._national_id(row, plan)
        for column in ("position_title", "employee_number"):
            if column in values:
                plan.profile_fields[column] = values[column]
        for column, limit in MAX_LENGTHS.items():
            if len(values.get(column, "")) > limit:
                self.add(
                    row.number,
                    column,
                    _("This text is %(length)s characters long; at most %(limit)s fit. Shorten it.")
                    % {"length": len(values[column]), "limit": limit},
                )
        for column in NAME_COLUMNS[1:]:
            if values.get(column):
                plan.user_fields[USER_FIELDS[column]] = values[column]
        if user is None:
            for column in ("first_name_th", "last_name_th"):
                if not values.get(column):
                    self.add(
                        row.number,
                        column,
                        _("A new person needs a Thai given name and family name. Fill in %(column)s.")
                        % {"column": column},
                    )
        if len(self.errors) == errors_before:
            self._profile_rules(row, plan, profile)
        if len(self.errors) > errors_before:
            return None
        self._changes(plan, profile)
        return plan

    def _email(self, row: StaffRow) -> str:
        email = row.values.get("email", "").lower()
        if not email:
            self.add(row.number, "email", _("The e-mail address is missing. Every person needs one."))
            return ""
        try:
            validate_email(email)
        except ValidationError:
            self.add(
                row.number,
                "email",
                _("“%(email)s” is not a valid e-mail address. Correct it.") % {"email": row.values["email"]},
            )
            return ""
        if email in self.seen_emails:
            self.add(
                row.number,
                "email",
                _("This e-mail address is already on row %(row)s. Keep one row per person.")
                % {"row": self.seen_emails[email]},
            )
            return ""
        self.seen_emails[email] = row.number
        return email

    def _national_id(self, row: StaffRow, plan: StaffPlan) -> None:
        if not row.values.get("national_id"):
            return
        digest = self.national_ids[row.number]
        if digest is None:
            self.add(
                row.number,
                "national_id",
                _(
                    "“%(value)s” is not a national ID number: it has 13 digits and the last one must "
                    "match the others. Correct it, or leave the cell empty."
                )
                % {"value": row.values["national_id"]},
            )
            return
        if digest in self.seen_national_ids:
            self.add(
                row.number,
                "national_id",
                _("This national ID number is already on row %(row)s. Each person has their own.")
                % {"row": self.seen_national_ids[digest]},
            )
            return
        self.seen_national_ids[digest] = row.number
        holder = self.national_id_holders.get(digest)
        # Only an account the importer may change is looked at: a row whose address has an
        # account elsewhere reads exactly as a new person's (nothing about it is revealed).
        this_account = plan.user
        if holder is not None and (this_account is None or holder != this_account.pk):
            self.add(
                row.number,
                "national_id",
                _(
                    "This national ID number is already recorded for another account. Check the number; "
                    "if the person has two accounts, ask the platform administrators to merge them."
                ),
            )
            return
        recorded = this_account.national_id_hash if this_account is not None else None
        if recorded and recorded != digest:
            # A number once recorded is not replaced from a file: that would let whoever sends
            # the file point another person's first ThaID sign-in at an account of their choosing.
            self.add(
                row.number,
                "national_id",
                _(
                    "This person's account already has another national ID number. Check the number; "
                    "if the recorded one is wrong, ask the platform administrators to correct it."
                ),
            )
            return
        plan.user_fields["national_id_hash"] = digest

    def _may_change(self, user: User) -> bool:
        if self.platform_admin:
            return True
        return user.pk in self.people_in_scope

    def _unit(self, row: StaffRow, plan: StaffPlan) -> None:
        code = row.values.get("unit_code", "")
        if not code:
            self.add(
                row.number, "unit_code", _("The unit code is missing. Write the code of the person's unit.")
            )
            return
        unit = self.units.get(code.upper())
        if unit is None:
            self.add(
                row.number,
                "unit_code",
                _("No organisation unit has the code “%(code)s”. Check the code in the list of units.")
                % {"code": code},
            )
        elif unit.pk not in self.units_in_scope:
            self.add(
                row.number,
                "unit_code",
                _("The unit “%(code)s” is not one you manage. Choose one of your units.") % {"code": code},
            )
        elif not unit.is_active:
            self.add(
                row.number,
                "unit_code",
                _("The unit “%(code)s” is closed. Choose the unit that replaced it.") % {"code": code},
            )
        else:
            plan.unit = unit

    def _choice(
        self, row: StaffRow, column: str, lookup: dict[str, str], *, required: bool = False
    ) -> str | None:
        text = row.values.get(column, "")
        if not text:
            if required:
                self.add(row.number, column, _("This column is required. Fill it in."))
            return ""
        value = lookup.get(_key(text))
        if value is None:
            self.add(
                row.number,
                column,
                _("“%(value)s” is not one of the accepted values: %(choices)s.")
                % {"value": text, "choices": ", ".join(sorted(set(lookup.values())))},
            )
        return value

    def _choices(self, row: StaffRow, plan: StaffPlan) -> None:
        values = row.values
        if values.get("title"):
            title = self._choice(row, "title", self.titles)
            if title:
                plan.user_fields["title"] = title
        employment_type = self._choice(row, "employment_type", self.employment_types, required=True)
        if employment_type:
            plan.profile_fields["employment_type"] = employment_type
        if "position_type" in values:
            position_type = self._choice(row, "position_type", self.position_types)
            if position_type is not None:
                plan.profile_fields["position_type"] = position_type
        if "position_level" in values:
            position_type = plan.profile_fields.get("position_type")
            if position_type is None and plan.user is not None and "position_type" not in values:
                position_type = getattr(getattr(plan.user, "profile", None), "position_type", "")
            text = values["position_level"]
            if not text:
                plan.profile_fields["position_level"] = ""
            elif not position_type:
                self.add(
                    row.number,
                    "position_level",
                    _("A position level needs its position type. Fill in position_type."),
                )
            else:
                level = _level_lookup(position_type).get(_key(text))
                if level is None:
                    level = _choice_lookup(PositionLevel).get(_key(text))
                if level is None:
                    self.add(
                        row.number,
                        "position_level",
                        _("“%(value)s” is not a position level. Use one of: %(choices)s.")
                        % {"value": text, "choices": ", ".join(LEVELS_BY_POSITION_TYPE[position_type])},
                    )
                else:
                    plan.profile_fields["position_level"] = level

    def _role_group(self, row: StaffRow, plan: StaffPlan) -> None:
        if "role_group_code" not in row.values:
            return
        code = row.values["role_group_code"]
        if not code:
            plan.profile_fields["role_group"] = None
            return
        group = self.role_groups.get(code.upper())
        if group is None:
            self.add(
                row.number,
                "role_group_code",
                _("No role group has the code “%(code)s”. Check the code in the list of role groups.")
                % {"code": code},
            )
        else:
            plan.profile_fields["role_group"] = group

    def _profile_rules(self, row: StaffRow, plan: StaffPlan, profile: LearnerProfile | None) -> None:
        """LearnerProfile.clean: levels belong to their type, types only for civil servants."""
        candidate = LearnerProfile(
            unit=plan.unit,
            employment_type=profile.employment_type if profile else "",
            position_type=profile.position_type if profile else "",
            position_level=profile.position_level if profile else "",
        )
        for name, value in plan.profile_fields.items():
            setattr(candidate, name, value)
        try:
            candidate.clean()
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                for message in messages:
                    self.add(row.number, name, message)

    def _changes(self, plan: StaffPlan, profile: LearnerProfile | None) -> None:
        if plan.user is None:
            plan.action = Action.CREATE
            return
        for column, name in USER_FIELDS.items():
            if name in plan.user_fields and plan.user_fields[name] != getattr(plan.user, name):
                plan.changed.append(column)
        if (
            "national_id_hash" in plan.user_fields
            and plan.user_fields["national_id_hash"] != plan.user.national_id_hash
        ):
            plan.changed.append("national_id")
        if profile is None:
            plan.action = Action.UPDATE
            plan.changed.append("unit_code")
            return
        for column, name in PROFILE_FIELDS.items():
            if name in plan.profile_fields and plan.profile_fields[name] != getattr(profile, name):
                plan.changed.append(column)
        if "role_group" in plan.profile_fields and plan.profile_fields["role_group"] != profile.role_group:
            plan.changed.append("role_group_code")
        if plan.unit.pk != profile.unit_id:
            plan.action = Action.MOVE
            plan.changed.append("unit_code")
        elif plan.changed:
            plan.action = Action.UPDATE


def staff_rows_check(*, rows: list[StaffRow], scope: StaffScope) -> tuple[list[StaffPlan], list[RowError]]:
    """Every row's plan, and every problem (sorted by row). Plans are returned only for rows
    without problems; the import is applied only when there are none at all."""
    checker = _Checker(rows=rows, scope=scope)
    plans = [plan for row in rows if (plan := checker.plan(row)) is not None]
    return plans, sorted(checker.errors, key=lambda error: error.row)
