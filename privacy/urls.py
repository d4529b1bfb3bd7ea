from django.urls import path

from privacy import views

app_name = "privacy"

urlpatterns = [
    path("", views.notice, name="notice"),
    path("version/<int:version>/", views.notice, name="notice-version"),
    path("acknowledge/", views.acknowledge, name="acknowledge"),
    path("choices/", views.choices, name="choices"),
]
