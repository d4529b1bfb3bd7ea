"""Importing competency frameworks from files: the one place frameworks are written in bulk.

The rules:

- A framework is known by its code and version. Importing a file of a framework that is
  already there updates it in place (names, descriptions, levels, competencies, descriptors,
  role groups, requirements, mappings); importing the same file twice changes nothing the
  second time and never duplicates anything.
- The file is the whole framework: what it no longer holds is removed, unless something
  points at it. A competency that a course targets, that evidence records or that a question
  measures, a level that evidence or a course reaches, a role group that people belong to or
  that an assignment targets: removing any of these refuses the import with a message saying
  which and how to proceed. Evidence is never deleted by an import.
- Several files are imported together or not at all. Files of one batch may refer to each
  other: the 2018 OCSC framework maps its competencies to the TPQI framework, which
  supersedes it. References outside the batch must already be in the database.
- Nothing is written while any file has any problem; `FrameworkImportRefused` carries every
  problem, each with its file, row or JSON path, column and what to do.

A role group belongs to the framework whose file defines it. A file may also name, in its
requirements or as a parent, role groups that exist already (e.g. the OCSC groups that the
demo seeds before any framework is loaded); those it defines and that exist without a
framework become its own.
"""

import dataclasses
import json
from collections.abc import Iterable, Sequence
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Max, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from competencies.importing import (
    WHOLE_FILE,
    FrameworkDocument,
    Problem,
    framework_document_from_data,
    framework_file_read,
)
from competencies.models import (
    CompetencyEvidence,
    CompetencyFramework,
    CompetencyMapping,
    CompetencyNode,
    LevelDescriptor,
    ProficiencyLevel,
    ProficiencyScale,
    RoleRequirement,
)
from people.models import RoleGroup

SHIPPED_FRAMEWORKS_DIR = Path(__file__).resolve().parent.parent / "data" / "frameworks"

Key = tuple[str, str]  # (framework code, version)


class FrameworkImportRefused(ValidationError):
    """Nothing was imported: these problems must be fixed first."""

    def __init__(self, problems: list[Problem]):
        super().__init__([str(problem) for problem in problems])
        self.problems = problems


@dataclasses.dataclass
class Changes:
    """What importing a list of records does to what is stored: keys added, changed, removed."""

    added: list = dataclasses.field(default_factory=list)
    changed: list = dataclasses.field(default_factory=list)
    removed: list = dataclasses.field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.added or self.changed or self.removed)


@dataclasses.dataclass
class FrameworkChanges:
    """What importing one file would change; shown before anyone confirms an import."""

    document: FrameworkDocument
    is_new: bool
    details_changed: bool  # names, descriptions, status, publisher, source, date, supersedes
    levels: Changes
    nodes: Changes  # competency codes
    descriptors: Changes  # (competency code, level)
    role_groups: Changes  # role group codes
    requirements: Changes  # (role group code, competency code)
    mappings: Changes  # (competency code, framework, version, competency code)

    @property
    def changes_anything(self) -> bool:
        return (
            self.is_new
            or self.details_changed
            or any(
                (
                    self.levels,
                    self.nodes,
                    self.descriptors,
                    self.role_groups,
                    self.requirements,
                    self.mappings,
                )
            )
        )


@dataclasses.dataclass
class ImportPreview:
    changes: list[FrameworkChanges]
    problems: list[Problem]


# Reading ------------------------------------------------------------------------------------


def shipped_framework_files() -> list[Path]:
    """The framework files Thaksa ships (competencies/data/frameworks/*.json).

    The .csv beside a .json is the same framework as a spreadsheet, to edit in Excel; it is
    not loaded a second time."""
    return sorted(SHIPPED_FRAMEWORKS_DIR.glob("*.json"))


def framework_files_read(paths: Iterable[Path]) -> list[FrameworkDocument]:
    return [framework_file_read(name=path.name, data=path.read_bytes()) for path in paths]


