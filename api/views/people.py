"""The signed-in person, and the people and units an agency's system keeps in step with its
own HR records. Every read of other people's records is written to the audit log."""

from typing import Any

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.generics import ListAPIView, RetrieveAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from api import scopes
from api.errors import error_response
from api.filters import parse_moment, unit_filter
from api.principals import people_visible, units_visible
from api.serializers import PeopleSyncResultSerializer, PeopleSyncSerializer, PersonSerializer, UnitSerializer
from api.views.base import ApiMixin, ApiView
from audit.services import audit_view_of
from organisations.models import within_units
from people.models import User
from people.services import staff_import
from people.staff_import import StaffRow, StaffScope


def api_audit(request: Request, *, what: str, people: int | None = None, subject: User | None = None) -> None:
    """Other people's records left through the API: who asked (the application, and the person
    signed in to it, if any), what and how many."""
    token = request.auth
    audit_view_of(
        request._request,
        what=what,
        subject=subject,
        people=people,
        detail={"application": token.application.client_id},
        actor=token.user if token.user_id else None,
    )


class Me(ApiView):
    required_scopes = {"GET": scopes.PROFILE}

    @extend_schema(
        summary="The person signed in to this application",
        responses=inline_serializer(
            "Me",
            {
                "id": serializers.IntegerField(),
                "name": serializers.CharField(),
                "name_en": serializers.CharField(),
                "preferred_language": serializers.CharField(),
                "unit": serializers.CharField(allow_null=True),
            },
        ),
    )
    def get(self, request: Request) -> Response:
        user = self.principal.user
        if user is None:
            raise NotFound
        unit = getattr(getattr(user, "profile", None), "unit", None)
        return Response(
            {
                "id": user.pk,
                "name": user.full_name("th"),
                "name_en": user.full_name("en"),
                "preferred_language": user.preferred_language or "th",
                "unit": unit.code if unit is not None else None,
            }
        )


@extend_schema(summary="Organisation units of the agency this application belongs to")
class UnitList(ApiMixin, ListAPIView):
    required_scopes = {"GET": scopes.PEOPLE_READ}
    serializer_class = UnitSerializer

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return units_visible(self.principal).order_by("pk")

    def get_serializer_context(self) -> dict[str, Any]:
        context: dict[str, Any] = super().get_serializer_context()
        context["parent_ids"] = dict(units_visible(self.principal).values_list("path", "pk"))
        return context


@extend_schema(
    summary="People the application may see",
    parameters=[
        OpenApiParameter("unit", str, description="A unit's code: that unit and the units below it"),
        OpenApiParameter("employee_number", str),
        OpenApiParameter(
            "updated_since",
            OpenApiTypes.DATETIME,
            description="Profiles changed since then (a date is accepted too)",
        ),
    ],
)
class PersonList(ApiMixin, ListAPIView):
    required_scopes = {"GET": scopes.PEOPLE_READ}
    serializer_class = PersonSerializer

    def get_queryset(self):  # type: ignore[no-untyped-def]
        people = people_visible(self.principal).select_related("profile__unit")
        unit = unit_filter(self.request, units_visible(self.principal))
        if unit is not None:
            people = people.filter(within_units([unit.path], through="profile__unit"))
        number = self.request.query_params.get("employee_number", "").strip()[:32]
        if number:
            people = people.filter(profile__employee_number=number)
        since = self.request.query_params.get("updated_since", "").strip()
        if since:
            people = people.filter(profile__updated_at__gte=parse_moment(since, name="updated_since"))
        return people.order_by("pk")

    def list(self, request, *args, **kwargs):  # type: ignore[no-untyped-def]
        response = super().list(request, *args, **kwargs)
        api_audit(request, what="api:people", people=len(response.data.get("results", [])))
        return response


@extend_schema(summary="One person")
class PersonDetail(ApiMixin, RetrieveAPIView):
    required_scopes = {"GET": scopes.PEOPLE_READ}
    serializer_class = PersonSerializer

    def get_object(self) -> User:
        person = get_object_or_404(
            people_visible(self.principal).select_related("profile__unit"), pk=self.kwargs["pk"]
        )
        api_audit(self.request, what="api:person", subject=person)
        return person


class PeopleSync(ApiView):
    """An agency's HR system keeps Thaksa's people in step with its own records, with the
    staff import's rules and row-level errors (people.staff_import): the same checks, the same
    scope (its agency only), the same all-or-nothing apply."""

    required_scopes = {"POST": scopes.PEOPLE_WRITE}

    @extend_schema(
        summary="Create, update and move people in the agency (HR synchronisation)",
        request=PeopleSyncSerializer,
        responses={200: PeopleSyncResultSerializer},
    )
    def post(self, request: Request) -> Response:
        form = PeopleSyncSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        principal = self.principal
        application = principal.application
        scope = StaffScope(
            units=units_visible(principal),
            people=people_visible(principal),
            everyone=False,
            who_name=application.name,
            who_email=application.contact_email,
        )
        rows = [
            StaffRow(number=number, values={key: str(value).strip() for key, value in person.items()})
            for number, person in enumerate(form.validated_data["people"], start=1)
        ]
        result = staff_import(rows=rows, scope=scope, apply=form.validated_data["apply"])
        api_audit(request, what="api:people_sync", people=len(rows))
        if result.errors:
            response = error_response(
                code="invalid_rows",
                message=_(
                    "Some people were refused; nothing was changed. See “rows”: each says which person and "
                    "value."
                ),
                http_status=status.HTTP_400_BAD_REQUEST,
            )
            response.data["error"]["rows"] = [
                {"row": error.row, "column": error.column, "message": error.message}
                for error in result.errors
            ]
            return response
        return Response(
            {
                "applied": result.applied,
                "counts": result.counts,
                "rows": [
                    {"row": plan.row, "email": plan.email, "action": plan.action, "changed": plan.changed}
                    for plan in result.plans
                ],
            }
        )
