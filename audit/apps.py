from django.apps import AppConfig, apps
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    """The append-only audit log: sign-ins, role changes, and who viewed or exported whose
    records. Below every app that records into it."""

    name = "audit"
    verbose_name = _("Audit log")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
        from django.db.models.signals import post_save

        from audit import checks, signals  # noqa: F401  (checks register themselves)

        user_logged_in.connect(signals.record_sign_in, dispatch_uid="audit.sign_in")
        user_logged_out.connect(signals.record_sign_out, dispatch_uid="audit.sign_out")
        user_login_failed.connect(signals.record_failed_sign_in, dispatch_uid="audit.sign_in_failed")
        post_save.connect(
            signals.record_password_change, sender=settings.AUTH_USER_MODEL, dispatch_uid="audit.password"
        )
        if apps.is_installed("axes"):
            from axes.signals import user_locked_out  # type: ignore[import-untyped, unused-ignore]

            user_locked_out.connect(signals.record_lockout, dispatch_uid="audit.lockout")