def _as_document(document: FrameworkDocument | dict) -> FrameworkDocument:
    if isinstance(document, FrameworkDocument):
        return document
    # Through JSON and back, as a file would be: dates written as date objects become text.
    return framework_document_from_data(json.loads(json.dumps(document, default=str)))


# Checking -----------------------------------------------------------------------------------


def frameworks_preview(*, documents: Sequence[FrameworkDocument | dict]) -> ImportPreview:
    """Every problem of a batch of files, and what importing them would change. Writes nothing."""
    # Copies, so that the problems found here are not added to the caller's documents.
    documents = [dataclasses.replace(_as_document(document)) for document in documents]
    for document in documents:
        document.problems = list(document.problems)
    batch: dict[Key, FrameworkDocument] = {}
    for document in documents:
        if document.key is None:
            continue
        if document.key in batch:
            document.problem(
                document.framework.at,
                "version",
                _("%(framework)s is also in %(other)s; import each framework version from one file only.")
                % {"framework": document.label, "other": batch[document.key].source},
            )
            continue
        batch[document.key] = document
    for document in batch.values():
        _database_check(document, batch)
    # File by file, in the order of the rows (JSON problems keep the order of the document).
    problems = [
        problem
        for document in documents
        for problem in sorted(document.problems, key=lambda problem: problem.row)
    ]
    return ImportPreview(changes=[_changes(document) for document in batch.values()], problems=problems)


def _database_check(document: FrameworkDocument, batch: dict[Key, FrameworkDocument]) -> None:
    """What can be wrong between a file and what is stored (or the other files of its batch)."""
    info = document.framework
    if info.supersedes and info.supersedes not in batch and not _framework_exists(info.supersedes):
        document.problem(
            info.at,
            "supersedes",
            _(
                "%(code)s %(version)s, which this framework supersedes, is not loaded. Import it first, "
                "or together with this file."
            )
            % {"code": info.supersedes[0], "version": info.supersedes[1]},
        )
    _mappings_check(document, batch)
    _role_groups_check(document, batch)
    framework = CompetencyFramework.objects.filter(code=info.code, version=info.version).first()
    if framework is not None:
        _removals_check(document, framework)


def _framework_exists(key: Key) -> bool:
    return CompetencyFramework.objects.filter(code=key[0], version=key[1]).exists()


def _mappings_check(document: FrameworkDocument, batch: dict[Key, FrameworkDocument]) -> None:
    stored: dict[Key, set[str] | None] = {}
    for mapping in document.mappings:
        key = (mapping.target_framework, mapping.target_version)
        if key in batch:
            codes = {node.code for node in batch[key].nodes}
        else:
            if key not in stored:
                framework = CompetencyFramework.objects.filter(code=key[0], version=key[1]).first()
                stored[key] = (
                    None if framework is None else set(framework.nodes.values_list("code", flat=True))
                )
            codes = stored[key]
        if codes is None:
            document.problem(
                mapping.at,
                "target_framework",
                _(
                    "The framework %(code)s %(version)s is not loaded. Import it first, or together with "
                    "this file, or correct the code and version."
                )
                % {"code": key[0], "version": key[1]},
            )
        elif mapping.target_node not in codes:
            document.problem(
                mapping.at,
                "target_node",
                _("%(framework)s has no competency “%(code)s”; write one of its competency codes.")
                % {"framework": f"{key[0]} {key[1]}", "code": mapping.target_node},
            )


