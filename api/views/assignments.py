"""Course assignments: an agency's system assigns a course to a unit's subtree by a due date,
reads each assignment's compliance and stops one, through the assignments app's own services
and selectors (the rules live there: who is covered, the enrolments, compliance).

An agency's application sees the assignments of the units it sees (`units_visible`: its
subtree, and with a person signed in, only the units that person manages). A content
partner's application, and one bound to nothing, see none: assignments are an agency's.

Creating an assignment: with a person signed in to the application (authorization code), the
service records who made it and checks that person may assign in the unit; an agency's HR
system with a server-to-server token (client credentials) assigns within its application's
units and people, and the assignment names the application.
"""

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from api import scopes
from api.assignment_serializers import (
    AssignmentChangeSerializer,
    AssignmentCreateSerializer,
    AssignmentSerializer,
)
from api.filters import id_filter, unit_filter
from api.principals import Principal, courses_enrollable, people_visible, units_visible
from api.views.base import ApiMixin, ApiView
from api.views.learning import due_date_check
from api.views.people import api_audit
from assignments.models import Assignment
from assignments.selectors import Compliance, assignment_compliance
from assignments.services.assignments import (
    AssignmentScope,
    assignment_create,
    assignment_deactivate,
    assignment_due_date_move,
)
from organisations.models import within_units
from people.models import RoleGroup


def assignments_of(principal: Principal) -> QuerySet[Assignment]:
    """The assignments this principal sees: those of the units it sees."""
    named = Assignment.people.through.objects.filter(assignment_id=OuterRef("pk"))
    return (
        Assignment.objects.filter(unit__in=units_visible(principal).values("pk"))
        .select_related("course", "unit", "role_group")
        .annotate(has_named_people=Exists(named))
    )


def compliance_of(assignments: list[Assignment]) -> dict[int, Compliance]:
    return {assignment.pk: assignment_compliance(assignment=assignment) for assignment in assignments}


def assignment_data(assignment: Assignment) -> Any:
    return AssignmentSerializer(assignment, context={"compliance": compliance_of([assignment])}).data


def refused(error: DjangoValidationError) -> ValidationError:
    """The service's refusal (a Django ValidationError naming the model's fields), in the API's
    field names."""
    names = {"unit": "unit_code", "course": "course_id", "people": "person_ids"}
    return ValidationError(
        {names.get(field, field): messages for field, messages in error.message_dict.items()}
    )


