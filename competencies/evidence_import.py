"""Evidence files: HR offices import competency records kept elsewhere (tests taken outside
Thaksa, assessments made on paper) as CSV or XLSX, one piece of evidence per row.

Columns (row 1; any order): email, framework, competency, level, achieved, and optionally
valid_until and note. `framework` is a framework's code (its current version) or code:version;
`competency` a node code of that framework; dates are read by `lms.thai_calendar.date_parse`
(31/03/2569 or 2569-03-31, the Buddhist or the Common era, Thai digits too). The file is read
by `lms.spreadsheets.reading` (its limits: 5 MB, 20,000 rows).

Checking never stops at the first mistake: every problem of every row is reported with the
spreadsheet's row number and the column, saying what to write instead, and the service
records nothing unless there is none. A person outside the importer's units is reported in
the same words as an unknown address, so the file cannot be used to probe who has an account.
Each row's reference is a hash of the person, framework, competency and date, so importing the
same file again records nothing new (and a corrected level or note replaces the earlier one).
"""

import datetime as dt
import enum
import hashlib
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from competencies.models import CompetencyEvidence, CompetencyFramework, CompetencyNode
from competencies.selectors import scale_top_levels
from lms.spreadsheets.reading import (
    SheetRow,
    SpreadsheetRejected,
    cells_by_column,
    column_token,
    spreadsheet_rows,
)
from lms.thai_calendar import DateUnreadable, date_parse
from people.models import User
from people.permissions import is_platform_admin, visible_people

COLUMNS: tuple[str, ...] = ("email", "framework", "competency", "level", "achieved", "valid_until", "note")
REQUIRED_COLUMNS: tuple[str, ...] = ("email", "framework", "competency", "level", "achieved")
COLUMN_ALIASES = {"e_mail": "email", "achieved_on": "achieved"}
NOTE_MAX_CHARS = 255  # CompetencyEvidence.note
FRAMEWORK_VERSION_SEPARATOR = ":"


@dataclass(frozen=True)
class RowProblem:
    """Something to fix in the file: where it is, and what to write instead."""

    row: int  # the spreadsheet's row number (1 = the header); 0 = the file as a whole
    column: str  # "" when it is about the whole row or file
    message: str  # translated


class RowState(enum.StrEnum):
    NEW = "new"
    UPDATED = "updated"  # imported before with another level, validity or note
    UNCHANGED = "unchanged"  # imported before exactly so: nothing to record


@dataclass(frozen=True)
class CheckedEvidenceRow:
    """One row that can be recorded as it is."""

    State = RowState

    row: int
    person: User
    node: CompetencyNode
    level: int
    achieved_on: dt.date
    valid_until: dt.date | None
    note: str
    reference: str
    state: RowState


@dataclass(frozen=True)
class EvidenceImportCheck:
    rows: list[CheckedEvidenceRow]
    problems: list[RowProblem]

    def count(self, state: RowState) -> int:
        return sum(row.state == state for row in self.rows)

    @property
    def new_count(self) -> int:
        return self.count(RowState.NEW)

    @property
    def updated_count(self) -> int:
        return self.count(RowState.UPDATED)

    @property
    def unchanged_count(self) -> int:
        return self.count(RowState.UNCHANGED)


def import_reference(*, email: str, framework_code: str, node_code: str, achieved_on: dt.date) -> str:
    """The evidence reference of an imported row: the same person, competency and date give
    the same reference, whatever else the row says."""
    key = f"{email.lower()}|{framework_code}|{node_code}|{achieved_on.isoformat()}"
    return f"import:{hashlib.sha256(key.encode()).hexdigest()[:16]}"