def _role_groups_check(document: FrameworkDocument, batch: dict[Key, FrameworkDocument]) -> None:
    defined_in_batch: dict[str, Key] = {}
    for key, other in batch.items():
        for group in other.role_groups:
            defined_in_batch.setdefault(group.code, key)
    stored = {group.code: group for group in RoleGroup.objects.select_related("framework", "parent")}
    for group in document.role_groups:
        owner = defined_in_batch[group.code]
        existing = stored.get(group.code)
        if owner != document.key:
            document.problem(
                group.at,
                "code",
                _(
                    "The role group “%(code)s” is also defined in the file of %(framework)s. Define it "
                    "in one file only; the other may still name it in its requirements."
                )
                % {"code": group.code, "framework": " ".join(owner)},
            )
        elif (
            existing is not None
            and existing.framework is not None
            and (existing.framework.code, existing.framework.version)
            not in (document.key, *_superseded(document))
            and (existing.framework.code, existing.framework.version) not in batch
        ):
            document.problem(
                group.at,
                "code",
                _(
                    "The role group “%(code)s” belongs to %(framework)s already. Give this group another "
                    "code, or leave it out of this file and only name it in the requirements."
                )
                % {"code": group.code, "framework": str(existing.framework)},
            )

    known = set(stored) | set(defined_in_batch)
    for group in document.role_groups:
        if group.parent and group.parent not in known:
            document.problem(
                group.at,
                "parent",
                _(
                    "There is no role group “%(code)s” in this file or in Thaksa; write the code of its "
                    "parent group, or leave it empty."
                )
                % {"code": group.parent},
            )
    for requirement in document.requirements:
        if requirement.role_group not in known:
            document.problem(
                requirement.at,
                "role_group",
                _(
                    "There is no role group “%(code)s” in this file or in Thaksa; add it to the file's role "
                    "groups or correct the code."
                )
                % {"code": requirement.role_group},
            )

    # The groups of the file may hang below stored groups (and the other way round): no loops.
    # (Loops among the file's own groups are reported when the file is read.)
    parents = {code: group.parent.code for code, group in stored.items() if group.parent is not None}
    for other in batch.values():
        for group in other.role_groups:
            if group.parent:
                parents[group.code] = group.parent
            else:
                parents.pop(group.code, None)
    own = {group.code for group in document.role_groups}
    for group in document.role_groups:
        path, code = [], group.code
        while code in parents and code not in path:
            path.append(code)
            code = parents[code]
        if code == group.code and not set(path) <= own:
            document.problem(
                group.at,
                "parent",
                _("Role group “%(code)s” would end up inside itself (%(loop)s); choose another parent group.")
                % {"code": group.code, "loop": " → ".join([*path, group.code])},
            )


def _superseded(document: FrameworkDocument) -> tuple[Key, ...]:
    """A new version may take over the role groups of the version it supersedes."""
    return (document.framework.supersedes,) if document.framework.supersedes else ()


def _removals_check(document: FrameworkDocument, framework: CompetencyFramework) -> None:
    """Refuse to remove what something points at."""
    codes = {node.code for node in document.nodes}
    removed = framework.nodes.exclude(code__in=codes)
    for node, uses in nodes_in_use(removed).items():
        document.problem(
            WHOLE_FILE,
            "code",
            _(
                "The competency “%(code)s” (%(name)s) is no longer in the file, but %(uses)s point at it. "
                "Keep it in the file (you may rename it), or change those first; an import never deletes "
                "evidence."
            )
            % {"code": node.code, "name": node.name_th, "uses": uses},
        )

    highest = max((level.value for level in document.levels), default=0)
    if highest:
        kept = framework.nodes.filter(code__in=codes)
        evidence = CompetencyEvidence.objects.filter(node__in=kept, level__gt=highest)
        targets = _course_targets().objects.filter(competency__in=kept, target_level__gt=highest)
        if evidence.exists() or targets.exists():
            top = max(
                evidence.aggregate(top=Max("level"))["top"] or 0,
                targets.aggregate(top=Max("target_level"))["top"] or 0,
            )
            document.problem(
                WHOLE_FILE,
                "level",
                _(
                    "The scale would end at level %(highest)s, but %(evidence)s evidence records and "
                    "%(courses)s course targets use levels up to %(top)s. Keep those levels in the file, or "
                    "change those records first."
                )
                % {"highest": highest, "evidence": evidence.count(), "courses": targets.count(), "top": top},
            )

    groups = {group.code for group in document.role_groups}
    removed_groups = framework.role_groups.exclude(code__in=groups).annotate(
        people=Count("profiles", distinct=True), assignments_count=Count("assignments", distinct=True)
    )
    for group in removed_groups:
        outside = group.children.exclude(code__in=groups).exclude(framework=framework)
        reasons = []
        if group.people:
            reasons.append(
                ngettext("%(count)s person", "%(count)s people", group.people) % {"count": group.people}
            )
        if group.assignments_count:
            reasons.append(
                ngettext("%(count)s assignment", "%(count)s assignments", group.assignments_count)
                % {"count": group.assignments_count}
            )
        if outside.exists():
            reasons.append(
                _("the groups %(codes)s") % {"codes": ", ".join(outside.values_list("code", flat=True))}
            )
        if reasons:
            document.problem(
                WHOLE_FILE,
                "role_group",
                _(
                    "The role group “%(code)s” is no longer in the file, but %(uses)s belong to it. "
                    "Keep it in the file, or move them to another group first."
                )
                % {"code": group.code, "uses": ", ".join(reasons)},
            )


