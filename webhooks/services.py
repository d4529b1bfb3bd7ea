"""Writes about webhooks: subscribing, turning events into deliveries, posting them, replaying.

Rules (each enforced here and nowhere else):

- **Who hears of an event.** An active subscription that asked for the event's type, whose
  application holds the scope that reads the same records through the API
  (`webhooks.models.EVENT_SCOPES`), and whose application may see the person the event is
  about: `api.principals.people_visible` for the application acting on its own (an agency's
  application: the people of its unit's subtree; a partner's: the learners of its courses,
  and then only events about its own courses; an application bound to nobody: no one).
- **Signing.** Every attempt is signed with the subscription's secret by the `standardwebhooks`
  library (headers `webhook-id`, `webhook-timestamp`, `webhook-signature`); a receiver verifies
  with the same library. The message id and the body stay the same on every attempt and replay;
  the timestamp is the attempt's.
- **Attempts.** A 2xx answer within `WEBHOOKS_TIMEOUT_SECONDS` delivers; anything else (another
  code, a redirect, a timeout, a refused connection or address) fails the attempt, which the
  task retries with exponential backoff (`retry_delay`) up to `MAX_ATTEMPTS`, then the delivery
  is failed. Every attempt is logged with the beginning of the answer.
- **Overdue.** An assigned enrolment is announced overdue once per due date it passed, by the
  daily task, on the platform's one rule (`Enrolment.objects.overdue`). Its first run announces
  every enrolment overdue at the time.
- **The log is kept** `WEBHOOKS_DELIVERY_LOG_DAYS` days (default 90), then deleted by the daily
  task: a delivery's body names a person by id and employee number.
- **Replay.** A platform administrator may send a delivery again from the admin: the same
  message id and body, a fresh round of attempts.
"""

import datetime as dt
import json
import logging
import time
import urllib.error
import urllib.request
import uuid
from collections import defaultdict
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from standardwebhooks import Webhook

from api.principals import Principal, people_visible
from courses.models import Enrolment
from webhooks.models import EVENT_SCOPES, Delivery, DeliveryAttempt, EventType, OverdueNotice, Subscription
from webhooks.payloads import PendingEvent, assignment_overdue_events
from webhooks.targets import target_url_problem

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
RESPONSE_KEPT_CHARACTERS = 1000
USER_AGENT = "Thaksa-Webhooks/1"


def retry_delay(attempts_made: int) -> int:
    """Seconds to wait before the next attempt after `attempts_made` failed ones: 30 s, 2 min,
    8 min, 32 min, about 2 h and 8.5 h, then 10 h; eight attempts span about a day."""
    return int(min(30 * 4 ** (attempts_made - 1), 10 * 60 * 60))


def subscriptions_listening(event_type: EventType) -> list[Subscription]:
    """Active subscriptions to this event whose application holds its scope."""
    scope = EVENT_SCOPES[event_type]
    active = Subscription.objects.filter(is_active=True).select_related("application__unit")
    return [s for s in active if event_type in s.event_types and scope in s.application.scope_list]


def _audience(subscription: Subscription, events: list[PendingEvent]) -> list[PendingEvent]:
    application = subscription.application
    if application.partner_id is not None:
        events = [event for event in events if event.course_partner_id == application.partner_id]
    if not events:
        return []
    seen = set(
        people_visible(Principal(application=application, user=None))
        .filter(pk__in={event.person_id for event in events})
        .values_list("pk", flat=True)
    )
    return [event for event in events if event.person_id in seen]


def _body(event: PendingEvent, occurred_at: str, subscription: Subscription) -> str:
    data = event.data
    if subscription.application.partner_id is not None and isinstance(data.get("person"), dict):
        # A partner sees its learners by id only, never their agency's records (PDPA
        # minimisation, as in api.models.PARTNER_REFUSED_SCOPES): no employee number.
        data = {**data, "person": {"id": data["person"]["id"]}}
    return json.dumps(
        {"type": str(event.type), "timestamp": occurred_at, "data": data},
        ensure_ascii=False,
        separators=(",", ":"),
    )


