"""Reads of competency data: requirements, profiles, gaps.

The one definition of a person's competency level: the highest level among their evidence
that is valid on the day asked about (achieved on or before it, not expired, not withdrawn).
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Max, Q, QuerySet
from django.utils import timezone
from wagtail import hooks
from wagtail.models import Page

from competencies.models import (
    CompetencyEvidence,
    CompetencyFramework,
    CompetencyMapping,
    CompetencyNode,
    ProficiencyLevel,
    RoleRequirement,
)
from people.models import LearnerProfile, RoleGroup, User


def best_levels(*, user_ids: Iterable[int], on: dt.date) -> dict[int, dict[int, int]]:
    """person id → competency node id → their best valid level on that day: **the one
    definition of the level a person holds** (the highest level among their evidence that
    counts on the day, `competencies.models.valid_evidence_q`). Profiles, gaps and the
    dashboards' competency figures all read it."""
    rows = (
        CompetencyEvidence.objects.valid_on(on)
        .filter(user_id__in=list(user_ids))
        .values("user_id", "node_id")
        .annotate(level=Max("level"))
    )
    levels: dict[int, dict[int, int]] = defaultdict(dict)
    for row in rows:
        levels[row["user_id"]][row["node_id"]] = row["level"]
    return dict(levels)


def requirements_by_role_group(*, role_group_ids: Iterable[int] | None = None) -> dict[int, dict[int, int]]:
    """role group id → competency node id → required level."""
    requirements = RoleRequirement.objects.all()
    if role_group_ids is not None:
        requirements = requirements.filter(role_group_id__in=list(role_group_ids))
    result: dict[int, dict[int, int]] = defaultdict(dict)
    for role_group_id, node_id, level in requirements.values_list(
        "role_group_id", "node_id", "required_level"
    ):
        result[role_group_id][node_id] = level
    return dict(result)


# A person's profile and gaps ---------------------------------------------------------------

COURSES_PER_GAP = 3

# Courses sit above competencies: they register the function that finds the courses closing a
# gap, (*, required: {node id: level}, limit) → {node id: [course pages]}, under this name.
GAP_COURSES_HOOK = "thaksa_gap_courses"


@dataclass(frozen=True)
class HeldCompetency:
    """What a person's evidence says about one competency on a day."""

    node: CompetencyNode
    level: int | None  # the best valid level (best_levels); None when all of it has expired
    level_name: str  # the scale's name for that level, if it has one
    evidence: list[CompetencyEvidence]  # valid on the day, highest level first
    expired: list[CompetencyEvidence]  # valid once, no longer; latest expiry first


@dataclass(frozen=True)
class CompetencyGap:
    """A requirement of a person's role group against their level."""

    node: CompetencyNode
    required_level: int
    current_level: int  # 0 when they hold no valid evidence
    # Live, public courses reaching at least the required level on this competency (or one
    # mapped to it as the same competency): the smallest enough level first, then by title.
    courses: list[Page]

    @property
    def gap(self) -> int:
        return max(0, self.required_level - self.current_level)

    @property
    def met(self) -> bool:
        return self.gap == 0


def competency_profile(*, user: User, on: dt.date | None = None) -> dict[int, HeldCompetency]:
    """competency node id → what the person holds of it on the day (today if not given), in
    the frameworks' reading order. Withdrawn evidence is left out; expired evidence is kept
    apart from the evidence that counts."""
    on = on or timezone.localdate()
    levels = best_levels(user_ids=[user.pk], on=on).get(user.pk, {})
    evidence = (
        CompetencyEvidence.objects.filter(user=user, withdrawn_at__isnull=True, achieved_on__lte=on)
        .select_related("node__framework", "course", "recorded_by")
        .order_by("-level", "-achieved_on", "-pk")
    )
    nodes: dict[int, CompetencyNode] = {}
    valid: dict[int, list[CompetencyEvidence]] = defaultdict(list)
    expired: dict[int, list[CompetencyEvidence]] = defaultdict(list)
    for item in evidence:
        nodes[item.node_id] = item.node
        (valid if item.is_valid_on(on) else expired)[item.node_id].append(item)
    tree = _FrameworkTrees.of({node.framework_id for node in nodes.values()})
    level_names = _level_names({node.framework_id for node in nodes.values()})
    profile = {}
    for node_id in sorted(nodes, key=tree.position):
        node = nodes[node_id]
        level = levels.get(node_id)
        profile[node_id] = HeldCompetency(
            node=node,
            level=level,
            level_name=level_names.get((node.framework_id, level), ""),
            evidence=valid[node_id],
            expired=sorted(expired[node_id], key=lambda item: item.valid_until, reverse=True),
        )
    return profile