def evidence_import_check(*, name: str, data: bytes, importer: User) -> EvidenceImportCheck:
    """Read an evidence file and check every row against the frameworks and the people this
    importer may see (people.permissions.visible_people). Records nothing."""
    table, problems = _table_read(name, data)
    if problems:
        return EvidenceImportCheck(rows=[], problems=problems)
    if not table:
        return EvidenceImportCheck(rows=[], problems=[_file_problem(_empty_file_message())])
    header, problems = _header_parse(table[0])
    if problems:
        return EvidenceImportCheck(rows=[], problems=problems)
    if len(table) == 1:
        return EvidenceImportCheck(rows=[], problems=[_file_problem(_empty_file_message())])
    records = [(row.number, dict.fromkeys(COLUMNS, "") | cells_by_column(header, row)) for row in table[1:]]
    return _Checker(importer=importer, records=records).check()


# Reading the file ---------------------------------------------------------------------------


def _file_problem(message: str) -> RowProblem:
    return RowProblem(row=0, column="", message=message)


def _empty_file_message() -> str:
    return _(
        "The file has no evidence in it. Write the column names in row 1 (email, framework, "
        "competency, level, achieved) and one piece of evidence per row below it."
    )


def _table_read(name: str, data: bytes) -> tuple[list[SheetRow], list[RowProblem]]:
    try:
        return spreadsheet_rows(name=name, data=data, columns=(*COLUMNS, *COLUMN_ALIASES)), []
    except SpreadsheetRejected as rejected:
        return [], [RowProblem(row=rejected.row, column="", message=rejected.message)]


def _column_name(cell: str) -> str:
    token = column_token(cell)
    return COLUMN_ALIASES.get(token, token)


def _header_parse(header_row: SheetRow) -> tuple[dict[int, str], list[RowProblem]]:
    """Where each column is, or what is wrong with row 1."""
    number, cells = header_row.number, header_row.cells
    positions: dict[int, str] = {}
    problems = []
    for position, cell in enumerate(cells):
        if not cell:
            continue
        column = _column_name(cell)
        if column not in COLUMNS:
            problems.append(
                RowProblem(
                    row=number,
                    column=cell,
                    message=_(
                        "Thaksa does not read a column named “%(name)s”. Delete the column, or "
                        "rename it to one of: %(columns)s."
                    )
                    % {"name": cell, "columns": ", ".join(COLUMNS)},
                )
            )
        elif column in positions.values():
            problems.append(
                RowProblem(
                    row=number,
                    column=column,
                    message=_("The column “%(name)s” appears twice. Keep one of them.") % {"name": column},
                )
            )
        else:
            positions[position] = column
    for column in REQUIRED_COLUMNS:
        if column not in positions.values():
            problems.append(
                RowProblem(
                    row=number,
                    column=column,
                    message=_("Add a column named “%(name)s” in row 1.") % {"name": column},
                )
            )
    return positions, problems


# Checking the rows ----------------------------------------------------------------------------