def _course_targets():
    """Courses' competency targets (courses depend on competencies, not the other way round)."""
    return CompetencyNode._meta.get_field("course_targets").related_model


def nodes_in_use(nodes: QuerySet[CompetencyNode]) -> dict[CompetencyNode, str]:
    """Competencies that something outside their framework points at (course targets, evidence,
    questions), each with a readable list of what points at it. Such a competency must not be
    deleted: courses protect theirs, and deleting would take evidence and question tags with it."""
    annotated = nodes.annotate(
        courses=Count("course_targets", distinct=True),
        evidence_count=Count("evidence", distinct=True),
        question_count=Count("questions", distinct=True),
    )
    in_use = {}
    for node in annotated:
        uses = []
        if node.courses:
            uses.append(
                ngettext("%(count)s course target", "%(count)s course targets", node.courses)
                % {"count": node.courses}
            )
        if node.evidence_count:
            uses.append(
                ngettext("%(count)s evidence record", "%(count)s evidence records", node.evidence_count)
                % {"count": node.evidence_count}
            )
        if node.question_count:
            uses.append(
                ngettext("%(count)s question", "%(count)s questions", node.question_count)
                % {"count": node.question_count}
            )
        if uses:
            in_use[node] = ", ".join(uses)
    return in_use


# What would change --------------------------------------------------------------------------


def _diff(stored: dict, wanted: dict) -> Changes:
    return Changes(
        added=[key for key in wanted if key not in stored],
        changed=[key for key in wanted if key in stored and stored[key] != wanted[key]],
        removed=[key for key in stored if key not in wanted],
    )


def _framework_values(document: FrameworkDocument) -> dict:
    info = document.framework
    return {
        "name_th": info.name_th,
        "name_en": info.name_en,
        "publisher": info.publisher,
        "status": info.status,
        "source_url": info.source_url,
        "published_on": info.published_on,
        "description_th": info.description_th,
        "description_en": info.description_en,
    }


def _wanted(document: FrameworkDocument) -> dict[str, dict]:
    return {
        "levels": {
            level.value: (level.code, level.name_th, level.name_en, level.band_th, level.band_en)
            for level in document.levels
        },
        "nodes": {
            node.code: (
                node.parent,
                node.kind,
                node.name_th,
                node.name_en,
                node.description_th,
                node.description_en,
                node.is_core,
                node.order,
            )
            for node in document.nodes
        },
        "descriptors": {(d.node, d.level): (d.text_th, d.text_en) for d in document.descriptors},
        "role_groups": {
            group.code: (group.parent, group.name_th, group.name_en, group.order, document.key)
            for group in document.role_groups
        },
        "requirements": {(r.role_group, r.node): r.level for r in document.requirements},
        "mappings": {
            (m.node, m.target_framework, m.target_version, m.target_node): m.relation
            for m in document.mappings
        },
    }


