"""Reading `imsmanifest.xml`: what a SCORM package contains and how it is to be launched.

Pure parsing: bytes in, a `Manifest` out, no database and no Django models (only Django's
translation functions, so every message reaches the author in their language).

Rules enforced here:

* The manifest is parsed with `defusedxml` (no entity expansion, no external references) and
  namespace-aware: elements are matched by namespace URI, never by prefix.
* A bad manifest never raises. `manifest_parse` returns a `Manifest` whose `errors` say what
  is wrong (which file, which element, what was expected, what to do); an import must stop
  when there is any error. `warnings` are tolerable oddities shown beside the structure.
* Version: the ADL content-packaging namespace decides (`adlcp_rootv1p2` → 1.2,
  `adlcp_v1p3` → 2004), then `schemaversion`, then the other 2004 namespaces, then the IMS CP
  namespace. Some 1.2 packages use the `imscp_v1p1` namespace with `adlcp_rootv1p2`: they
  are 1.2. The edition comes from `schemaversion`; without it, 4th-edition features
  (`adlcp:data`, `adlcp:completionThreshold` attributes, `adlseq:objectives`) mean "4th",
  otherwise "3rd", with a warning.
* Organisation: `organizations@default` is followed. Fallbacks: a *missing* `default` uses
  the first organisation (warning); a `default` naming no organisation is an error, because
  guessing which course the author meant would publish the wrong one silently.
* Launch path: resource `href` under the `xml:base` of manifest, `<resources>` and
  `<resource>` (each base is a folder; a missing trailing slash is tolerated); launch URL =
  that path + item `parameters`, joined as the SCORM CAM says (see `launch_url_join`).
* A resource without `adlcp:scormType` is kept with `scorm_type=None` and a warning: the
  player offers the API to it anyway, as it would to a SCO.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import asdict, dataclass, field
from io import BytesIO
from typing import Any
from urllib.parse import unquote
from xml.etree.ElementTree import Element, ParseError
from xml.parsers.expat import ErrorString

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse as defused_iterparse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from scorm.problems import Problem

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

# schemaversion text (whitespace collapsed, lower case) → (version, edition).
SCHEMAVERSIONS: dict[str, tuple[str, str | None]] = {
    "1.2": ("1.2", None),
    "cam 1.3": ("2004", "2nd"),
    "2004 3rd edition": ("2004", "3rd"),
    "2004 4th edition": ("2004", "4th"),
}

RULE_CONDITIONS = frozenset(
    {
        "satisfied",
        "objectiveStatusKnown",
        "objectiveMeasureKnown",
        "objectiveMeasureGreaterThan",
        "objectiveMeasureLessThan",
        "completed",
        "activityProgressKnown",
        "attempted",
        "attemptLimitExceeded",
        "timeLimitExceeded",
        "outsideAvailableTimeRange",
        "always",
    }
)
RULE_ACTIONS = {
    "preConditionRule": frozenset({"skip", "disabled", "hiddenFromChoice", "stopForwardTraversal"}),
    "exitConditionRule": frozenset({"exit"}),
    "postConditionRule": frozenset({"exitParent", "exitAll", "retry", "retryAll", "continue", "previous"}),
}
ROLLUP_CONDITIONS = frozenset(
    {
        "satisfied",
        "objectiveStatusKnown",
        "objectiveMeasureKnown",
        "completed",
        "activityProgressKnown",
        "attempted",
        "attemptLimitExceeded",
        "timeLimitExceeded",
        "outsideAvailableTimeRange",
    }
)
# scorm-again names the rollup condition "activityProgressKnown" of the manifest "progressKnown".
ROLLUP_CONDITION_NAMES = {"activityProgressKnown": "progressKnown"}
ROLLUP_ACTIONS = frozenset({"satisfied", "notSatisfied", "completed", "incomplete"})
CHILD_ACTIVITY_SETS = frozenset({"all", "any", "none", "atLeastCount", "atLeastPercent"})
HIDE_LMS_UI = frozenset({"continue", "previous", "exit", "exitAll", "abandon", "abandonAll", "suspendAll"})
TIMINGS = frozenset({"never", "once", "onEachNewAttempt"})
ROLLUP_REQUIREMENTS = frozenset({"always", "ifAttempted", "ifNotSkipped", "ifNotSuspended"})

# Keys of an activity's settings that scorm-again 3.4 also accepts on a sequencing collection;
# the others (limits, delivery controls) are copied onto each activity that references it.
COLLECTION_KEYS = frozenset(
    {
        "primaryObjective",
        "objectives",
        "sequencingControls",
        "sequencingRules",
        "rollupRules",
        "rollupConsiderations",
        "hideLmsUi",
    }
)

# How far a manifest may nest and how much it may hold. Authoring tools write a few levels
# and a few hundred items; beyond these a manifest is refused with a Problem, never parsed
# into a recursion that crashes the import.
MAX_XML_DEPTH = 100  # elements inside elements, anywhere in the file
MAX_ITEM_DEPTH = 50  # items inside items in the organisation
MAX_ITEMS = 5000  # items in the organisation

_WEB_URL = re.compile(r"^(https?:)?//", re.IGNORECASE)
_ANY_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)


# --------------------------------------------------------------------------------------------
# Structure


@dataclass
class Resource:
    """A `<resource>`: `href` is its launch path from the package root (xml:base applied)."""

    identifier: str
    href: str = ""
    scorm_type: str | None = None  # "sco" | "asset" | None when the manifest does not say
    base: str = ""  # the folder given by the xml:base chain, "" for the package root
    files: list[str] = field(default_factory=list)
    dependencies: list[str] = field(default_factory=list)


@dataclass
class Item:
    """An `<item>` of the organisation: a SCO/asset to launch (leaf) or a cluster (children)."""

    identifier: str
    title: str = ""
    is_visible: bool = True
    resource_identifier: str | None = None
    href: str = ""  # launch path from the package root, may already hold "?query"
    parameters: str = ""
    launch_url: str = ""  # href + parameters, see launch_url_join
    scorm_type: str | None = None
    mastery_score: float | None = None  # 1.2 adlcp:masteryscore, 0–100
    max_time_allowed: str | None = None  # 1.2 text, 2004 attemptAbsoluteDurationLimit
    time_limit_action: str | None = None
    data_from_lms: str | None = None
    prerequisites: str | None = None  # 1.2 AICC script
    # In force only when completion depends on progress: 3rd-ed. element text, or 4th-ed.
    # minProgressMeasure (default 1.0) with completedByMeasure="true"; None otherwise.
    completion_threshold: float | None = None
    completed_by_measure: bool = False
    progress_weight: float | None = None
    # 2004: primaryObjective satisfiedByMeasure="true" → minNormalizedMeasure (default 1.0).
    scaled_passing_score: float | None = None
    sequencing: dict = field(default_factory=dict)  # this item's scorm-again ActivitySettings keys
    shared_data_maps: list[dict] = field(default_factory=list)
    children: list[Item] = field(default_factory=list)

    @property
    def is_launchable(self) -> bool:
        return not self.children and bool(self.href)


@dataclass
class Manifest:
    """What `manifest_parse` understood; `errors` non-empty means the package must not import."""

    identifier: str = ""
    version: str = ""  # "1.2" | "2004"; "" when it could not be told (then there is an error)
    edition: str | None = None  # 2004 only: "2nd" | "3rd" | "4th"
    schemaversion: str | None = None  # as written in the manifest
    title: str = ""
    default_organisation: str = ""
    organisations: list[str] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)  # top level of the default organisation
    resources: dict[str, Resource] = field(default_factory=dict)
    shared_data: list[dict] = field(default_factory=list)  # 4th ed. buckets and who maps them
    sequencing_collections: dict[str, dict] = field(default_factory=dict)
    organisation_sequencing: dict = field(default_factory=dict)  # the root activity's settings
    objectives_global_to_system: bool = True
    shared_data_global_to_system: bool = True
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    def launchable_items(self) -> list[Item]:
        """Leaf items with a launch file, in document order: the player's table of contents."""
        found: list[Item] = []

        def walk(items: list[Item]) -> None:
            for item in items:
                if item.is_launchable:
                    found.append(item)
                walk(item.children)

        walk(self.items)
        return found

    def sequencing_settings(self) -> dict:
        """The `sequencing` option of scorm-again 3.4's `Scorm2004API`; `{}` for SCORM 1.2.

        The root activity is the organisation. Only keys the manifest sets are present,
        except `id`, `title` and `isVisible`, which every activity carries.
        """
        if self.version != "2004" or not self.default_organisation:
            return {}

        def activity(item: Item) -> dict:
            node: dict[str, Any] = {"id": item.identifier, "title": item.title, "isVisible": item.is_visible}
            node.update(self._with_collection_extras(item.sequencing))
            if item.children:
                node["children"] = [activity(child) for child in item.children]
            return node

        root: dict[str, Any] = {"id": self.default_organisation, "title": self.title, "isVisible": True}
        root.update(self._with_collection_extras(self.organisation_sequencing))
        root["children"] = [activity(item) for item in self.items]
        settings: dict[str, Any] = {"activityTree": root}
        if self.sequencing_collections:
            settings["collections"] = {
                identifier: {key: value for key, value in fragment.items() if key in COLLECTION_KEYS}
                for identifier, fragment in self.sequencing_collections.items()
            }
        return settings

    def _with_collection_extras(self, fragment: dict) -> dict:
        """Copy what scorm-again ignores on a collection onto the activity that references it.

        The activity's own values win, as the CAM says local sequencing elements do.
        """
        collection = self.sequencing_collections.get(fragment.get("sequencingIdRef", ""), {})
        extras = {
            key: value
            for key, value in collection.items()
            if key not in COLLECTION_KEYS and key not in fragment
        }
        return {**fragment, **extras}

    def as_dict(self) -> dict:
        """Everything, JSON-serialisable: stored on the package version, printed by --json."""
        data = asdict(self)
        data["launchable_items"] = [item.identifier for item in self.launchable_items()]
        data["sequencing"] = self.sequencing_settings()
        return data


