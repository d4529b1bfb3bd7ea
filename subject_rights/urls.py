from django.urls import path

from subject_rights.views import learner

app_name = "subject-rights"

urlpatterns = [
    path("", learner.requests_page, name="requests"),
    path("export/", learner.export_start, name="export"),
    path("new/", learner.request_new, name="new"),
    path("<int:pk>/", learner.request_detail, name="detail"),
    path("<int:pk>/download/<str:token>/", learner.export_download, name="download"),
]
