"""Admin views beside the webhook view sets: the secret shown once, and "Send again"."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from people.permissions import is_platform_admin
from webhooks.models import Delivery, Subscription
from webhooks.services import delivery_replay


def secret_session_key(subscription_id: int) -> str:
    return f"webhooks:secret:{subscription_id}"


def _platform_admin(request: HttpRequest) -> None:
    if not is_platform_admin(request.user):
        raise PermissionDenied


def secret_shown_once(request: HttpRequest, pk: int) -> HttpResponse:
    """The new subscription's signing secret, once: the session forgets it as it is shown."""
    _platform_admin(request)
    subscription = get_object_or_404(Subscription.objects.select_related("application"), pk=pk)
    secret = request.session.pop(secret_session_key(subscription.pk), None)
    return render(request, "webhooks/admin/secret.html", {"subscription": subscription, "secret": secret})


def replay(request: HttpRequest, pk: int) -> HttpResponse:
    """Send a delivery again (same message id and body) after a confirmation page."""
    _platform_admin(request)
    delivery = get_object_or_404(Delivery.objects.select_related("subscription__application"), pk=pk)
    if request.method == "POST":
        delivery_replay(delivery=delivery)
        messages.success(
            request,
            _("Delivery %(message_id)s is being sent again.") % {"message_id": delivery.message_id},
        )
        return HttpResponseRedirect(reverse("webhook_deliveries:inspect", args=[delivery.pk]))
    return render(request, "webhooks/admin/replay.html", {"delivery": delivery})


def attempts_text(delivery: Delivery) -> str:
    """Each attempt on a line of its own, for the delivery's page."""
    lines = [
        _("#%(number)s at %(when)s: %(outcome)s (%(ms)s ms)")
        % {
            "number": attempt.number,
            "when": attempt.attempted_at.isoformat(timespec="seconds"),
            "outcome": attempt.response_status if attempt.response_status is not None else attempt.error,
            "ms": attempt.duration_ms,
        }
        for attempt in delivery.attempt_log.all()
    ]
    if not lines:
        return _("No attempt yet.")
    return format_html_join(mark_safe("<br>"), "{}", ((line,) for line in lines))
