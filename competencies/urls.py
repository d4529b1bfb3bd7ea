"""/competencies/…: framework pages, staff members' profiles, manager assessments, evidence import."""

from django.urls import path

from competencies.views import frameworks, profiles, staff

app_name = "competencies"

urlpatterns = [
    path("frameworks/", frameworks.framework_list, name="framework-list"),
    path("frameworks/<str:code>/<str:version>/", frameworks.framework_detail, name="framework-detail"),
    path("people/<int:user_id>/", profiles.person_competencies, name="person"),
    path("people/<int:user_id>/assessments/", staff.assessment_record, name="assessment-record"),
    path(
        "people/<int:user_id>/assessments/<int:evidence_id>/withdraw/",
        staff.assessment_withdraw,
        name="assessment-withdraw",
    ),
    path("evidence/import/", staff.evidence_import, name="evidence-import"),
    path("evidence/import/template.csv", staff.evidence_import_template, name="evidence-import-template"),
]
