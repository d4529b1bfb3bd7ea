"""Evidence files: HR offices import competency records kept elsewhere (tests taken outside
Thaksa, assessments made on paper) as CSV or XLSX, one piece of evidence per row.

Columns (row 1; any order): email, framework, competency, level, achieved, and optionally
valid_until and note. `framework` is a framework's code (its current version) or code:version;
`competency` a node code of that framework; dates are YYYY-MM-DD in the Common or the Buddhist
era (a year after 2400 is Buddhist: 2569-03-31 is 2026-03-31).

Checking never stops at the first mistake: every problem of every row is reported with the
spreadsheet's row number and the column, saying what to write instead, and the service
records nothing unless there is none. A person outside the importer's units is reported in
the same words as an unknown address, so the file cannot be used to probe who has an account.
Each row's reference is a hash of the person, framework, competency and date, so importing the
same file again records nothing new (and a corrected level or note replaces the earlier one).
"""

import codecs
import csv
import datetime as dt
import enum
import hashlib
import io
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models.functions import Lower
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from competencies.models import CompetencyEvidence, CompetencyFramework, CompetencyNode
from competencies.selectors import scale_top_levels
from people.models import User
from people.permissions import is_platform_admin, visible_people

COLUMNS: tuple[str, ...] = ("email", "framework", "competency", "level", "achieved", "valid_until", "note")
REQUIRED_COLUMNS: tuple[str, ...] = ("email", "framework", "competency", "level", "achieved")
COLUMN_ALIASES = {"e_mail": "email", "achieved_on": "achieved"}
MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
# An .xlsx is a zip: a 5 MB one could inflate to gigabytes. 20,000 rows of seven short cells
# unpack to a few megabytes, so anything beyond this is refused before openpyxl parses it.
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
NOTE_MAX_CHARS = 255  # CompetencyEvidence.note
BUDDHIST_ERA_OFFSET = 543
BUDDHIST_YEAR_FROM = 2400  # no Common-era year in these files comes near it
FRAMEWORK_VERSION_SEPARATOR = ":"
CSV_DELIMITERS = (",", ";", "\t")
DATE_FORMAT = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
TOKEN_SEPARATORS = re.compile(r"[\s\-]+")

# One spreadsheet row as read: its number and its cells as trimmed text.
RawRow = tuple[int, list[str]]


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
    records = [(number, _cells_by_column(header, cells)) for number, cells in table[1:]]
    return _Checker(importer=importer, records=records).check()


# Reading the file ---------------------------------------------------------------------------


def _file_problem(message: str) -> RowProblem:
    return RowProblem(row=0, column="", message=message)


def _empty_file_message() -> str:
    return _(
        "The file has no evidence in it. Write the column names in row 1 (email, framework, "
        "competency, level, achieved) and one piece of evidence per row below it."
    )


def _table_read(name: str, data: bytes) -> tuple[list[RawRow], list[RowProblem]]:
    extension = PurePath(name).suffix.lower()
    if extension not in (".csv", ".xlsx"):
        return [], [
            _file_problem(
                _(
                    "Files of type “%(extension)s” cannot be imported. Save the sheet as an Excel "
                    "workbook (.xlsx) or as CSV UTF-8 (.csv) and upload that file."
                )
                % {"extension": extension or _("(no extension)")}
            )
        ]
    if len(data) > MAX_FILE_BYTES:
        return [], [
            _file_problem(
                _(
                    "The file is %(size)s; the largest file accepted is %(limit)s. Split the rows "
                    "into several smaller files."
                )
                % {"size": filesizeformat(len(data)), "limit": filesizeformat(MAX_FILE_BYTES)}
            )
        ]
    if not data.strip():
        return [], [_file_problem(_empty_file_message())]
    return _csv_table(data) if extension == ".csv" else _xlsx_table(data)


def _csv_table(data: bytes) -> tuple[list[RawRow], list[RowProblem]]:
    if data.startswith(b"PK\x03\x04"):
        return [], [
            _file_problem(
                _(
                    "This file is an Excel workbook, not a CSV file. Rename it to end in .xlsx, "
                    "or save it from Excel as CSV UTF-8."
                )
            )
        ]
    text = _csv_decode(data)
    if text is None:
        return [], [
            _file_problem(
                _(
                    "The file is not readable text. Save it from Excel as “CSV UTF-8 (Comma "
                    "delimited)”, or download it from Google Sheets as .csv, and upload it again."
                )
            )
        ]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_csv_delimiter(text))
    try:
        return _rows_collect(enumerate(reader, start=1))
    except csv.Error as error:
        return [], [
            _file_problem(
                _(
                    "The CSV file is damaged near line %(line)s (%(error)s). Open it in Excel or "
                    "Google Sheets, save it again as CSV UTF-8 and upload it again."
                )
                % {"line": reader.line_num, "error": error}
            )
        ]