class _Checker:
    """Checks every row against what the database holds, looked up once for the whole file."""

    def __init__(self, *, importer: User, records: list[tuple[int, dict[str, str]]]) -> None:
        self.importer = importer
        self.records = records
        self.problems: list[RowProblem] = []
        self.today = timezone.localdate()
        emails = {values["email"].lower() for _number, values in records if values["email"]}
        self.people = {
            person.email_lower: person
            for person in visible_people(importer)
            .annotate(email_lower=Lower("email"))
            .filter(email_lower__in=emails)
        }
        self.frameworks_by_code: dict[str, list[CompetencyFramework]] = {}
        for framework in CompetencyFramework.objects.all():
            self.frameworks_by_code.setdefault(framework.code.lower(), []).append(framework)
        self.nodes: dict[tuple[int, str], CompetencyNode] = {}
        self.top_levels: dict[int, int] = {}

    def check(self) -> EvidenceImportCheck:
        parsed = [(number, self._row_parse(number, values)) for number, values in self.records]
        framework_ids = {row["framework"].pk for _number, row in parsed if row.get("framework")}
        self.nodes = {
            (node.framework_id, node.code.lower()): node
            for node in CompetencyNode.objects.filter(framework_id__in=framework_ids).select_related(
                "framework"
            )
        }
        self.top_levels = scale_top_levels(framework_ids=framework_ids)
        candidates = []
        first_seen: dict[str, int] = {}
        for (number, values), (_number, row) in zip(self.records, parsed, strict=True):
            node = self._node(number, values, row.get("framework"))
            level = self._level(number, values, row.get("framework"))
            if (
                None in (row.get("person"), node, level)
                or "achieved_on" not in row
                or "valid_until" not in row
            ):
                continue
            reference = import_reference(
                email=row["person"].email,
                framework_code=node.framework.code,
                node_code=node.code,
                achieved_on=row["achieved_on"],
            )
            if reference in first_seen:
                self._problem(
                    number,
                    "",
                    _(
                        "This row repeats row %(row)s: the same person, competency and achieved "
                        "date. Delete one of the two rows."
                    )
                    % {"row": first_seen[reference]},
                )
                continue
            first_seen[reference] = number
            candidates.append((number, row, node, level, reference))
        if self.problems:
            return EvidenceImportCheck(rows=[], problems=sorted(self.problems, key=lambda p: p.row))
        return EvidenceImportCheck(rows=self._rows_with_state(candidates), problems=[])

    def _problem(self, row: int, column: str, message: str) -> None:
        self.problems.append(RowProblem(row=row, column=column, message=message))

    def _row_parse(self, number: int, values: dict[str, str]) -> dict:
        """The person, framework, dates and note of a row (a key is missing when it is wrong)."""
        row: dict = {}
        person = self._person(number, values["email"])
        if person is not None:
            row["person"] = person
        framework = self._framework(number, values["framework"])
        if framework is not None:
            row["framework"] = framework
        achieved_on = self._date(number, "achieved", values["achieved"], required=True)
        if achieved_on is not None:
            if achieved_on > self.today:
                self._problem(
                    number,
                    "achieved",
                    _("The achieved date %(date)s is in the future. Write the date it was achieved.")
                    % {"date": values["achieved"]},
                )
            else:
                row["achieved_on"] = achieved_on
        valid_until = self._date(number, "valid_until", values["valid_until"], required=False)
        if valid_until is not None and achieved_on is not None and valid_until < achieved_on:
            self._problem(
                number,
                "valid_until",
                _(
                    "valid_until (%(until)s) is before the achieved date (%(achieved)s). Correct one "
                    "of them, or leave valid_until empty if the evidence does not expire."
                )
                % {"until": values["valid_until"], "achieved": values["achieved"]},
            )
        elif valid_until is not None or not values["valid_until"]:
            row["valid_until"] = valid_until
        if len(values["note"]) > NOTE_MAX_CHARS:
            self._problem(
                number,
                "note",
                _("The note is %(length)s characters long; shorten it to at most %(limit)s.")
                % {"length": len(values["note"]), "limit": NOTE_MAX_CHARS},
            )
        row["note"] = values["note"]
        return row

    def _person(self, number: int, email: str) -> User | None:
        if not email:
            self._problem(number, "email", _("Write the person's e-mail address."))
            return None
        try:
            validate_email(email)
        except ValidationError:
            self._problem(
                number,
                "email",
                _("“%(email)s” is not an e-mail address. Write it as name@agency.go.th.") % {"email": email},
            )
            return None
        person = self.people.get(email.lower())
        if person is None:
            if is_platform_admin(self.importer):
                message = _("No one has the e-mail address “%(email)s”. Check the address.")
            else:
                message = _(
                    "“%(email)s” is not in the units you manage. Check the address; evidence for "
                    "people in other units is imported by their HR office."
                )
            self._problem(number, "email", message % {"email": email})
        return person

    def _framework(self, number: int, text: str) -> CompetencyFramework | None:
        if not text:
            self._problem(number, "framework", _("Write the framework's code, e.g. DIGCOMP."))
            return None
        code, _separator, version = text.partition(FRAMEWORK_VERSION_SEPARATOR)
        versions = self.frameworks_by_code.get(code.strip().lower(), [])
        if not versions:
            self._problem(
                number,
                "framework",
                _(
                    "There is no framework with the code “%(code)s”. Write the code as the "
                    "framework's page shows it."
                )
                % {"code": code.strip()},
            )
            return None
        if version.strip():
            for framework in versions:
                if framework.version.lower() == version.strip().lower():
                    return framework
            self._problem(
                number,
                "framework",
                _("The framework %(code)s has no version “%(version)s”. Versions: %(versions)s.")
                % {
                    "code": versions[0].code,
                    "version": version.strip(),
                    "versions": ", ".join(framework.version for framework in versions),
                },
            )
            return None
        current = [
            framework for framework in versions if framework.status == CompetencyFramework.Status.CURRENT
        ]
        if len(current) == 1:
            return current[0]
        if len(versions) == 1:
            return versions[0]
        self._problem(
            number,
            "framework",
            _(
                "The framework %(code)s has several versions. Write the version after a colon, "
                "e.g. %(example)s."
            )
            % {"code": versions[0].code, "example": f"{versions[0].code}:{versions[0].version}"},
        )
        return None

    def _node(
        self, number: int, values: dict[str, str], framework: CompetencyFramework | None
    ) -> CompetencyNode | None:
        code = values["competency"]
        if not code:
            self._problem(number, "competency", _("Write the competency's code, e.g. 1.1."))
            return None
        if framework is None:
            return None
        node = self.nodes.get((framework.pk, code.lower()))
        if node is None:
            self._problem(
                number,
                "competency",
                _(
                    "The framework %(framework)s has no competency with the code “%(code)s”. Write "
                    "the code as the framework's page shows it."
                )
                % {"framework": f"{framework.code} {framework.version}", "code": code},
            )
        return node

    def _level(
        self, number: int, values: dict[str, str], framework: CompetencyFramework | None
    ) -> int | None:
        text = values["level"]
        if not text:
            self._problem(number, "level", _("Write the level reached, as a whole number."))
            return None
        try:
            level = int(text)
        except ValueError:
            self._problem(
                number,
                "level",
                _("“%(level)s” is not a level. Write a whole number, e.g. 2.") % {"level": text},
            )
            return None
        if framework is None:
            return None
        top = self.top_levels.get(framework.pk)
        if top is None:
            self._problem(
                number,
                "level",
                _(
                    "The framework %(framework)s has no proficiency scale yet, so no level can be "
                    "recorded against it. Ask a platform administrator to add its scale."
                )
                % {"framework": framework.code},
            )
            return None
        if not 1 <= level <= top:
            self._problem(
                number,
                "level",
                _("Level %(level)s is not on the scale of %(framework)s. Write a level from 1 to %(top)s.")
                % {"level": text, "framework": framework.code, "top": top},
            )
            return None
        return level

    def _date(self, number: int, column: str, text: str, *, required: bool) -> dt.date | None:
        if not text:
            if required:
                self._problem(
                    number, column, _("Write the date it was achieved, e.g. 31/03/2569 or 2569-03-31.")
                )
            return None
        try:
            return date_parse(text)
        except DateUnreadable as unreadable:
            self._problem(number, column, str(unreadable))
            return None

    def _rows_with_state(self, candidates: list) -> list[CheckedEvidenceRow]:
        existing = {
            (evidence.user_id, evidence.node_id, evidence.reference): evidence
            for evidence in CompetencyEvidence.objects.filter(
                source=CompetencyEvidence.Source.IMPORT,
                reference__in=[candidate[-1] for candidate in candidates],
            )
        }
        rows = []
        for number, row, node, level, reference in candidates:
            earlier = existing.get((row["person"].pk, node.pk, reference))
            if earlier is None:
                state = RowState.NEW
            elif (
                earlier.withdrawn_at is None
                and earlier.level == level
                and earlier.achieved_on == row["achieved_on"]
                and earlier.valid_until == row["valid_until"]
                and earlier.note == row["note"]
            ):
                state = RowState.UNCHANGED
            else:
                state = RowState.UPDATED
            rows.append(
                CheckedEvidenceRow(
                    row=number,
                    person=row["person"],
                    node=node,
                    level=level,
                    achieved_on=row["achieved_on"],
                    valid_until=row["valid_until"],
                    note=row["note"],
                    reference=reference,
                    state=state,
                )
            )
        return rows