# --------------------------------------------------------------------------------------------
# Launch paths


def launch_url_join(href: str, parameters: str) -> str:
    """Append item `parameters` to a resource `href` as the SCORM CAM prescribes.

    A leading `?` or `&` of the parameters is dropped; the rest is appended with `&` when
    the href already has a query, `?` otherwise, before any `#fragment` of the href. A
    parameters value starting with `#` is a fragment: appended only when the href has none.
    """
    parameters = parameters.strip()
    if parameters.startswith("#"):
        return href if "#" in href else href + parameters
    parameters = parameters.lstrip("?&")
    if not parameters:
        return href
    query, _hash, fragment = parameters.partition("#")
    path, _href_hash, href_fragment = href.partition("#")
    if query:
        if path.endswith(("?", "&")):
            path += query
        else:
            path += ("&" if "?" in path else "?") + query
    fragment = href_fragment or fragment
    return f"{path}#{fragment}" if fragment else path


def _split_query(href: str) -> tuple[str, str]:
    """("a/b.html", "?x=1#f") from "a/b.html?x=1#f"."""
    cut = min((i for i in (href.find("?"), href.find("#")) if i >= 0), default=len(href))
    return href[:cut], href[cut:]


def _apply_bases(bases: list[str], href: str) -> str:
    """Resolve href under the xml:base chain, each base being a folder; normalise `.`/`..`."""
    if _ANY_SCHEME.match(href) or href.startswith("/"):
        return href
    prefix = ""
    for base in bases:
        if not base:
            continue
        folder = base if base.endswith("/") else base + "/"
        # An absolute base (a web address or a rooted path) replaces what came before it.
        prefix = folder if _ANY_SCHEME.match(folder) or folder.startswith("/") else prefix + folder
    joined = prefix + href
    if _ANY_SCHEME.match(joined):
        return joined
    path, rest = _split_query(joined)
    normalised = posixpath.normpath(path) if path else ""
    return ("" if normalised == "." else normalised) + rest


def package_path(href: str) -> str | None:
    """The file inside the package that a resolved href names, or None for a web address."""
    if _WEB_URL.match(href):
        return None
    path, _rest = _split_query(href)
    return unquote(path)


def _outside_package(path: str) -> bool:
    """True for "..", "/x", "C:x", "file:x": paths that are not inside the package root."""
    return path == ".." or path.startswith(("../", "/", "\\")) or bool(_ANY_SCHEME.match(path))


# --------------------------------------------------------------------------------------------
# Parsing


def manifest_parse(xml: bytes, *, package_files: set[str] | None = None) -> Manifest:
    """Parse `imsmanifest.xml`; never raises for a bad manifest (see `Manifest.errors`).

    `package_files`, when given, is every file path in the package (relative to its root,
    forward slashes): each SCO/asset launch file must be among them.
    """
    manifest = Manifest()
    try:
        root, declared = _parse_xml(xml)
    except ParseError as exc:
        line, column = getattr(exc, "position", (0, 0))
        manifest.errors.append(
            Problem(
                code="manifest-malformed",
                message=_(
                    "imsmanifest.xml is not well-formed XML: %(reason)s at line %(line)d, column %(column)d."
                )
                % {
                    "reason": ErrorString(exc.code) if getattr(exc, "code", None) else str(exc),
                    "line": line,
                    "column": column + 1,
                },
                file=MANIFEST_FILE,
                element=_("line %(line)d") % {"line": line},
                expected=_("well-formed XML"),
                advice=_(
                    "Open the file in an XML editor, fix the mistake at that line "
                    "and export the package again."
                ),
            )
        )
        return manifest
    except DefusedXmlException as exc:
        manifest.errors.append(
            Problem(
                code="manifest-unsafe-xml",
                message=_("imsmanifest.xml uses an XML feature that is refused for safety: %(reason)s.")
                % {"reason": str(exc)},
                file=MANIFEST_FILE,
                expected=_("XML without a DTD entity declaration or external reference"),
                advice=_("Remove the <!DOCTYPE> and entity declarations from the manifest."),
            )
        )
        return manifest
    except _TooDeep as deep:
        manifest.errors.append(
            Problem(
                code="manifest-too-deep",
                message=_(
                    "imsmanifest.xml nests elements more than %(limit)d levels deep (at <%(element)s>), "
                    "so it was not read."
                )
                % {"limit": MAX_XML_DEPTH, "element": deep.tag},
                file=MANIFEST_FILE,
                element=deep.tag,
                expected=_("at most %(limit)d levels of nested elements") % {"limit": MAX_XML_DEPTH},
                advice=_(
                    "Flatten the course structure (items inside items) in the authoring tool "
                    "and export the package again."
                ),
            )
        )
        return manifest
    _ManifestReader(manifest, root, declared, package_files).read()
    return manifest


class _TooDeep(Exception):
    """An element nested deeper than MAX_XML_DEPTH; `tag` is its local name."""

    def __init__(self, tag: str):
        super().__init__(tag)
        self.tag = tag


