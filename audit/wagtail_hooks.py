"""The audit log in the admin: one read-only page, shown to those who may read the log (the
data protection officers' group; platform administrators as superusers)."""

from typing import Any

from django.http import HttpRequest
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from audit import views


class AuditLogMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return request.user.has_perm(views.VIEW_PERMISSION)


@hooks.register("register_admin_urls")
def register_admin_urls() -> list[Any]:
    return [path("audit-log/", views.audit_log, name="audit_log")]


@hooks.register("register_admin_menu_item")
def register_menu_item() -> MenuItem:
    return AuditLogMenuItem(_("Audit log"), reverse("audit_log"), icon_name="history", order=9100)
