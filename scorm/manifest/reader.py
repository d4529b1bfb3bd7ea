"""Reading `imsmanifest.xml` into a `Manifest`: version, resources, the default organisation
and its items (their launch files and ADL item extensions). The sequencing of a SCORM 2004
activity is read by `SequencingReader` (scorm.manifest.sequencing_definition), which this
reader extends.

Rules enforced here:

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
* Size: an organisation holds at most MAX_ITEMS items, nested at most MAX_ITEM_DEPTH deep
  (and no element is deeper than `elements.MAX_XML_DEPTH`); beyond that the import fails
  with a Problem.
* A resource without `adlcp:scormType` is kept with `scorm_type=None` and a warning: the
  player offers the API to it anyway, as it would to a SCO.
"""

from __future__ import annotations

from typing import Any
from xml.etree.ElementTree import Element, ParseError
from xml.parsers.expat import ErrorString

from defusedxml import DefusedXmlException
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from scorm.manifest.elements import (
    MANIFEST_FILE,
    MAX_XML_DEPTH,
    NS_ADLCP_12,
    NS_ADLCP_2004,
    NS_ADLNAV,
    NS_ADLSEQ,
    NS_CP_12,
    NS_CP_2004,
    NS_IMSSS,
    XML_BASE,
    TooDeep,
    collapsed_text,
    identifier_value,
    local_name,
    namespace_of,
    qname,
    xml_parse,
)
from scorm.manifest.launch import href_under_bases, is_outside_package, launch_url_join, package_path
from scorm.manifest.sequencing_definition import SequencingReader
from scorm.manifest.structure import Item, Manifest, Resource, items_in_order
from scorm.problems import Problem

# schemaversion text (whitespace collapsed, lower case) → (version, edition).
SCHEMAVERSIONS: dict[str, tuple[str, str | None]] = {
    "1.2": ("1.2", None),
    "cam 1.3": ("2004", "2nd"),
    "2004 3rd edition": ("2004", "3rd"),
    "2004 4th edition": ("2004", "4th"),
}

# How much an organisation may hold. Authoring tools write a few hundred items; beyond these a
# manifest is refused with a Problem, never parsed into a recursion that crashes the import.
MAX_ITEM_DEPTH = 50  # items inside items in the organisation
MAX_ITEMS = 5000  # items in the organisation

HIDE_LMS_UI = frozenset({"continue", "previous", "exit", "exitAll", "abandon", "abandonAll", "suspendAll"})


def manifest_parse(xml: bytes, *, package_files: set[str] | None = None) -> Manifest:
    """Parse `imsmanifest.xml`; never raises for a bad manifest (see `Manifest.errors`).

    `package_files`, when given, is every file path in the package (relative to its root,
    forward slashes): each SCO/asset launch file must be among them.
    """
    manifest = Manifest()
    try:
        root, declared = xml_parse(xml)
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
    except TooDeep as deep:
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
    ManifestReader(manifest, root, declared, package_files).read()
    return manifest


