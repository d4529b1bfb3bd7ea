"""Recording competency evidence: the one place evidence rows are written."""

import datetime as dt

from django.db import transaction

from competencies.models import CompetencyEvidence, CompetencyNode
from people.models import User


@transaction.atomic
def evidence_record(
    *,
    user: User,
    node: CompetencyNode,
    level: int,
    source: str,
    reference: str,
    achieved_on: dt.date,
    valid_until: dt.date | None = None,
    course=None,
    recorded_by: User | None = None,
    note: str = "",
) -> CompetencyEvidence:
    """Record (or, for the same source and reference, update) one piece of evidence.

    The same event recorded twice (a completion signal sent again, a re-imported row) leaves
    one row."""
    evidence, _ = CompetencyEvidence.objects.update_or_create(
        user=user,
        node=node,
        source=source,
        reference=reference,
        defaults={
            "level": level,
            "achieved_on": achieved_on,
            "valid_until": valid_until,
            "course": course,
            "recorded_by": recorded_by,
            "note": note,
            "withdrawn_at": None,
        },
    )
    return evidence
