"""The retention rules (PDPA s.33 and s.37(3): personal data not kept longer than needed).

Each rule says what it would do (`dry_run=True`: counts only, nothing changes) or does it.
`retention_run` runs them all: nightly through Celery beat (`subject_rights.apply_retention`),
by hand with `manage.py subject_rights_retention [--dry-run]`, and as a dry run on the DPO's
admin page. The periods are settings:

- `PRIVACY_INACTIVE_ACCOUNT_DAYS` (default 3 years): an account that is closed
  (`is_active` off: the person left the service) and has not signed in for that long is
  anonymised like an erasure (subject_rights.erasure). Open accounts are never touched:
  their person is still staff and their records are still needed.
- `SCORM_COMMIT_HISTORY_YEARS` (default 2): SCORM sessions older than that keep only their
  summary (the session row and the attempt's result); their commit records go
  (scorm.services.retention.commit_history_summarise). The nightly 90-day pruning of the
  records in between stays scorm's own job.
- Import previews are kept encrypted in the cache for `IMPORT_PREVIEW_MAX_AGE` seconds and
  the cache forgets them by itself (lms.import_preview): reported, nothing to delete.
- Dashboard exports (analytics ExportJob) after 7 days, with their files.
- Data-subject exports after `SUBJECT_RIGHTS_EXPORT_KEEP_DAYS` (7): the file is deleted, the
  request stays as the record that it was answered.
- The audit log after its own `AUDIT_RETENTION_DAYS`, through `audit.services.audit_prune`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from analytics.export_jobs import EXPORT_KEEP_DAYS, export_jobs_delete_expired
from analytics.models import ExportJob
from audit.services import audit_prune, audit_retention_cutoff
from people.models import User
from scorm.services.retention import commit_history_summarise
from subject_rights.erasure import erased_q, person_erase
from subject_rights.models import DataSubjectRequest


@dataclass(frozen=True)
class RuleReport:
    rule: str
    title: str
    count: int
    summary: str
    dry_run: bool


Rule = Callable[[dt.datetime, bool], RuleReport]


def inactive_account_days() -> int:
    return int(getattr(settings, "PRIVACY_INACTIVE_ACCOUNT_DAYS", 3 * 365))


def scorm_history_years() -> int:
    return int(getattr(settings, "SCORM_COMMIT_HISTORY_YEARS", 2))


def inactive_accounts(*, now: dt.datetime) -> models.QuerySet[User]:
    """Closed accounts, not yet anonymised, with no sign-in (or, never signed in, created)
    for `PRIVACY_INACTIVE_ACCOUNT_DAYS`."""
    cutoff = now - dt.timedelta(days=inactive_account_days())
    return (
        User.objects.filter(is_active=False)
        .exclude(erased_q())
        .filter(models.Q(last_login__lt=cutoff) | models.Q(last_login__isnull=True, date_joined__lt=cutoff))
    )


def _inactive_accounts(now: dt.datetime, dry_run: bool) -> RuleReport:
    people = list(inactive_accounts(now=now))
    if not dry_run:
        for person in people:
            person_erase(person=person)
    return RuleReport(
        "inactive_accounts",
        _("Closed accounts unused for %(days)s days: anonymised") % {"days": inactive_account_days()},
        len(people),
        _("accounts: %(count)s") % {"count": len(people)},
        dry_run,
    )


def _scorm_history(now: dt.datetime, dry_run: bool) -> RuleReport:
    years = scorm_history_years()
    result = commit_history_summarise(before=now - dt.timedelta(days=365 * years), dry_run=dry_run)
    return RuleReport(
        "scorm_history",
        _("SCORM commit histories older than %(years)s years: reduced to their summary") % {"years": years},
        result.deleted,
        _("commit records: %(records)s, sessions: %(sessions)s")
        % {"records": result.deleted, "sessions": result.sessions},
        dry_run,
    )


def _import_previews(now: dt.datetime, dry_run: bool) -> RuleReport:
    seconds = settings.IMPORT_PREVIEW_MAX_AGE
    return RuleReport(
        "import_previews",
        _("Import previews: deleted by the cache after %(seconds)s seconds") % {"seconds": seconds},
        0,
        _("nothing stored beyond that"),
        dry_run,
    )


def _dashboard_exports(now: dt.datetime, dry_run: bool) -> RuleReport:
    if dry_run:
        count = ExportJob.objects.filter(created_at__lt=now - dt.timedelta(days=EXPORT_KEEP_DAYS)).count()
    else:
        count = export_jobs_delete_expired(now=now)
    return RuleReport(
        "dashboard_exports",
        _("Dashboard exports older than %(days)s days: deleted with their files")
        % {"days": EXPORT_KEEP_DAYS},
        count,
        _("exports: %(count)s") % {"count": count},
        dry_run,
    )


def _subject_exports(now: dt.datetime, dry_run: bool) -> RuleReport:
    expired = DataSubjectRequest.objects.filter(expires_at__lt=now).exclude(file="")
    count = expired.count()
    if not dry_run:
        for request in expired:
            request.file.delete(save=False)
            request.save(update_fields=["file"])
    return RuleReport(
        "subject_exports",
        _("Personal data exports past their expiry: files deleted"),
        count,
        _("files: %(count)s") % {"count": count},
        dry_run,
    )


def _audit_log(now: dt.datetime, dry_run: bool) -> RuleReport:
    count = audit_prune(before=audit_retention_cutoff(now=now), dry_run=dry_run)
    return RuleReport(
        "audit_log",
        _("Audit log entries older than %(days)s days: deleted") % {"days": settings.AUDIT_RETENTION_DAYS},
        count,
        _("entries: %(count)s") % {"count": count},
        dry_run,
    )


RULES: tuple[Rule, ...] = (
    _inactive_accounts,
    _scorm_history,
    _import_previews,
    _dashboard_exports,
    _subject_exports,
    _audit_log,
)


def retention_run(*, dry_run: bool, now: dt.datetime | None = None) -> list[RuleReport]:
    """Apply every retention rule (or, with `dry_run`, say what each would do)."""
    moment = now or timezone.now()
    return [rule(moment, dry_run) for rule in RULES]