class ManifestReader(SequencingReader):
    """Fills one `Manifest` from a parsed tree; collects problems instead of raising."""

    def __init__(
        self, manifest: Manifest, root: Element, declared: set[str], package_files: set[str] | None
    ) -> None:
        super().__init__(manifest, root)
        self.declared = declared
        self.package_files = package_files
        self.cp = namespace_of(root.tag)
        self.adlcp = NS_ADLCP_2004
        self.item_identifiers: set[str] = set()
        # The organisation was too deep or too large to read in full: that error says it all.
        self.structure_refused = False

    # ---- the document

    def read(self) -> None:
        manifest = self.manifest
        if local_name(self.root.tag) != "manifest" or self.cp not in (NS_CP_12, NS_CP_2004, ""):
            self.error(
                "manifest-not-content-package",
                _("The root element is %(found)s, not an IMS content package <manifest>.")
                % {"found": self.root.tag},
                element=local_name(self.root.tag),
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
            used.add(namespace_of(element.tag))
            used.update(namespace_of(name) for name in element.attrib)
        return used

    def detect_version(self) -> None:
        """Fill version, edition and schemaversion; an error when the version cannot be told."""
        manifest = self.manifest
        metadata = self.root.find(qname(self.cp, "metadata"))
        schemaversion = metadata.find(qname(self.cp, "schemaversion")) if metadata is not None else None
        manifest.schemaversion = collapsed_text(schemaversion) if schemaversion is not None else None
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
            if element.tag in (qname(NS_ADLCP_2004, "data"), qname(NS_ADLSEQ, "objectives")):
                return True
            if element.tag == qname(NS_ADLCP_2004, "completionThreshold") and element.attrib:
                return True
        return False

    # ---- resources

    def read_resources(self) -> dict[str, Resource]:
        resources: dict[str, Resource] = {}
        resources_element = self.root.find(qname(self.cp, "resources"))
        if resources_element is None:
            return resources
        bases = [self.root.get(XML_BASE, ""), resources_element.get(XML_BASE, "")]
        self.check_bases(bases, "resources")
        for element in resources_element.findall(qname(self.cp, "resource")):
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
                href=href_under_bases(chain, href) if href else "",
                scorm_type=self.scorm_type(element, where),
                base=href_under_bases(chain, ""),
                files=[
                    href_under_bases(chain, file.get("href", "").strip().replace("\\", "/"))
                    for file in element.findall(qname(self.cp, "file"))
                    if file.get("href", "").strip()
                ],
                dependencies=[
                    identifier_value(dependency.get("identifierref"))
                    for dependency in element.findall(qname(self.cp, "dependency"))
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
        raw = element.get(qname(self.adlcp, "scormType")) or element.get(qname(self.adlcp, "scormtype"))
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
        organizations = self.root.find(qname(self.cp, "organizations"))
        if organizations is None:
            self.error(
                "organizations-missing",
                _("The manifest has no <organizations> element, so there is no course structure to launch."),
                element="manifest",
                expected=_("<organizations default='…'> with at least one <organization>"),
                advice=_("Export the package again; a SCORM package must describe its organisation."),
            )
            return
        elements = organizations.findall(qname(self.cp, "organization"))
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
        manifest.title = collapsed_text(element.find(qname(self.cp, "title"))) or manifest.identifier
        count = sum(1 for _item in element.iter(qname(self.cp, "item")))
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
            self.read_item(child, where, depth=1) for child in element.findall(qname(self.cp, "item"))
        ]
        if manifest.version != "2004":
            return
        objectives_global = self.bool_attr(element, qname(NS_ADLSEQ, "objectivesGlobalToSystem"), where)
        shared_global = self.bool_attr(element, qname(NS_ADLCP_2004, "sharedDataGlobalToSystem"), where)
        manifest.objectives_global_to_system = objectives_global is not False
        manifest.shared_data_global_to_system = shared_global is not False
        sequencing = element.find(qname(NS_IMSSS, "sequencing"))
        if sequencing is not None:
            manifest.organisation_sequencing = self.read_sequencing(sequencing, identifier, where)

    def read_item(self, element: Element, parent_where: str, *, depth: int) -> Item:
        identifier = identifier_value(element.get("identifier"))
        where = f"{parent_where}/item[@identifier='{identifier}']"
        children = element.findall(qname(self.cp, "item"))
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
            title=collapsed_text(element.find(qname(self.cp, "title"))),
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
        if is_outside_package(path):
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
            found = element.find(qname(NS_ADLCP_12, name))
            return (collapsed_text(found) or None) if found is not None else None

        item.mastery_score = self.float_value(extension("masteryscore"), "adlcp:masteryscore", where, 0, 100)
        item.max_time_allowed = extension("maxtimeallowed")
        item.time_limit_action = extension("timelimitaction")
        item.data_from_lms = extension("datafromlms")
        item.prerequisites = extension("prerequisites")

    def read_item_2004(self, item: Item, element: Element, where: str) -> None:
        time_limit_action = element.find(qname(NS_ADLCP_2004, "timeLimitAction"))
        item.time_limit_action = collapsed_text(time_limit_action) or None
        data_from_lms = element.find(qname(NS_ADLCP_2004, "dataFromLMS"))
        # Launch data is passed to the SCO verbatim: keep its whitespace.
        item.data_from_lms = (data_from_lms.text or "") if data_from_lms is not None else None

        fragment: dict[str, Any] = {}
        sequencing = element.find(qname(NS_IMSSS, "sequencing"))
        if sequencing is not None:
            fragment.update(self.read_sequencing(sequencing, item.identifier, where))
        threshold = element.find(qname(NS_ADLCP_2004, "completionThreshold"))
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

    def read_completion_threshold(self, item: Item, element: Element, where: str) -> dict[str, Any]:
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
        minimum = self.float_value(collapsed_text(element), "adlcp:completionThreshold", where, 0, 1)
        if minimum is None:
            return {}
        # Before the 4th edition a threshold always meant "completed once progress reaches it".
        item.completion_threshold = minimum
        item.completed_by_measure = True
        return {"completedByMeasure": True, "minProgressMeasure": minimum}

    def read_hide_lms_ui(self, element: Element, where: str) -> list[str]:
        path = "/".join(
            qname(NS_ADLNAV, name) for name in ("presentation", "navigationInterface", "hideLMSUI")
        )
        hidden: list[str] = []
        for control in element.findall(path):
            value = collapsed_text(control)
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

    def read_shared_data_maps(self, element: Element, where: str) -> list[dict[str, Any]]:
        maps: list[dict[str, Any]] = []
        data = element.find(qname(NS_ADLCP_2004, "data"))
        if data is None:
            return maps
        for mapping in data.findall(qname(NS_ADLCP_2004, "map")):
            target = identifier_value(mapping.get("targetID"))
            if not target:
                self.invalid_value(
                    "adlcp:map@targetID", "", where, _("the identifier of a shared data bucket")
                )
                continue
            read = self.bool_attr(mapping, "readSharedData", where)
            write = self.bool_attr(mapping, "writeSharedData", where)
            # Written out in full: the CAM defaults both to true, so no reader of the stored
            # definition has to know that default (scorm-again's own write default was false).
            maps.append(
                {
                    "targetID": target,
                    "readSharedData": read is not False,
                    "writeSharedData": write is not False,
                }
            )
        return maps

    def shared_data_buckets(self) -> list[dict[str, Any]]:
        buckets: dict[str, dict[str, Any]] = {}
        for item in items_in_order(self.manifest.items):
            for mapping in item.shared_data_maps:
                bucket = buckets.setdefault(
                    mapping["targetID"], {"targetID": mapping["targetID"], "readers": [], "writers": []}
                )
                if mapping["readSharedData"]:
                    bucket["readers"].append(item.identifier)
                if mapping["writeSharedData"]:
                    bucket["writers"].append(item.identifier)
        return list(buckets.values())
