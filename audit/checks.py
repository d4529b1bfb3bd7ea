"""The audit log's retention setting may not go below what the database guard keeps."""

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, register

from audit.models import AUDIT_GUARD_DAYS


@register()
def audit_retention_check(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    days = getattr(settings, "AUDIT_RETENTION_DAYS", None)
    if not isinstance(days, int) or days < AUDIT_GUARD_DAYS:
        return [
            Error(
                f"AUDIT_RETENTION_DAYS must be a whole number of days, at least {AUDIT_GUARD_DAYS}.",
                hint="The database refuses to delete audit entries younger than that; "
                "the default keeps them five years.",
                id="audit.E001",
            )
        ]
    return []
