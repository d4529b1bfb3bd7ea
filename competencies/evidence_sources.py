"""Where competency evidence comes from, besides imports and managers: events of the apps
above competencies (a completed course, a passed post-test).

Competencies sits below those apps and imports none of them. Each registers an
`EvidenceSource` under `EVIDENCE_SOURCES_HOOK` with Wagtail's hook registry (in its
`wagtail_hooks.py`). A source's evidence is written after the event's own transaction commits,
by the retried task `competencies.tasks.record_evidence`, queued with `evidence_record_queue`;
`manage.py competencies_evidence_missing` writes what a source finds still missing.
"""

import datetime as dt
import logging
from collections.abc import Iterable

from django.db import transaction
from django.db.models import CharField, Exists, OuterRef, Value
from django.db.models.functions import Cast, Concat
from wagtail import hooks

from competencies.models import CompetencyEvidence

logger = logging.getLogger(__name__)

EVIDENCE_SOURCES_HOOK = "thaksa_evidence_sources"


class EvidenceSource:
    """One kind of event that shows competencies. `name` is what the queued task carries."""

    name: str

    def record(self, *, object_id: int) -> list[CompetencyEvidence]:
        """Write the evidence the event shows. Idempotent: one row per event and competency,
        however often it is called; all of it or none (one transaction)."""
        raise NotImplementedError

    def missing(self, *, since: dt.datetime | None) -> Iterable[int]:
        """The ids of the events since `since` (all of them for None) that may be owed
        evidence and have none recorded."""
        raise NotImplementedError


def evidence_reference(prefix: str, object_id: int) -> str:
    """The reference every evidence row of one event carries, e.g. "enrolment:42"."""
    return f"{prefix}:{object_id}"


def evidence_recorded(*, source: str, prefix: str) -> Exists:
    """Whether evidence is recorded for the outer event row (its `pk` and `user_id`), written
    with `evidence_reference(prefix, pk)`: the two are one format, so `missing()` never
    mistakes recorded evidence for missing."""
    return Exists(
        CompetencyEvidence.objects.filter(
            source=source,
            user_id=OuterRef("user_id"),
            reference=Concat(Value(f"{prefix}:"), Cast(OuterRef("pk"), CharField())),
        )
    )


def evidence_sources() -> dict[str, EvidenceSource]:
    """Every registered source by name, in registration order."""
    sources = [hook() for hook in hooks.get_hooks(EVIDENCE_SOURCES_HOOK)]
    return {source.name: source for source in sources}


def evidence_record_queue(*, source: str, object_id: int) -> None:
    """Write the event's evidence once the current transaction commits (at once outside one).

    The event is already recorded and the learner is waiting for their page: a failure here
    is logged, never raised. The task retries on its own; what still fails is caught up by
    `competencies_evidence_missing`."""
    from competencies.tasks import record_evidence  # the task module imports this one

    def queue() -> None:
        try:
            record_evidence.delay(source, object_id)
        except Exception:
            logger.exception("Recording the competency evidence of %s %s failed", source, object_id)

    transaction.on_commit(queue)
