"""/dashboard/staff/: HR managers' staff import."""

from django.urls import path  # noqa: F401

app_name = "staff"
urlpatterns: list = []