def _stored(framework: CompetencyFramework | None, document: FrameworkDocument) -> dict[str, dict]:
    if framework is None:
        stored = {"levels": {}, "nodes": {}, "descriptors": {}, "requirements": {}, "mappings": {}}
    else:
        stored = {
            "levels": {
                level.value: (level.code, level.name_th, level.name_en, level.band_th, level.band_en)
                for level in ProficiencyLevel.objects.filter(scale__framework=framework)
            },
            "nodes": {
                node.code: (
                    node.parent.code if node.parent else "",
                    node.kind,
                    node.name_th,
                    node.name_en,
                    node.description_th,
                    node.description_en,
                    node.is_core,
                    node.sort_order,
                )
                for node in framework.nodes.select_related("parent")
            },
            "descriptors": {
                (d.node.code, d.level.value): (d.text_th, d.text_en)
                for d in LevelDescriptor.objects.filter(node__framework=framework).select_related(
                    "node", "level"
                )
            },
            "requirements": {
                (r.role_group.code, r.node.code): r.required_level
                for r in RoleRequirement.objects.filter(node__framework=framework).select_related(
                    "role_group", "node"
                )
            },
            "mappings": {
                (
                    m.source.code,
                    m.target.framework.code,
                    m.target.framework.version,
                    m.target.code,
                ): m.relation
                for m in CompetencyMapping.objects.filter(source__framework=framework).select_related(
                    "source", "target__framework"
                )
            },
        }
    # The file's groups as stored now (wherever they belong), and the framework's own groups.
    codes = {group.code for group in document.role_groups}
    groups = RoleGroup.objects.select_related("parent", "framework")
    groups = groups.filter(code__in=codes) | (
        groups.filter(framework=framework) if framework else groups.none()
    )
    stored["role_groups"] = {
        group.code: (
            group.parent.code if group.parent else "",
            group.name_th,
            group.name_en,
            group.sort_order,
            (group.framework.code, group.framework.version) if group.framework else None,
        )
        for group in groups
    }
    return stored


def _changes(document: FrameworkDocument) -> FrameworkChanges:
    info = document.framework
    framework = (
        CompetencyFramework.objects.filter(code=info.code, version=info.version)
        .select_related("supersedes")
        .first()
    )
    stored, wanted = _stored(framework, document), _wanted(document)
    details_changed = False
    if framework is not None:
        values = {name: getattr(framework, name) for name in _framework_values(document)}
        supersedes = (
            (framework.supersedes.code, framework.supersedes.version) if framework.supersedes else None
        )
        details_changed = values != _framework_values(document) or supersedes != info.supersedes
        scale = ProficiencyScale.objects.filter(framework=framework).first()
        details_changed = (
            details_changed
            or scale is None
            or (scale.name_th, scale.name_en)
            != (
                info.scale_name_th,
                info.scale_name_en,
            )
        )
    return FrameworkChanges(
        document=document,
        is_new=framework is None,
        details_changed=details_changed,
        **{name: _diff(stored[name], wanted[name]) for name in wanted},
    )


# Writing ------------------------------------------------------------------------------------


@transaction.atomic
def frameworks_import(*, documents: Sequence[FrameworkDocument | dict]) -> list[CompetencyFramework]:
    """Import a batch of framework files, all or nothing (see the module's rules).

    Raises FrameworkImportRefused, having changed nothing, if any file has any problem."""
    documents = [_as_document(document) for document in documents]
    preview = frameworks_preview(documents=documents)
    if preview.problems:
        raise FrameworkImportRefused(preview.problems)
    ordered = _dependency_order(documents)
    frameworks = {document.key: _framework_write(document) for document in ordered}
    for document in ordered:
        _links_write(document, frameworks[document.key], frameworks)
    changed = [change.document.key for change in preview.changes if change.changes_anything]
    for key in changed:
        frameworks[key].save(update_fields=["updated_at"])  # anything in it changed, not only its name
    return [frameworks[document.key] for document in ordered]


