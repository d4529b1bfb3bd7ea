"""/dashboard/: the dashboards (analytics.views.dashboards) and their exports
(analytics.views.exports)."""

from django.urls import path

from analytics.views import dashboards, exports

app_name = "analytics"
urlpatterns = [
    path("", dashboards.agency_dashboard, name="dashboard"),
    path("partner/", dashboards.partner_dashboard, name="partner-dashboard"),
    path("export/<slug:table_key>.<str:fmt>", exports.table_export, name="table-export"),
    path("report.pdf", exports.report_pdf, name="report-pdf"),
    path("exports/<int:job_id>/", exports.export_job_status, name="export-job"),
    path("exports/<int:job_id>/download/", exports.export_job_download, name="export-job-download"),
]
