"""How long the commit history is kept in full.

Every accepted commit leaves a `CommitRecord`. Records of the last
`SCORM_COMMIT_HISTORY["keep_days"]` days (90 by default) are all kept: a lost-progress report
or a dispute about recent work can be answered commit by commit. Older than that, only what
recovery and a dispute still need is kept:

* each session's last record (its final state: what the learner had when they left), and
* every terminate record (when and how each session ended);

the records in between are deleted. The SCO attempt itself (its CMI data, `suspend_data`,
interactions and objectives) is never touched: it is the current state, not history.
Deletion goes in small batches, each its own short transaction, so commits arriving
meanwhile are not held up (SQLite has one writer).
"""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from scorm.models import CommitRecord

BATCH = 1000


@dataclass(frozen=True)
class HistoryPruned:
    cutoff: dt.datetime
    older: int  # records received before the cutoff
    deleted: int  # deleted, or that would be in a dry run
    kept: int  # of the older ones: each session's last record and terminate records
    dry_run: bool


def _prunable(cutoff: dt.datetime):
    session_last = (
        CommitRecord.objects.filter(session=OuterRef("session")).order_by("-sequence").values("pk")[:1]
    )
    return CommitRecord.objects.filter(received_at__lt=cutoff, is_terminate=False).exclude(
        pk=Subquery(session_last)
    )


def commit_history_prune(
    *, now: dt.datetime | None = None, keep_days: int | None = None, dry_run: bool = False
) -> HistoryPruned:
    """Delete commit records older than `keep_days` except each session's last record and
    terminate records (see the module docstring); with `dry_run`, only count them."""
    now = now or timezone.now()
    keep_days = settings.SCORM_COMMIT_HISTORY["keep_days"] if keep_days is None else keep_days
    cutoff = now - dt.timedelta(days=keep_days)
    older = CommitRecord.objects.filter(received_at__lt=cutoff).count()
    if dry_run:
        deleted = _prunable(cutoff).count()
    else:
        deleted = 0
        while True:
            with transaction.atomic():
                batch = list(_prunable(cutoff).values_list("pk", flat=True)[:BATCH])
                if not batch:
                    break
                deleted += CommitRecord.objects.filter(pk__in=batch).delete()[0]
    return HistoryPruned(cutoff=cutoff, older=older, deleted=deleted, kept=older - deleted, dry_run=dry_run)


@dataclass(frozen=True)
class HistorySummarised:
    cutoff: dt.datetime
    sessions: int  # sessions whose records were (or would be) removed
    deleted: int  # records deleted, or that would be in a dry run
    dry_run: bool


def commit_history_summarise(*, before: dt.datetime, dry_run: bool = False) -> HistorySummarised:
    """Reduce the history of sessions that ended before `before` to their summary: every
    remaining commit record of such a session is deleted, and the session row (when it started
    and ended, its time, its last sequence number) with the SCO attempt's result stays. Called
    by the retention rules (subject_rights.retention) after `SCORM_COMMIT_HISTORY_YEARS`."""
    records = CommitRecord.objects.filter(session__started_at__lt=before).exclude(
        session__commits__received_at__gte=before
    )
    if dry_run:
        return HistorySummarised(
            cutoff=before,
            sessions=records.values("session").distinct().count(),
            deleted=records.count(),
            dry_run=True,
        )
    sessions = records.values("session").distinct().count()
    deleted = 0
    while True:
        with transaction.atomic():
            batch = list(records.values_list("pk", flat=True)[:BATCH])
            if not batch:
                break
            deleted += CommitRecord.objects.filter(pk__in=batch).delete()[0]
    return HistorySummarised(cutoff=before, sessions=sessions, deleted=deleted, dry_run=False)