def framework_import(*, document: FrameworkDocument | dict) -> CompetencyFramework:
    """Import one framework file (a read document, or a dict shaped like a JSON framework file)."""
    return frameworks_import(documents=[document])[0]


def frameworks_load_shipped() -> list[CompetencyFramework]:
    """Load (or update) every framework Thaksa ships, superseded versions first. Idempotent."""
    return frameworks_import(documents=framework_files_read(shipped_framework_files()))


def _dependency_order(documents: list[FrameworkDocument]) -> list[FrameworkDocument]:
    """A superseded version before the version that supersedes it (files otherwise in order)."""
    by_key = {document.key: document for document in documents}
    ordered: list[FrameworkDocument] = []

    def visit(document: FrameworkDocument, seen: frozenset) -> None:
        if document in ordered or document.key in seen:
            return
        previous = by_key.get(document.framework.supersedes)
        if previous is not None:
            visit(previous, seen | {document.key})
        ordered.append(document)

    for document in documents:
        visit(document, frozenset())
    return ordered


def _framework_write(document: FrameworkDocument) -> CompetencyFramework:
    """The framework, its scale, levels, competencies, descriptors and role groups (without
    the links to other frameworks and groups, which may be in files not written yet)."""
    info = document.framework
    framework = _upsert(
        CompetencyFramework.objects.filter(code=info.code, version=info.version).first(),
        CompetencyFramework,
        {"code": info.code, "version": info.version},
        _framework_values(document),
    )
    scale = _upsert(
        ProficiencyScale.objects.filter(framework=framework).first(),
        ProficiencyScale,
        {"framework": framework},
        {"name_th": info.scale_name_th, "name_en": info.scale_name_en},
    )

    levels = {level.value: level for level in scale.levels.all()}
    for entry in document.levels:
        fields = {
            "code": entry.code,
            "name_th": entry.name_th,
            "name_en": entry.name_en,
            "band_th": entry.band_th,
            "band_en": entry.band_en,
        }
        levels[entry.value] = _upsert(
            levels.get(entry.value), ProficiencyLevel, {"scale": scale, "value": entry.value}, fields
        )
    scale.levels.exclude(value__in=[entry.value for entry in document.levels]).delete()

    nodes = {node.code: node for node in framework.nodes.all()}
    for entry in document.nodes:
        fields = {
            "kind": entry.kind,
            "name_th": entry.name_th,
            "name_en": entry.name_en,
            "description_th": entry.description_th,
            "description_en": entry.description_en,
            "is_core": entry.is_core,
            "sort_order": entry.order,
        }
        nodes[entry.code] = _upsert(
            nodes.get(entry.code), CompetencyNode, {"framework": framework, "code": entry.code}, fields
        )
    for entry in document.nodes:
        node, parent = nodes[entry.code], nodes.get(entry.parent)
        if node.parent_id != (parent.pk if parent else None):
            node.parent = parent
            node.save(update_fields=["parent"])
    # Removed competencies were checked to be unused; their kept children have moved already.
    framework.nodes.exclude(code__in=[entry.code for entry in document.nodes]).update(parent=None)
    framework.nodes.exclude(code__in=[entry.code for entry in document.nodes]).delete()

    descriptors = {
        (d.node.code, d.level.value): d
        for d in LevelDescriptor.objects.filter(node__framework=framework).select_related("node", "level")
    }
    wanted = set()
    for entry in document.descriptors:
        key = (entry.node, entry.level)
        wanted.add(key)
        _upsert(
            descriptors.get(key),
            LevelDescriptor,
            {"node": nodes[entry.node], "level": levels[entry.level]},
            {"text_th": entry.text_th, "text_en": entry.text_en},
        )
    LevelDescriptor.objects.filter(
        pk__in=[d.pk for key, d in descriptors.items() if key not in wanted]
    ).delete()

    groups = {
        group.code: group
        for group in RoleGroup.objects.filter(code__in=[g.code for g in document.role_groups])
    }
    for entry in document.role_groups:
        fields = {
            "name_th": entry.name_th,
            "name_en": entry.name_en,
            "sort_order": entry.order,
            "framework": framework,
        }
        _upsert(groups.get(entry.code), RoleGroup, {"code": entry.code}, fields)
    return framework


