"""The audit log: one append-only row per event that the PDPA asks us to be able to account
for (sign-ins, role changes, who viewed or exported whose records, data-subject actions).

People are held by id only, never by name or e-mail address: the links below carry no
database constraint and are left alone when an account is deleted, so erasing a person
(their User row anonymised) leaves every entry meaningful and pseudonymous. The one address
ever stored is the one typed at a failed sign-in that matches no account (`attempted`).

Nothing in the application changes or deletes an entry: `save()` refuses an update,
`delete()` refuses, the queryset refuses `update()` and `delete()`, the admin is read-only,
and migration 0002 installs database triggers (UPDATE always fails; on PostgreSQL a DELETE
of an entry younger than `AUDIT_GUARD_DAYS` fails too). Old entries leave only through
`audit.services.audit_prune`.
"""

from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# The database refuses to delete an entry younger than this, whatever AUDIT_RETENTION_DAYS
# says (written into the PostgreSQL trigger by migration 0002; audit.checks keeps the
# setting at or above it).
AUDIT_GUARD_DAYS = 365


class AuditLogIsAppendOnly(Exception):
    """Raised when code tries to change or delete an audit entry."""


class Action(models.TextChoices):
    SIGN_IN = "sign_in", _("Signed in")
    SIGN_IN_FAILED = "sign_in_failed", _("Failed sign-in")
    SIGN_OUT = "sign_out", _("Signed out")
    LOCKOUT = "lockout", _("Locked out after failed sign-ins")
    PASSWORD_CHANGED = "password_changed", _("Password changed")
    PASSWORD_RESET = "password_reset", _("Password reset")
    ROLE_GRANTED = "role_granted", _("Role granted")
    ROLE_REVOKED = "role_revoked", _("Role revoked")
    RECORDS_VIEWED = "records_viewed", _("Viewed another person's records")
    RECORDS_EXPORTED = "records_exported", _("Exported other people's records")
    DATA_EXPORT_MADE = "data_export_made", _("Personal data export made")
    DATA_EXPORT_DOWNLOADED = "data_export_downloaded", _("Personal data export downloaded")
    ERASURE_DONE = "erasure_done", _("Personal data erased")
    REQUEST_HANDLED = "request_handled", _("Data-subject request handled")
    CONSENT_GIVEN = "consent_given", _("Consent given")
    CONSENT_WITHDRAWN = "consent_withdrawn", _("Consent withdrawn")
    NOTICE_ACKNOWLEDGED = "notice_acknowledged", _("Privacy notice acknowledged")
    LOG_PRUNED = "log_pruned", _("Old audit entries removed")


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AuditLogIsAppendOnly("Audit log entries cannot be changed.")

    def delete(self) -> NoReturn:
        raise AuditLogIsAppendOnly("Audit log entries leave only through audit.services.audit_prune.")


def _person_link(verbose_name: Any) -> Any:
    # No constraint and no cascade: the log outlives the account and never blocks erasure.
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=verbose_name,
    )


class AuditEvent(models.Model):
    occurred_at = models.DateTimeField(_("when"), default=timezone.now)
    action = models.CharField(_("action"), max_length=32, choices=Action.choices)
    actor = _person_link(_("who"))
    subject = _person_link(_("whose records"))
    attempted = models.CharField(
        _("address tried"),
        max_length=254,
        blank=True,
        help_text=_("A failed sign-in with an address that matches no account."),
    )
    what = models.CharField(_("what"), max_length=200, blank=True)
    detail = models.JSONField(_("details"), default=dict, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=200, blank=True)
    path = models.CharField(_("page"), max_length=500, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit log entry")
        verbose_name_plural = _("audit log")
        ordering = ["-occurred_at", "-pk"]
        indexes = [
            models.Index(fields=["occurred_at"], name="audit_when"),
            models.Index(fields=["actor", "occurred_at"], name="audit_actor_when"),
            models.Index(fields=["subject", "occurred_at"], name="audit_subject_when"),
            models.Index(fields=["action", "occurred_at"], name="audit_action_when"),
            models.Index(fields=["ip_address", "occurred_at"], name="audit_ip_when"),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M:%S} {self.action} {self.what}".strip()

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AuditLogIsAppendOnly("Audit log entries cannot be changed.")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AuditLogIsAppendOnly("Audit log entries leave only through audit.services.audit_prune.")
