"""Exports of the dashboards' tables (CSV, XLSX), the PDF report, and background export jobs.

Who may export: whoever may open the agency dashboard (HR managers, platform
administrators); the exported numbers are the ones their dashboard shows under the same
filters. Small exports come back at once; large ones become an `ExportJob` whose page shows
its progress and, when it is done, the download (analytics.export_jobs says which).
"""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from analytics.export_jobs import (
    EXPORT_KEEP_DAYS,
    REPORT_PDF,
    TABLE_KINDS,
    ExportFile,
    export_file_build,
    export_job_file,
    export_job_filters,
    export_job_start,
    export_kind,
    export_parameters,
    export_runs_in_background,
)
from analytics.forms import dashboard_filters_from
from analytics.models import ExportJob
from analytics.selectors.agency import can_view_agency_dashboard, dashboard
from analytics.selectors.contract import dashboard_query
from audit.services import audit_export_of


def _not_open_to_you(request) -> TemplateResponse:
    return TemplateResponse(request, "analytics/no_dashboard.html", status=403)


def _download(built: ExportFile) -> HttpResponse:
    response = HttpResponse(built.content, content_type=built.content_type)
    response["Content-Disposition"] = built.names.content_disposition()
    response["Cache-Control"] = "private, no-store"
    return response


def _export(request, *, kind: str, table_key: str = ""):
    filters = dashboard_filters_from(request)
    board = dashboard(viewer=request.user, filters=filters)
    if table_key and table_key not in board.tables:
        raise Http404
    audit_export_of(request, what=f"analytics.{kind}", detail={"table": table_key})
    if export_runs_in_background(kind=kind, board=board, table_key=table_key):
        title = board.tables[table_key].title if table_key else board.title
        job = export_job_start(
            viewer=request.user,
            kind=kind,
            parameters=export_parameters(filters=board.filters, table_key=table_key, title=title),
        )
        return redirect("analytics:export-job", job_id=job.pk)
    return _download(
        export_file_build(
            viewer=request.user, board=board, kind=kind, table_key=table_key, generated_at=timezone.now()
        )
    )


@login_required
def table_export(request, table_key: str, fmt: str):
    kind = export_kind(table_key, fmt)
    if kind is None:
        raise Http404
    if not can_view_agency_dashboard(request.user):
        return _not_open_to_you(request)
    return _export(request, kind=kind, table_key=table_key if kind in TABLE_KINDS else "")


@login_required
def report_pdf(request):
    if not can_view_agency_dashboard(request.user):
        return _not_open_to_you(request)
    return _export(request, kind=REPORT_PDF)


FORMAT_LABELS = {
    "table_csv": "CSV",
    "table_xlsx": "Excel (XLSX)",
    "dashboard_xlsx": "Excel (XLSX)",
    "report_pdf": "PDF",
}


def _status_label(job: ExportJob) -> str:
    return {
        ExportJob.Status.QUEUED: _("Waiting to start…"),
        ExportJob.Status.RUNNING: _("Making the file…"),
        ExportJob.Status.DONE: _("Ready to download"),
        ExportJob.Status.FAILED: _("Not made"),
    }[job.status]


@login_required
def export_job_status(request, job_id: int):
    job = get_object_or_404(ExportJob, pk=job_id, requested_by=request.user)
    done = job.status == ExportJob.Status.DONE
    download_url = reverse("analytics:export-job-download", args=[job.pk]) if done else ""
    if request.GET.get("format") == "json":
        return JsonResponse(
            {
                "status": job.status,
                "progress": job.progress,
                "label": _status_label(job),
                "download_url": download_url,
            },
            headers={"Cache-Control": "no-store"},
        )
    back_url = f"{reverse('analytics:dashboard')}?{dashboard_query(export_job_filters(job))}"
    return TemplateResponse(
        request,
        "analytics/export_job.html",
        {
            "job": job,
            "title": job.parameters.get("title", ""),
            "format_label": FORMAT_LABELS.get(job.kind, ""),
            "status_label": _status_label(job),
            "finished": job.status in (ExportJob.Status.DONE, ExportJob.Status.FAILED),
            "download_url": download_url,
            "back_url": back_url,
            "keep_days": EXPORT_KEEP_DAYS,
        },
    )


@login_required
def export_job_download(request, job_id: int):
    job = get_object_or_404(ExportJob, pk=job_id, requested_by=request.user, status=ExportJob.Status.DONE)
    if not can_view_agency_dashboard(request.user):  # the file was made while they held the role
        return _not_open_to_you(request)
    if not job.file or not job.file.storage.exists(job.file.name):
        raise Http404
    names, content_type = export_job_file(job)
    audit_export_of(request, what=f"analytics.{job.kind}", detail={"job": job.pk, **job.parameters})
    response = FileResponse(job.file.open("rb"), content_type=content_type)
    response["Content-Disposition"] = names.content_disposition()
    response["Cache-Control"] = "private, no-store"
    return response
