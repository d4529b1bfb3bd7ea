"""The activity tree: `PackageVersion.sequencing` (see `scorm.manifest.Manifest.sequencing_settings`)
resolved into `Activity` objects that carry every Sequencing Definition Model value with the
SN book's defaults filled in."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# SN book, Sequencing Definition Model defaults (SM.1–SM.13, ADL extensions).
DEFAULT_CONTROLS: dict[str, Any] = {
    "choice": True,
    "choiceExit": True,
    "flow": False,
    "forwardOnly": False,
    "useCurrentAttemptObjectiveInfo": True,
    "useCurrentAttemptProgressInfo": True,
    "rollupObjectiveSatisfied": True,
    "rollupProgressCompletion": True,
    "objectiveMeasureWeight": 1.0,
    "preventActivation": False,
    "constrainChoice": False,
}
DEFAULT_CONSIDERATIONS: dict[str, Any] = {
    "requiredForSatisfied": "always",
    "requiredForNotSatisfied": "always",
    "requiredForCompleted": "always",
    "requiredForIncomplete": "always",
    "measureSatisfactionIfActive": True,
}
# completionSetByContent / objectiveSetByContent default to false: the LMS then records a
# completed, satisfied attempt when it ends with nothing reported (SN UP.4).
DEFAULT_DELIVERY: dict[str, bool] = {
    "tracked": True,
    "completionSetByContent": False,
    "objectiveSetByContent": False,
}


@dataclass(frozen=True)
class ObjectiveMap:
    """One `mapInfo`: which global objective this objective reads from and writes to."""

    target: str
    read_satisfied: bool = True
    read_measure: bool = True
    write_satisfied: bool = False
    write_measure: bool = False


@dataclass(frozen=True)
class ObjectiveDefinition:
    identifier: str
    satisfied_by_measure: bool = False
    min_measure: float = 1.0
    maps: tuple[ObjectiveMap, ...] = ()

    @classmethod
    def from_settings(cls, settings: dict, default_identifier: str) -> ObjectiveDefinition:
        return cls(
            identifier=str(settings.get("objectiveID") or default_identifier),
            satisfied_by_measure=bool(settings.get("satisfiedByMeasure", False)),
            min_measure=float(settings.get("minNormalizedMeasure", 1.0)),
            maps=tuple(
                ObjectiveMap(
                    target=str(mapping["targetObjectiveID"]),
                    read_satisfied=bool(mapping.get("readSatisfiedStatus", True)),
                    read_measure=bool(mapping.get("readNormalizedMeasure", True)),
                    write_satisfied=bool(mapping.get("writeSatisfiedStatus", False)),
                    write_measure=bool(mapping.get("writeNormalizedMeasure", False)),
                )
                for mapping in settings.get("mapInfo", [])
                if mapping.get("targetObjectiveID")
            ),
        )


@dataclass(eq=False)
class Activity:
    """One activity of the tree; `controls`, `considerations` and `delivery` hold every key with
    its default, the rules are the manifest's dicts as `scorm.manifest` writes them."""

    identifier: str
    title: str = ""
    is_visible: bool = True
    parent: Activity | None = None
    children: list[Activity] = field(default_factory=list)
    controls: dict[str, Any] = field(default_factory=lambda: dict(DEFAULT_CONTROLS))
    considerations: dict[str, Any] = field(default_factory=lambda: dict(DEFAULT_CONSIDERATIONS))
    delivery: dict[str, bool] = field(default_factory=lambda: dict(DEFAULT_DELIVERY))
    pre_rules: list[dict] = field(default_factory=list)
    exit_rules: list[dict] = field(default_factory=list)
    post_rules: list[dict] = field(default_factory=list)
    rollup_rules: list[dict] = field(default_factory=list)
    attempt_limit: int = 0  # 0: no limit (SN SM.3)
    primary_objective: ObjectiveDefinition = field(default_factory=lambda: ObjectiveDefinition(""))
    objectives: tuple[ObjectiveDefinition, ...] = ()  # the others, for referencedObjective
    order: int = 0  # position in the preorder traversal of the tree
    position: int = 0  # index among its parent's children
    by_identifier: dict[str, Activity] = field(default_factory=dict, repr=False)  # root's index

    @property
    def is_leaf(self) -> bool:
        return not self.children

    @property
    def is_root(self) -> bool:
        return self.parent is None

    @property
    def tracked(self) -> bool:
        return self.delivery["tracked"]

    @property
    def root(self) -> Activity:
        activity = self
        while activity.parent is not None:
            activity = activity.parent
        return activity

    def find(self, identifier: str | None) -> Activity | None:
        """The activity of the tree with this identifier (any activity can look it up)."""
        return self.root.by_identifier.get(identifier or "")

    def preorder(self) -> list[Activity]:
        found = [self]
        for child in self.children:
            found.extend(child.preorder())
        return found

    def path_from_root(self) -> list[Activity]:
        """Root first, this activity last."""
        path = [self]
        while path[-1].parent is not None:
            path.append(path[-1].parent)
        return path[::-1]

    def is_ancestor_of(self, other: Activity) -> bool:
        return self in other.path_from_root()[:-1]

    def objective(self, identifier: str | None) -> ObjectiveDefinition:
        """The objective a rule condition references: a local objective by ID, else the primary."""
        for objective in self.objectives:
            if identifier and objective.identifier == identifier:
                return objective
        return self.primary_objective


def activity_tree(sequencing: dict) -> Activity:
    """The root `Activity` of `sequencing` ({"activityTree": ..., "collections": ...}).

    An activity that references a collection (`sequencingIdRef`) takes the collection's keys it
    does not define itself (the CAM: local elements win); control-mode keys merge one by one.
    """
    collections = sequencing.get("collections") or {}
    root = _activity(sequencing["activityTree"], None, collections)
    for order, activity in enumerate(root.preorder()):
        activity.order = order
        root.by_identifier[activity.identifier] = activity
    return root


def _activity(node: dict, parent: Activity | None, collections: dict) -> Activity:
    collection = collections.get(node.get("sequencingIdRef") or "", {})
    settings = {**collection, **node}
    controls = {
        **DEFAULT_CONTROLS,
        **collection.get("sequencingControls", {}),
        **node.get("sequencingControls", {}),
    }
    rules = settings.get("sequencingRules") or {}
    identifier = str(node["id"])
    primary = settings.get("primaryObjective") or {}
    activity = Activity(
        identifier=identifier,
        title=str(node.get("title") or identifier),
        is_visible=bool(node.get("isVisible", True)),
        parent=parent,
        controls=controls,
        considerations={**DEFAULT_CONSIDERATIONS, **(settings.get("rollupConsiderations") or {})},
        delivery={**DEFAULT_DELIVERY, **(settings.get("deliveryControls") or {})},
        pre_rules=list(rules.get("preConditionRules", [])),
        exit_rules=list(rules.get("exitConditionRules", [])),
        post_rules=list(rules.get("postConditionRules", [])),
        rollup_rules=list((settings.get("rollupRules") or {}).get("rules", [])),
        attempt_limit=int(settings.get("attemptLimit") or 0),
        primary_objective=ObjectiveDefinition.from_settings(primary, identifier),
        objectives=tuple(
            ObjectiveDefinition.from_settings(objective, identifier)
            for objective in settings.get("objectives", [])
            if objective.get("objectiveID")
        ),
    )
    activity.children = [_activity(child, activity, collections) for child in node.get("children", [])]
    for position, child in enumerate(activity.children):
        child.position = position
    return activity
