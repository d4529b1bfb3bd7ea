"""Competency framework files: one framework as a JSON document or a row-typed CSV sheet.

A framework file holds one framework in one version: its proficiency scale and levels, its
tree of areas, competences and skills, what each competency means at each level (where the
framework says), the role groups it defines, what each role group requires, and how its
competencies map to those of other frameworks. The same content can be written as JSON
(for programs and people who read code) or as one CSV sheet in which a `record` column says
what each row is (for people who edit in Excel or Google Sheets). The format is described
for people in competencies/data/README.md; keep the two in step.

Reading never stops at the first mistake: every problem is reported with where it is (the
spreadsheet's row number, or the JSON path), the column or field, and what to write instead.
Nothing is imported while any problem remains (competencies.services.frameworks).

This module turns bytes into a `FrameworkDocument` and checks everything that can be checked
inside one file. It reads no database: what depends on the database (mapping targets, the
framework a file supersedes, role groups defined elsewhere, competencies in use) is checked
by competencies.services.frameworks, which reports in the same `Problem` form.
"""

import codecs
import csv
import datetime as dt
import io
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from competencies.models import CompetencyFramework, CompetencyMapping, CompetencyNode

MAX_FILE_BYTES = 2 * 1024 * 1024
CODE_MAX_CHARS = 32  # framework, version, competency, level and role group codes (models.py)
NAME_MAX_CHARS = 255
BAND_MAX_CHARS = 100
# A code becomes part of web addresses (/competencies/frameworks/<code>/<version>/) and of
# HTML anchors (#competency-<code>): letters of any script, digits, ".", "-" and "_".
CODE_PATTERN = re.compile(r"^[\w.\-]+$")
SURROUNDING_BLANKS = re.compile(r"^[\s\u200b\ufeff]+|[\s\u200b\ufeff]+$")
THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
CSV_DELIMITERS = (",", ";", "\t")
BUDDHIST_ERA_OFFSET = 543
DEFAULT_SCALE_NAME_TH = "ระดับความสามารถ"
DEFAULT_SCALE_NAME_EN = "Proficiency levels"

YES_NO_WORDS = {
    **dict.fromkeys(("yes", "y", "true", "t", "1", "ใช่", "จริง"), True),
    **dict.fromkeys(("no", "n", "false", "f", "0", "ไม่ใช่", "ไม่", "เท็จ"), False),
}
STATUS_WORDS = {
    **{value: value for value in CompetencyFramework.Status.values},
    "ใช้อยู่": CompetencyFramework.Status.CURRENT,
    "ปัจจุบัน": CompetencyFramework.Status.CURRENT,
    "ถูกแทนที่": CompetencyFramework.Status.SUPERSEDED,
    "ยกเลิก": CompetencyFramework.Status.SUPERSEDED,
    "ร่าง": CompetencyFramework.Status.DRAFT,
}
KIND_WORDS = {
    **{value: value for value in CompetencyNode.Kind.values},
    "ด้าน": CompetencyNode.Kind.AREA,
    "สมรรถนะ": CompetencyNode.Kind.COMPETENCE,
    "ทักษะ": CompetencyNode.Kind.SKILL,
}
RELATION_WORDS = {value: value for value in CompetencyMapping.Relation.values}


# The plain structure ----------------------------------------------------------------------


@dataclass(frozen=True)
class Where:
    """Where something is in a file: a spreadsheet row, or a path in a JSON document."""

    row: int = 0  # CSV: the spreadsheet's row number (the header is row 1); 0 otherwise
    path: str = ""  # JSON: e.g. "nodes[3]" (counted from 0); "" for CSV or the whole file


WHOLE_FILE = Where()


@dataclass(frozen=True)
class Problem:
    """Something to fix before the file can be imported: where, which column, what to do."""

    where: Where
    field: str  # the CSV column or JSON field; "" when about a whole row or the file
    message: str  # translated; says what is wrong and what to write instead
    source: str = ""  # the file's name

    @property
    def row(self) -> int:
        return self.where.row

    @property
    def location(self) -> str:
        if self.where.row:
            return _("row %(row)s") % {"row": self.where.row}
        return self.where.path or _("whole file")

    def __str__(self) -> str:
        parts = [part for part in (self.source, self.location, self.field) if part]
        return f"{', '.join(parts)}: {self.message}"


@dataclass
class FrameworkInfo:
    code: str
    version: str
    name_th: str
    name_en: str = ""
    publisher: str = ""
    status: str = CompetencyFramework.Status.CURRENT
    supersedes: tuple[str, str] | None = None  # (code, version)
    source_url: str = ""
    published_on: dt.date | None = None
    description_th: str = ""
    description_en: str = ""
    scale_name_th: str = DEFAULT_SCALE_NAME_TH
    scale_name_en: str = DEFAULT_SCALE_NAME_EN
    at: Where = field(default=WHOLE_FILE, compare=False)


