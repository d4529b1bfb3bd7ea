"""What can be wrong between the records of one file: unknown references, duplicates, cycles."""

from typing import Any

from django.utils.translation import gettext as _

from competencies.importing.document import WHOLE_FILE, FrameworkDocument, NodeEntry, RoleGroupEntry, Where

# Checks across records -----------------------------------------------------------------------


def document_check(document: FrameworkDocument) -> None:
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
        requirement_key = (requirement.role_group, requirement.node)
        if requirement_key in requirements:
            document.problem(
                requirement.at,
                "node",
                _("Role group “%(group)s” already has a requirement for “%(code)s”; keep one.")
                % {"group": requirement.role_group, "code": requirement.node},
            )
        requirements.add(requirement_key)

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
        mapping_key = (mapping.node, mapping.target_framework, mapping.target_version, mapping.target_node)
        if mapping_key in mappings:
            document.problem(mapping.at, "target_node", _("This mapping appears twice; keep one."))
        mappings.add(mapping_key)


def _unknown_node(code: str) -> str:
    return _(
        "There is no competency with the code “%(code)s” in this file; write the code of "
        "one of its competencies."
    ) % {"code": code}


def _cycles_report(
    document: FrameworkDocument, parents: dict[str, str], entries: dict[str, Any], what: str
) -> None:
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
