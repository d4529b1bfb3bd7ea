"""Reading the audit log: the DPO's search."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.utils import timezone

from audit.models import AuditEvent


@dataclass(frozen=True)
class AuditSearch:
    person: str = ""  # an account's e-mail address or id; as actor, as subject, or as typed
    action: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    ip_address: str = ""


def _person_q(person: str) -> Q:
    person = person.strip()
    if person.isdigit():
        person_id = int(person)
        return Q(actor_id=person_id) | Q(subject_id=person_id)
    model = get_user_model()
    accounts = model._default_manager.filter(**{f"{model.USERNAME_FIELD}__iexact": person})
    ids = list(accounts.values_list("pk", flat=True))
    # An address no account has (any more) still finds the sign-ins tried with it.
    return Q(actor_id__in=ids) | Q(subject_id__in=ids) | Q(attempted__iexact=person)


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def audit_events_search(search: AuditSearch) -> QuerySet[AuditEvent]:
    """Entries matching every given criterion, newest first; dates are Bangkok days, both ends
    included."""
    events = AuditEvent.objects.select_related("actor", "subject")
    if search.person.strip():
        events = events.filter(_person_q(search.person))
    if search.action:
        events = events.filter(action=search.action)
    if search.date_from:
        events = events.filter(occurred_at__gte=_start_of(search.date_from))
    if search.date_to:
        events = events.filter(occurred_at__lt=_start_of(search.date_to + dt.timedelta(days=1)))
    if search.ip_address:
        events = events.filter(ip_address=search.ip_address)
    return events.order_by("-occurred_at", "-pk")