@dataclass
class LevelEntry:
    value: int
    name_th: str
    name_en: str = ""
    code: str = ""
    band_th: str = ""
    band_en: str = ""
    at: Where = field(default=WHOLE_FILE, compare=False)


@dataclass
class NodeEntry:
    code: str
    name_th: str
    parent: str = ""
    kind: str = CompetencyNode.Kind.COMPETENCE
    name_en: str = ""
    description_th: str = ""
    description_en: str = ""
    is_core: bool = False
    order: int = 0
    at: Where = field(default=WHOLE_FILE, compare=False)


@dataclass
class DescriptorEntry:
    node: str
    level: int
    text_th: str
    text_en: str = ""
    at: Where = field(default=WHOLE_FILE, compare=False)


@dataclass
class RoleGroupEntry:
    code: str
    name_th: str
    name_en: str = ""
    parent: str = ""
    order: int = 0
    at: Where = field(default=WHOLE_FILE, compare=False)


@dataclass
class RequirementEntry:
    role_group: str
    node: str
    level: int
    at: Where = field(default=WHOLE_FILE, compare=False)


@dataclass
class MappingEntry:
    node: str
    target_framework: str
    target_version: str
    target_node: str
    relation: str = CompetencyMapping.Relation.EXACT
    at: Where = field(default=WHOLE_FILE, compare=False)


@dataclass
class FrameworkDocument:
    """One framework file as read: plain values, and every problem found inside the file."""

    source: str = field(default="", compare=False)  # the file's name
    framework: FrameworkInfo | None = None
    levels: list[LevelEntry] = field(default_factory=list)
    nodes: list[NodeEntry] = field(default_factory=list)
    descriptors: list[DescriptorEntry] = field(default_factory=list)
    role_groups: list[RoleGroupEntry] = field(default_factory=list)
    requirements: list[RequirementEntry] = field(default_factory=list)
    mappings: list[MappingEntry] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list, compare=False)

    @property
    def key(self) -> tuple[str, str] | None:
        return None if self.framework is None else (self.framework.code, self.framework.version)

    @property
    def label(self) -> str:
        if self.framework is None:
            return self.source
        return f"{self.framework.code} {self.framework.version}"

    def counts(self) -> dict[str, int]:
        kinds = [node.kind for node in self.nodes]
        return {
            "areas": kinds.count(CompetencyNode.Kind.AREA),
            "competences": kinds.count(CompetencyNode.Kind.COMPETENCE),
            "skills": kinds.count(CompetencyNode.Kind.SKILL),
            "levels": len(self.levels),
            "descriptors": len(self.descriptors),
            "role_groups": len(self.role_groups),
            "requirements": len(self.requirements),
            "mappings": len(self.mappings),
        }

    def problem(self, where: Where, column: str, message: str) -> None:
        self.problems.append(Problem(where, column, message, self.source))


# Reading one value --------------------------------------------------------------------------


