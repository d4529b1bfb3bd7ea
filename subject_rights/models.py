"""A person's request under the PDPA (sections 30–36): access or a copy of their data,
erasure, restriction, objection or rectification, with the 30-day clock the Act sets."""

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# PDPA s.30 para. 3: a request is answered within 30 days of its receipt.
ANSWER_WITHIN_DAYS = 30


def _due(received_at: dt.datetime) -> dt.datetime:
    return received_at + dt.timedelta(days=ANSWER_WITHIN_DAYS)


class DataSubjectRequest(models.Model):
    class Kind(models.TextChoices):
        EXPORT = "export", _("Access: a copy of my data")
        ERASURE = "erasure", _("Erasure")
        RESTRICTION = "restriction", _("Restriction of processing")
        OBJECTION = "objection", _("Objection to processing")
        RECTIFICATION = "rectification", _("Rectification")

    class Status(models.TextChoices):
        RECEIVED = "received", pgettext_lazy("data-subject request", "Received")
        IN_PROGRESS = "in_progress", pgettext_lazy("data-subject request", "Being prepared")
        DONE = "done", pgettext_lazy("data-subject request", "Done")
        REJECTED = "rejected", pgettext_lazy("data-subject request", "Rejected")
        FAILED = "failed", pgettext_lazy("data-subject request", "Failed")

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="data_subject_requests",
        verbose_name=_("person"),
    )
    kind = models.CharField(_("request"), max_length=16, choices=Kind.choices)
    details = models.TextField(
        _("the request in the person's words"),
        blank=True,
        help_text=_("Cleared when the person's data is erased: it may name them."),
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.RECEIVED)
    received_at = models.DateTimeField(_("received"), default=timezone.now)
    due_at = models.DateTimeField(_("answer due"))
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("handled by"),
    )
    handled_at = models.DateTimeField(_("handled"), null=True, blank=True)
    outcome_note = models.TextField(_("outcome"), blank=True)
    # Exports only: the ZIP built in the background, stored privately and served through a
    # view that checks the person (never from /media/), deleted when it expires.
    file = models.FileField(_("file"), upload_to="subject-rights/", blank=True)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    expires_at = models.DateTimeField(_("download expires"), null=True, blank=True)

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("data-subject request")
        verbose_name_plural = _("data-subject requests")
        indexes = [models.Index(fields=["status", "due_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.due_at is None:
            self.due_at = _due(self.received_at)
        super().save(*args, **kwargs)

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.RECEIVED, self.Status.IN_PROGRESS)

    def days_left(self, *, now: dt.datetime | None = None) -> int:
        """Whole days until the answer is due (negative once overdue), counted in Bangkok."""
        now = now or timezone.now()
        return (timezone.localdate(self.due_at) - timezone.localdate(now)).days

    def days_overdue(self, *, now: dt.datetime | None = None) -> int:
        return max(0, -self.days_left(now=now))

    def is_overdue(self, *, now: dt.datetime | None = None) -> bool:
        return self.is_open and (now or timezone.now()) > self.due_at

    def download_available(self, *, now: dt.datetime | None = None) -> bool:
        return bool(
            self.kind == self.Kind.EXPORT
            and self.status == self.Status.DONE
            and self.file
            and self.expires_at
            and (now or timezone.now()) < self.expires_at
        )
