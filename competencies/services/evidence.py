"""Recording competency evidence: the one place evidence rows are written.

Evidence comes from imported records (`evidence_import_apply`), managers' assessments
(`manager_assessment_record`, `manager_assessment_withdraw`) and the events of the apps above
competencies, which call `evidence_record` through their registered evidence sources
(competencies.evidence_sources: completed courses in courses.competency_evidence, post-tests
in assessments.competency_evidence); each goes through `evidence_record`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from competencies.models import CompetencyEvidence, CompetencyNode
from people.models import User

if TYPE_CHECKING:
    from competencies.evidence_import import CheckedEvidenceRow


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


def manager_reference(manager: User) -> str:
    """The reference of a manager's assessments: one standing assessment per manager, person
    and competency, so a new one replaces the old."""
    return f"manager:{manager.pk}"


def manager_assessment_record(
    *,
    person: User,
    node: CompetencyNode,
    level: int,
    manager: User,
    valid_until: dt.date | None = None,
    note: str = "",
) -> CompetencyEvidence:
    """Record a manager's judgement of a person's level, as of today. The manager's earlier
    assessment of the same competency (withdrawn or not) is replaced. Who may assess whom is
    the caller's to check (people.permissions)."""
    return evidence_record(
        user=person,
        node=node,
        level=level,
        source=CompetencyEvidence.Source.MANAGER,
        reference=manager_reference(manager),
        achieved_on=timezone.localdate(),
        valid_until=valid_until,
        recorded_by=manager,
        note=note,
    )


def manager_assessment_withdraw(*, evidence: CompetencyEvidence, manager: User) -> CompetencyEvidence:
    """Withdraw a manager's own assessment: it stays on record but no longer counts."""
    if evidence.source != CompetencyEvidence.Source.MANAGER or evidence.reference != manager_reference(
        manager
    ):
        raise PermissionDenied("Only the manager who made an assessment may withdraw it.")
    if evidence.withdrawn_at is None:
        evidence.withdrawn_at = timezone.now()
        evidence.save(update_fields=["withdrawn_at"])
    return evidence


@dataclass(frozen=True)
class EvidenceImportResult:
    created: int
    updated: int
    unchanged: int


@transaction.atomic
def evidence_import_apply(*, rows: list[CheckedEvidenceRow], recorded_by: User) -> EvidenceImportResult:
    """Record the rows of a checked evidence file (competencies.evidence_import.evidence_import_check,
    which found no problem). All or nothing; rows already recorded exactly so are left alone,
    so importing the same file again records nothing new."""
    created = updated = unchanged = 0
    for row in rows:
        if row.state == row.State.UNCHANGED:
            unchanged += 1
            continue
        evidence_record(
            user=row.person,
            node=row.node,
            level=row.level,
            source=CompetencyEvidence.Source.IMPORT,
            reference=row.reference,
            achieved_on=row.achieved_on,
            valid_until=row.valid_until,
            recorded_by=recorded_by,
            note=row.note,
        )
        if row.state == row.State.NEW:
            created += 1
        else:
            updated += 1
    return EvidenceImportResult(created=created, updated=updated, unchanged=unchanged)
