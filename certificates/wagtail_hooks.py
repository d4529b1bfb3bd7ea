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
from wagtail.snippets.views import chooser as snippet_chooser_views
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


class _DesignsInScope:
    """Every view of a design finds it among the designs the person may see (`designs_visible`)
    or change (`designs_editable`, for `scope = "edit"`), never among all of them: another
    partner's design, its history, usage, copy and preview are "not found" (404). The rule
    itself is certificates.permissions; this is where every design view applies it."""

    scope = "view"

    def designs_in_scope(self):
        user = self.request.user
        return designs_editable(user) if self.scope == "edit" else designs_visible(user)

    # The generic object views (history, usage).
    def get_base_object_queryset(self):
        return self.designs_in_scope()


class _DesignSingleObject(_DesignsInScope):
    """The model views built on Django's SingleObjectMixin (edit, delete)."""

    def get_queryset(self):
        return self.designs_in_scope()


class _DesignByPk(_DesignsInScope):
    """Views whose own get_object reads the whole table (inspect, copy)."""

    def get_object(self, queryset=None):
        return get_object_or_404(self.designs_in_scope(), pk=unquote(str(self.kwargs["pk"])))


class DesignChooseView(_DesignsInScope, snippet_chooser_views.ChooseView):
    def get_object_list(self):
        return self.designs_in_scope()


class DesignChooseResultsView(_DesignsInScope, snippet_chooser_views.ChooseResultsView):
    def get_object_list(self):
        return self.designs_in_scope()


class DesignChosenView(_DesignsInScope, snippet_chooser_views.SnippetChosenView):
    def get_object(self, pk):
        return self.designs_in_scope().get(pk=pk)


class DesignChosenMultipleView(_DesignsInScope, snippet_chooser_views.SnippetChosenMultipleView):
    def get_objects(self, pks):
        return self.designs_in_scope().filter(pk__in=pks)


class DesignChooserViewSet(snippet_chooser_views.SnippetChooserViewSet):
    choose_view_class = DesignChooseView
    choose_results_view_class = DesignChooseResultsView
    chosen_view_class = DesignChosenView
    chosen_multiple_view_class = DesignChosenMultipleView


def _scoped(view_class, scope: str = "view"):
    if view_class in {snippet_views.InspectView, snippet_views.CopyView}:
        mixin: type = _DesignByPk
    elif view_class in {snippet_views.EditView, snippet_views.DeleteView}:
        mixin = _DesignSingleObject
    else:
        mixin = _DesignsInScope
    return type(f"Design{view_class.__name__}", (mixin, view_class), {"scope": scope})


class DesignViewSet(SnippetViewSet):
    model = CertificateTemplate
    icon = "doc-full"
    menu_label = _("Certificate designs")
    add_to_admin_menu = False
    list_display = ["name", "partner", "layout", "is_default"]
    search_fields = ["name"]
    index_view_class = DesignIndexView
    inspect_view_enabled = True
    inspect_view_class = _scoped(snippet_views.InspectView)
    copy_view_class = _scoped(snippet_views.CopyView)
    history_view_class = _scoped(snippet_views.HistoryView)
    usage_view_class = _scoped(snippet_views.UsageView)
    edit_view_class = _scoped(snippet_views.EditView, "edit")
    delete_view_class = _scoped(snippet_views.DeleteView, "edit")
    chooser_viewset_class = DesignChooserViewSet
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
