"""The XML layer of the manifest: safe parsing, namespaces, identifier values, and the
`ElementReader` the readers build on (problems, typed attribute values).

The manifest is parsed with `defusedxml` (no entity expansion, no external references) and
namespace-aware: elements are matched by namespace URI, never by prefix.
"""

from __future__ import annotations

from io import BytesIO
from typing import TYPE_CHECKING
from xml.etree.ElementTree import Element

from defusedxml.ElementTree import iterparse as defused_iterparse
from django.utils.translation import gettext as _

from scorm.problems import Problem

if TYPE_CHECKING:  # the structure module reaches this one through its sequencing settings
    from scorm.manifest.structure import Manifest

MANIFEST_FILE = "imsmanifest.xml"

NS_CP_12 = "http://www.imsproject.org/xsd/imscp_rootv1p1p2"
NS_CP_2004 = "http://www.imsglobal.org/xsd/imscp_v1p1"
NS_ADLCP_12 = "http://www.adlnet.org/xsd/adlcp_rootv1p2"
NS_ADLCP_2004 = "http://www.adlnet.org/xsd/adlcp_v1p3"
NS_IMSSS = "http://www.imsglobal.org/xsd/imsss"
NS_ADLSEQ = "http://www.adlnet.org/xsd/adlseq_v1p3"
NS_ADLNAV = "http://www.adlnet.org/xsd/adlnav_v1p3"
NS_XML = "http://www.w3.org/XML/1998/namespace"

XML_BASE = f"{{{NS_XML}}}base"

# How deep a manifest may nest. Authoring tools write a few levels; beyond this a manifest is
# refused with a Problem, never parsed into a recursion that crashes the import.
MAX_XML_DEPTH = 100  # elements inside elements, anywhere in the file


class TooDeep(Exception):
    """An element nested deeper than MAX_XML_DEPTH; `tag` is its local name."""

    def __init__(self, tag: str) -> None:
        super().__init__(tag)
        self.tag = tag


def xml_parse(xml: bytes) -> tuple[Element, set[str]]:
    """The root element and every namespace URI declared in the document.

    Declarations are collected too because a namespace can be declared (and so identify the
    version) without any element or attribute of it being used. Parsing stops at the first
    element nested deeper than MAX_XML_DEPTH (`TooDeep`): nothing after it is read.
    """
    declared: set[str] = set()
    depth = 0
    events = defused_iterparse(BytesIO(xml), events=("start", "end", "start-ns"))
    for event, value in events:
        if event == "start-ns":
            declared.add(value[1])
        elif event == "start":
            depth += 1
            if depth > MAX_XML_DEPTH:
                raise TooDeep(local_name(value.tag))
        else:
            depth -= 1
    return events.root, declared


def namespace_of(tag: str) -> str:
    return tag[1:].partition("}")[0] if tag.startswith("{") else ""


def local_name(tag: str) -> str:
    return tag.rpartition("}")[2]


def identifier_value(raw: str | None) -> str:
    """An identifier or a reference to one as XML Schema compares ID/IDREF values (and the
    CAM's identifier strings): leading and trailing whitespace removed, inner runs of
    whitespace collapsed to one space. Every match of one value against another uses it."""
    return " ".join((raw or "").split())


def collapsed_text(element: Element | None) -> str:
    """Element text with whitespace runs collapsed and the ends trimmed."""
    return " ".join((element.text or "").split()) if element is not None else ""


def qname(namespace: str, name: str) -> str:
    return f"{{{namespace}}}{name}" if namespace else name


class ElementReader:
    """Reads elements of one manifest into its `Manifest`: records problems (every one names
    imsmanifest.xml) and reads typed attribute values, where a bad value is a warning and counts
    as absent. The readers of the document and of its sequencing build on it."""

    def __init__(self, manifest: Manifest, root: Element) -> None:
        self.manifest = manifest
        self.root = root

    # ---- problems

    def error(self, code: str, message: str, **details: str) -> None:
        self.manifest.errors.append(Problem(code=code, message=message, **{"file": MANIFEST_FILE, **details}))

    def warning(self, code: str, message: str, **details: str) -> None:
        self.manifest.warnings.append(
            Problem(code=code, message=message, severity="warning", **{"file": MANIFEST_FILE, **details})
        )

    # ---- typed attribute values; a bad value is a warning and counts as absent

    def bool_attr(self, element: Element, name: str, where: str) -> bool | None:
        raw = element.get(name)
        if raw is None:
            return None
        value = raw.strip().lower()
        if value in ("true", "1"):
            return True
        if value in ("false", "0"):
            return False
        self.invalid_value(name, raw, where, _("true or false"))
        return None

    def float_value(
        self, raw: str | None, name: str, where: str, low: float | None = None, high: float | None = None
    ) -> float | None:
        if raw is None or not raw.strip():
            return None
        try:
            value = float(raw)
        except ValueError:
            value = None
        if value is None or (low is not None and value < low) or (high is not None and value > high):
            expected = (
                _("a number from %(low)s to %(high)s") % {"low": low, "high": high}
                if low is not None and high is not None
                else _("a number")
            )
            self.invalid_value(name, raw, where, expected)
            return None
        return value

    def int_attr(self, element: Element, name: str, where: str) -> int | None:
        raw = element.get(name)
        if raw is None:
            return None
        try:
            value = int(raw.strip())
        except ValueError:
            value = -1
        if value < 0:
            self.invalid_value(name, raw, where, _("a whole number of 0 or more"))
            return None
        return value

    def token_attr(self, element: Element, name: str, allowed: frozenset[str], where: str) -> str | None:
        raw = element.get(name)
        if raw is None:
            return None
        if raw.strip() in allowed:
            return raw.strip()
        self.invalid_value(name, raw, where, _("one of %(values)s") % {"values": ", ".join(sorted(allowed))})
        return None

    def invalid_value(self, name: str, raw: str, where: str, expected: str) -> None:
        self.warning(
            "value-invalid",
            _("%(name)s is %(value)s, which is not allowed there; it is ignored.")
            % {"name": name, "value": repr(raw)},
            element=where,
            expected=expected,
            advice=_("Correct the value in the manifest, or remove it to use the default."),
        )
