"""/dashboard/staff/: HR managers' staff import (people.views.staff)."""

from django.urls import path

from people.views import staff

app_name = "staff"
urlpatterns = [
    path("import/", staff.staff_import_page, name="import"),
]
