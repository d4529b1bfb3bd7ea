"""Small frameworks, requirements, evidence and targeting courses for the evidence and profile
tests, built straight through the ORM and the services."""

import datetime as dt

from competencies.models import (
    CompetencyEvidence,
    CompetencyFramework,
    CompetencyNode,
    ProficiencyLevel,
    ProficiencyScale,
    RoleRequirement,
)
from competencies.services.evidence import evidence_record
from courses.models import CourseCompetencyTarget, CoursePage
from courses.tests.factories import course_with_lessons

LEVEL_NAMES = [
    "Foundation",
    "Intermediate",
    "Advanced",
    "Expert",
    "Leader",
    "Strategist",
    "Visionary",
    "Pioneer",
]


def framework(
    *,
    code: str = "DIGCOMP",
    version: str = "2.2",
    levels: int = 4,
    status: str = CompetencyFramework.Status.CURRENT,
) -> CompetencyFramework:
    """A framework with a scale of `levels` levels (none when 0)."""
    built = CompetencyFramework.objects.create(
        code=code, version=version, name_th=f"กรอบ {code}", name_en=f"Framework {code}", status=status
    )
    if levels:
        scale = ProficiencyScale.objects.create(framework=built, name_th="ระดับ", name_en="Levels")
        for value in range(1, levels + 1):
            ProficiencyLevel.objects.create(
                scale=scale, value=value, name_th=f"ระดับ {value}", name_en=LEVEL_NAMES[value - 1]
            )
    return built


def node(
    in_framework: CompetencyFramework,
    code: str,
    name_en: str,
    *,
    parent: CompetencyNode | None = None,
    sort_order: int = 0,
) -> CompetencyNode:
    return CompetencyNode.objects.create(
        framework=in_framework,
        parent=parent,
        kind=CompetencyNode.Kind.COMPETENCE if parent else CompetencyNode.Kind.AREA,
        code=code,
        name_th=f"สมรรถนะ {code}",
        name_en=name_en,
        sort_order=sort_order,
    )


def requirement(role_group, competency: CompetencyNode, level: int) -> RoleRequirement:
    return RoleRequirement.objects.create(role_group=role_group, node=competency, required_level=level)


def evidence(
    user,
    competency: CompetencyNode,
    level: int,
    *,
    reference: str | None = None,
    source: str = CompetencyEvidence.Source.IMPORT,
    achieved_on: dt.date | None = None,
    **fields,
) -> CompetencyEvidence:
    return evidence_record(
        user=user,
        node=competency,
        level=level,
        source=source,
        reference=reference or f"test:{competency.code}:{level}",
        achieved_on=achieved_on or dt.date(2026, 1, 15),
        **fields,
    )


def course_targeting(*targets: tuple[CompetencyNode, int], title: str | None = None, **fields) -> CoursePage:
    """A live one-lesson course (no certificate) that develops each (competency, level)."""
    fields.setdefault("certificate_on_completion", False)
    course = course_with_lessons(lessons=1, title=title, **fields)
    for competency, level in targets:
        CourseCompetencyTarget.objects.create(
            course=course,
            competency=competency,
            competency_code=competency.code,
            competency_name_th=competency.name_th,
            competency_name_en=competency.name_en,
            target_level=level,
        )
    return course
