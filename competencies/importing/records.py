"""Reading one record of a framework file (a JSON object or a CSV row): each field's value,
which fields each kind of record has, and adding the record to the document."""

import datetime as dt
import re
from collections.abc import Callable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _

from competencies.importing.document import (
    BAND_MAX_CHARS,
    CODE_MAX_CHARS,
    CODE_PATTERN,
    DEFAULT_SCALE_NAME_EN,
    DEFAULT_SCALE_NAME_TH,
    KIND_WORDS,
    NAME_MAX_CHARS,
    RELATION_WORDS,
    STATUS_WORDS,
    YES_NO_WORDS,
    DescriptorEntry,
    FrameworkDocument,
    FrameworkInfo,
    LevelEntry,
    MappingEntry,
    NodeEntry,
    RequirementEntry,
    RoleGroupEntry,
    Where,
)
from competencies.models import CompetencyFramework, CompetencyMapping, CompetencyNode
from lms.spreadsheets.reading import SURROUNDING_BLANKS
from lms.thai_calendar import DateUnreadable, date_parse
from lms.thai_text import thai_digits_to_arabic

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
            text = thai_digits_to_arabic(_plain(value))
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
    text = _plain(value)
    if not text:
        return None
    try:
        return date_parse(text)
    except DateUnreadable as unreadable:
        raise _Bad(str(unreadable)) from None


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
RECORD_READERS: dict[str, dict[str, Callable[[object], object]]] = {
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
RECORD_TYPES = tuple(RECORD_READERS)
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
assert set(CSV_COLUMNS) == {"record"} | {name for fields in RECORD_READERS.values() for name in fields}


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


def record_read(
    document: FrameworkDocument, record: str, raw: Mapping[str, object], at: Where, labels: dict[str, str]
) -> dict[str, Any] | None:
    """The record's values, read and checked one by one; None if a required one is missing or
    unreadable (the record is then left out, so that it causes no further, misleading problems)."""
    values: dict[str, object] = {}
    complete = True
    required = _required_messages()
    for name, read in RECORD_READERS[record].items():
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


def record_add(document: FrameworkDocument, record: str, values: dict[str, Any], at: Where) -> None:
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
