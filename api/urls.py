"""/api/v1/: the REST API (docs/api.md). The schema and its documentation page sit beside it."""

from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView

from api.views import assignments, catalogue, learning, people, records
from api.views.base import not_found
from api.views.docs import ApiDocs

app_name = "api"

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", ApiDocs.as_view(), name="docs"),
    path("courses/", catalogue.CourseList.as_view(), name="courses"),
    path("courses/<int:pk>/", catalogue.CourseDetail.as_view(), name="course"),
    path("me/", people.Me.as_view(), name="me"),
    path("units/", people.UnitList.as_view(), name="units"),
    path("people/", people.PersonList.as_view(), name="people"),
    path("people/<int:pk>/", people.PersonDetail.as_view(), name="person"),
    path("people/sync/", people.PeopleSync.as_view(), name="people-sync"),
    path("enrolments/", learning.EnrolmentList.as_view(), name="enrolments"),
    path("enrolments/<int:pk>/", learning.EnrolmentDetail.as_view(), name="enrolment"),
    path("assignments/", assignments.AssignmentList.as_view(), name="assignments"),
    path("assignments/<int:pk>/", assignments.AssignmentDetail.as_view(), name="assignment"),
    path("people/<int:pk>/transcript/", records.Transcript.as_view(), name="person-transcript"),
    path("people/<int:pk>/competencies/", records.CompetencyProfile.as_view(), name="person-competencies"),
    path("certificates/", records.CertificateList.as_view(), name="certificates"),
    path("certificates/verify/<str:code>/", records.CertificateVerify.as_view(), name="certificate-verify"),
    path("units/<int:pk>/figures/", records.UnitFigures.as_view(), name="unit-figures"),
    # Anything else under /api/v1/ answers in the API's own error body, not an HTML page.
    re_path(r"^.*$", not_found, name="not-found"),
]