def competency_gaps(*, user: User, on: dt.date | None = None) -> list[CompetencyGap]:
    """Each requirement of the person's role group (none without one): the level required,
    the level they hold on the day, and up to three courses that would close the gap."""
    on = on or timezone.localdate()
    role_group_id = LearnerProfile.objects.filter(user=user).values_list("role_group_id", flat=True).first()
    if role_group_id is None:
        return []
    required = requirements_by_role_group(role_group_ids=[role_group_id]).get(role_group_id, {})
    if not required:
        return []
    levels = best_levels(user_ids=[user.pk], on=on).get(user.pk, {})
    courses = _courses_closing(required)
    nodes = CompetencyNode.objects.select_related("framework").in_bulk(required)
    tree = _FrameworkTrees.of({node.framework_id for node in nodes.values()})
    return [
        CompetencyGap(
            node=nodes[node_id],
            required_level=required[node_id],
            current_level=levels.get(node_id, 0),
            courses=courses[node_id],
        )
        for node_id in sorted(required, key=tree.position)
    ]


def same_competencies(node_ids: Iterable[int]) -> dict[int, set[int]]:
    """competency node id → itself and every competency mapped to it as the same one (an exact
    mapping, either way)."""
    same_as: dict[int, set[int]] = {node_id: {node_id} for node_id in node_ids}
    mappings = CompetencyMapping.objects.filter(relation=CompetencyMapping.Relation.EXACT).filter(
        Q(source_id__in=same_as) | Q(target_id__in=same_as)
    )
    for source_id, target_id in mappings.values_list("source_id", "target_id"):
        if source_id in same_as:
            same_as[source_id].add(target_id)
        if target_id in same_as:
            same_as[target_id].add(source_id)
    return same_as


def _courses_closing(required: dict[int, int]) -> dict[int, list[Page]]:
    """competency node id → up to COURSES_PER_GAP courses that reach the required level, from
    the function courses registers under GAP_COURSES_HOOK (none when no app registers one)."""
    closing: dict[int, list[Page]] = {node_id: [] for node_id in required}
    for courses_reaching in hooks.get_hooks(GAP_COURSES_HOOK):
        for node_id, courses in courses_reaching(required=required, limit=COURSES_PER_GAP).items():
            closing[node_id].extend(courses)
    return {node_id: courses[:COURSES_PER_GAP] for node_id, courses in closing.items()}


@dataclass(frozen=True)
class RequirementStanding:
    """One requirement as a person's profile page shows it."""

    gap: CompetencyGap
    held: HeldCompetency | None
    required_level_name: str
    current_level_name: str

    @property
    def node(self) -> CompetencyNode:
        return self.gap.node


@dataclass(frozen=True)
class AreaStanding:
    area: CompetencyNode  # the top of the framework tree the requirements sit under
    requirements: list[RequirementStanding]


@dataclass(frozen=True)
class CompetencyOverview:
    """A person's competency page: their role group's requirements area by area, against
    their evidence, and what else they hold."""

    person: User
    role_group: RoleGroup | None
    areas: list[AreaStanding]
    also_held: list[HeldCompetency]  # evidence for competencies their role group does not require
    top_levels: dict[int, int]  # framework id → the highest level of its scale

    @property
    def requirements(self) -> list[RequirementStanding]:
        return [standing for area in self.areas for standing in area.requirements]

    @property
    def met_count(self) -> int:
        return sum(standing.gap.met for standing in self.requirements)

    @property
    def has_evidence(self) -> bool:
        return bool(self.also_held) or any(standing.held for standing in self.requirements)

    @property
    def chart_top_level(self) -> int:
        return max(self.top_levels.values(), default=0) or max(
            (standing.gap.required_level for standing in self.requirements), default=0
        )


