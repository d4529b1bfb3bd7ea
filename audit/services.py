"""Writing the audit log: `audit_record` is the one writer; `audit_view_of` and
`audit_export_of` are the one-line calls a view makes when it shows or exports other
people's records; `audit_prune` is the only way an entry ever leaves."""

from __future__ import annotations

import datetime as dt
import ipaddress
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.utils import timezone

from audit.middleware import current_request
from audit.models import AUDIT_GUARD_DAYS, Action, AuditEvent
from lms.client_ip import client_ip

USER_AGENT_CHARS = 200
PATH_CHARS = 500
# Query parameters that carry text people type (a name, an address): a list records that a
# search was made, never what was searched, so that the log holds no names.
FREE_TEXT_PARAMETERS = frozenset({"q", "query", "search", "s", "person"})

Person = AbstractBaseUser | AnonymousUser | None


def _person_id(person: Person) -> int | None:
    if person is None or not person.is_authenticated:
        return None
    return int(person.pk)


def _ip_address(request: HttpRequest) -> str | None:
    address = client_ip(request)
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def audit_record(
    *,
    action: str,
    actor: Person = None,
    subject: Person = None,
    request: HttpRequest | None = None,
    what: str = "",
    detail: Mapping[str, Any] | None = None,
    attempted: str = "",
) -> AuditEvent:
    """Append one entry. Without an actor, the signed-in person of the request is the actor;
    without a request, the one being served (audit.middleware), if any. The client address
    comes from lms.client_ip, the same one the rate limits use. `detail` must hold ids,
    labels and counts only: never a name or an e-mail address."""
    request = request if request is not None else current_request()
    if actor is None and request is not None:
        actor = getattr(request, "user", None)
    event = AuditEvent(
        action=action,
        actor_id=_person_id(actor),
        subject_id=_person_id(subject),
        attempted=attempted.strip().lower()[:254],
        what=what[:200],
        detail=dict(detail or {}),
    )
    if request is not None:
        event.ip_address = _ip_address(request)
        event.user_agent = str(request.META.get("HTTP_USER_AGENT", ""))[:USER_AGENT_CHARS]
        event.path = request.path[:PATH_CHARS]
    event.save()
    return event


def _filters(request: HttpRequest) -> dict[str, Any]:
    filters: dict[str, Any] = {}
    for key in request.GET:
        if key in FREE_TEXT_PARAMETERS:
            filters["searched"] = bool(request.GET.get(key, "").strip()) or filters.get("searched", False)
        else:
            filters[key] = request.GET.get(key, "")[:200].replace("\x00", "")  # JSON columns refuse NUL
    return filters


def _list_detail(
    request: HttpRequest, people: int | None, detail: Mapping[str, Any] | None
) -> dict[str, Any]:
    recorded: dict[str, Any] = dict(detail or {})
    filters = _filters(request)
    if filters:
        recorded["filters"] = filters
    if people is not None:
        recorded["people"] = people
    return recorded


def audit_view_of(
    request: HttpRequest,
    *,
    what: str,
    subject: Person = None,
    people: int | None = None,
    detail: Mapping[str, Any] | None = None,
    actor: Person = None,
) -> AuditEvent | None:
    """A page showed another person's records (`subject`), or a list of people's (`people`:
    how many were shown; the list's filters are recorded with it). A person looking at their
    own records is not recorded. `actor` defaults to the signed-in person; the API names the
    person its token acts for (None for a server's token: the application is in `detail`)."""
    viewer = actor if actor is not None else getattr(request, "user", None)
    if subject is not None and _person_id(subject) == _person_id(viewer):
        return None
    return audit_record(
        action=Action.RECORDS_VIEWED,
        actor=actor,
        subject=subject,
        request=request,
        what=what,
        detail=_list_detail(request, people, detail),
    )


def audit_export_of(
    request: HttpRequest,
    *,
    what: str,
    people: int | None = None,
    detail: Mapping[str, Any] | None = None,
) -> AuditEvent:
    """A file of other people's records left the platform: its kind (`what`), its filters and,
    when known, how many rows of people it held."""
    return audit_record(
        action=Action.RECORDS_EXPORTED,
        request=request,
        what=what,
        detail=_list_detail(request, people, detail),
    )


class PruneRefused(ValueError):
    """The cut-off would remove entries the retention period still keeps."""


def audit_retention_cutoff(*, now: dt.datetime | None = None) -> dt.datetime:
    """Entries before this moment have passed AUDIT_RETENTION_DAYS."""
    return (now or timezone.now()) - dt.timedelta(days=settings.AUDIT_RETENTION_DAYS)


def audit_prune(*, before: dt.datetime, dry_run: bool) -> int:
    """Remove the entries older than `before`, which may not be later than the retention
    cut-off (AUDIT_RETENTION_DAYS ago). Returns how many entries were (or, in a dry run, would
    be) removed; a real run leaves one entry saying how many went and up to when."""
    if before > audit_retention_cutoff():
        raise PruneRefused(
            f"The audit log keeps entries for {settings.AUDIT_RETENTION_DAYS} days "
            "(AUDIT_RETENTION_DAYS); choose a cut-off at least that long ago."
        )
    expired = AuditEvent.objects.filter(occurred_at__lt=before)
    if dry_run:
        return expired.count()
    # The queryset's own delete() refuses; this is the one sanctioned removal. The database
    # still refuses rows younger than AUDIT_GUARD_DAYS on PostgreSQL.
    removed = int(expired._raw_delete(expired.db))
    audit_record(
        action=Action.LOG_PRUNED,
        what="audit.retention",
        detail={"before": before.isoformat(), "removed": removed, "guard_days": AUDIT_GUARD_DAYS},
    )
    return removed
