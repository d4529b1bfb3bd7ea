"""Reading data-subject requests: a person's own, and the DPO's queue."""

from django.db.models import Case, IntegerField, QuerySet, Value, When

from people.models import User
from subject_rights.models import DataSubjectRequest

Status = DataSubjectRequest.Status


def my_requests(*, person: User) -> QuerySet[DataSubjectRequest]:
    return DataSubjectRequest.objects.filter(person=person).order_by("-received_at")


def dpo_queue(*, status: str = "open") -> QuerySet[DataSubjectRequest]:
    """Requests for the DPO: open ones first, the closest to (or furthest past) their due date
    first; `status` "open", "closed" or "" (all)."""
    requests = DataSubjectRequest.objects.select_related("person", "handled_by").annotate(
        open_first=Case(
            When(status__in=(Status.RECEIVED, Status.IN_PROGRESS), then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
    )
    if status == "open":
        requests = requests.filter(status__in=(Status.RECEIVED, Status.IN_PROGRESS))
    elif status == "closed":
        requests = requests.exclude(status__in=(Status.RECEIVED, Status.IN_PROGRESS))
    return requests.order_by("open_first", "due_at")
