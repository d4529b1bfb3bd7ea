"""The sequencing definition of each activity: SCORM 2004 `imsss:sequencing` elements (IMS
Simple Sequencing) and their ADL extensions (`adlseq:`) read into the dictionaries stored in
`PackageVersion.sequencing` (assembled by `Manifest.sequencing_settings`) and read by the
engine in scorm.sequencing (`scorm.sequencing.tree.activity_tree`).

The key names and shapes (`sequencingControls`, `sequencingRules.preConditionRules`,
`rollupRules.rules`, `mapInfo`, …) are those scorm-again 3.4 defined for its sequencing
option, which first read this definition; the engine kept the format, so stored versions stay
readable. Only what the manifest sets is written; the engine fills in the SN book's defaults.
An unusable rule or value is dropped with a warning, an unknown collection reference is an
error.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from xml.etree.ElementTree import Element

from django.utils.translation import gettext as _

from scorm.manifest.elements import (
    NS_ADLSEQ,
    NS_IMSSS,
    ElementReader,
    collapsed_text,
    identifier_value,
    qname,
)

if TYPE_CHECKING:
    from scorm.manifest.structure import Manifest

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
# The stored definition names the manifest's rollup condition "activityProgressKnown"
# "progressKnown" (scorm-again's name, kept; scorm.sequencing.rollup reads both).
ROLLUP_CONDITION_NAMES = {"activityProgressKnown": "progressKnown"}
ROLLUP_ACTIONS = frozenset({"satisfied", "notSatisfied", "completed", "incomplete"})
CHILD_ACTIVITY_SETS = frozenset({"all", "any", "none", "atLeastCount", "atLeastPercent"})
TIMINGS = frozenset({"never", "once", "onEachNewAttempt"})
ROLLUP_REQUIREMENTS = frozenset({"always", "ifAttempted", "ifNotSkipped", "ifNotSuspended"})


# Rules the engine (scorm.sequencing) reads but does not follow yet; a manifest that asks for
# one gets a warning at import, once per rule, so the author and the reviewer know.
TIME_CONDITIONS = frozenset({"timeLimitExceeded", "outsideAvailableTimeRange"})
TIME_LIMITS = (
    "attemptAbsoluteDurationLimit",
    "activityAbsoluteDurationLimit",
    "attemptExperiencedDurationLimit",
    "activityExperiencedDurationLimit",
    "beginTimeLimit",
    "endTimeLimit",
)


class SequencingReader(ElementReader):
    """Reads the sequencing collection and each activity's `imsss:sequencing` into the stored
    sequencing definition; `ManifestReader` calls it for the organisation and every item."""

    def __init__(self, manifest: Manifest, root: Element) -> None:
        super().__init__(manifest, root)
        self.rules_not_followed: set[str] = set()

    def not_followed(self, rule: str, activity: str, where: str) -> None:
        """Warn, once per package and rule, that the sequencing asks for a rule Thaksa does
        not follow yet, and what learners get instead."""
        if rule in self.rules_not_followed:
            return
        self.rules_not_followed.add(rule)
        consequences = {
            "randomization": _(
                "Thaksa does not shuffle or select activities yet: learners get every child, in "
                "the manifest's order."
            ),
            "time-limits": _(
                "Thaksa's sequencing does not enforce time limits yet: an attempt never ends for "
                "lack of time (an attempt's duration limit still reaches the content as "
                "cmi.max_time_allowed)."
            ),
            "time-conditions": _(
                "Thaksa does not track time limits yet: the conditions timeLimitExceeded and "
                "outsideAvailableTimeRange are always false."
            ),
            "constrain-choice": _(
                "Thaksa does not constrain choice yet: learners may choose any activity the other "
                "rules allow."
            ),
        }
        self.warning(
            f"sequencing-not-followed-{rule}",
            _("The sequencing of %(activity)s asks for a rule that is not followed. %(consequence)s")
            % {"activity": activity, "consequence": consequences[rule]},
            element=where,
            advice=_(
                "Check that the package still teaches and assesses as intended without it, or "
                "leave the rule out."
            ),
        )

    def read_sequencing_collections(self) -> None:
        collection = self.root.find(qname(NS_IMSSS, "sequencingCollection"))
        if collection is None:
            return
        for element in collection.findall(qname(NS_IMSSS, "sequencing")):
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

    def read_sequencing(self, element: Element, activity: str, where: str) -> dict[str, Any]:
        """One `imsss:sequencing` element as keys of the stored sequencing definition."""
        where = f"{where}/imsss:sequencing"
        fragment: dict[str, Any] = {}
        controls: dict[str, Any] = {}

        def child(namespace: str, name: str) -> Element | None:
            return element.find(qname(namespace, name))

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
            rules: dict[str, list[dict[str, Any]]] = {}
            for tag in RULE_ACTIONS:
                read = [
                    self.read_rule(rule, tag, where) for rule in rules_element.findall(qname(NS_IMSSS, tag))
                ]
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
                duration = limits.get(name)
                if duration:
                    fragment[name] = duration.strip()
            if any((limits.get(name) or "").strip() for name in TIME_LIMITS):
                self.not_followed("time-limits", activity, where)

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
                self.read_rollup_rule(rule, where) for rule in rollup.findall(qname(NS_IMSSS, "rollupRule"))
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
            # The manifest's reorderChildren is the request to shuffle; the stored format calls
            # that randomizeChildren (its reorderChildren was scorm-again's "already shuffled").
            # scorm.sequencing does not randomize yet: children keep manifest order.
            reorder = self.bool_attr(randomization, "reorderChildren", where)
            if reorder is not None:
                controls["randomizeChildren"] = reorder
            shuffles = reorder and controls.get("randomizationTiming", "never") != "never"
            selects = select_count is not None and controls.get("selectionTiming", "never") != "never"
            if shuffles or selects:
                self.not_followed("randomization", activity, where)

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
            if controls.get("constrainChoice"):
                self.not_followed("constrain-choice", activity, where)

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
        rules_read = [
            *(rule for kind in fragment.get("sequencingRules", {}).values() for rule in kind),
            *fragment.get("rollupRules", {}).get("rules", []),
        ]
        if any(
            condition.get("condition") in TIME_CONDITIONS
            for rule in rules_read
            for condition in rule.get("conditions", [])
        ):
            self.not_followed("time-conditions", activity, where)
        return fragment

    def copy_bool(self, element: Element, name: str, target: dict[str, Any], where: str) -> None:
        value = self.bool_attr(element, name, where)
        if value is not None:
            target[name] = value

    def read_rule(self, element: Element, tag: str, where: str) -> dict[str, Any] | None:
        """A pre/exit/post condition rule; an unusable rule is dropped with a warning."""
        where = f"{where}/imsss:sequencingRules/imsss:{tag}"
        action_element = element.find(qname(NS_IMSSS, "ruleAction"))
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
        self,
        element: Element,
        rule: dict[str, Any],
        container: str,
        tag: str,
        allowed: frozenset[str],
        where: str,
    ) -> list[tuple[Element, dict[str, Any]]]:
        """The conditions of a sequencing or rollup rule, put into `rule["conditions"]` (with
        their combination); returns each condition element beside its settings so that the
        caller can add what only its kind of rule has."""
        conditions_element = element.find(qname(NS_IMSSS, container))
        read: list[tuple[Element, dict[str, Any]]] = []
        if conditions_element is not None:
            combination = self.token_attr(
                conditions_element, "conditionCombination", frozenset({"all", "any"}), where
            )
            if combination is not None:
                rule["conditionCombination"] = combination
            for condition_element in conditions_element.findall(qname(NS_IMSSS, tag)):
                condition = self.token_attr(condition_element, "condition", allowed, where)
                if condition is None:
                    continue
                settings: dict[str, Any] = {"condition": condition}
                if condition_element.get("operator", "").strip() == "not":
                    settings["operator"] = "not"
                read.append((condition_element, settings))
        rule["conditions"] = [settings for _element, settings in read]
        return read

    def read_rollup_rule(self, element: Element, where: str) -> dict[str, Any] | None:
        where = f"{where}/imsss:rollupRules/imsss:rollupRule"
        action_element = element.find(qname(NS_IMSSS, "rollupAction"))
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
            # The manifest says 0–1; the stored definition holds a percentage 0–100
            # (scorm.sequencing.rollup compares against it).
            rule["minimumPercent"] = round(minimum_percent * 100, 6)
        for _condition_element, settings in self.read_conditions(
            element, rule, "rollupConditions", "rollupCondition", ROLLUP_CONDITIONS, where
        ):
            settings["condition"] = ROLLUP_CONDITION_NAMES.get(settings["condition"], settings["condition"])
        return rule

    def read_objectives(self, element: Element, activity: str, where: str, fragment: dict[str, Any]) -> None:
        where = f"{where}/imsss:objectives"
        primary = element.find(qname(NS_IMSSS, "primaryObjective"))
        if primary is not None:
            fragment["primaryObjective"] = self.read_objective(primary, where)
            # Objectives are kept by ID (local objective state, referencedObjective); the CAM
            # allows a primary objective without objectiveID, so it gets the activity's identifier.
            fragment["primaryObjective"].setdefault("objectiveID", activity)
        others = []
        for objective in element.findall(qname(NS_IMSSS, "objective")):
            settings = self.read_objective(objective, where)
            if "objectiveID" in settings:
                others.append(settings)
            else:
                self.invalid_value("imsss:objective@objectiveID", "", where, _("an objective identifier"))
        if others:
            fragment["objectives"] = others

    def read_objective(self, element: Element, where: str) -> dict[str, Any]:
        settings: dict[str, Any] = {}
        if identifier_value(element.get("objectiveID")):
            settings["objectiveID"] = identifier_value(element.get("objectiveID"))
        self.copy_bool(element, "satisfiedByMeasure", settings, where)
        measure = element.find(qname(NS_IMSSS, "minNormalizedMeasure"))
        if measure is not None:
            value = self.float_value(collapsed_text(measure), "imsss:minNormalizedMeasure", where, -1, 1)
            if value is not None:
                settings["minNormalizedMeasure"] = value
        maps = []
        for info in element.findall(qname(NS_IMSSS, "mapInfo")):
            mapping = self.read_map_info(info, where)
            if mapping:
                maps.append(mapping)
        if maps:
            settings["mapInfo"] = maps
        return settings

    def read_map_info(self, element: Element, where: str) -> dict[str, Any] | None:
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

    def merge_extended_objectives(self, element: Element, where: str, fragment: dict[str, Any]) -> None:
        """4th ed. adlseq:objectives add score/progress map flags to imsss objectives by ID."""
        where = f"{where}/adlseq:objectives"
        by_id = {
            objective["objectiveID"]: objective
            for objective in [fragment.get("primaryObjective"), *fragment.get("objectives", [])]
            if objective
        }
        for objective in element.findall(qname(NS_ADLSEQ, "objective")):
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
            for info in objective.findall(qname(NS_ADLSEQ, "mapInfo")):
                mapping = self.read_map_info(info, where)
                if mapping is None:
                    continue
                same = next((m for m in maps if m["targetObjectiveID"] == mapping["targetObjectiveID"]), None)
                if same is None:
                    maps.append(mapping)
                else:
                    same.update(mapping)