def events_emit(events: list[PendingEvent]) -> list[Delivery]:
    """One delivery per event and subscription that may hear of it (the module's first rule),
    each posted by the task `webhooks.deliver` once they are saved."""
    by_type: dict[EventType, list[PendingEvent]] = defaultdict(list)
    for event in events:
        by_type[event.type].append(event)
    occurred_at = timezone.now().isoformat()
    message_ids = {id(event): f"msg_{uuid.uuid4().hex}" for event in events}
    deliveries: list[Delivery] = []
    for event_type, typed in by_type.items():
        for subscription in subscriptions_listening(event_type):
            deliveries.extend(
                Delivery(
                    subscription=subscription,
                    message_id=message_ids[id(event)],
                    event_type=event.type,
                    person_id=event.person_id,
                    payload=_body(event, occurred_at, subscription),
                )
                for event in _audience(subscription, typed)
            )
    if not deliveries:
        return []
    with transaction.atomic():
        created = Delivery.objects.bulk_create(deliveries)
        transaction.on_commit(lambda: _queue([delivery.pk for delivery in created]))
    return created


def _queue(delivery_ids: list[int]) -> None:
    from webhooks.tasks import deliver  # the task module imports this one

    for delivery_id in delivery_ids:
        try:
            deliver.delay(delivery_id)
        except Exception:
            # The event is committed and so is its delivery row: a replay from the admin sends it.
            logger.exception("Queueing webhook delivery %s failed", delivery_id)


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # a 3xx answer is a failed attempt (webhooks.targets: no hand-offs)


# Only http(s): no file:, ftp: or data: handlers, whatever address ends up here.
_opener = urllib.request.OpenerDirector()
for _handler in (
    urllib.request.ProxyHandler({}),  # never a proxy from the environment: it would resolve the name itself
    urllib.request.HTTPHandler(),
    urllib.request.HTTPSHandler(),
    urllib.request.HTTPDefaultErrorHandler(),
    urllib.request.HTTPErrorProcessor(),
    _NoRedirects(),
):
    _opener.add_handler(_handler)


def _post(url: str, body: bytes, headers: dict[str, str]) -> tuple[int | None, str, str]:
    """(response code, beginning of the answer, error) of one POST."""
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310 - http(s) only
    timeout = getattr(settings, "WEBHOOKS_TIMEOUT_SECONDS", 10)
    try:
        with _opener.open(request, timeout=timeout) as response:
            return response.status, _beginning(response.read(RESPONSE_KEPT_CHARACTERS * 4)), ""
    except urllib.error.HTTPError as error:
        return error.code, _beginning(error.read(RESPONSE_KEPT_CHARACTERS * 4)), ""
    except (OSError, ValueError) as error:  # refused, reset, timed out, TLS, bad address
        return None, "", f"{type(error).__name__}: {error}"[:255]


def _beginning(raw: bytes) -> str:
    return raw.decode("utf-8", errors="replace")[:RESPONSE_KEPT_CHARACTERS]


def _still_allowed(delivery: Delivery) -> bool:
    """Who may hear of the event, asked again before every attempt and replay: the
    application's scopes or binding may have changed since the event (the module's first rule)."""
    application = delivery.subscription.application
    if EVENT_SCOPES[EventType(delivery.event_type)] not in application.scope_list:
        return False
    if delivery.person_id is None:
        return True
    return (
        people_visible(Principal(application=application, user=None)).filter(pk=delivery.person_id).exists()
    )


