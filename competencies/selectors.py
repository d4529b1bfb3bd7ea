"""Reads of competency data: requirements, profiles, gaps.

The one definition of a person's competency level: the highest level among their evidence
that is valid on the day asked about (achieved on or before it, not expired, not withdrawn).
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Max, Q

from competencies.models import CompetencyEvidence, RoleRequirement


def valid_evidence_q(on: dt.date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}withdrawn_at__isnull": True, f"{prefix}achieved_on__lte": on}) & (
        Q(**{f"{prefix}valid_until__isnull": True}) | Q(**{f"{prefix}valid_until__gte": on})
    )


def best_levels(*, user_ids: Iterable[int], on: dt.date) -> dict[int, dict[int, int]]:
    """person id → competency node id → their best valid level on that day."""
    rows = (
        CompetencyEvidence.objects.filter(valid_evidence_q(on), user_id__in=list(user_ids))
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
