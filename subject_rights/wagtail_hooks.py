"""The DPO's "Data-subject requests" queue and the retention dry run in the Wagtail admin."""

from django.http import HttpRequest
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from subject_rights.views import admin as views

admin_urlpatterns = [
    path("", views.queue, name="queue"),
    path("retention/", views.retention, name="retention"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/erase/", views.erase, name="erase"),
    path("<int:pk>/handle/", views.handle, name="handle"),
    path("<int:pk>/reject/", views.reject, name="reject"),
]


@hooks.register("register_admin_urls")
def register_admin_urls():  # type: ignore[no-untyped-def]
    return [
        path(
            "data-subject-requests/",
            include((admin_urlpatterns, "subject_rights_admin"), namespace="subject_rights_admin"),
        )
    ]


class RequestsMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return bool(request.user.has_perm(views.VIEW))


@hooks.register("register_admin_menu_item")
def register_menu():  # type: ignore[no-untyped-def]
    return RequestsMenuItem(
        _("Data-subject requests"), reverse("subject_rights_admin:queue"), icon_name="user", order=910
    )
