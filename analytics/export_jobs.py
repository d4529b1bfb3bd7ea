"""Building the dashboards' exports, at once or as a background job (`ExportJob`).

Which exports run in the background: the people list and the overdue list (their full
versions can hold every person in a ministry), any table longer than
`settings.ANALYTICS_EXPORT_INLINE_ROWS` rows (5 000 unless set), and a PDF report that would
print more than `REPORT_INLINE_ROWS` table rows. Everything else is built in the request.

A job is built as its requester, when it runs: the dashboard is computed again with their
scope at that moment. Someone who lost the HR manager role (or the unit they chose) after
asking gets a failed job with a message, never the file. Only the requester sees a job and
downloads its file. Files sit in the default storage under `exports/<random>/` and are
deleted with their job after `EXPORT_KEEP_DAYS` days (`export_jobs_delete_expired`, run
daily by Celery beat).
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from collections.abc import Callable
from dataclasses import asdict, dataclass, fields

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from analytics.exports import DownloadNames, dashboard_xlsx, download_names, table_csv, table_xlsx
from analytics.models import ExportJob
from analytics.report import ROWS_PER_TABLE, dashboard_pdf
from analytics.selectors.agency import can_view_agency_dashboard, dashboard
from analytics.selectors.contract import Dashboard, DashboardFilters
from organisations.models import OrganisationUnit
from people.models import User
from people.permissions import can_view_unit, is_platform_admin, managed_unit_paths

logger = logging.getLogger(__name__)

TABLE_CSV = "table_csv"
TABLE_XLSX = "table_xlsx"
DASHBOARD_XLSX = "dashboard_xlsx"
REPORT_PDF = "report_pdf"
KINDS = (TABLE_CSV, TABLE_XLSX, DASHBOARD_XLSX, REPORT_PDF)
TABLE_KINDS = (TABLE_CSV, TABLE_XLSX)
WHOLE_DASHBOARD = "all"  # /dashboard/export/all.xlsx: every table in one workbook

BACKGROUND_TABLES = frozenset({"people", "overdue"})
DEFAULT_INLINE_ROWS = 5000
REPORT_INLINE_ROWS = 400  # printed rows a request may render (about two seconds)
EXPORT_KEEP_DAYS = 7

_CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


class ExportRefused(Exception):
    """The export cannot be made for this person; the message says why, for them."""


@dataclass(frozen=True)
class ExportFile:
    content: bytes
    names: DownloadNames
    content_type: str


def export_kind(table_key: str, fmt: str) -> str | None:
    """The kind of export /dashboard/export/<table_key>.<fmt> asks for, or None."""
    if table_key == WHOLE_DASHBOARD:
        return DASHBOARD_XLSX if fmt == "xlsx" else None
    return {"csv": TABLE_CSV, "xlsx": TABLE_XLSX}.get(fmt)


def inline_row_limit() -> int:
    return getattr(settings, "ANALYTICS_EXPORT_INLINE_ROWS", DEFAULT_INLINE_ROWS)


def export_runs_in_background(*, kind: str, board: Dashboard, table_key: str = "") -> bool:
    """Whether this export is too big to build while the person waits for the page."""
    limit = inline_row_limit()
    if kind in TABLE_KINDS:
        return table_key in BACKGROUND_TABLES or len(board.tables[table_key].rows) > limit
    if kind == DASHBOARD_XLSX:
        return bool(BACKGROUND_TABLES & board.tables.keys()) or any(
            len(table.rows) > limit for table in board.tables.values()
        )
    printed = sum(min(len(table.rows), ROWS_PER_TABLE) for table in board.tables.values())
    return printed > REPORT_INLINE_ROWS


def _scope_code(viewer: User, board: Dashboard) -> str:
    """A short name of what the file covers: the unit's code, or "all"."""
    unit_id = board.filters.unit_id
    if unit_id is None and not is_platform_admin(viewer):
        paths = managed_unit_paths(viewer)
        if len(paths) == 1:
            return (
                OrganisationUnit.objects.filter(path=paths[0]).values_list("code", flat=True).first()
                or "scope"
            )
    if unit_id is None:
        return "all"
    return (
        OrganisationUnit.objects.filter(pk=unit_id).values_list("code", flat=True).first() or f"unit{unit_id}"
    )


def export_file_build(
    *,
    viewer: User,
    board: Dashboard,
    kind: str,
    table_key: str = "",
    generated_at: dt.datetime,
    progress: Callable[[float], None] | None = None,
) -> ExportFile:
    """The file of one export of `board` (already computed for `viewer`)."""
    scope_code = _scope_code(viewer, board)
    year = board.filters.fiscal_year
    if kind in TABLE_KINDS:
        table = board.tables[table_key]
        extension = "csv" if kind == TABLE_CSV else "xlsx"
        build = table_csv if kind == TABLE_CSV else table_xlsx
        content = build(table, progress=progress)
        names = download_names(
            key=table.key, title=table.title, scope_code=scope_code, fiscal_year=year, extension=extension
        )
    elif kind == DASHBOARD_XLSX:
        extension = "xlsx"
        content = dashboard_xlsx(board, generated_at=generated_at, progress=progress)
        names = download_names(
            key="dashboard", title=board.title, scope_code=scope_code, fiscal_year=year, extension=extension
        )
    elif kind == REPORT_PDF:
        extension = "pdf"
        content = dashboard_pdf(board, generated_at=generated_at, viewer_name=viewer.full_name())
        names = download_names(
            key="report", title=board.title, scope_code=scope_code, fiscal_year=year, extension=extension
        )
    else:
        raise ValueError(f"Unknown export kind {kind!r}; expected one of {KINDS}.")
    return ExportFile(content, names, _CONTENT_TYPES[extension])