class _Bad(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _plain(value: object) -> str:
    """A cell or JSON value as trimmed text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        raise _Bad(_("Write text here, not true or false."))
    if isinstance(value, int | float):
        return str(value)
    if not isinstance(value, str):
        raise _Bad(_("Write text here, not a list or an object."))
    return SURROUNDING_BLANKS.sub("", value)


def _text(max_chars: int | None = None) -> Callable[[object], str]:
    def read(value: object) -> str:
        text = _plain(value)
        if max_chars is not None and len(text) > max_chars:
            raise _Bad(
                _("This text has %(length)s characters; shorten it to %(limit)s at most.")
                % {"length": len(text), "limit": max_chars}
            )
        return text

    return read


def _code(value: object) -> str:
    text = _text(CODE_MAX_CHARS)(value)
    if text and not CODE_PATTERN.match(text):
        raise _Bad(
            _(
                "“%(code)s” cannot be a code: write it with letters, digits, “.”, “-” or “_” only, "
                "without spaces (codes become part of web addresses)."
            )
            % {"code": text}
        )
    return text


def _integer(minimum: int) -> Callable[[object], int | None]:
    def read(value: object) -> int | None:
        if isinstance(value, bool):
            raise _Bad(_("Write a whole number such as 3, not true or false."))
        if isinstance(value, int):
            number = value
        elif isinstance(value, float) and value.is_integer():
            number = int(value)
        else:
            text = _plain(value).translate(THAI_DIGITS)
            if not text:
                return None
            match = re.fullmatch(r"[+-]?[0-9]+(?:\.0+)?", text)
            if match is None:
                raise _Bad(
                    _("“%(value)s” is not a whole number: write a number such as 3.") % {"value": text}
                )
            number = int(text.split(".")[0])
        if number < minimum:
            raise _Bad(_("Write a whole number of at least %(minimum)s.") % {"minimum": minimum})
        return number

    return read


def _boolean(value: object) -> bool | None:
    if isinstance(value, bool):
        return value
    text = _plain(value).lower()
    if not text:
        return None
    if text not in YES_NO_WORDS:
        raise _Bad(_("“%(value)s” is not yes or no: write yes or no (ใช่ or ไม่ใช่).") % {"value": text})
    return YES_NO_WORDS[text]


def _choice(words: dict[str, str], allowed: str) -> Callable[[object], str]:
    def read(value: object) -> str:
        text = _plain(value).lower()
        if text and text not in words:
            raise _Bad(
                _("“%(value)s” is not allowed here: write %(allowed)s.") % {"value": text, "allowed": allowed}
            )
        return words.get(text, "")

    return read


def _date(value: object) -> dt.date | None:
    text = _plain(value).translate(THAI_DIGITS)
    if not text:
        return None
    bad = _Bad(_("“%(value)s” is not a date: write it as year-month-day, e.g. 2024-11-18.") % {"value": text})
    try:
        if re.fullmatch(r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}", text):
            year, month, day = (int(part) for part in text.split("-"))
        elif re.fullmatch(r"[0-9]{1,2}/[0-9]{1,2}/[0-9]{4}", text):  # how Excel shows dates in Thai
            day, month, year = (int(part) for part in text.split("/"))
        else:
            raise bad
        if year >= 2400:  # written in the Buddhist era (2567 is 2024)
            year -= BUDDHIST_ERA_OFFSET
        return dt.date(year, month, day)
    except ValueError as error:
        raise bad from error


def _url(value: object) -> str:
    text = _text(200)(value)
    if text:
        try:
            URLValidator(schemes=["http", "https"])(text)
        except ValidationError as error:
            raise _Bad(
                _("“%(value)s” is not a web address: write it in full, starting with https://.")
                % {"value": text}
            ) from error
    return text


# What each kind of record holds: its fields as the CSV columns name them, how each is read,
# and which must be filled.
_READERS: dict[str, dict[str, Callable[[object], object]]] = {
    "framework": {
        "code": _code,
        "version": _code,
        "name_th": _text(NAME_MAX_CHARS),
        "name_en": _text(NAME_MAX_CHARS),
        "publisher": _text(NAME_MAX_CHARS),
        "status": _choice(STATUS_WORDS, "current/superseded/draft"),
        "supersedes_code": _code,
        "supersedes_version": _code,
        "source_url": _url,
        "published_on": _date,
        "description_th": _text(),
        "description_en": _text(),
        "scale_name_th": _text(NAME_MAX_CHARS),
        "scale_name_en": _text(NAME_MAX_CHARS),
    },
    "level": {
        "level": _integer(1),
        "code": _text(CODE_MAX_CHARS),
        "name_th": _text(NAME_MAX_CHARS),
        "name_en": _text(NAME_MAX_CHARS),
        "band_th": _text(BAND_MAX_CHARS),
        "band_en": _text(BAND_MAX_CHARS),
    },
    "node": {
        "code": _code,
        "parent": _code,
        "kind": _choice(KIND_WORDS, "area/competence/skill"),
        "name_th": _text(NAME_MAX_CHARS),
        "name_en": _text(NAME_MAX_CHARS),
        "description_th": _text(),
        "description_en": _text(),
        "is_core": _boolean,
        "order": _integer(0),
    },
    "descriptor": {"node": _code, "level": _integer(1), "text_th": _text(), "text_en": _text()},
    "role_group": {
        "code": _code,
        "parent": _code,
        "name_th": _text(NAME_MAX_CHARS),
        "name_en": _text(NAME_MAX_CHARS),
        "order": _integer(0),
    },
    "requirement": {"role_group": _code, "node": _code, "level": _integer(1)},
    "mapping": {
        "node": _code,
        "target_framework": _code,
        "target_version": _code,
        "target_node": _code,
        "relation": _choice(RELATION_WORDS, "exact/broader/narrower/related"),
    },
}
RECORD_TYPES = tuple(_READERS)
CSV_COLUMNS: tuple[str, ...] = (
    "record",
    "code",
    "version",
    "parent",
    "kind",
    "level",
    "name_th",
    "name_en",
    "is_core",
    "order",
    "node",
    "role_group",
    "text_th",
    "text_en",
    "description_th",
    "description_en",
    "band_th",
    "band_en",
    "publisher",
    "status",
    "supersedes_code",
    "supersedes_version",
    "source_url",
    "published_on",
    "scale_name_th",
    "scale_name_en",
    "target_framework",
    "target_version",
    "target_node",
    "relation",
)
assert set(CSV_COLUMNS) == {"record"} | {name for fields in _READERS.values() for name in fields}


def _required_messages() -> dict[tuple[str, str], str]:
    name_th = _("Write the Thai name; it is what people see first.")
    return {
        ("framework", "code"): _("Write the framework's code, e.g. DIGCOMP; all its versions share it."),
        ("framework", "version"): _("Write the framework's version, e.g. 2.2 or 2024."),
        ("framework", "name_th"): name_th,
        ("level", "level"): _("Write the level's number: 1 for the lowest, then 2, 3 …"),
        ("level", "name_th"): name_th,
        ("node", "code"): _("Write the competency's code, unique in the framework, e.g. 1.2."),
        ("node", "name_th"): name_th,
        ("descriptor", "node"): _("Write the code of the competency this text describes."),
        ("descriptor", "level"): _("Write the level this text describes."),
        ("descriptor", "text_th"): _("Write the Thai text of the descriptor."),
        ("role_group", "code"): _("Write the role group's code, e.g. TPQI-IT-OP."),
        ("role_group", "name_th"): name_th,
        ("requirement", "role_group"): _("Write the code of the role group that has this requirement."),
        ("requirement", "node"): _("Write the code of the competency required."),
        ("requirement", "level"): _("Write the level required."),
        ("mapping", "node"): _("Write the code of the competency in this framework that is mapped."),
        ("mapping", "target_framework"): _("Write the code of the framework mapped to."),
        ("mapping", "target_version"): _("Write the version of the framework mapped to."),
        ("mapping", "target_node"): _("Write the code of the competency mapped to."),
    }


def _record_read(
    document: FrameworkDocument, record: str, raw: dict[str, object], at: Where, labels: dict[str, str]
) -> dict[str, object] | None:
    """The record's values, read and checked one by one; None if a required one is missing or
    unreadable (the record is then left out, so that it causes no further, misleading problems)."""
    values: dict[str, object] = {}
    complete = True
    required = _required_messages()
    for name, read in _READERS[record].items():
        label = labels.get(name, name)
        try:
            value = read(raw.get(name))
        except _Bad as bad:
            document.problem(at, label, bad.message)
            complete = complete and (record, name) not in required
            value = None
        else:
            if value in (None, "") and (record, name) in required:
                document.problem(at, label, required[(record, name)])
                complete = False
        values[name] = value
    return values if complete else None


def _record_add(document: FrameworkDocument, record: str, values: dict[str, object], at: Where) -> None:
    """Add one record's (already read) values to the document."""

    def text(name: str) -> str:
        return values.get(name) or ""

    if record == "framework":
        if document.framework is not None:
            document.problem(
                at,
                "",
                _("A file holds one framework; this is a second one. Put it in a file of its own."),
            )
            return
        supersedes = None
        if values["supersedes_code"] or values["supersedes_version"]:
            if values["supersedes_code"] and values["supersedes_version"]:
                supersedes = (values["supersedes_code"], values["supersedes_version"])
            else:
                document.problem(
                    at,
                    "supersedes",
                    _(
                        "Write both the code and the version of the framework this one supersedes, "
                        "or neither."
                    ),
                )
        document.framework = FrameworkInfo(
            code=values["code"],
            version=values["version"],
            name_th=values["name_th"],
            name_en=text("name_en"),
            publisher=text("publisher"),
            status=values["status"] or CompetencyFramework.Status.CURRENT,
            supersedes=supersedes,
            source_url=text("source_url"),
            published_on=values["published_on"],
            description_th=text("description_th"),
            description_en=text("description_en"),
            scale_name_th=text("scale_name_th") or DEFAULT_SCALE_NAME_TH,
            scale_name_en=text("scale_name_en")
            or (DEFAULT_SCALE_NAME_EN if not values["scale_name_th"] else ""),
            at=at,
        )
    elif record == "level":
        document.levels.append(
            LevelEntry(
                value=values["level"],
                code=text("code"),
                name_th=values["name_th"],
                name_en=text("name_en"),
                band_th=text("band_th"),
                band_en=text("band_en"),
                at=at,
            )
        )
    elif record == "node":
        order = values["order"]
        document.nodes.append(
            NodeEntry(
                code=values["code"],
                parent=text("parent"),
                kind=values["kind"] or CompetencyNode.Kind.COMPETENCE,
                name_th=values["name_th"],
                name_en=text("name_en"),
                description_th=text("description_th"),
                description_en=text("description_en"),
                is_core=bool(values["is_core"]),
                order=len(document.nodes) + 1 if order is None else order,
                at=at,
            )
        )
    elif record == "descriptor":
        document.descriptors.append(
            DescriptorEntry(
                node=values["node"],
                level=values["level"],
                text_th=values["text_th"],
                text_en=text("text_en"),
                at=at,
            )
        )
    elif record == "role_group":
        order = values["order"]
        document.role_groups.append(
            RoleGroupEntry(
                code=values["code"],
                parent=text("parent"),
                name_th=values["name_th"],
                name_en=text("name_en"),
                order=len(document.role_groups) + 1 if order is None else order,
                at=at,
            )
        )
    elif record == "requirement":
        document.requirements.append(
            RequirementEntry(
                role_group=values["role_group"], node=values["node"], level=values["level"], at=at
            )
        )
    elif record == "mapping":
        document.mappings.append(
            MappingEntry(
                node=values["node"],
                target_framework=values["target_framework"],
                target_version=values["target_version"],
                target_node=values["target_node"],
                relation=values["relation"] or CompetencyMapping.Relation.EXACT,
                at=at,
            )
        )


# Reading a file -----------------------------------------------------------------------------


def framework_file_read(*, name: str, data: bytes) -> FrameworkDocument:
    """Read a framework file (.json or .csv, told apart by its name, else by its content).

    The document holds what could be read and every problem found; the import refuses it
    unless `problems` is empty.
    """
    document = FrameworkDocument(source=PurePath(name).name)
    if len(data) > MAX_FILE_BYTES:
        document.problem(
            WHOLE_FILE,
            "",
            _(
                "The file is %(size)s; the largest file accepted is %(limit)s. "
                "Split it into several frameworks."
            )
            % {"size": filesizeformat(len(data)), "limit": filesizeformat(MAX_FILE_BYTES)},
        )
        return document
    if data.startswith(b"PK\x03\x04"):
        document.problem(
            WHOLE_FILE,
            "",
            _(
                "This is an Excel workbook. Save it from Excel as “CSV UTF-8 (Comma delimited)” "
                "and upload that file."
            ),
        )
        return document
    text = _decode(data)
    if text is None:
        document.problem(
            WHOLE_FILE,
            "",
            _("The file is not readable text. Save it as UTF-8 (in Excel: “CSV UTF-8”) and upload it again."),
        )
        return document
    extension = PurePath(name).suffix.lower()
    if extension == ".json" or (extension != ".csv" and text.lstrip().startswith("{")):
        try:
            data_read = json.loads(text)
        except json.JSONDecodeError as error:
            document.problem(
                Where(
                    path=_("line %(line)s, column %(column)s") % {"line": error.lineno, "column": error.colno}
                ),
                "",
                _("This is not valid JSON (%(error)s). Check for a missing comma, quote or bracket there.")
                % {"error": error.msg},
            )
            return document
        return _from_data(document, data_read)
    return _from_csv(document, text)


def framework_document_from_data(data: object, *, source: str = "") -> FrameworkDocument:
    """Read a framework already parsed from JSON (a dict), e.g. written in a test or a script."""
    return _from_data(FrameworkDocument(source=source), data)


def _decode(data: bytes) -> str | None:
    """UTF-8 with or without a byte-order mark (Excel's "CSV UTF-8" writes one), else Thai
    Windows (cp874, Excel's plain "CSV" on a Thai Windows), or UTF-16 with a BOM."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encodings = ("utf-16",)
    else:
        encodings = ("utf-8-sig", "cp874")
    for encoding in encodings:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return None if "\x00" in text else text
    return None


# JSON ---------------------------------------------------------------------------------------

# The lists of records in a JSON document, and the fields each entry may have.
_JSON_LISTS = {
    "node": "nodes",
    "descriptor": "descriptors",
    "role_group": "role_groups",
    "requirement": "requirements",
    "mapping": "mappings",
}
_JSON_KEYS = ("framework", "scale", *_JSON_LISTS.values())
_JSON_FIELDS = {
    "framework": (
        "code",
        "version",
        "name_th",
        "name_en",
        "publisher",
        "status",
        "supersedes",
        "source_url",
        "published_on",
        "description_th",
        "description_en",
    ),
    "scale": ("name_th", "name_en", "levels"),
    "level": ("value", "code", "name_th", "name_en", "band_th", "band_en"),
    "node": tuple(_READERS["node"]),
    "descriptor": tuple(_READERS["descriptor"]),
    "role_group": tuple(_READERS["role_group"]),
    "requirement": tuple(_READERS["requirement"]),
    "mapping": ("node", "target", "relation"),
    "supersedes": ("code", "version"),
    "target": ("framework", "version", "node"),
}


def _from_data(document: FrameworkDocument, data: object) -> FrameworkDocument:
    if not isinstance(data, dict):
        document.problem(
            WHOLE_FILE, "", _("The file must hold one JSON object {…} with a “framework” in it.")
        )
        return document
    _unknown_keys(document, "", data, _JSON_KEYS)
    framework, scale = data.get("framework"), data.get("scale")
    if not isinstance(scale, dict):
        document.problem(
            Where(path="scale"),
            "",
            _("Add a “scale” object with a list of “levels”, each with its value (1, 2, 3 …) and Thai name."),
        )
        scale = {}
    if isinstance(framework, dict):
        _unknown_keys(document, "framework", framework, _JSON_FIELDS["framework"])
        _unknown_keys(document, "scale", scale, _JSON_FIELDS["scale"])
        raw = {**framework, "scale_name_th": scale.get("name_th"), "scale_name_en": scale.get("name_en")}
        labels = {
            "supersedes_code": "supersedes.code",
            "supersedes_version": "supersedes.version",
            "scale_name_th": "scale.name_th",
            "scale_name_en": "scale.name_en",
        }
        supersedes = raw.pop("supersedes", None)
        if isinstance(supersedes, dict):
            _unknown_keys(document, "framework.supersedes", supersedes, _JSON_FIELDS["supersedes"])
            raw |= {
                "supersedes_code": supersedes.get("code"),
                "supersedes_version": supersedes.get("version"),
            }
        elif supersedes is not None:
            document.problem(
                Where(path="framework"),
                "supersedes",
                _('Write supersedes as {"code": …, "version": …}, or leave it out.'),
            )
        _json_record(document, "framework", raw, "framework", labels)
    else:
        document.problem(
            Where(path="framework"),
            "",
            _("Add a “framework” object with its code, version and Thai name (name_th)."),
        )

    levels = scale.get("levels", [])
    if not isinstance(levels, list):
        document.problem(Where(path="scale"), "levels", _("Write “levels” as a list […]."))
        levels = []
    for index, level in enumerate(levels):
        path = f"scale.levels[{index}]"
        if not isinstance(level, dict):
            document.problem(Where(path=path), "", _("Write each level as an object {…}."))
            continue
        _unknown_keys(document, path, level, _JSON_FIELDS["level"])
        raw = {**level, "level": level.get("value")}
        _json_record(document, "level", raw, path, {"level": "value"})

    for record, key in _JSON_LISTS.items():
        entries = data.get(key, [])
        if not isinstance(entries, list):
            document.problem(Where(path=key), "", _("Write “%(key)s” as a list […].") % {"key": key})
            continue
        for index, entry in enumerate(entries):
            path = f"{key}[{index}]"
            if not isinstance(entry, dict):
                document.problem(Where(path=path), "", _("Write each entry of the list as an object {…}."))
                continue
            _unknown_keys(document, path, entry, _JSON_FIELDS[record])
            raw, labels = dict(entry), {}
            if record == "mapping":
                target = raw.pop("target", None)
                if isinstance(target, dict):
                    _unknown_keys(document, f"{path}.target", target, _JSON_FIELDS["target"])
                    raw |= {f"target_{name}": target.get(name) for name in _JSON_FIELDS["target"]}
                elif target is not None:
                    document.problem(
                        Where(path=path),
                        "target",
                        _('Write the target as {"framework": …, "version": …, "node": …}.'),
                    )
                labels = {f"target_{name}": f"target.{name}" for name in _JSON_FIELDS["target"]}
            _json_record(document, record, raw, path, labels)
    _check(document)
    return document


def _unknown_keys(document: FrameworkDocument, path: str, raw: dict, allowed: tuple[str, ...]) -> None:
    for key in raw:
        if key not in allowed:
            document.problem(
                Where(path=path or str(key)),
                str(key) if path else "",
                _("“%(key)s” does not belong here; remove it or check its spelling (allowed: %(keys)s).")
                % {"key": key, "keys": ", ".join(allowed)},
            )


def _json_record(
    document: FrameworkDocument, record: str, raw: dict, path: str, labels: dict[str, str]
) -> None:
    at = Where(path=path)
    values = _record_read(document, record, raw, at, labels)
    if values is not None:
        _record_add(document, record, values, at)


# CSV ----------------------------------------------------------------------------------------


def _header_token(cell: str) -> str:
    return re.sub(r"[\s\-]+", "_", SURROUNDING_BLANKS.sub("", cell).lower())


def _delimiter(text: str) -> str:
    """Comma, unless the header reads better split on semicolons or tabs (Excel in some
    locales saves "CSV" with semicolons; copying from a sheet gives tabs)."""
    first_line = text.split("\n", 1)[0]

    def known_columns(delimiter: str) -> int:
        cells = next(csv.reader([first_line], delimiter=delimiter), [])
        return sum(_header_token(cell) in CSV_COLUMNS for cell in cells)

    return max(CSV_DELIMITERS, key=known_columns)


def _from_csv(document: FrameworkDocument, text: str) -> FrameworkDocument:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    try:
        rows = list(reader)
    except csv.Error as error:
        document.problem(
            WHOLE_FILE,
            "",
            _("The CSV file is damaged near line %(line)s (%(error)s). Save it again as CSV UTF-8.")
            % {"line": reader.line_num, "error": error},
        )
        return document
    if not rows:
        document.problem(
            WHOLE_FILE, "", _("The file is empty. Start from one of the framework files Thaksa ships.")
        )
        return document
    header = [_header_token(cell) for cell in rows[0]]
    header_at = Where(row=1)
    if "record" not in header:
        document.problem(
            header_at,
            "record",
            _(
                "The first row must name the columns, with a “record” column saying what each "
                "row is (%(types)s)."
            )
            % {"types": ", ".join(RECORD_TYPES)},
        )
        return document
    seen: set[str] = set()
    for name in header:
        if name and name not in CSV_COLUMNS:
            document.problem(
                header_at,
                name,
                _(
                    "“%(column)s” is not a column of framework files; rename or delete it "
                    "(columns: %(columns)s)."
                )
                % {"column": name, "columns": ", ".join(CSV_COLUMNS)},
            )
        elif name in seen:
            document.problem(header_at, name, _("This column appears twice; delete one of them."))
        seen.add(name)

    for number, cells in enumerate(rows[1:], start=2):
        if not any(SURROUNDING_BLANKS.sub("", cell) for cell in cells):
            continue
        at = Where(row=number)
        if len(cells) > len(header) and any(cell.strip() for cell in cells[len(header) :]):
            document.problem(
                at,
                "",
                _(
                    "This row has more cells than the header has columns. Put text that contains "
                    "commas in quotes, or save the file again from Excel as CSV UTF-8."
                ),
            )
            continue
        raw = {name: cell for name, cell in zip(header, cells, strict=False) if name in CSV_COLUMNS}
        record = _header_token(raw.pop("record", ""))
        if record not in _READERS:
            document.problem(
                at,
                "record",
                _("“%(record)s” is not a kind of row: write one of %(types)s.")
                % {"record": raw.get("record", "") or record, "types": ", ".join(RECORD_TYPES)},
            )
            continue
        for name, cell in raw.items():
            if name not in _READERS[record] and SURROUNDING_BLANKS.sub("", cell):
                document.problem(
                    at,
                    name,
                    _("%(record)s rows do not use the “%(column)s” column; leave it empty.")
                    % {"record": record, "column": name},
                )
        values = _record_read(document, record, raw, at, {})
        if values is not None:
            _record_add(document, record, values, at)
    if document.framework is None and not any(p.field == "record" and p.row == 1 for p in document.problems):
        document.problem(
            WHOLE_FILE,
            "record",
            _("Add a row with record “framework” giving the framework's code, version and Thai name."),
        )
    _check(document)
    return document


# Checks across records -----------------------------------------------------------------------


def _check(document: FrameworkDocument) -> None:
    """What can be wrong between the records of one file."""
    framework = document.framework
    if framework is not None and framework.supersedes == (framework.code, framework.version):
        document.problem(
            framework.at, "supersedes", _("A framework cannot supersede itself; correct the version.")
        )

    levels: set[int] = set()
    for level in document.levels:
        if level.value in levels:
            document.problem(
                level.at, "level", _("Level %(level)s appears twice; keep one.") % {"level": level.value}
            )
        levels.add(level.value)
    if not document.levels and framework is not None:
        document.problem(
            framework.at, "", _("The scale has no levels: add levels 1, 2, 3 … with their Thai names.")
        )
    missing = sorted(set(range(1, max(levels, default=0) + 1)) - levels)
    if missing:
        document.problem(
            document.levels[-1].at if document.levels else WHOLE_FILE,
            "level",
            _("Levels are numbered 1, 2, 3 … without gaps; add level %(levels)s or renumber the levels.")
            % {"levels": ", ".join(map(str, missing))},
        )

    def level_known(value: int, at: Where) -> None:
        if levels and value not in levels:
            document.problem(
                at,
                "level",
                _("Level %(level)s is outside the scale (%(low)s–%(high)s); write a level of the scale.")
                % {"level": value, "low": min(levels), "high": max(levels)},
            )

    nodes: dict[str, NodeEntry] = {}
    for node in document.nodes:
        if node.code in nodes:
            document.problem(
                node.at,
                "code",
                _("The competency code “%(code)s” is used twice; give each competency its own code.")
                % {"code": node.code},
            )
        else:
            nodes[node.code] = node
    for node in document.nodes:
        if node.parent and node.parent not in nodes:
            document.problem(
                node.at,
                "parent",
                _(
                    "There is no competency with the code “%(code)s” in this file; write the code of "
                    "its parent, or leave it empty for a top-level area."
                )
                % {"code": node.parent},
            )
        elif node.parent == node.code:
            document.problem(
                node.at, "parent", _("A competency cannot be part of itself; correct its parent.")
            )
    _cycles_report(document, {code: node.parent for code, node in nodes.items()}, nodes, _("competencies"))

    descriptors: set[tuple[str, int]] = set()
    for descriptor in document.descriptors:
        if descriptor.node not in nodes:
            document.problem(descriptor.at, "node", _unknown_node(descriptor.node))
        level_known(descriptor.level, descriptor.at)
        key = (descriptor.node, descriptor.level)
        if key in descriptors:
            document.problem(
                descriptor.at,
                "level",
                _("“%(code)s” already has a descriptor for level %(level)s; keep one.")
                % {"code": descriptor.node, "level": descriptor.level},
            )
        descriptors.add(key)

    groups: dict[str, RoleGroupEntry] = {}
    for group in document.role_groups:
        if group.code in groups:
            document.problem(
                group.at,
                "code",
                _("The role group code “%(code)s” is used twice; give each role group its own code.")
                % {"code": group.code},
            )
        else:
            groups[group.code] = group
        if group.parent == group.code:
            document.problem(
                group.at, "parent", _("A role group cannot be part of itself; correct its parent.")
            )
    _cycles_report(
        document,
        {code: group.parent for code, group in groups.items() if group.parent in groups},
        groups,
        _("role groups"),
    )

    requirements: set[tuple[str, str]] = set()
    for requirement in document.requirements:
        if requirement.node not in nodes:
            document.problem(requirement.at, "node", _unknown_node(requirement.node))
        level_known(requirement.level, requirement.at)
        key = (requirement.role_group, requirement.node)
        if key in requirements:
            document.problem(
                requirement.at,
                "node",
                _("Role group “%(group)s” already has a requirement for “%(code)s”; keep one.")
                % {"group": requirement.role_group, "code": requirement.node},
            )
        requirements.add(key)

    mappings: set[tuple[str, str, str, str]] = set()
    for mapping in document.mappings:
        if mapping.node not in nodes:
            document.problem(mapping.at, "node", _unknown_node(mapping.node))
        if framework is not None and (mapping.target_framework, mapping.target_version) == document.key:
            document.problem(
                mapping.at,
                "target_framework",
                _(
                    "Mappings link competencies of different frameworks; this one points into "
                    "the same framework."
                ),
            )
        key = (mapping.node, mapping.target_framework, mapping.target_version, mapping.target_node)
        if key in mappings:
            document.problem(mapping.at, "target_node", _("This mapping appears twice; keep one."))
        mappings.add(key)


def _unknown_node(code: str) -> str:
    return _(
        "There is no competency with the code “%(code)s” in this file; write the code of "
        "one of its competencies."
    ) % {"code": code}


def _cycles_report(document: FrameworkDocument, parents: dict[str, str], entries: dict, what: str) -> None:
    """Report each loop in a tree (A inside B inside A) once, at its first entry in the file."""
    reported: set[str] = set()
    for start in entries:
        path: list[str] = []
        code = start
        while code and code in parents and code not in path:
            path.append(code)
            code = parents[code]
        if code not in path or code in reported:
            continue
        loop = path[path.index(code) :]
        reported.update(loop)
        first = min(loop, key=lambda member: list(entries).index(member))
        names = " → ".join([*loop, loop[0]])
        document.problem(
            entries[first].at,
            "parent",
            _("These %(what)s are inside each other in a loop: %(loop)s. Change the parent of one of them.")
            % {"what": what, "loop": names},
        )
