"""/dashboard/assignments/: HR managers' course assignments (assignments.views)."""

from django.urls import path

from assignments import views

app_name = "assignments"
urlpatterns = [
    path("", views.assignment_list, name="list"),
    path("new/", views.assignment_new, name="create"),
    path("<int:pk>/", views.assignment_detail, name="detail"),
    path("<int:pk>/deactivate/", views.assignment_deactivate_view, name="deactivate"),
]
