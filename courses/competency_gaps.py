"""The courses that close a competency gap (registered with competencies under
`competencies.selectors.GAP_COURSES_HOOK` in wagtail_hooks.py: competencies sits below
courses and shows them without importing them)."""

from collections import defaultdict

from competencies.selectors import same_competencies
from courses.models import CourseCompetencyTarget, CoursePage


def courses_reaching(*, required: dict[int, int], limit: int) -> dict[int, list[CoursePage]]:
    """competency node id → live, public courses that target it (or a competency mapped to it
    as the same one, either way) at the required level or above: the smallest enough level
    first, then by title; at most `limit` each."""
    same_as = same_competencies(required)
    targets = CourseCompetencyTarget.objects.filter(
        competency_id__in=set().union(*same_as.values()),
        course__in=CoursePage.objects.live().public(),
    ).select_related("course")
    targets_by_node: dict[int, list[CourseCompetencyTarget]] = defaultdict(list)
    for target in targets:
        targets_by_node[target.competency_id].append(target)
    reaching: dict[int, list[CoursePage]] = {}
    for node_id, required_level in required.items():
        level_by_course: dict[int, tuple[int, CoursePage]] = {}
        for covered in same_as[node_id]:
            for target in targets_by_node[covered]:
                if target.target_level < required_level:
                    continue
                known = level_by_course.get(target.course_id)
                if known is None or target.target_level < known[0]:
                    level_by_course[target.course_id] = (target.target_level, target.course)
        best_first = sorted(
            level_by_course.values(), key=lambda entry: (entry[0], entry[1].display_title.casefold())
        )
        reaching[node_id] = [course for _, course in best_first[:limit]]
    return reaching
