"""Webhooks: an API application subscribes an address to events, and every event it may see is
posted there, signed as the Standard Webhooks specification says (webhooks.services).

- `Subscription`: an application's address, the events it wants, and the signing secret
  (`whsec_…`, made when the subscription is created and shown once).
- `Delivery`: one event for one subscription: the exact body sent, its message id
  (`webhook-id`, the same on every attempt and replay, so receivers can drop duplicates), where
  it stands, and the last answer. Each attempt is a `DeliveryAttempt`.
- `OverdueNotice`: which enrolments were already announced overdue, with the due date they
  passed, so the daily task announces each only once (again only if the due date moves).
"""

import base64
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from api.scopes import CERTIFICATES_READ, LEARNING_READ
from webhooks.targets import target_url_problem


class EventType(models.TextChoices):
    ENROLMENT_CREATED = "enrolment.created", _("Enrolment created")
    LESSON_COMPLETED = "lesson.completed", _("Lesson completed")
    COURSE_COMPLETED = "course.completed", _("Course completed")
    CERTIFICATE_ISSUED = "certificate.issued", _("Certificate issued")
    CERTIFICATE_REVOKED = "certificate.revoked", _("Certificate revoked")
    ASSIGNMENT_OVERDUE = "assignment.overdue", _("Assigned course overdue")


# The scope an application needs to receive each event: the one that lets it read the same
# records through the API.
EVENT_SCOPES: dict[str, str] = {
    EventType.ENROLMENT_CREATED: LEARNING_READ,
    EventType.LESSON_COMPLETED: LEARNING_READ,
    EventType.COURSE_COMPLETED: LEARNING_READ,
    EventType.CERTIFICATE_ISSUED: CERTIFICATES_READ,
    EventType.CERTIFICATE_REVOKED: CERTIFICATES_READ,
    EventType.ASSIGNMENT_OVERDUE: LEARNING_READ,
}


def secret_generate() -> str:
    """A signing secret in the Standard Webhooks form: `whsec_` and 32 random bytes in base64.
    Kept as it is (signing needs it), never shown again after the subscription is created."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode("ascii")


def target_url_validate(value: str) -> None:
    problem = target_url_problem(value)
    if problem:
        raise ValidationError(problem, code="target_url")


class Subscription(models.Model):
    application = models.ForeignKey(
        settings.OAUTH2_PROVIDER_APPLICATION_MODEL,
        on_delete=models.CASCADE,
        related_name="webhook_subscriptions",
        verbose_name=_("application"),
    )
    target_url = models.URLField(
        _("address"),
        max_length=500,
        validators=[target_url_validate],
        help_text=_("Where the events are posted. It must use https and be reachable from the internet."),
    )
    event_types = models.JSONField(_("events"), default=list)
    secret = models.CharField(_("signing secret"), max_length=100, default=secret_generate, editable=False)
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("Untick to stop sending events to this address.")
    )
    description = models.CharField(_("description"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("webhook subscription")
        verbose_name_plural = _("webhook subscriptions")
        ordering = ["application__name", "target_url"]

    def __str__(self) -> str:
        return f"{self.application} → {self.target_url}"

    def clean(self) -> None:
        super().clean()
        unknown = [name for name in self.event_types if name not in EVENT_SCOPES]
        if unknown:
            raise ValidationError(
                {"event_types": _("Unknown events: %(names)s.") % {"names": ", ".join(unknown)}}
            )
        if self.application_id is None:
            return
        scopes = self.application.scope_list
        missing = [
            str(EventType(name).label) for name in self.event_types if EVENT_SCOPES[name] not in scopes
        ]
        if missing:
            raise ValidationError({
                "event_types": _(
                    "The application may not read what these events are about "
                    "(it lacks the scope): %(names)s."
                ) % {"names": ", ".join(missing)}
            })  # fmt: skip


class Delivery(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RETRYING = "retrying", _("Failed, will try again")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed")

    subscription = models.ForeignKey(
        Subscription, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("subscription")
    )
    message_id = models.CharField(_("message id"), max_length=40, db_index=True)
    event_type = models.CharField(_("event"), max_length=32, choices=EventType.choices)
    # Who the event is about, so that a person's export and erasure find it (subject_rights).
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("person"),
    )
    # The body exactly as signed and sent: text, not JSON, so that a replay sends the same bytes.
    payload = models.TextField(_("payload"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_response_status = models.PositiveSmallIntegerField(_("last response code"), null=True, blank=True)
    last_response_body = models.TextField(_("last response (beginning)"), blank=True)
    last_error = models.CharField(_("last error"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "message_id"], name="webhooks_one_delivery_per_message"
            )
        ]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.event_type} {self.message_id}"


class DeliveryAttempt(models.Model):
    delivery = models.ForeignKey(
        Delivery, on_delete=models.CASCADE, related_name="attempt_log", verbose_name=_("delivery")
    )
    number = models.PositiveSmallIntegerField(_("attempt"))
    attempted_at = models.DateTimeField(_("when"))
    duration_ms = models.PositiveIntegerField(_("duration (ms)"))
    response_status = models.PositiveSmallIntegerField(_("response code"), null=True, blank=True)
    response_body = models.TextField(_("response (beginning)"), blank=True)
    error = models.CharField(_("error"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("delivery attempt")
        verbose_name_plural = _("delivery attempts")
        ordering = ["delivery", "number"]

    def __str__(self) -> str:
        return f"{self.delivery} #{self.number}"


class OverdueNotice(models.Model):
    enrolment = models.ForeignKey(
        "courses.Enrolment", on_delete=models.CASCADE, related_name="+", verbose_name=_("enrolment")
    )
    due_date = models.DateField(_("due date passed"))
    announced_at = models.DateTimeField(_("announced"), auto_now_add=True)

    class Meta:
        verbose_name = _("overdue notice")
        verbose_name_plural = _("overdue notices")
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "due_date"], name="webhooks_overdue_once_per_due_date"
            )
        ]

    def __str__(self) -> str:
        return f"{self.enrolment_id} {self.due_date}"