def _csv_decode(data: bytes) -> str | None:
    """UTF-8 (with or without a byte-order mark), UTF-16 with one, else Thai Windows (cp874)."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encodings: tuple[str, ...] = ("utf-16",)
    else:
        encodings = ("utf-8-sig", "cp874")
    for encoding in encodings:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return None if "\x00" in text else text
    return None


def _csv_delimiter(text: str) -> str:
    """Comma, unless the header reads better split on semicolons or tabs (Excel in many
    locales saves "CSV" with semicolons; copying from a sheet gives tabs)."""
    first_line = text.split("\n", 1)[0]

    def known_columns(delimiter: str) -> int:
        cells = next(csv.reader([first_line], delimiter=delimiter), [])
        return sum(_column_name(cell) in COLUMNS for cell in cells)

    return max(CSV_DELIMITERS, key=known_columns)


def _xlsx_table(data: bytes) -> tuple[list[RawRow], list[RowProblem]]:
    """The non-empty rows of the first worksheet, as the cells' values (not their formulas)."""
    not_a_workbook = _file_problem(
        _(
            "The file is not a valid Excel workbook (.xlsx). Open it in Excel or Google Sheets, "
            "save or download it again as .xlsx (or as CSV UTF-8) and upload that file."
        )
    )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(entry.file_size for entry in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        return [], [not_a_workbook]
    if unpacked > MAX_UNPACKED_BYTES:
        return [], [
            _file_problem(
                _(
                    "The workbook unpacks to %(size)s, more than the %(limit)s accepted. Delete "
                    "other worksheets, images and formatting, or split the rows into several files."
                )
                % {"size": filesizeformat(unpacked), "limit": filesizeformat(MAX_UNPACKED_BYTES)}
            )
        ]
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - someone else's file: any failure means "not a workbook"
        return [], [not_a_workbook]
    try:
        if not workbook.worksheets:
            return [], [not_a_workbook]
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # some tools write a wrong size, and read-only mode would cut to it
        rows = (
            (number, [_cell_text(value) for value in values])
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1)
        )
        return _rows_collect(rows)
    except Exception:  # noqa: BLE001 - rows are parsed lazily, so damage can surface here too
        return [], [not_a_workbook]
    finally:
        workbook.close()


def _cell_text(value: object) -> str:
    """A worksheet cell as the text the person sees: 3.0 → "3", a date cell → "2026-03-31"."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _rows_collect(rows: Iterable[tuple[int, Iterable[str]]]) -> tuple[list[RawRow], list[RowProblem]]:
    """The rows with something in them, trimmed; stops as soon as there are too many."""
    table: list[RawRow] = []
    for number, cells in rows:
        cleaned = [cell.strip() for cell in cells]
        if not any(cleaned):
            continue
        table.append((number, cleaned))
        if len(table) > MAX_ROWS + 1:  # the header and MAX_ROWS rows of evidence
            return [], [
                _file_problem(
                    _(
                        "The file has more than %(limit)s rows of evidence. Split it into files of "
                        "at most %(limit)s rows each and import them one after another."
                    )
                    % {"limit": f"{MAX_ROWS:,}"}
                )
            ]
    return table, []


def _column_name(cell: str) -> str:
    token = TOKEN_SEPARATORS.sub("_", cell.strip().lower())
    return COLUMN_ALIASES.get(token, token)


def _header_parse(header_row: RawRow) -> tuple[dict[int, str], list[RowProblem]]:
    """Where each column is, or what is wrong with row 1."""
    number, cells = header_row
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


def _cells_by_column(header: dict[int, str], cells: list[str]) -> dict[str, str]:
    values = dict.fromkeys(COLUMNS, "")
    for position, column in header.items():
        if position < len(cells):
            values[column] = cells[position]
    return values


def _date_parse(text: str) -> dt.date | None:
    """YYYY-MM-DD in the Common or the Buddhist era (a year after 2400 is Buddhist)."""
    match = DATE_FORMAT.match(text)
    if not match:
        return None
    year, month, day = (int(part) for part in match.groups())
    if year > BUDDHIST_YEAR_FROM:
        year -= BUDDHIST_ERA_OFFSET
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


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
                self._problem(number, column, _("Write the date it was achieved, as YYYY-MM-DD."))
            return None
        date = _date_parse(text)
        if date is None:
            self._problem(
                number,
                column,
                _(
                    "“%(text)s” is not a date. Write it as YYYY-MM-DD, in the Common or the Buddhist "
                    "era: 2026-03-31 or 2569-03-31."
                )
                % {"text": text},
            )
        return date

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
