"""Webhooks in the admin, for platform administrators only: subscriptions (the secret is shown
once, right after creation) and the delivery log, read-only, with "Send again"."""

from typing import Any

from django import forms
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import HeaderButton
from wagtail.permissions import register_permission_policy

from webhooks import views
from webhooks.models import Delivery, EventType, Subscription
from webhooks.permissions import PlatformAdminsOnly


class SubscriptionForm(WagtailAdminModelForm):
    event_types = forms.MultipleChoiceField(
        label=_("Events"), choices=EventType.choices, widget=forms.CheckboxSelectMultiple
    )


class SubscriptionCreateView(generic.CreateView):
    def save_instance(self) -> Subscription:
        subscription: Subscription = super().save_instance()
        # Shown once, on the next page, which forgets it (webhooks.views.secret_shown_once).
        self.request.session[views.secret_session_key(subscription.pk)] = subscription.secret
        return subscription

    def get_success_url(self) -> str:
        return reverse("webhooks_admin:secret", args=[self.object.pk])


class EventsColumn(Column):
    def get_value(self, instance: Subscription) -> str:
        return ", ".join(
            str(EventType(name).label) for name in instance.event_types if name in EventType.values
        )


class SubscriptionViewSet(ModelViewSet):
    model = Subscription
    icon = "link-external"
    menu_label = _("Webhook subscriptions")
    copy_view_enabled = False
    inspect_view_enabled = False
    add_view_class = SubscriptionCreateView
    list_display = ["application", "target_url", EventsColumn("event_types", label=_("Events")), "is_active"]
    list_filter = ["is_active"]
    search_fields = ["target_url", "application__name", "description"]
    search_backend_name = None
    edit_handler = ObjectList(
        [
            FieldPanel("application"),
            FieldPanel("target_url"),
            FieldPanel("event_types"),
            FieldPanel("description"),
            FieldPanel("is_active"),
        ],
        base_form_class=SubscriptionForm,
    )


class DeliveryIndexView(generic.IndexView):
    def get_list_more_buttons(self, instance: Delivery) -> list[Any]:
        return [
            *super().get_list_more_buttons(instance),
            MenuItem(
                _("Send again"),
                url=reverse("webhooks_admin:replay", args=[instance.pk]),
                icon_name="resubmit",
            ),
        ]


class DeliveryInspectView(generic.InspectView):
    def get_attempt_log_display_value(self) -> str:
        return views.attempts_text(self.object)

    def get_field_label(self, field_name: str, field: Any) -> str:
        if field_name == "attempt_log":
            return str(_("Attempts"))
        return str(super().get_field_label(field_name, field))

    @property
    def header_buttons(self) -> list[Any]:
        return [
            *super().header_buttons,
            HeaderButton(
                _("Send again"),
                url=reverse("webhooks_admin:replay", args=[self.object.pk]),
                icon_name="resubmit",
            ),
        ]


class DeliveryViewSet(ModelViewSet):
    model = Delivery
    icon = "mail"
    menu_label = _("Webhook deliveries")
    copy_view_enabled = False
    inspect_view_enabled = True
    index_view_class = DeliveryIndexView
    inspect_view_class = DeliveryInspectView
    list_display = [
        DateColumn("created_at", label=pgettext_lazy("webhook delivery", "Created")),
        "event_type",
        "subscription",
        "status",
        "attempts",
        "last_response_status",
    ]
    list_filter = ["status", "event_type", "subscription"]
    search_fields = ["message_id"]
    search_backend_name = None
    inspect_view_fields = [
        "message_id",
        "event_type",
        "subscription",
        "status",
        "attempts",
        "created_at",
        "last_attempt_at",
        "next_attempt_at",
        "delivered_at",
        "last_response_status",
        "last_error",
        "last_response_body",
        "payload",
        "attempt_log",
    ]
    form_fields = ["status"]  # no form is ever shown: the policy allows viewing only


register_permission_policy(Subscription, PlatformAdminsOnly(Subscription))
register_permission_policy(Delivery, PlatformAdminsOnly(Delivery, actions=frozenset({"view"})))


class WebhooksViewSetGroup(ViewSetGroup):
    menu_label = pgettext_lazy("admin menu", "Webhooks")
    menu_icon = "link-external"
    menu_order = 850
    items = (SubscriptionViewSet("webhook_subscriptions"), DeliveryViewSet("webhook_deliveries"))


@hooks.register("register_admin_viewset")
def register_viewsets() -> WebhooksViewSetGroup:
    return WebhooksViewSetGroup()


admin_urlpatterns = [
    path("subscriptions/<int:pk>/secret/", views.secret_shown_once, name="secret"),
    path("deliveries/<int:pk>/replay/", views.replay, name="replay"),
]


@hooks.register("register_admin_urls")
def register_admin_urls() -> list[Any]:
    return [path("webhooks/", include((admin_urlpatterns, "webhooks_admin"), namespace="webhooks_admin"))]
