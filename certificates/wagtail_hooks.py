"""Certificates in the Wagtail admin: designs (a snippet with a live preview of a sample
certificate), and the certificate search with revoke / suspend / reinstate / re-issue."""

from functools import cached_property

from django.contrib.admin.utils import unquote
from django.shortcuts import get_object_or_404
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.menu import Menu, MenuItem
from wagtail.admin.panels import ObjectList
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views import snippets as snippet_views
from wagtail.snippets.views.snippets import SnippetViewSet

from certificates.models import CertificateTemplate
from certificates.permissions import DesignPermissionPolicy, designs_editable, designs_visible
from certificates.views import admin as views
from people.admin import PartnerContentMenuItem
from people.permissions import content_partners_editable, is_platform_admin


class DesignForm(WagtailAdminModelForm):
    """Partner authors design for their own partners only; platform designs (no partner) are
    the platform admins'."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.for_user is not None and "partner" in self.fields:
            self.fields["partner"].queryset = content_partners_editable(self.for_user)
            self.fields["partner"].required = not is_platform_admin(self.for_user)


class DesignIndexView(snippet_views.IndexView):
    """The designs the person may see; edit and delete links only on those they may change
    (a partner author sees the platform's designs but cannot change them)."""

    def get_base_queryset(self):
        return designs_visible(self.request.user).select_related("partner")

    @cached_property
    def _editable_ids(self) -> set[int]:
        return set(designs_editable(self.request.user).values_list("pk", flat=True))

    def get_edit_url(self, instance):
        return super().get_edit_url(instance) if instance.pk in self._editable_ids else None

    def get_delete_url(self, instance):
        return super().get_delete_url(instance) if instance.pk in self._editable_ids else None


class _VisibleDesign:
    def get_object(self, queryset=None):
        return get_object_or_404(designs_visible(self.request.user), pk=unquote(str(self.pk)))


class _EditableDesign:
    def get_object(self, queryset=None):
        return super().get_object(queryset=designs_editable(self.request.user))


class DesignViewSet(SnippetViewSet):
    model = CertificateTemplate
    icon = "doc-full"
    menu_label = _("Certificate designs")
    add_to_admin_menu = False
    list_display = ["name", "partner", "layout", "is_default"]
    search_fields = ["name"]
    index_view_class = DesignIndexView
    inspect_view_enabled = True
    inspect_view_class = type("DesignInspectView", (_VisibleDesign, snippet_views.InspectView), {})
    edit_view_class = type("DesignEditView", (_EditableDesign, snippet_views.EditView), {})
    delete_view_class = type("DesignDeleteView", (_EditableDesign, snippet_views.DeleteView), {})
    edit_handler = ObjectList(CertificateTemplate.panels, base_form_class=DesignForm)


register_permission_policy(CertificateTemplate, DesignPermissionPolicy(CertificateTemplate))
register_snippet(DesignViewSet)

admin_urlpatterns = [
    path("", views.certificate_index, name="index"),
    path("<int:pk>/", views.certificate_detail, name="detail"),
    path("<int:pk>/status/", views.certificate_status_change, name="status"),
    path("<int:pk>/reissue/", views.certificate_reissue_view, name="reissue"),
]


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [
        path(
            "certificates/",
            include((admin_urlpatterns, "certificates_admin"), namespace="certificates_admin"),
        )
    ]


@hooks.register("register_admin_menu_item")
def register_menu():
    menu = Menu(
        items=[
            MenuItem(
                _("Issued certificates"),
                reverse("certificates_admin:index"),
                icon_name="doc-full-inverse",
                order=100,
            ),
            MenuItem(
                _("Certificate designs"),
                reverse(CertificateTemplate.snippet_viewset.get_url_name("list")),
                icon_name="doc-full",
                order=200,
            ),
        ]
    )
    return PartnerContentMenuItem(_("Certificates"), menu, icon_name="doc-full-inverse", order=270)