def delivery_attempt(*, delivery_id: int, retry_in: int | None) -> Delivery:
    """Post a delivery once, signed, and log the attempt. A failed attempt leaves the delivery
    waiting `retry_in` seconds for the next one, or failed when `retry_in` is None. A delivery
    already delivered, or whose subscription was switched off, is not sent."""
    delivery = Delivery.objects.select_related("subscription__application").get(pk=delivery_id)
    subscription = delivery.subscription
    if delivery.status == Delivery.Status.DELIVERED:
        return delivery
    now = timezone.now()
    code: int | None = None
    answer = ""
    started = time.monotonic()
    if not subscription.is_active:
        error = "subscription switched off"
    elif not _still_allowed(delivery):
        error = "the application may no longer hear of this person"
        retry_in = None  # it will not become allowed by waiting
    else:
        error = target_url_problem(subscription.target_url) or ""
    if not error:
        body = delivery.payload.encode("utf-8")
        headers = {
            "Content-Type": "application/json",
            "User-Agent": USER_AGENT,
            "webhook-id": delivery.message_id,
            "webhook-timestamp": str(int(now.timestamp())),
            "webhook-signature": Webhook(subscription.secret).sign(delivery.message_id, now, body),
        }
        code, answer, error = _post(subscription.target_url, body, headers)
    delivered = code is not None and 200 <= code < 300
    if not delivered and code is not None and not error:
        error = f"HTTP {code}"
    with transaction.atomic():
        delivery = Delivery.objects.select_for_update().get(pk=delivery_id)
        delivery.attempts += 1
        DeliveryAttempt.objects.create(
            delivery=delivery,
            number=delivery.attempts,
            attempted_at=now,
            duration_ms=int((time.monotonic() - started) * 1000),
            response_status=code,
            response_body=answer,
            error=error[:255],
        )
        delivery.last_attempt_at = now
        delivery.last_response_status = code
        delivery.last_response_body = answer
        delivery.last_error = error[:255]
        if delivered:
            delivery.status, delivery.delivered_at, delivery.next_attempt_at = (
                Delivery.Status.DELIVERED,
                now,
                None,
            )
        elif retry_in is not None and subscription.is_active:
            delivery.status = Delivery.Status.RETRYING
            delivery.next_attempt_at = now + dt.timedelta(seconds=retry_in)
        else:
            delivery.status, delivery.next_attempt_at = Delivery.Status.FAILED, None
        delivery.save()
    return delivery


@transaction.atomic
def delivery_replay(*, delivery: Delivery) -> Delivery:
    """Send a delivery again: the same message id and body, a new round of attempts."""
    delivery = Delivery.objects.select_for_update().get(pk=delivery.pk)
    delivery.status = Delivery.Status.PENDING
    delivery.delivered_at = None
    delivery.next_attempt_at = timezone.now()
    delivery.save(update_fields=["status", "delivered_at", "next_attempt_at"])
    transaction.on_commit(lambda: _queue([delivery.pk]))
    return delivery


def overdue_announce(*, on: dt.date | None = None, batch_size: int = 1000) -> int:
    """Announce (`assignment.overdue`) the enrolments overdue on `on` (default today in
    Bangkok) not yet announced for their due date; return how many."""
    announced = Exists(OverdueNotice.objects.filter(enrolment=OuterRef("pk"), due_date=OuterRef("due_date")))
    count = 0
    while True:
        with transaction.atomic():
            batch = list(
                Enrolment.objects.overdue(on=on)
                .exclude(announced)
                .select_for_update(skip_locked=True, of=("self",))
                .order_by("pk")[:batch_size]
            )  # fmt: skip
            if not batch:
                return count
            OverdueNotice.objects.bulk_create(
                [OverdueNotice(enrolment=enrolment, due_date=enrolment.due_date) for enrolment in batch],
                ignore_conflicts=True,
            )
            events_emit(assignment_overdue_events(batch))
        count += len(batch)


def deliveries_prune(*, now: dt.datetime | None = None) -> int:
    """Delete the deliveries older than `WEBHOOKS_DELIVERY_LOG_DAYS` that are no longer being
    attempted (delivered or failed), with their attempts; return how many deliveries."""
    days = int(getattr(settings, "WEBHOOKS_DELIVERY_LOG_DAYS", 90))
    cutoff = (now or timezone.now()) - dt.timedelta(days=days)
    old = Delivery.objects.filter(
        created_at__lt=cutoff, status__in=[Delivery.Status.DELIVERED, Delivery.Status.FAILED]
    )
    _rows, by_model = old.delete()
    return by_model.get(Delivery._meta.label, 0)
