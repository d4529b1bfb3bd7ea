"""What the API says about agencies' course assignments (api.views.assignments)."""

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from assignments.models import Assignment
from assignments.selectors import Compliance
from people.civil_service import EmploymentType, PositionType

MAX_NAMED_PEOPLE = 1000


class ComplianceSerializer(serializers.Serializer):
    """assignments.selectors.Compliance: counted from the members, each against their own due date."""

    members = serializers.IntegerField(help_text="Everyone the assignment ever covered")
    completed = serializers.IntegerField()
    on_time = serializers.IntegerField(help_text="Completed on or before the member's own due date")
    overdue = serializers.IntegerField()
    percent = serializers.IntegerField(allow_null=True, help_text="Completed / members; null when nobody")


class AssignmentSerializer(serializers.ModelSerializer):
    """An assignment, with `compliance` given by the view in the serializer's context
    (`compliance`: {assignment id: Compliance})."""

    course_id = serializers.IntegerField()
    course_code = serializers.CharField(source="course.code")
    unit_id = serializers.IntegerField()
    unit_code = serializers.CharField(source="unit.code")
    position_type = serializers.CharField(help_text="Empty: any position type")
    role_group_code = serializers.CharField(source="role_group.code", allow_null=True, default=None)
    employment_type = serializers.CharField(help_text="Empty: any employment type")
    named_people = serializers.BooleanField(
        source="has_named_people", help_text="Only named people are assigned (not listed here)"
    )
    active = serializers.BooleanField(source="is_active")
    compliance = serializers.SerializerMethodField()

    class Meta:
        model = Assignment
        fields = [
            "id",
            "course_id",
            "course_code",
            "campaign",
            "unit_id",
            "unit_code",
            "position_type",
            "role_group_code",
            "employment_type",
            "named_people",
            "due_date",
            "is_mandatory",
            "includes_new_staff",
            "active",
            "deactivated_at",
            "created_at",
            "compliance",
        ]

    @extend_schema_field(ComplianceSerializer)
    def get_compliance(self, assignment: Assignment) -> dict[str, Any]:
        compliance: Compliance = self.context["compliance"][assignment.pk]
        return {
            "members": compliance.members,
            "completed": compliance.completed,
            "on_time": compliance.on_time,
            "overdue": compliance.overdue,
            "percent": compliance.percent,
        }


class AssignmentCreateSerializer(serializers.Serializer):
    unit_code = serializers.CharField(max_length=64, help_text="The unit; the unit's subtree is covered")
    course_id = serializers.IntegerField()
    due_date = serializers.DateField(help_text="Gregorian (2027-01-31); today or later")
    campaign = serializers.CharField(max_length=255, required=False, default="", allow_blank=True)
    position_type = serializers.ChoiceField(
        choices=PositionType.choices, required=False, default="", allow_blank=True
    )
    role_group_code = serializers.CharField(max_length=32, required=False, default="", allow_blank=True)
    employment_type = serializers.ChoiceField(
        choices=EmploymentType.choices, required=False, default="", allow_blank=True
    )
    person_ids = serializers.ListField(
        child=serializers.IntegerField(),
        required=False,
        default=list,
        max_length=MAX_NAMED_PEOPLE,
        help_text="If given, only these people (in the unit's subtree) are assigned",
    )
    is_mandatory = serializers.BooleanField(required=False, default=True)
    includes_new_staff = serializers.BooleanField(required=False, default=True)


class AssignmentChangeSerializer(serializers.Serializer):
    active = serializers.BooleanField(
        required=False, help_text="false stops the assignment; it cannot be restarted"
    )
    due_date = serializers.DateField(
        required=False,
        help_text="Move the due date (Gregorian, not in the past): members on the assignment's date "
        "follow it, reminders start again, completions that would lapse before it are taken again",
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if not attrs:
            raise serializers.ValidationError(_("Send active: false, or a new due_date."))
        return attrs