def _links_write(
    document: FrameworkDocument, framework: CompetencyFramework, batch: dict[Key, CompetencyFramework]
) -> None:
    """What refers beyond the framework's own records: the version it supersedes, role group
    parents and requirements (groups may come from other files), mappings."""
    info = document.framework
    supersedes = None
    if info.supersedes:
        supersedes = batch.get(info.supersedes) or CompetencyFramework.objects.get(
            code=info.supersedes[0], version=info.supersedes[1]
        )
    if framework.supersedes_id != (supersedes.pk if supersedes else None):
        framework.supersedes = supersedes
        framework.save(update_fields=["supersedes"])

    own_codes = [entry.code for entry in document.role_groups]
    wanted_codes = (
        own_codes
        + [entry.parent for entry in document.role_groups]
        + [entry.role_group for entry in document.requirements]
    )
    groups = {group.code: group for group in RoleGroup.objects.filter(code__in=wanted_codes)}
    for entry in document.role_groups:
        group, parent = groups[entry.code], groups.get(entry.parent)
        if group.parent_id != (parent.pk if parent else None):
            group.parent = parent
            group.save(update_fields=["parent"])
    removed_groups = framework.role_groups.exclude(code__in=own_codes)
    removed_groups.update(parent=None)
    removed_groups.delete()

    nodes = {node.code: node for node in framework.nodes.all()}
    requirements = {
        (r.role_group.code, r.node.code): r
        for r in RoleRequirement.objects.filter(node__framework=framework).select_related(
            "role_group", "node"
        )
    }
    wanted = set()
    for entry in document.requirements:
        key = (entry.role_group, entry.node)
        wanted.add(key)
        _upsert(
            requirements.get(key),
            RoleRequirement,
            {"role_group": groups[entry.role_group], "node": nodes[entry.node]},
            {"required_level": entry.level},
        )
    RoleRequirement.objects.filter(
        pk__in=[r.pk for key, r in requirements.items() if key not in wanted]
    ).delete()

    mappings = {
        (m.source.code, m.target.framework.code, m.target.framework.version, m.target.code): m
        for m in CompetencyMapping.objects.filter(source__framework=framework).select_related(
            "source", "target__framework"
        )
    }
    targets = {}
    wanted = set()
    for entry in document.mappings:
        key = (entry.node, entry.target_framework, entry.target_version, entry.target_node)
        wanted.add(key)
        target_key = (entry.target_framework, entry.target_version)
        if target_key not in targets:
            target_framework = batch.get(target_key) or CompetencyFramework.objects.get(
                code=target_key[0], version=target_key[1]
            )
            targets[target_key] = {node.code: node for node in target_framework.nodes.all()}
        _upsert(
            mappings.get(key),
            CompetencyMapping,
            {"source": nodes[entry.node], "target": targets[target_key][entry.target_node]},
            {"relation": entry.relation},
        )
    CompetencyMapping.objects.filter(
        pk__in=[m.pk for key, m in mappings.items() if key not in wanted]
    ).delete()


def _upsert(instance, model, identity: dict, fields: dict):
    """Create the row, or save the fields that differ (so a repeated import writes nothing)."""
    if instance is None:
        return model.objects.create(**identity, **fields)
    changed = [name for name, value in fields.items() if getattr(instance, name) != value]
    if changed:
        for name in changed:
            setattr(instance, name, fields[name])
        instance.save(update_fields=changed)
    return instance
