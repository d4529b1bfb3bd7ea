"""Platform administrators register the applications that use the API (Admin → API
applications): whom each belongs to, the flow, the scopes it may ask for. Its secret is shown
once, on the page after it is created or renewed."""

from django import forms
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.auth import permission_denied
from wagtail.admin.panels import FieldPanel, FieldRowPanel, ObjectList
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet

from api.account_section import AllowedApplicationsSection
from api.models import Application
from api.scopes import SCOPES
from api.services import application_secret_renew
from people.account_sections import ACCOUNT_SECTIONS_HOOK
from people.permissions import is_platform_admin

GRANT_CHOICES = [
    (Application.GRANT_AUTHORIZATION_CODE, _("Authorization code with PKCE (people sign in to it)")),
    (
        Application.GRANT_CLIENT_CREDENTIALS,
        _("Client credentials (a server acting for an agency or partner)"),
    ),
]


def secret_page(request, application: Application, secret: str):  # type: ignore[no-untyped-def]
    return TemplateResponse(
        request,
        "api/admin/secret.html",
        {"application": application, "secret": secret, "index_url": reverse("api_applications:index")},
    )


CLIENT_TYPE_CHOICES = [
    (Application.CLIENT_CONFIDENTIAL, _("Confidential: runs on a server and keeps a secret")),
    (Application.CLIENT_PUBLIC, _("Public: a phone or browser app that cannot keep a secret (PKCE only)")),
]


class ApplicationCreateView(generic.CreateView):
    def form_valid(self, form):  # type: ignore[no-untyped-def]
        secret = form.instance.client_secret  # in clear until saved, then hashed
        super().form_valid(form)
        return secret_page(self.request, self.object, secret)


class ApplicationIndexView(generic.IndexView):
    def get_list_more_buttons(self, instance):  # type: ignore[no-untyped-def]
        buttons = list(super().get_list_more_buttons(instance))
        if instance.client_type == Application.CLIENT_CONFIDENTIAL:
            buttons.append(
                MenuItem(
                    _("New secret"),
                    url=reverse("api_admin:new_secret", args=[instance.pk]),
                    icon_name="key",
                    priority=20,
                )
            )
        return buttons


class ApplicationViewSet(ModelViewSet):
    model = Application
    icon = "key"
    menu_label = _("API applications")
    menu_order = 910
    add_to_admin_menu = True
    copy_view_enabled = False
    inspect_view_enabled = True
    add_view_class = ApplicationCreateView
    index_view_class = ApplicationIndexView
    list_display = ["name", "client_id", "authorization_grant_type", "unit", "partner", "allowed_scopes"]
    list_filter = ["authorization_grant_type", "client_type"]
    search_fields = ["name", "client_id"]
    search_backend_name = None
    inspect_view_fields = [
        "name",
        "client_id",
        "client_type",
        "authorization_grant_type",
        "redirect_uris",
        "unit",
        "partner",
        "allowed_scopes",
        "contact_email",
        "created",
        "updated",
    ]
    edit_handler = ObjectList([
        FieldPanel("name"),
        FieldRowPanel([
            FieldPanel("authorization_grant_type", widget=forms.Select(choices=GRANT_CHOICES)),
            FieldPanel("client_type", widget=forms.Select(choices=CLIENT_TYPE_CHOICES)),
        ]),
        FieldPanel(
            "redirect_uris",
            help_text=_(
                "For the authorization code flow: the exact addresses it may return to, one per line (https)."
            ),
        ),
        FieldRowPanel([FieldPanel("unit"), FieldPanel("partner")]),
        FieldPanel(
            "allowed_scopes",
            help_text=_("Separated by spaces. Known scopes: %(scopes)s.") % {"scopes": " ".join(SCOPES)},
        ),
        FieldPanel("contact_email"),
    ])  # fmt: skip


@hooks.register(ACCOUNT_SECTIONS_HOOK)
def allowed_applications_section() -> AllowedApplicationsSection:
    return AllowedApplicationsSection()


@hooks.register("register_admin_viewset")
def register_viewset():  # type: ignore[no-untyped-def]
    return ApplicationViewSet("api_applications")


def new_secret_confirm(request, pk: int):  # type: ignore[no-untyped-def]
    if not (is_platform_admin(request.user) and request.user.has_perm("api.change_application")):
        return permission_denied(request)
    application = get_object_or_404(Application, pk=pk, client_type=Application.CLIENT_CONFIDENTIAL)
    if request.method == "POST":
        return secret_page(request, application, application_secret_renew(application=application))
    return TemplateResponse(
        request,
        "api/admin/new_secret_confirm.html",
        {"application": application, "index_url": reverse("api_applications:index")},
    )


@hooks.register("register_admin_urls")
def register_admin_urls():  # type: ignore[no-untyped-def]
    return [
        path(
            "api-applications/",
            include(
                ([path("<int:pk>/new-secret/", new_secret_confirm, name="new_secret")], "api_admin"),
                namespace="api_admin",
            ),
        )
    ]