def competency_overview(*, user: User, on: dt.date | None = None) -> CompetencyOverview:
    on = on or timezone.localdate()
    profile = LearnerProfile.objects.filter(user=user).select_related("role_group__framework").first()
    role_group = profile.role_group if profile else None
    held = competency_profile(user=user, on=on)
    gaps = competency_gaps(user=user, on=on)
    framework_ids = {gap.node.framework_id for gap in gaps}
    tree = _FrameworkTrees.of(framework_ids)
    level_names = _level_names(framework_ids)
    areas: dict[int, AreaStanding] = {}
    for gap in gaps:
        area = tree.area_of(gap.node)
        standing = RequirementStanding(
            gap=gap,
            held=held.get(gap.node.pk),
            required_level_name=level_names.get((gap.node.framework_id, gap.required_level), ""),
            current_level_name=level_names.get((gap.node.framework_id, gap.current_level), ""),
        )
        areas.setdefault(area.pk, AreaStanding(area=area, requirements=[])).requirements.append(standing)
    required_ids = {gap.node.pk for gap in gaps}
    return CompetencyOverview(
        person=user,
        role_group=role_group,
        areas=list(areas.values()),
        also_held=[entry for node_id, entry in held.items() if node_id not in required_ids],
        top_levels=scale_top_levels(framework_ids=framework_ids),
    )


def scale_top_levels(*, framework_ids: Iterable[int]) -> dict[int, int]:
    """framework id → the highest level value of its proficiency scale (frameworks without a
    scale, or with an empty one, are left out)."""
    rows = (
        ProficiencyLevel.objects.filter(scale__framework_id__in=list(framework_ids))
        .values("scale__framework_id")
        .annotate(top=Max("value"))
    )
    return {row["scale__framework_id"]: row["top"] for row in rows}


def assessable_nodes(*, person: User) -> QuerySet[CompetencyNode]:
    """The competencies a manager may assess this person on: every node of the frameworks their
    role group has requirements in, and of every current framework."""
    role_group_id = LearnerProfile.objects.filter(user=person).values_list("role_group_id", flat=True).first()
    in_use = Q(framework__status=CompetencyFramework.Status.CURRENT)
    if role_group_id is not None:
        in_use |= Q(framework__nodes__requirements__role_group_id=role_group_id)
    framework_ids = CompetencyNode.objects.filter(in_use).values("framework_id")
    return (
        CompetencyNode.objects.filter(framework_id__in=framework_ids)
        .select_related("framework")
        .order_by("framework__code", "-framework__version", "sort_order", "code")
    )


def manager_assessments(*, person: User, manager: User) -> QuerySet[CompetencyEvidence]:
    """This manager's standing (not withdrawn) assessments of this person."""
    return (
        CompetencyEvidence.objects.filter(
            user=person,
            source=CompetencyEvidence.Source.MANAGER,
            reference=f"manager:{manager.pk}",
            withdrawn_at__isnull=True,
        )
        .select_related("node__framework")
        .order_by("node__framework__code", "node__sort_order", "node__code")
    )


def _level_names(framework_ids: Iterable[int]) -> dict[tuple[int, int], str]:
    """(framework id, level value) → the level's name in the active language."""
    levels = ProficiencyLevel.objects.filter(scale__framework_id__in=list(framework_ids)).select_related(
        "scale"
    )
    return {(level.scale.framework_id, level.value): level.name for level in levels}


@dataclass(frozen=True)
class _FrameworkTrees:
    """The competency trees of some frameworks: reading order and each node's area."""

    parents: dict[int, int | None]
    nodes: dict[int, CompetencyNode]
    order: dict[int, int]

    @classmethod
    def of(cls, framework_ids: Iterable[int]) -> "_FrameworkTrees":
        nodes = list(
            CompetencyNode.objects.filter(framework_id__in=list(framework_ids))
            .select_related("framework")
            .order_by("framework__code", "-framework__version", "sort_order", "code")
        )
        children: dict[int | None, list[CompetencyNode]] = defaultdict(list)
        for node in nodes:
            children[node.parent_id].append(node)
        order: dict[int, int] = {}
        stack = list(reversed(children[None]))
        while stack:
            node = stack.pop()
            order[node.pk] = len(order)
            stack.extend(reversed(children[node.pk]))
        return cls(
            parents={node.pk: node.parent_id for node in nodes},
            nodes={node.pk: node for node in nodes},
            order=order,
        )

    def position(self, node_id: int) -> int:
        return self.order.get(node_id, len(self.order))

    def area_of(self, node: CompetencyNode) -> CompetencyNode:
        """The top of the tree the node sits in (the node itself if it is a top)."""
        node_id, seen = node.pk, {node.pk}
        while (parent_id := self.parents.get(node_id)) is not None and parent_id not in seen:
            node_id = parent_id
            seen.add(node_id)
        return self.nodes.get(node_id, node)