def export_parameters(*, filters: DashboardFilters, table_key: str = "", title: str = "") -> dict:
    """What a job needs to build the same export later (JSON), and what its page shows."""
    return {
        "filters": asdict(filters),
        "table": table_key,
        "title": title,
        "language": translation.get_language() or settings.LANGUAGE_CODE,
    }


def export_job_filters(job: ExportJob) -> DashboardFilters:
    """The dashboard filters a job was asked with."""
    known = {field.name for field in fields(DashboardFilters)}
    return DashboardFilters(
        **{name: value for name, value in job.parameters["filters"].items() if name in known}
    )


@transaction.atomic
def export_job_start(*, viewer: User, kind: str, parameters: dict) -> ExportJob:
    """Record a background export for `viewer` and queue it once the transaction commits.

    `parameters` come from `export_parameters`; table exports need the table's key."""
    if kind not in KINDS:
        raise ValueError(f"Unknown export kind {kind!r}; expected one of {KINDS}.")
    if not isinstance(parameters.get("filters"), dict) or "fiscal_year" not in parameters["filters"]:
        raise ValueError("An export job needs the dashboard's filters (export_parameters).")
    if kind in TABLE_KINDS and not parameters.get("table"):
        raise ValueError("A table export job needs the table's key.")
    job = ExportJob.objects.create(requested_by=viewer, kind=kind, parameters=parameters)

    from analytics.tasks import build_export

    transaction.on_commit(lambda: build_export.delay(job.pk))
    return job


def _set_progress(job: ExportJob, percent: int) -> None:
    if percent > job.progress:
        job.progress = percent
        ExportJob.objects.filter(pk=job.pk).update(progress=percent)


def _fail(job: ExportJob, message: str) -> ExportJob:
    job.status = ExportJob.Status.FAILED
    job.error = message
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "error", "finished_at"])
    return job


def _build(job: ExportJob) -> ExportFile:
    requester = job.requested_by
    if not requester.is_active or not can_view_agency_dashboard(requester):
        raise ExportRefused(
            _(
                "You no longer have access to the dashboards (the HR manager role ended), so this export "
                "was not made. Ask your agency's platform administrator if you still need it."
            )
        )
    filters = export_job_filters(job)
    if filters.unit_id is not None:
        unit = OrganisationUnit.objects.filter(pk=filters.unit_id).first()
        if unit is None or not can_view_unit(requester, unit):
            raise ExportRefused(
                _("The unit this export was for is no longer in the units you manage, so it was not made.")
            )
    board = dashboard(viewer=requester, filters=filters, full_lists=True)
    table_key = job.parameters.get("table", "")
    if job.kind in TABLE_KINDS and table_key not in board.tables:
        raise ExportRefused(_("This table is not on the dashboard for these filters any more."))
    _set_progress(job, 30)

    def progress(share: float) -> None:
        _set_progress(job, 30 + int(share * 65))

    return export_file_build(
        viewer=requester,
        board=board,
        kind=job.kind,
        table_key=table_key,
        generated_at=timezone.now(),
        progress=progress,
    )


def export_job_run(*, job_id: int) -> ExportJob | None:
    """Build a queued job's file as its requester now may see things; never raises for a
    problem of the export itself: the job fails with a message the requester can act on."""
    job = ExportJob.objects.select_related("requested_by").filter(pk=job_id).first()
    if job is None or job.status in (ExportJob.Status.DONE, ExportJob.Status.FAILED):
        return job
    job.status = ExportJob.Status.RUNNING
    job.progress = 5
    job.save(update_fields=["status", "progress"])
    with translation.override(job.parameters.get("language") or settings.LANGUAGE_CODE):
        try:
            built = _build(job)
            job.file.save(
                f"{secrets.token_urlsafe(12)}/{built.names.ascii}", ContentFile(built.content), save=False
            )
        except ExportRefused as refusal:
            return _fail(job, str(refusal))
        except Exception:
            logger.exception("Export job %s (%s) failed", job.pk, job.kind)
            return _fail(
                job,
                _(
                    "Something went wrong while making this file. Try again from the dashboard; if it "
                    "fails again, tell your platform administrator (export %(number)s)."
                )
                % {"number": job.pk},
            )
    job.filename = built.names.readable[:255]
    job.status = ExportJob.Status.DONE
    job.progress = 100
    job.finished_at = timezone.now()
    job.save(update_fields=["file", "filename", "status", "progress", "finished_at"])
    return job


def export_job_file(job: ExportJob) -> tuple[DownloadNames, str]:
    """The names a finished job's file is downloaded under, and its content type."""
    ascii_name = job.file.name.rsplit("/", 1)[-1]
    extension = ascii_name.rsplit(".", 1)[-1]
    return DownloadNames(ascii_name, job.filename or ascii_name), _CONTENT_TYPES.get(
        extension, "application/octet-stream"
    )


def export_jobs_delete_expired(*, now: dt.datetime | None = None) -> int:
    """Delete jobs older than EXPORT_KEEP_DAYS days and their files; returns how many.

    Exports hold personal data (names, units, learning records): they are kept only as long
    as someone plausibly still needs to download them."""
    cutoff = (now or timezone.now()) - dt.timedelta(days=EXPORT_KEEP_DAYS)
    deleted = 0
    for job in ExportJob.objects.filter(created_at__lt=cutoff).iterator():
        if job.file:
            job.file.delete(save=False)
        job.delete()
        deleted += 1
    return deleted