@extend_schema(
    parameters=[
        OpenApiParameter("unit", str, description="A unit's code: assignments of it and the units below it"),
        OpenApiParameter("course", int),
        OpenApiParameter("active", OpenApiTypes.BOOL),
    ]
)
class AssignmentList(ApiMixin, ListAPIView):
    required_scopes = {"GET": scopes.LEARNING_READ, "POST": scopes.ENROLMENTS_WRITE}
    serializer_class = AssignmentSerializer

    def get_queryset(self):  # type: ignore[no-untyped-def]
        assignments = assignments_of(self.principal)
        unit = unit_filter(self.request, units_visible(self.principal))
        if unit is not None:
            assignments = assignments.filter(within_units([unit.path], through="unit"))
        course = id_filter(self.request, "course")
        if course is not None:
            assignments = assignments.filter(course_id=course)
        active = self.request.query_params.get("active", "").strip().lower()
        if active:
            if active not in ("true", "false"):
                raise ValidationError({"active": [_("Write true or false.")]})
            assignments = assignments.filter(is_active=active == "true")
        return assignments.order_by("pk")

    def get_serializer(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        if not args:  # the schema's generator asks for the serializer's class
            return super().get_serializer(*args, **kwargs)
        rows = list(args[0])
        kwargs["context"] = {**self.get_serializer_context(), "compliance": compliance_of(rows)}
        return AssignmentSerializer(rows, *args[1:], **kwargs)

    @extend_schema(summary="Course assignments of the units this application sees, with compliance")
    def get(self, request, *args, **kwargs):  # type: ignore[no-untyped-def]
        return self.list(request, *args, **kwargs)

    @extend_schema(
        summary="Assign a course to a unit and the units below it by a due date",
        request=AssignmentCreateSerializer,
        responses={201: AssignmentSerializer},
    )
    def post(self, request: Request) -> Response:
        form = AssignmentCreateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        principal = self.principal
        unit = units_visible(principal).filter(code=data["unit_code"].strip()).first()
        if unit is None:
            raise ValidationError(
                {"unit_code": [_("No organisation unit with this code is visible to this application.")]}
            )
        course = courses_enrollable(principal).filter(pk=data["course_id"]).first()
        if course is None:
            raise ValidationError(
                {
                    "course_id": [
                        _("No published course with this id that this application may enrol people in.")
                    ]
                }
            )
        due_date = data["due_date"]
        due_date_check(due_date)
        role_group = None
        if data["role_group_code"]:
            role_group = RoleGroup.objects.filter(code=data["role_group_code"]).first()
            if role_group is None:
                raise ValidationError({"role_group_code": [_("No role group with this code.")]})
        people = []
        if data["person_ids"]:
            wanted = set(data["person_ids"])
            people = list(people_visible(principal).filter(pk__in=wanted, is_active=True))
            if len(people) != len(wanted):
                missing = sorted(wanted - {person.pk for person in people})
                raise ValidationError(
                    {
                        "person_ids": [
                            _("No active person with these ids is visible to this application: %(ids)s.")
                            % {"ids": ", ".join(str(pk) for pk in missing[:20])}
                        ]
                    }
                )
        # A person signed in to the application makes it in their own scope; an agency's HR
        # system with no person (client credentials) in its application's, named on it.
        scope = None
        if principal.user is None:
            scope = AssignmentScope(units=units_visible(principal), people=people_visible(principal))
        try:
            assignment = assignment_create(
                created_by=principal.user,
                scope=scope,
                created_via="" if principal.user is not None else principal.application.name,
                course=course,
                unit=unit,
                due_date=due_date,
                campaign=data["campaign"],
                position_type=data["position_type"],
                role_group=role_group,
                employment_type=data["employment_type"],
                people=people,
                is_mandatory=data["is_mandatory"],
                includes_new_staff=data["includes_new_staff"],
            )
        except DjangoValidationError as error:
            raise refused(error) from None
        api_audit(request, what="api:assignment_created", people=assignment.members.count())
        assignment = assignments_of(principal).get(pk=assignment.pk)
        return Response(assignment_data(assignment), status=status.HTTP_201_CREATED)


class AssignmentDetail(ApiView):
    required_scopes = {"GET": scopes.LEARNING_READ, "PATCH": scopes.ENROLMENTS_WRITE}

    def _assignment(self, pk: int) -> Assignment:
        return get_object_or_404(assignments_of(self.principal), pk=pk)

    @extend_schema(summary="One course assignment, with compliance", responses=AssignmentSerializer)
    def get(self, request: Request, pk: int) -> Response:
        return Response(assignment_data(self._assignment(pk)))

    @extend_schema(
        summary="Move a course assignment's due date, or stop it (active: false): nobody new joins, "
        "reminders stop",
        request=AssignmentChangeSerializer,
        responses=AssignmentSerializer,
    )
    @transaction.atomic
    def patch(self, request: Request, pk: int) -> Response:
        form = AssignmentChangeSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        assignment = self._assignment(pk)
        if "due_date" in data:
            due_date_check(data["due_date"])
            try:
                assignment = assignment_due_date_move(assignment=assignment, due_date=data["due_date"])
            except DjangoValidationError as error:
                raise refused(error) from None
            api_audit(request, what="api:assignment_due_date_moved", people=assignment.members.count())
        if data.get("active") is True and not assignment.is_active:
            raise ValidationError(
                {"active": [_("A stopped assignment cannot be restarted. Create a new one.")]}
            )
        if data.get("active") is False:
            assignment_deactivate(assignment=assignment)
        return Response(assignment_data(self._assignment(pk)))
