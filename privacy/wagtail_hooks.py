"""The DPO's screens in the admin: the record of processing activities (with its spreadsheet)
and the privacy notices (drafts edited, then published as numbered versions)."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import include, path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, ObjectList
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import HeaderButton

from privacy import views
from privacy.models import PrivacyNotice, ProcessingActivity


class ProcessingIndexView(generic.IndexView):
    @cached_property
    def header_buttons(self):  # type: ignore[no-untyped-def]
        return [
            *super().header_buttons,
            HeaderButton(
                _("Download as a spreadsheet (CSV)"),
                url=reverse("privacy_admin:processing_csv"),
                icon_name="download",
            ),
        ]


class ProcessingActivityViewSet(ModelViewSet):
    model = ProcessingActivity
    index_view_class = ProcessingIndexView
    icon = "list-ul"
    menu_label = _("Record of processing")
    copy_view_enabled = False
    inspect_view_enabled = True
    list_display = ["name_th", "lawful_basis", "retention_th"]
    list_filter = ["lawful_basis"]
    search_fields = ["name_th", "name_en", "purpose_th", "purpose_en"]
    search_backend_name = None
    edit_handler = ObjectList([
        FieldRowPanel([FieldPanel("name_th"), FieldPanel("name_en")]),
        FieldRowPanel([FieldPanel("purpose_th"), FieldPanel("purpose_en")]),
        FieldRowPanel([FieldPanel("lawful_basis"), FieldPanel("consent_purpose")]),
        FieldPanel("data_subjects"),
        FieldPanel("data_categories"),
        FieldRowPanel([FieldPanel("recipients_th"), FieldPanel("recipients_en")]),
        FieldRowPanel([FieldPanel("retention_th"), FieldPanel("retention_en")]),
        FieldPanel("security_measures"),
        FieldPanel("transfers_abroad"),
        FieldPanel("sort_order"),
    ])  # fmt: skip


class _DraftsOnly:
    """A published notice is the record of what people read: it is never edited or deleted."""

    def dispatch(self, request, *args, **kwargs):  # type: ignore[no-untyped-def]
        notice = PrivacyNotice.objects.filter(pk=kwargs["pk"]).first()
        if notice is not None and notice.is_published:
            messages.error(
                request,
                _("A published notice cannot be changed or deleted. Make a new draft from it instead."),
            )
            return redirect("privacy_notices:index")
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]


class NoticeEditView(_DraftsOnly, generic.EditView):
    pass


class NoticeDeleteView(_DraftsOnly, generic.DeleteView):
    pass


class NoticeIndexView(generic.IndexView):
    def get_list_more_buttons(self, instance):  # type: ignore[no-untyped-def]
        locked = (
            {self.get_edit_url(instance), self.get_delete_url(instance)} if instance.is_published else set()
        )
        buttons = [button for button in super().get_list_more_buttons(instance) if button.url not in locked]
        if not self.request.user.has_perm("privacy.change_privacynotice"):
            return buttons
        if instance.is_published:
            buttons.append(
                MenuItem(
                    _("New draft from this version"),
                    url=reverse("privacy_admin:new_draft", args=[instance.pk]),
                    icon_name="copy",
                    priority=15,
                )
            )
        else:
            buttons.append(
                MenuItem(
                    pgettext_lazy("privacy notice", "Publish"),
                    url=reverse("privacy_admin:publish", args=[instance.pk]),
                    icon_name="upload",
                    priority=5,
                )
            )
        return buttons


class NoticeStateColumn(Column):
    def get_value(self, instance):  # type: ignore[no-untyped-def]
        if instance.is_published:
            return _("Version %(version)s") % {"version": instance.version}
        return pgettext_lazy("privacy notice", "Draft")


class PrivacyNoticeViewSet(ModelViewSet):
    model = PrivacyNotice
    icon = "doc-full"
    menu_label = _("Privacy notices")
    copy_view_enabled = False
    inspect_view_enabled = True
    index_view_class = NoticeIndexView
    edit_view_class = NoticeEditView
    delete_view_class = NoticeDeleteView
    list_display = [
        "__str__",
        NoticeStateColumn("state", label=pgettext_lazy("privacy notice", "State")),
        DateColumn("published_at", label=pgettext_lazy("privacy notice", "Published")),
    ]
    edit_handler = ObjectList([
        FieldRowPanel([FieldPanel("introduction_th"), FieldPanel("introduction_en")]),
        FieldRowPanel([FieldPanel("rights_th"), FieldPanel("rights_en")]),
        FieldPanel("controller_contact"),
    ])  # fmt: skip


class PrivacyViewSetGroup(ViewSetGroup):
    menu_label = pgettext_lazy("admin menu", "Privacy")
    menu_icon = "lock"
    menu_order = 900
    items = (
        ProcessingActivityViewSet("privacy_processing"),
        PrivacyNoticeViewSet("privacy_notices"),
    )


@hooks.register("register_admin_viewset")
def register_viewsets():  # type: ignore[no-untyped-def]
    return PrivacyViewSetGroup()


admin_urlpatterns = [
    path("processing.csv", views.processing_record_csv, name="processing_csv"),
    path("notices/<int:pk>/publish/", views.publish, name="publish"),
    path("notices/<int:pk>/new-draft/", views.new_draft, name="new_draft"),
]


@hooks.register("register_admin_urls")
def register_admin_urls():  # type: ignore[no-untyped-def]
    return [path("privacy/", include((admin_urlpatterns, "privacy_admin"), namespace="privacy_admin"))]
