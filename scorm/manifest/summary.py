"""The manifest as a person reads it (`manage.py scorm_inspect`): version, organisation, the
item tree, a line of sequencing per activity, then every error and warning."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from scorm.manifest.structure import Item, Manifest, items_in_order
from scorm.problems import Problem


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
    for item in items_in_order(manifest.items):
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


def _sequencing_summary(fragment: dict[str, Any]) -> str:
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
