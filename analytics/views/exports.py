"""Exports of the dashboards' tables and the PDF report (to be written)."""

from django.http import HttpResponse


def table_export(request, table_key: str, fmt: str):
    return HttpResponse(status=501)


def report_pdf(request):
    return HttpResponse(status=501)


def export_job_status(request, job_id: int):
    return HttpResponse(status=501)


def export_job_download(request, job_id: int):
    return HttpResponse(status=501)
