"""What a manifest says, as `manifest_parse` understood it: the `Manifest`, its `Item` tree
(the default organisation) and its `Resource`s. Plain data; no parsing here."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from scorm.problems import Problem

# Keys a stored sequencing collection keeps (the collection format scorm-again 3.4 defined,
# which the stored definition still follows); the others (limits, delivery controls) are
# copied onto each activity that references the collection.
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
    sequencing: dict[str, Any] = field(default_factory=dict)  # this item's keys of `sequencing_settings`
    shared_data_maps: list[dict[str, Any]] = field(default_factory=list)
    children: list[Item] = field(default_factory=list)

    @property
    def is_launchable(self) -> bool:
        return not self.children and bool(self.href)


def items_in_order(items: list[Item]) -> list[Item]:
    """Every item of these trees in document order (each item before its children)."""
    return [found for item in items for found in (item, *items_in_order(item.children))]


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
    shared_data: list[dict[str, Any]] = field(default_factory=list)  # 4th ed. buckets and who maps them
    sequencing_collections: dict[str, dict[str, Any]] = field(default_factory=dict)
    organisation_sequencing: dict[str, Any] = field(default_factory=dict)  # the root activity's settings
    objectives_global_to_system: bool = True
    shared_data_global_to_system: bool = True
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    def launchable_items(self) -> list[Item]:
        """Leaf items with a launch file, in document order: the player's table of contents."""
        return [item for item in items_in_order(self.items) if item.is_launchable]

    def sequencing_settings(self) -> dict[str, Any]:
        """The sequencing definition stored on the package version (`PackageVersion.sequencing`,
        read by scorm.sequencing.tree); `{}` for SCORM 1.2.

        The root activity is the organisation. Only keys the manifest sets are present,
        except `id`, `title` and `isVisible`, which every activity carries. The format (key
        names, nesting, collections) is the one scorm-again 3.4 defined for its `sequencing`
        option, kept so that stored versions stay readable.
        """
        if self.version != "2004" or not self.default_organisation:
            return {}

        def activity(item: Item) -> dict[str, Any]:
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

    def _with_collection_extras(self, fragment: dict[str, Any]) -> dict[str, Any]:
        """Copy the keys a stored collection does not keep onto the activity that references it.

        The activity's own values win, as the CAM says local sequencing elements do.
        """
        collection = self.sequencing_collections.get(fragment.get("sequencingIdRef", ""), {})
        extras = {
            key: value
            for key, value in collection.items()
            if key not in COLLECTION_KEYS and key not in fragment
        }
        return {**fragment, **extras}

    def as_dict(self) -> dict[str, Any]:
        """Everything, JSON-serialisable: stored on the package version, printed by --json."""
        data = asdict(self)
        data["launchable_items"] = [item.identifier for item in self.launchable_items()]
        data["sequencing"] = self.sequencing_settings()
        return data