def _parse_xml(xml: bytes) -> tuple[Element, set[str]]:
    """The root element and every namespace URI declared in the document.

    Declarations are collected too because a namespace can be declared (and so identify the
    version) without any element or attribute of it being used. Parsing stops at the first
    element nested deeper than MAX_XML_DEPTH (`_TooDeep`): nothing after it is read.
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
                raise _TooDeep(_local(value.tag))
        else:
            depth -= 1
    return events.root, declared


def _namespace(tag: str) -> str:
    return tag[1:].partition("}")[0] if tag.startswith("{") else ""


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def identifier_value(raw: str | None) -> str:
    """An identifier or a reference to one as XML Schema compares ID/IDREF values (and the
    CAM's identifier strings): leading and trailing whitespace removed, inner runs of
    whitespace collapsed to one space. Every match of one value against another uses it."""
    return " ".join((raw or "").split())


def _text(element: Element | None) -> str:
    """Element text with whitespace runs collapsed and the ends trimmed."""
    return " ".join((element.text or "").split()) if element is not None else ""


def _q(namespace: str, name: str) -> str:
    return f"{{{namespace}}}{name}" if namespace else name


class _ManifestReader:
    """Fills one `Manifest` from a parsed tree; collects problems instead of raising."""

    def __init__(self, manifest: Manifest, root: Element, declared: set[str], package_files: set[str] | None):
        self.manifest = manifest
        self.root = root
        self.declared = declared
        self.package_files = package_files
        self.cp = _namespace(root.tag)
        self.adlcp = NS_ADLCP_2004
        self.item_identifiers: set[str] = set()
        # The organisation was too deep or too large to read in full: that error says it all.
        self.structure_refused = False

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

    # ---- the document

    def read(self) -> None:
        manifest = self.manifest
        if _local(self.root.tag) != "manifest" or self.cp not in (NS_CP_12, NS_CP_2004, ""):
            self.error(
                "manifest-not-content-package",
                _("The root element is %(found)s, not an IMS content package <manifest>.")
                % {"found": self.root.tag},
                element=_local(self.root.tag),
                expected=_("<manifest> in namespace %(ns12)s (SCORM 1.2) or %(ns2004)s (SCORM 2004)")
                % {"ns12": NS_CP_12, "ns2004": NS_CP_2004},
                advice=_("Export the course again as a SCORM package from the authoring tool."),
            )
            return
        if not self.cp:
            self.warning(
                "manifest-no-namespace",
                _("The manifest declares no IMS content packaging namespace; it is read as if it did."),
                element="manifest",
                expected=_("xmlns=%(ns)s") % {"ns": NS_CP_2004},
                advice=_("Add the namespace declarations your SCORM version requires."),
            )
        manifest.identifier = identifier_value(self.root.get("identifier"))
        self.detect_version()
        if not manifest.version:
            return
        self.adlcp = NS_ADLCP_2004 if manifest.version == "2004" else NS_ADLCP_12
        manifest.resources = self.read_resources()
        if manifest.version == "2004":
            self.read_sequencing_collections()
        self.read_organisations()
        if manifest.default_organisation and not manifest.launchable_items() and not self.structure_refused:
            self.error(
                "no-launchable-item",
                _("Organisation %(organisation)s has no item that can be launched.")
                % {"organisation": manifest.default_organisation},
                element=f"organization[@identifier='{manifest.default_organisation}']",
                expected=_("at least one <item> with an identifierref to a resource that has an href"),
                advice=_("Link at least one item to the SCO or asset that starts the course."),
            )
        manifest.shared_data = self.shared_data_buckets()

    def used_namespaces(self) -> set[str]:
        used = set(self.declared)
        for element in self.root.iter():
            used.add(_namespace(element.tag))
            used.update(_namespace(name) for name in element.attrib)
        return used

    def detect_version(self) -> None:
        """Fill version, edition and schemaversion; an error when the version cannot be told."""
        manifest = self.manifest
        metadata = self.root.find(_q(self.cp, "metadata"))
        schemaversion = metadata.find(_q(self.cp, "schemaversion")) if metadata is not None else None
        manifest.schemaversion = _text(schemaversion) if schemaversion is not None else None
        from_text = SCHEMAVERSIONS.get((manifest.schemaversion or "").lower())
        used = self.used_namespaces()
        if NS_ADLCP_2004 in used:
            from_adlcp = "2004"
        elif NS_ADLCP_12 in used:
            from_adlcp = "1.2"
        else:
            from_adlcp = None

        if from_adlcp:
            version = from_adlcp
        elif from_text:
            version = from_text[0]
        elif used & {NS_IMSSS, NS_ADLSEQ, NS_ADLNAV}:
            version = "2004"
        elif self.cp == NS_CP_12:
            version = "1.2"
        else:
            self.error(
                "version-unknown",
                _(
                    "The SCORM version cannot be told: the manifest has no ADL namespace "
                    "and no known schemaversion."
                ),
                element="manifest/metadata/schemaversion",
                expected=_('schemaversion "1.2", "CAM 1.3", "2004 3rd Edition" or "2004 4th Edition"'),
                advice=_("Export the package as SCORM 1.2 or SCORM 2004 from the authoring tool."),
            )
            return
        manifest.version = version

        if from_adlcp and from_text and from_text[0] != from_adlcp:
            self.warning(
                "version-conflict",
                _(
                    "schemaversion says %(schemaversion)s but the ADL namespace is that of "
                    "SCORM %(version)s; "
                    "the package is read as SCORM %(version)s."
                )
                % {"schemaversion": manifest.schemaversion, "version": version},
                element="manifest/metadata/schemaversion",
                expected=_("a schemaversion that matches the namespaces"),
                advice=_("Correct schemaversion in the manifest."),
            )
        if version == "2004":
            if from_text and from_text[0] == "2004":
                manifest.edition = from_text[1]
            else:
                manifest.edition = "4th" if self.has_fourth_edition_features() else "3rd"
        if manifest.schemaversion is None:
            self.warning(
                "schemaversion-missing",
                _(
                    "The manifest has no schemaversion; it was read as SCORM %(version)s%(edition)s "
                    "from its namespaces."
                )
                % {
                    "version": version,
                    "edition": _(" %(edition)s edition") % {"edition": manifest.edition}
                    if manifest.edition
                    else "",
                },
                element="manifest/metadata/schemaversion",
                expected=_('<schemaversion>, e.g. "1.2" or "2004 4th Edition"'),
                advice=_(
                    "Add <metadata><schema>ADL SCORM</schema><schemaversion>…</schemaversion></metadata>."
                ),
            )
        elif from_text is None:
            self.warning(
                "schemaversion-unknown",
                _(
                    "schemaversion %(schemaversion)s is not one SCORM defines; "
                    "it was read as SCORM %(version)s."
                )
                % {"schemaversion": repr(manifest.schemaversion), "version": version},
                element="manifest/metadata/schemaversion",
                expected=_('"1.2", "CAM 1.3", "2004 3rd Edition" or "2004 4th Edition"'),
                advice=_("Correct schemaversion in the manifest."),
            )

    def has_fourth_edition_features(self) -> bool:
        for element in self.root.iter():
            if element.tag in (_q(NS_ADLCP_2004, "data"), _q(NS_ADLSEQ, "objectives")):
                return True
            if element.tag == _q(NS_ADLCP_2004, "completionThreshold") and element.attrib:
                return True
        return False

    # ---- resources

    def read_resources(self) -> dict[str, Resource]:
        resources: dict[str, Resource] = {}
        resources_element = self.root.find(_q(self.cp, "resources"))
        if resources_element is None:
            return resources
        bases = [self.root.get(XML_BASE, ""), resources_element.get(XML_BASE, "")]
        self.check_bases(bases, "resources")
        for element in resources_element.findall(_q(self.cp, "resource")):
            identifier = identifier_value(element.get("identifier"))
            where = f"resources/resource[@identifier='{identifier}']"
            chain = [*bases, element.get(XML_BASE, "")]
            self.check_bases(chain[-1:], where)
            href = element.get("href", "").strip()
            if "\\" in href:
                # Packages zipped on Windows sometimes write backslashes; the zip holds slashes.
                self.warning(
                    "href-backslash",
                    _("href %(href)s uses backslashes; they are read as /.") % {"href": repr(href)},
                    element=where,
                    expected=_("a relative URL with forward slashes"),
                    advice=_("Write paths in the manifest with /."),
                )
                href = href.replace("\\", "/")
            resource = Resource(
                identifier=identifier,
                href=_apply_bases(chain, href) if href else "",
                scorm_type=self.scorm_type(element, where),
                base=_apply_bases(chain, ""),
                files=[
                    _apply_bases(chain, file.get("href", "").strip().replace("\\", "/"))
                    for file in element.findall(_q(self.cp, "file"))
                    if file.get("href", "").strip()
                ],
                dependencies=[
                    identifier_value(dependency.get("identifierref"))
                    for dependency in element.findall(_q(self.cp, "dependency"))
                ],
            )
            if identifier in resources:
                self.error(
                    "identifier-duplicate",
                    _("Two resources have the identifier %(identifier)s.") % {"identifier": identifier},
                    element=where,
                    expected=_("identifiers unique within the manifest"),
                    advice=_("Rename one of the resources and the items that point to it."),
                )
            resources[identifier] = resource
            self.check_listed_files(resource, where)
        return resources

    def check_bases(self, chain: list[str], where: str) -> None:
        for base in chain:
            if base and not base.endswith("/"):
                self.warning(
                    "xml-base-not-folder",
                    _("xml:base %(base)s does not end with /; it is taken as a folder.")
                    % {"base": repr(base)},
                    element=where,
                    expected=_("a folder path ending with /"),
                    advice=_("Add the trailing / to xml:base."),
                )

    def scorm_type(self, element: Element, where: str) -> str | None:
        # The 1.2 binding spells it scormtype, 2004 scormType; tools mix them up, so both count.
        raw = element.get(_q(self.adlcp, "scormType")) or element.get(_q(self.adlcp, "scormtype"))
        value = (raw or "").strip().lower()
        if value in ("sco", "asset"):
            return value
        attribute = "adlcp:scormType" if self.manifest.version == "2004" else "adlcp:scormtype"
        if value:
            self.warning(
                "scormtype-unknown",
                _("%(attribute)s is %(value)s; the resource is treated like a SCO.")
                % {"attribute": attribute, "value": repr(raw)},
                element=where,
                expected='"sco" | "asset"',
                advice=_("Set %(attribute)s to sco or asset.") % {"attribute": attribute},
            )
        elif element.get("href"):
            self.warning(
                "scormtype-missing",
                _("The resource does not say whether it is a SCO or an asset; it is treated like a SCO."),
                element=where,
                expected=_('%(attribute)s="sco" or "asset"') % {"attribute": attribute},
                advice=_("Add %(attribute)s to the resource.") % {"attribute": attribute},
            )
        return None

    def check_listed_files(self, resource: Resource, where: str) -> None:
        if self.package_files is None:
            return
        missing = [
            path
            for path in (package_path(file) for file in resource.files)
            if path is not None and path not in self.package_files
        ]
        if missing:
            shown = ", ".join(missing[:5]) + (" …" if len(missing) > 5 else "")
            self.warning(
                "file-missing",
                ngettext(
                    "%(count)d file listed for resource %(resource)s is not in the package: %(files)s.",
                    "%(count)d files listed for resource %(resource)s are not in the package: %(files)s.",
                    len(missing),
                )
                % {"count": len(missing), "resource": resource.identifier, "files": shown},
                element=where,
                expected=_("every <file href> present in the zip"),
                advice=_("Add the files to the package or remove them from the manifest."),
            )

    # ---- organisations and items

    def read_organisations(self) -> None:
        manifest = self.manifest
        organizations = self.root.find(_q(self.cp, "organizations"))
        if organizations is None:
            self.error(
                "organizations-missing",
                _("The manifest has no <organizations> element, so there is no course structure to launch."),
                element="manifest",
                expected=_("<organizations default='…'> with at least one <organization>"),
                advice=_("Export the package again; a SCORM package must describe its organisation."),
            )
            return
        elements = organizations.findall(_q(self.cp, "organization"))
        manifest.organisations = [identifier_value(element.get("identifier")) for element in elements]
        if not elements:
            self.error(
                "organization-missing",
                _("<organizations> contains no <organization>."),
                element="organizations",
                expected=_("at least one <organization> with items"),
                advice=_("Export the package again; a SCORM package must describe its organisation."),
            )
            return
        default = identifier_value(organizations.get("default"))
        if not default:
            chosen = elements[0]
            self.warning(
                "default-organization-missing",
                _("<organizations> names no default organisation; the first one, %(organisation)s, is used.")
                % {"organisation": chosen.get("identifier", "")},
                element="organizations",
                expected=_("organizations@default naming an organisation"),
                advice=_("Add default='%(organisation)s' to <organizations>.")
                % {"organisation": chosen.get("identifier", "")},
            )
        else:
            matching = [
                element for element in elements if identifier_value(element.get("identifier")) == default
            ]
            if not matching:
                self.error(
                    "default-organization-unknown",
                    _("The default organisation is %(asked)s, but the manifest only defines %(existing)s.")
                    % {
                        "asked": repr(default),
                        "existing": ", ".join(repr(i) for i in manifest.organisations),
                    },
                    element="organizations[@default]",
                    expected=_("one of: %(existing)s") % {"existing": ", ".join(manifest.organisations)},
                    advice=_("Set organizations@default to the identifier of the organisation to launch."),
                )
                return
            chosen = matching[0]
        self.read_organisation(chosen)

    def read_organisation(self, element: Element) -> None:
        manifest = self.manifest
        identifier = identifier_value(element.get("identifier"))
        where = f"organization[@identifier='{identifier}']"
        manifest.default_organisation = identifier
        manifest.title = _text(element.find(_q(self.cp, "title"))) or manifest.identifier
        count = sum(1 for _item in element.iter(_q(self.cp, "item")))
        if count > MAX_ITEMS:
            self.structure_refused = True
            self.error(
                "items-too-many",
                _("Organisation %(organisation)s has %(count)d items; at most %(limit)d can be imported.")
                % {"organisation": identifier, "count": count, "limit": MAX_ITEMS},
                element=where,
                expected=_("at most %(limit)d <item> elements") % {"limit": MAX_ITEMS},
                advice=_("Split the course into several packages, or merge small items into larger ones."),
            )
            return
        manifest.items = [
            self.read_item(child, where, depth=1) for child in element.findall(_q(self.cp, "item"))
        ]
        if manifest.version != "2004":
            return
        objectives_global = self.bool_attr(element, _q(NS_ADLSEQ, "objectivesGlobalToSystem"), where)
        shared_global = self.bool_attr(element, _q(NS_ADLCP_2004, "sharedDataGlobalToSystem"), where)
        manifest.objectives_global_to_system = objectives_global is not False
        manifest.shared_data_global_to_system = shared_global is not False
        sequencing = element.find(_q(NS_IMSSS, "sequencing"))
        if sequencing is not None:
            manifest.organisation_sequencing = self.read_sequencing(sequencing, identifier, where)

    def read_item(self, element: Element, parent_where: str, *, depth: int) -> Item:
        identifier = identifier_value(element.get("identifier"))
        where = f"{parent_where}/item[@identifier='{identifier}']"
        children = element.findall(_q(self.cp, "item"))
        if children and depth >= MAX_ITEM_DEPTH:
            self.structure_refused = True
            self.error(
                "items-too-deep",
                _("Item %(item)s has items nested more than %(limit)d levels deep; they were not read.")
                % {"item": identifier, "limit": MAX_ITEM_DEPTH},
                element=where,
                expected=_("at most %(limit)d levels of items inside items") % {"limit": MAX_ITEM_DEPTH},
                advice=_("Flatten the course structure in the authoring tool and export the package again."),
            )
            children = []
        if identifier in self.item_identifiers:
            self.error(
                "identifier-duplicate",
                _("Two items have the identifier %(identifier)s.") % {"identifier": identifier},
                element=where,
                expected=_("identifiers unique within the manifest"),
                advice=_("Give every item its own identifier; learner progress is kept per item."),
            )
        self.item_identifiers.add(identifier)
        is_visible = self.bool_attr(element, "isvisible", where)
        item = Item(
            identifier=identifier,
            title=_text(element.find(_q(self.cp, "title"))),
            is_visible=is_visible is not False,
            resource_identifier=identifier_value(element.get("identifierref")) or None,
            parameters=element.get("parameters", ""),
            children=[self.read_item(child, where, depth=depth + 1) for child in children],
        )
        self.link_resource(item, where)
        if self.manifest.version == "1.2":
            self.read_item_12(item, element, where)
        else:
            self.read_item_2004(item, element, where)
        return item

    def link_resource(self, item: Item, where: str) -> None:
        """Resolve identifierref to the launch file; check the file exists in the package."""
        if item.resource_identifier is None:
            if not item.children:
                self.warning(
                    "item-not-launchable",
                    _("Item %(item)s has neither children nor a resource; it is shown but cannot be opened.")
                    % {"item": item.identifier},
                    element=where,
                    expected=_("identifierref on a leaf item"),
                    advice=_("Link the item to a resource or remove it."),
                )
            return
        resource = self.manifest.resources.get(item.resource_identifier)
        if resource is None:
            self.error(
                "item-resource-unknown",
                _("Item %(item)s points to resource %(ref)s, which the manifest does not define.")
                % {"item": item.identifier, "ref": item.resource_identifier},
                element=where,
                expected=_("identifierref naming one of: %(resources)s")
                % {"resources": ", ".join(self.manifest.resources) or _("(no resources)")},
                advice=_("Correct identifierref or add the missing <resource>."),
            )
            return
        if item.children:
            self.warning(
                "cluster-resource-ignored",
                _("Item %(item)s has children and a resource; only its children are launched.")
                % {"item": item.identifier},
                element=where,
                expected=_("identifierref only on leaf items"),
                advice=_("Move the resource to a child item."),
            )
            return
        resource_where = f"resources/resource[@identifier='{resource.identifier}']"
        if not resource.href:
            self.error(
                "resource-href-missing",
                _("Item %(item)s points to resource %(ref)s, which has no href to launch.")
                % {"item": item.identifier, "ref": resource.identifier},
                element=resource_where,
                expected=_("href on the resource: its start page"),
                advice=_("Add href with the path of the page that starts the SCO or asset."),
            )
            return
        item.href = resource.href
        item.scorm_type = resource.scorm_type
        item.launch_url = launch_url_join(resource.href, item.parameters)
        path = package_path(resource.href)
        if path is None:
            return
        if _outside_package(path):
            self.error(
                "launch-outside-package",
                _("The launch file of item %(item)s, %(path)s, is outside the package.")
                % {"item": item.identifier, "path": path},
                element=resource_where,
                expected=_("a path relative to the package root, without .."),
                advice=_("Correct href and xml:base so that they name a file inside the zip."),
            )
        elif self.package_files is not None and path not in self.package_files:
            same_but_case = [name for name in self.package_files if name.lower() == path.lower()]
            self.error(
                "launch-file-missing",
                _("The launch file of item %(item)s, %(path)s, is not in the package.")
                % {"item": item.identifier, "path": path},
                file=path,
                element=resource_where,
                expected=_("%(path)s inside the zip") % {"path": path},
                advice=(
                    _("The package has %(name)s: file names are case-sensitive on the server.")
                    % {"name": same_but_case[0]}
                    if same_but_case
                    else _("Add the file to the package, or correct href and xml:base in the manifest.")
                ),
            )

    def read_item_12(self, item: Item, element: Element, where: str) -> None:
        def extension(name: str) -> str | None:
            found = element.find(_q(NS_ADLCP_12, name))
            return (_text(found) or None) if found is not None else None

        item.mastery_score = self.float_value(extension("masteryscore"), "adlcp:masteryscore", where, 0, 100)
        item.max_time_allowed = extension("maxtimeallowed")
        item.time_limit_action = extension("timelimitaction")
        item.data_from_lms = extension("datafromlms")
        item.prerequisites = extension("prerequisites")

    def read_item_2004(self, item: Item, element: Element, where: str) -> None:
        time_limit_action = element.find(_q(NS_ADLCP_2004, "timeLimitAction"))
        item.time_limit_action = _text(time_limit_action) or None
        data_from_lms = element.find(_q(NS_ADLCP_2004, "dataFromLMS"))
        # Launch data is passed to the SCO verbatim: keep its whitespace.
        item.data_from_lms = (data_from_lms.text or "") if data_from_lms is not None else None

        fragment: dict[str, Any] = {}
        sequencing = element.find(_q(NS_IMSSS, "sequencing"))
        if sequencing is not None:
            fragment.update(self.read_sequencing(sequencing, item.identifier, where))
        threshold = element.find(_q(NS_ADLCP_2004, "completionThreshold"))
        if threshold is not None:
            settings = self.read_completion_threshold(item, threshold, where)
            if settings:
                fragment["completionThreshold"] = settings
        hide = self.read_hide_lms_ui(element, where)
        if hide:
            fragment["hideLmsUi"] = hide
        item.shared_data_maps = self.read_shared_data_maps(element, where)
        if item.shared_data_maps:
            fragment["sharedDataMaps"] = item.shared_data_maps
        item.sequencing = fragment

        # Values the SCO sees at launch follow the effective sequencing: the referenced
        # collection, overridden by the item's own elements.
        effective = {
            **self.manifest.sequencing_collections.get(fragment.get("sequencingIdRef", ""), {}),
            **fragment,
        }
        primary = effective.get("primaryObjective", {})
        if primary.get("satisfiedByMeasure"):
            item.scaled_passing_score = primary.get("minNormalizedMeasure", 1.0)
        item.max_time_allowed = effective.get("attemptAbsoluteDurationLimit")

    def read_completion_threshold(self, item: Item, element: Element, where: str) -> dict:
        """3rd ed.: the text is the minimum progress; 4th ed.: three attributes."""
        where = f"{where}/adlcp:completionThreshold"
        if any(
            name in element.attrib for name in ("completedByMeasure", "minProgressMeasure", "progressWeight")
        ):
            settings: dict[str, Any] = {}
            by_measure = self.bool_attr(element, "completedByMeasure", where)
            minimum = self.float_value(element.get("minProgressMeasure"), "minProgressMeasure", where, 0, 1)
            weight = self.float_value(element.get("progressWeight"), "progressWeight", where, 0, 1)
            if by_measure is not None:
                settings["completedByMeasure"] = by_measure
            if minimum is not None:
                settings["minProgressMeasure"] = minimum
            if weight is not None:
                settings["progressWeight"] = weight
                item.progress_weight = weight
            item.completed_by_measure = bool(by_measure)
            if by_measure:
                item.completion_threshold = 1.0 if minimum is None else minimum
            return settings
        minimum = self.float_value(_text(element), "adlcp:completionThreshold", where, 0, 1)
        if minimum is None:
            return {}
        # Before the 4th edition a threshold always meant "completed once progress reaches it".
        item.completion_threshold = minimum
        item.completed_by_measure = True
        return {"completedByMeasure": True, "minProgressMeasure": minimum}

    def read_hide_lms_ui(self, element: Element, where: str) -> list[str]:
        path = "/".join(_q(NS_ADLNAV, name) for name in ("presentation", "navigationInterface", "hideLMSUI"))
        hidden: list[str] = []
        for control in element.findall(path):
            value = _text(control)
            if value in HIDE_LMS_UI:
                if value not in hidden:
                    hidden.append(value)
            else:
                self.invalid_value(
                    "adlnav:hideLMSUI",
                    value,
                    where,
                    _("one of %(values)s") % {"values": ", ".join(sorted(HIDE_LMS_UI))},
                )
        return hidden

    def read_shared_data_maps(self, element: Element, where: str) -> list[dict]:
        maps: list[dict] = []
        data = element.find(_q(NS_ADLCP_2004, "data"))
        if data is None:
            return maps
        for mapping in data.findall(_q(NS_ADLCP_2004, "map")):
            target = identifier_value(mapping.get("targetID"))
            if not target:
                self.invalid_value(
                    "adlcp:map@targetID", "", where, _("the identifier of a shared data bucket")
                )
                continue
            read = self.bool_attr(mapping, "readSharedData", where)
            write = self.bool_attr(mapping, "writeSharedData", where)
            # Written out in full: the CAM defaults both to true, scorm-again defaults write to false.
            maps.append(
                {
                    "targetID": target,
                    "readSharedData": read is not False,
                    "writeSharedData": write is not False,
                }
            )
        return maps

    def shared_data_buckets(self) -> list[dict]:
        buckets: dict[str, dict] = {}
        for item in self.iter_items(self.manifest.items):
            for mapping in item.shared_data_maps:
                bucket = buckets.setdefault(
                    mapping["targetID"], {"targetID": mapping["targetID"], "readers": [], "writers": []}
                )
                if mapping["readSharedData"]:
                    bucket["readers"].append(item.identifier)
                if mapping["writeSharedData"]:
                    bucket["writers"].append(item.identifier)
        return list(buckets.values())

    def iter_items(self, items: list[Item]) -> list[Item]:
        return [found for item in items for found in (item, *self.iter_items(item.children))]

    # ---- sequencing (IMS Simple Sequencing + ADL extensions) → scorm-again ActivitySettings

    def read_sequencing_collections(self) -> None:
        collection = self.root.find(_q(NS_IMSSS, "sequencingCollection"))
        if collection is None:
            return
        for element in collection.findall(_q(NS_IMSSS, "sequencing")):
            identifier = identifier_value(element.get("ID"))
            where = f"imsss:sequencingCollection/imsss:sequencing[@ID='{identifier}']"
            if not identifier:
                self.invalid_value(
                    "imsss:sequencing@ID", "", where, _("an identifier for the collection entry")
                )
                continue
            self.manifest.sequencing_collections[identifier] = self.read_sequencing(
                element, identifier, where
            )

    def read_sequencing(self, element: Element, activity: str, where: str) -> dict:
        """One `imsss:sequencing` element as scorm-again `ActivitySettings` keys."""
        where = f"{where}/imsss:sequencing"
        fragment: dict[str, Any] = {}
        controls: dict[str, Any] = {}

        def child(namespace: str, name: str) -> Element | None:
            return element.find(_q(namespace, name))

        reference = identifier_value(element.get("IDRef"))
        if reference:
            if reference in self.manifest.sequencing_collections:
                fragment["sequencingIdRef"] = reference
            else:
                self.error(
                    "sequencing-collection-unknown",
                    _(
                        "The sequencing of %(activity)s refers to %(ref)s, "
                        "which the sequencing collection does not define."
                    )
                    % {"activity": activity, "ref": reference},
                    element=where,
                    expected=_("IDRef naming one of: %(ids)s")
                    % {"ids": ", ".join(self.manifest.sequencing_collections) or _("(no collection)")},
                    advice=_(
                        "Add <imsss:sequencing ID='%(ref)s'> to <imsss:sequencingCollection> or fix IDRef."
                    )
                    % {"ref": reference},
                )

        mode = child(NS_IMSSS, "controlMode")
        if mode is not None:
            for name in (
                "choice",
                "choiceExit",
                "flow",
                "forwardOnly",
                "useCurrentAttemptObjectiveInfo",
                "useCurrentAttemptProgressInfo",
            ):
                self.copy_bool(mode, name, controls, where)

        rules_element = child(NS_IMSSS, "sequencingRules")
        if rules_element is not None:
            rules: dict[str, list] = {}
            for tag in RULE_ACTIONS:
                read = [self.read_rule(rule, tag, where) for rule in rules_element.findall(_q(NS_IMSSS, tag))]
                if any(read):
                    rules[f"{tag}s"] = [rule for rule in read if rule]
            if rules:
                fragment["sequencingRules"] = rules

        limits = child(NS_IMSSS, "limitConditions")
        if limits is not None:
            attempt_limit = self.int_attr(limits, "attemptLimit", where)
            if attempt_limit is not None:
                fragment["attemptLimit"] = attempt_limit
            for name in ("attemptAbsoluteDurationLimit", "activityAbsoluteDurationLimit"):
                if limits.get(name):
                    fragment[name] = limits.get(name).strip()

        rollup = child(NS_IMSSS, "rollupRules")
        if rollup is not None:
            self.copy_bool(rollup, "rollupObjectiveSatisfied", controls, where)
            self.copy_bool(rollup, "rollupProgressCompletion", controls, where)
            weight = self.float_value(
                rollup.get("objectiveMeasureWeight"), "objectiveMeasureWeight", where, 0, 1
            )
            if weight is not None:
                controls["objectiveMeasureWeight"] = weight
            rollup_rules = [
                self.read_rollup_rule(rule, where) for rule in rollup.findall(_q(NS_IMSSS, "rollupRule"))
            ]
            if any(rollup_rules):
                fragment["rollupRules"] = {"rules": [rule for rule in rollup_rules if rule]}

        objectives = child(NS_IMSSS, "objectives")
        if objectives is not None:
            self.read_objectives(objectives, activity, where, fragment)
        extended = child(NS_ADLSEQ, "objectives")
        if extended is not None:
            self.merge_extended_objectives(extended, where, fragment)

        randomization = child(NS_IMSSS, "randomizationControls")
        if randomization is not None:
            for name in ("randomizationTiming", "selectionTiming"):
                timing = self.token_attr(randomization, name, TIMINGS, where)
                if timing is not None:
                    controls[name] = timing
            select_count = self.int_attr(randomization, "selectCount", where)
            if select_count is not None:
                controls["selectCount"] = select_count
            # scorm-again's reorderChildren is runtime state ("already shuffled"); the
            # manifest's reorderChildren is the request to shuffle: its randomizeChildren.
            reorder = self.bool_attr(randomization, "reorderChildren", where)
            if reorder is not None:
                controls["randomizeChildren"] = reorder

        delivery = child(NS_IMSSS, "deliveryControls")
        if delivery is not None:
            delivery_settings: dict[str, bool] = {}
            for name in ("tracked", "completionSetByContent", "objectiveSetByContent"):
                self.copy_bool(delivery, name, delivery_settings, where)
            if delivery_settings:
                fragment["deliveryControls"] = delivery_settings

        constrained = child(NS_ADLSEQ, "constrainedChoiceConsiderations")
        if constrained is not None:
            self.copy_bool(constrained, "preventActivation", controls, where)
            self.copy_bool(constrained, "constrainChoice", controls, where)

        considerations = child(NS_ADLSEQ, "rollupConsiderations")
        if considerations is not None:
            settings: dict[str, Any] = {}
            for name in (
                "requiredForSatisfied",
                "requiredForNotSatisfied",
                "requiredForCompleted",
                "requiredForIncomplete",
            ):
                requirement = self.token_attr(considerations, name, ROLLUP_REQUIREMENTS, where)
                if requirement is not None:
                    settings[name] = requirement
            self.copy_bool(considerations, "measureSatisfactionIfActive", settings, where)
            if settings:
                fragment["rollupConsiderations"] = settings

        if controls:
            fragment["sequencingControls"] = controls
        return fragment

    def copy_bool(self, element: Element, name: str, target: dict, where: str) -> None:
        value = self.bool_attr(element, name, where)
        if value is not None:
            target[name] = value

    def read_rule(self, element: Element, tag: str, where: str) -> dict | None:
        """A pre/exit/post condition rule; an unusable rule is dropped with a warning."""
        where = f"{where}/imsss:sequencingRules/imsss:{tag}"
        action_element = element.find(_q(NS_IMSSS, "ruleAction"))
        action = (
            self.token_attr(action_element, "action", RULE_ACTIONS[tag], where)
            if action_element is not None
            else None
        )
        if action is None:
            self.warning(
                "sequencing-rule-ignored",
                _("A %(rule)s has no usable action and is ignored.") % {"rule": tag},
                element=where,
                expected=_("<imsss:ruleAction action='%(actions)s'/>")
                % {"actions": "|".join(sorted(RULE_ACTIONS[tag]))},
                advice=_("Give the rule one of the actions SCORM defines for it."),
            )
            return None
        rule: dict[str, Any] = {"action": action}
        for condition_element, settings in self.read_conditions(
            element, rule, "ruleConditions", "ruleCondition", RULE_CONDITIONS, where
        ):
            referenced = identifier_value(condition_element.get("referencedObjective"))
            if referenced:
                settings["referencedObjective"] = referenced
            threshold = self.float_value(
                condition_element.get("measureThreshold"), "measureThreshold", where, -1, 1
            )
            if threshold is not None:
                settings["parameters"] = {"threshold": threshold}
        return rule

    def read_conditions(
        self, element: Element, rule: dict, container: str, tag: str, allowed: frozenset, where: str
    ) -> list[tuple[Element, dict]]:
        """The conditions of a sequencing or rollup rule, put into `rule["conditions"]` (with
        their combination); returns each condition element beside its settings so that the
        caller can add what only its kind of rule has."""
        conditions_element = element.find(_q(NS_IMSSS, container))
        read: list[tuple[Element, dict]] = []
        if conditions_element is not None:
            combination = self.token_attr(
                conditions_element, "conditionCombination", frozenset({"all", "any"}), where
            )
            if combination is not None:
                rule["conditionCombination"] = combination
            for condition_element in conditions_element.findall(_q(NS_IMSSS, tag)):
                condition = self.token_attr(condition_element, "condition", allowed, where)
                if condition is None:
                    continue
                settings: dict[str, Any] = {"condition": condition}
                if condition_element.get("operator", "").strip() == "not":
                    settings["operator"] = "not"
                read.append((condition_element, settings))
        rule["conditions"] = [settings for _element, settings in read]
        return read

    def read_rollup_rule(self, element: Element, where: str) -> dict | None:
        where = f"{where}/imsss:rollupRules/imsss:rollupRule"
        action_element = element.find(_q(NS_IMSSS, "rollupAction"))
        action = (
            self.token_attr(action_element, "action", ROLLUP_ACTIONS, where)
            if action_element is not None
            else None
        )
        if action is None:
            self.warning(
                "rollup-rule-ignored",
                _("A rollup rule has no usable action and is ignored."),
                element=where,
                expected=_("<imsss:rollupAction action='%(actions)s'/>")
                % {"actions": "|".join(sorted(ROLLUP_ACTIONS))},
                advice=_("Give the rule one of the rollup actions SCORM defines."),
            )
            return None
        rule: dict[str, Any] = {"action": action}
        child_set = self.token_attr(element, "childActivitySet", CHILD_ACTIVITY_SETS, where)
        if child_set is not None:
            rule["consideration"] = child_set
        minimum_count = self.int_attr(element, "minimumCount", where)
        if minimum_count is not None:
            rule["minimumCount"] = minimum_count
        minimum_percent = self.float_value(element.get("minimumPercent"), "minimumPercent", where, 0, 1)
        if minimum_percent is not None:
            # The manifest says 0–1; scorm-again compares against a percentage 0–100.
            rule["minimumPercent"] = round(minimum_percent * 100, 6)
        for _condition_element, settings in self.read_conditions(
            element, rule, "rollupConditions", "rollupCondition", ROLLUP_CONDITIONS, where
        ):
            settings["condition"] = ROLLUP_CONDITION_NAMES.get(settings["condition"], settings["condition"])
        return rule

    def read_objectives(self, element: Element, activity: str, where: str, fragment: dict) -> None:
        where = f"{where}/imsss:objectives"
        primary = element.find(_q(NS_IMSSS, "primaryObjective"))
        if primary is not None:
            fragment["primaryObjective"] = self.read_objective(primary, where)
            # scorm-again keys objectives by ID and drops one without; the CAM allows a primary
            # objective without objectiveID, so it gets the activity's identifier.
            fragment["primaryObjective"].setdefault("objectiveID", activity)
        others = []
        for objective in element.findall(_q(NS_IMSSS, "objective")):
            settings = self.read_objective(objective, where)
            if "objectiveID" in settings:
                others.append(settings)
            else:
                self.invalid_value("imsss:objective@objectiveID", "", where, _("an objective identifier"))
        if others:
            fragment["objectives"] = others

    def read_objective(self, element: Element, where: str) -> dict:
        settings: dict[str, Any] = {}
        if identifier_value(element.get("objectiveID")):
            settings["objectiveID"] = identifier_value(element.get("objectiveID"))
        self.copy_bool(element, "satisfiedByMeasure", settings, where)
        measure = element.find(_q(NS_IMSSS, "minNormalizedMeasure"))
        if measure is not None:
            value = self.float_value(_text(measure), "imsss:minNormalizedMeasure", where, -1, 1)
            if value is not None:
                settings["minNormalizedMeasure"] = value
        maps = []
        for info in element.findall(_q(NS_IMSSS, "mapInfo")):
            mapping = self.read_map_info(info, where)
            if mapping:
                maps.append(mapping)
        if maps:
            settings["mapInfo"] = maps
        return settings

    def read_map_info(self, element: Element, where: str) -> dict | None:
        target = identifier_value(element.get("targetObjectiveID"))
        if not target:
            self.invalid_value("mapInfo@targetObjectiveID", "", where, _("a global objective identifier"))
            return None
        mapping: dict[str, Any] = {"targetObjectiveID": target}
        for name in (
            "readSatisfiedStatus",
            "readNormalizedMeasure",
            "writeSatisfiedStatus",
            "writeNormalizedMeasure",
            "readCompletionStatus",
            "writeCompletionStatus",
            "readProgressMeasure",
            "writeProgressMeasure",
            "readRawScore",
            "writeRawScore",
            "readMinScore",
            "writeMinScore",
            "readMaxScore",
            "writeMaxScore",
            "updateAttemptData",
        ):
            self.copy_bool(element, name, mapping, where)
        return mapping

    def merge_extended_objectives(self, element: Element, where: str, fragment: dict) -> None:
        """4th ed. adlseq:objectives add score/progress map flags to imsss objectives by ID."""
        where = f"{where}/adlseq:objectives"
        by_id = {
            objective["objectiveID"]: objective
            for objective in [fragment.get("primaryObjective"), *fragment.get("objectives", [])]
            if objective
        }
        for objective in element.findall(_q(NS_ADLSEQ, "objective")):
            identifier = identifier_value(objective.get("objectiveID"))
            target = by_id.get(identifier)
            if target is None:
                self.warning(
                    "extended-objective-unknown",
                    _(
                        "adlseq:objective %(objective)s extends no imsss objective of this activity; "
                        "it is ignored."
                    )
                    % {"objective": repr(identifier)},
                    element=where,
                    expected=_("objectiveID of one of: %(ids)s") % {"ids": ", ".join(by_id) or _("(none)")},
                    advice=_("Use the objectiveID of the imsss objective it extends."),
                )
                continue
            maps = target.setdefault("mapInfo", [])
            for info in objective.findall(_q(NS_ADLSEQ, "mapInfo")):
                mapping = self.read_map_info(info, where)
                if mapping is None:
                    continue
                same = next((m for m in maps if m["targetObjectiveID"] == mapping["targetObjectiveID"]), None)
                if same is None:
                    maps.append(mapping)
                else:
                    same.update(mapping)


# --------------------------------------------------------------------------------------------
# Human-readable summary


def manifest_summary_lines(manifest: Manifest) -> list[str]:
    """Lines for `scorm_inspect`: version, organisation, item tree, sequencing, problems."""
    lines: list[str] = []
    if manifest.version:
        version = (
            _("SCORM 2004 %(edition)s edition") % {"edition": manifest.edition}
            if manifest.version == "2004"
            else _("SCORM 1.2")
        )
        schemaversion = manifest.schemaversion if manifest.schemaversion is not None else _("(none)")
        lines.append(
            _("%(version)s — schemaversion: %(schemaversion)s")
            % {"version": version, "schemaversion": schemaversion}
        )
    if manifest.identifier or manifest.title:
        lines.append(
            _("Package %(identifier)s: %(title)s")
            % {"identifier": manifest.identifier, "title": manifest.title}
        )
    if manifest.default_organisation:
        lines.append(
            _("Default organisation: %(organisation)s (organisations: %(all)s)")
            % {"organisation": manifest.default_organisation, "all": ", ".join(manifest.organisations)}
        )
    if manifest.items:
        lines.append(_("Items:"))
        lines.extend(_item_lines(manifest.items, depth=1))

    sequencing = []
    root_summary = _sequencing_summary(manifest.organisation_sequencing)
    if root_summary:
        sequencing.append(f"  {manifest.default_organisation}: {root_summary}")
    for item in _walk(manifest.items):
        summary = _sequencing_summary(item.sequencing)
        if summary:
            sequencing.append(f"  {item.identifier}: {summary}")
    for identifier, fragment in manifest.sequencing_collections.items():
        summary = _sequencing_summary(fragment)
        sequencing.append(
            _("  collection %(id)s: %(summary)s") % {"id": identifier, "summary": summary or "—"}
        )
    if sequencing:
        lines.append(_("Sequencing:"))
        lines.extend(sequencing)
    if manifest.shared_data:
        lines.append(
            _("Shared data buckets: %(buckets)s")
            % {"buckets": ", ".join(bucket["targetID"] for bucket in manifest.shared_data)}
        )

    for heading, problems in ((_("Errors:"), manifest.errors), (_("Warnings:"), manifest.warnings)):
        if problems:
            lines.append(heading)
            for problem in problems:
                lines.extend(_problem_lines(problem))
    if not manifest.errors:
        lines.append(_("No errors: the package can be imported."))
    return lines


def _walk(items: list[Item]) -> list[Item]:
    return [found for item in items for found in (item, *_walk(item.children))]


def _item_lines(items: list[Item], depth: int) -> list[str]:
    lines = []
    for item in items:
        details = []
        if item.href:
            kind = {"sco": _("SCO"), "asset": _("asset")}.get(
                item.scorm_type or "", _("SCO (type not stated)")
            )
            details.append(f"{kind} → {item.launch_url}")
        if item.mastery_score is not None:
            details.append(_("mastery score %(score)s") % {"score": f"{item.mastery_score:g}"})
        if item.completion_threshold is not None:
            details.append(_("completion threshold %(value)s") % {"value": f"{item.completion_threshold:g}"})
        if item.scaled_passing_score is not None:
            details.append(_("scaled passing score %(value)s") % {"value": f"{item.scaled_passing_score:g}"})
        if item.max_time_allowed:
            details.append(_("time allowed %(value)s") % {"value": item.max_time_allowed})
        if not item.is_visible:
            details.append(_("hidden"))
        suffix = f" — {'; '.join(details)}" if details else ""
        lines.append(f"{'  ' * depth}- {item.title or _('(untitled)')} [{item.identifier}]{suffix}")
        lines.extend(_item_lines(item.children, depth + 1))
    return lines


def _sequencing_summary(fragment: dict) -> str:
    """ "flow, choice; 2 pre-condition rules; rollup: 1 rule; global objectives: obj-x"."""
    parts: list[str] = []
    controls = fragment.get("sequencingControls", {})
    modes: list[str] = []
    for key, label in (
        ("flow", _("flow")),
        ("choice", _("choice")),
        ("choiceExit", _("choice exit")),
        ("forwardOnly", _("forward only")),
    ):
        if key in controls:
            modes.append(label if controls[key] else _("no %(mode)s") % {"mode": label})
    if modes:
        parts.append(", ".join(modes))
    rules = fragment.get("sequencingRules", {})
    count = len(rules.get("preConditionRules", []))
    if count:
        parts.append(
            ngettext("%(count)d pre-condition rule", "%(count)d pre-condition rules", count)
            % {"count": count}
        )
    count = len(rules.get("exitConditionRules", []))
    if count:
        parts.append(ngettext("%(count)d exit rule", "%(count)d exit rules", count) % {"count": count})
    count = len(rules.get("postConditionRules", []))
    if count:
        parts.append(
            ngettext("%(count)d post-condition rule", "%(count)d post-condition rules", count)
            % {"count": count}
        )
    rollup = fragment.get("rollupRules", {}).get("rules", [])
    if rollup:
        parts.append(
            ngettext("rollup: %(count)d rule", "rollup: %(count)d rules", len(rollup))
            % {"count": len(rollup)}
        )
    objectives = [fragment.get("primaryObjective"), *fragment.get("objectives", [])]
    targets = [mapping["targetObjectiveID"] for o in objectives if o for mapping in o.get("mapInfo", [])]
    if targets:
        parts.append(_("global objectives: %(ids)s") % {"ids": ", ".join(dict.fromkeys(targets))})
    if "attemptLimit" in fragment:
        parts.append(_("attempt limit %(limit)d") % {"limit": fragment["attemptLimit"]})
    if fragment.get("sequencingIdRef"):
        parts.append(_("uses collection %(id)s") % {"id": fragment["sequencingIdRef"]})
    if fragment.get("hideLmsUi"):
        parts.append(_("hides: %(controls)s") % {"controls": ", ".join(fragment["hideLmsUi"])})
    return "; ".join(parts)


def _problem_lines(problem: Problem) -> list[str]:
    marker = _("ERROR") if problem.severity == "error" else _("WARNING")
    lines = [f"  {marker} [{problem.code}] {problem.message}"]
    where = ", ".join(
        part
        for part in (
            _("file: %(file)s") % {"file": problem.file} if problem.file else "",
            _("element: %(element)s") % {"element": problem.element} if problem.element else "",
        )
        if part
    )
    if where:
        lines.append(f"      {where}")
    if problem.expected:
        lines.append("      " + _("expected: %(expected)s") % {"expected": problem.expected})
    if problem.advice:
        lines.append("      " + _("advice: %(advice)s") % {"advice": problem.advice})
    return lines
