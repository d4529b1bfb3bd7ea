"""Enrolments: who takes which course, with progress and due dates; an agency's (or partner's)
system enrols people and moves due dates, through the same services as the pages."""

import datetime as dt

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from api import scopes
from api.filters import date_range, id_filter, unit_filter
from api.principals import courses_enrollable, enrolments_visible, people_manageable, units_visible
from api.serializers import DueDateSerializer, EnrolmentCreateSerializer, EnrolmentSerializer
from api.views.base import ApiMixin, ApiView
from api.views.people import api_audit
from courses.models import OPEN_STATUSES, Enrolment
from courses.services.enrolment import DueDateRefused, enrolment_assign, enrolment_due_date_change
from organisations.models import within_units

# Far enough for any real plan; a year 2570 typed as a Gregorian year is refused, not kept.
LATEST_DUE_DATE_YEARS = 5


def due_date_check(due_date: dt.date | None) -> None:
    if due_date is None:
        return
    today = timezone.localdate()
    if due_date < today:
        raise ValidationError({"due_date": [_("The due date has passed. Choose today or a later date.")]})
    if due_date.year > today.year + LATEST_DUE_DATE_YEARS:
        raise ValidationError(
            {
                "due_date": [
                    _(
                        "The due date is more than %(years)d years away. Dates are Gregorian "
                        "(2027-01-31, not 2570-01-31)."
                    )
                    % {"years": LATEST_DUE_DATE_YEARS}
                ]
            }
        )


@extend_schema(
    parameters=[
        OpenApiParameter("unit", str, description="A unit's code: people in it and below it"),
        OpenApiParameter("person", int),
        OpenApiParameter("course", int),
        OpenApiParameter("status", str, enum=[choice for choice, _label in Enrolment.Status.choices]),
        OpenApiParameter("completed_from", OpenApiTypes.DATE, description="Completed on or after this day"),
        OpenApiParameter("completed_to", OpenApiTypes.DATE, description="Completed on or before this day"),
        OpenApiParameter("active_from", OpenApiTypes.DATE, description="Last activity on or after this day"),
        OpenApiParameter("active_to", OpenApiTypes.DATE, description="Last activity on or before this day"),
    ]
)
class EnrolmentList(ApiMixin, ListAPIView):
    required_scopes = {"GET": scopes.LEARNING_READ, "POST": scopes.ENROLMENTS_WRITE}
    serializer_class = EnrolmentSerializer

    def get_queryset(self):  # type: ignore[no-untyped-def]
        enrolments = enrolments_visible(self.principal)
        params = self.request.query_params
        unit = unit_filter(self.request, units_visible(self.principal))
        if unit is not None:
            enrolments = enrolments.filter(within_units([unit.path], through="user__profile__unit"))
        for name, field in (("person", "user_id"), ("course", "course_id")):
            value = id_filter(self.request, name)
            if value is not None:
                enrolments = enrolments.filter(**{field: value})
        state = params.get("status", "").strip()
        if state:
            if state not in Enrolment.Status.values:
                raise ValidationError(
                    {
                        "status": [
                            _("Unknown status. Use one of: %(statuses)s.")
                            % {"statuses": ", ".join(Enrolment.Status.values)}
                        ]
                    }
                )
            enrolments = enrolments.filter(status=state)
        enrolments = date_range(self.request, enrolments, field="completed_at", prefix="completed")
        enrolments = date_range(self.request, enrolments, field="last_activity_at", prefix="active")
        return enrolments.order_by("pk")

    @extend_schema(summary="Enrolments of the people this application sees")
    def get(self, request, *args, **kwargs):  # type: ignore[no-untyped-def]
        response = self.list(request, *args, **kwargs)
        api_audit(
            request, what="api:enrolments", people=len({row["person_id"] for row in response.data["results"]})
        )
        return response

    @extend_schema(
        summary="Enrol (assign) a person in a course, with an optional due date",
        request=EnrolmentCreateSerializer,
        responses={201: EnrolmentSerializer},
    )
    def post(self, request: Request) -> Response:
        form = EnrolmentCreateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        principal = self.principal
        person = (
            people_manageable(principal).filter(pk=form.validated_data["person_id"], is_active=True).first()
        )
        if person is None:
            raise ValidationError(
                {"person_id": [_("No active person with this id is visible to this application.")]}
            )
        course = courses_enrollable(principal).filter(pk=form.validated_data["course_id"]).first()
        if course is None:
            raise ValidationError(
                {
                    "course_id": [
                        _("No published course with this id that this application may enrol people in.")
                    ]
                }
            )
        current = Enrolment.objects.filter(user=person, course=course, status__in=OPEN_STATUSES).first()
        if principal.agency is None and current is not None and current.source == Enrolment.Source.ASSIGNMENT:
            # A partner never takes over what an agency assigned (its due date, who assigned it).
            raise ValidationError(
                {
                    "person_id": [
                        _("This person's agency has assigned this course already; nothing was changed.")
                    ]
                }
            )
        # Leaving the due date out keeps the one an open enrolment has; null clears it.
        keep = current.due_date if current is not None else None
        due_date = form.validated_data.get("due_date", keep)
        if "due_date" in form.validated_data:
            due_date_check(due_date)
        enrolment = enrolment_assign(
            user=person, course=course, assigned_by=principal.user, due_date=due_date
        )
        api_audit(request, what="api:enrolment_created", subject=person)
        return Response(EnrolmentSerializer(enrolment).data, status=status.HTTP_201_CREATED)


class EnrolmentDetail(ApiView):
    required_scopes = {"GET": scopes.LEARNING_READ, "PATCH": scopes.ENROLMENTS_WRITE}

    def _enrolment(self, pk: int) -> Enrolment:
        return get_object_or_404(enrolments_visible(self.principal), pk=pk)

    @extend_schema(summary="One enrolment", responses=EnrolmentSerializer)
    def get(self, request: Request, pk: int) -> Response:
        enrolment = self._enrolment(pk)
        api_audit(request, what="api:enrolment", subject=enrolment.user)
        return Response(EnrolmentSerializer(enrolment).data)

    @extend_schema(
        summary="Move or clear an open enrolment's due date",
        request=DueDateSerializer,
        responses=EnrolmentSerializer,
    )
    def patch(self, request: Request, pk: int) -> Response:
        form = DueDateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        principal = self.principal
        enrolment = self._enrolment(pk)
        if principal.agency is None or not people_manageable(principal).filter(pk=enrolment.user_id).exists():
            # Due dates are the agency's: a partner's application, or a learner's own token,
            # sees the enrolment but does not move its deadline.
            raise PermissionDenied
        due_date = form.validated_data["due_date"]
        due_date_check(due_date)
        try:
            enrolment = enrolment_due_date_change(enrolment=enrolment, due_date=due_date)
        except DueDateRefused:
            raise ValidationError(
                {"due_date": [_("This course is completed: its due date can no longer change.")]}
            ) from None
        api_audit(request, what="api:enrolment_changed", subject=enrolment.user)
        return Response(EnrolmentSerializer(enrolment).data)
