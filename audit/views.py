"""The DPO's audit log in the admin: search, page through, download the result as CSV (that
download is itself recorded). Read-only: there is nothing here to add, change or delete."""

from __future__ import annotations

import json
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from audit.forms import AuditSearchForm
from audit.models import AuditEvent
from audit.selectors import AuditSearch, audit_events_search
from audit.services import audit_export_of
from lms.downloads import csv_response
from lms.thai_calendar import format_date

PAGE_SIZE = 50
EXPORT_MAX_ROWS = 100_000
VIEW_PERMISSION = "audit.view_auditevent"


def _person_text(person: AbstractBaseUser | None, person_id: int | None) -> str:
    if person_id is None:
        return ""
    if person is None:  # the account is gone; the number still ties its entries together
        return f"#{person_id}"
    return f"{person.get_username()} (#{person_id})"


def _detail_text(detail: dict[str, Any]) -> str:
    return json.dumps(detail, ensure_ascii=False, sort_keys=True) if detail else ""


def _row(event: AuditEvent) -> dict[str, str]:
    return {
        "when": format_date(event.occurred_at, with_time=True),
        "action": event.get_action_display(),
        "actor": _person_text(event.actor, event.actor_id),
        "subject": _person_text(event.subject, event.subject_id) or event.attempted,
        "what": event.what,
        "detail": _detail_text(event.detail),
        "ip_address": event.ip_address or "",
        "path": event.path,
        "user_agent": event.user_agent,
    }


def _csv(request: HttpRequest, events: Any) -> HttpResponse:
    rows = [_row(event) for event in events[:EXPORT_MAX_ROWS]]
    audit_export_of(request, what="audit.log", detail={"rows": len(rows)})
    return csv_response(
        "thaksa-audit-log.csv",
        [_("When"), _("Action"), _("Who"), _("Whose records / address tried"), _("What"), _("Details"),
         _("IP address"), _("Page"), _("Browser")],
        ([row[key] for key in ("when", "action", "actor", "subject", "what", "detail", "ip_address", "path",
                               "user_agent")] for row in rows),
    )  # fmt: skip


def audit_log(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm(VIEW_PERMISSION):
        raise PermissionDenied
    form = AuditSearchForm(request.GET or None)
    searched = form.is_valid()
    events = audit_events_search(form.search() if searched else AuditSearch())
    if not form.is_bound or searched:
        if request.GET.get("format") == "csv":
            return _csv(request, events)
    else:
        events = events.none()  # a search with a mistake shows the mistake, not everything
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("p"))
    query = request.GET.copy()
    query.pop("p", None)
    query.pop("format", None)
    return TemplateResponse(
        request,
        "audit/admin/audit_log.html",
        {
            "form": form,
            "page": page,
            "rows": [_row(event) for event in page],
            "query": query.urlencode(),
            "page_size": PAGE_SIZE,
        },
    )
