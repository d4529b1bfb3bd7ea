"""What the API says about each thing. Names follow the platform's own (Thai and English side by
side, as the pages show them); people are described by what an agency's HR system already
holds, never more (no password data, no sign-in history)."""

from typing import Any

from rest_framework import serializers

from courses.models import CoursePage, Enrolment, LessonPage
from organisations.models import OrganisationUnit
from people.models import User


class UnitSerializer(serializers.ModelSerializer):
    parent_id = serializers.SerializerMethodField()

    class Meta:
        model = OrganisationUnit
        fields = ["id", "code", "kind", "name_th", "name_en", "parent_id", "is_active"]

    def get_parent_id(self, unit: OrganisationUnit) -> int | None:
        parent_ids = self.context.get("parent_ids", {})
        return parent_ids.get(unit.path[: -unit.steplen]) if unit.depth > 1 else None


class LessonSerializer(serializers.ModelSerializer):
    class Meta:
        model = LessonPage
        fields = ["id", "title", "title_en", "is_required", "minimum_minutes"]


class CourseSerializer(serializers.ModelSerializer):
    title_th = serializers.CharField(source="title")
    partner = serializers.CharField(source="partner.code", allow_null=True)
    topic = serializers.CharField(source="topic.slug")
    url = serializers.SerializerMethodField()

    class Meta:
        model = CoursePage
        fields = [
            "id",
            "code",
            "title_th",
            "title_en",
            "summary_th",
            "summary_en",
            "partner",
            "topic",
            "level",
            "language",
            "estimated_hours",
            "enrolment_mode",
            "url",
        ]

    def get_url(self, course: CoursePage) -> str:
        request = self.context.get("request")
        path = course.get_url(request=request) or ""
        return request.build_absolute_uri(path) if request is not None and path.startswith("/") else path


class CourseDetailSerializer(CourseSerializer):
    lessons = serializers.SerializerMethodField()

    class Meta(CourseSerializer.Meta):
        fields = [*CourseSerializer.Meta.fields, "lessons"]

    def get_lessons(self, course: CoursePage) -> list[dict[str, Any]]:
        lessons: list[dict[str, Any]] = LessonSerializer(self.context["lessons"], many=True).data
        return lessons


class PersonSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="profile.unit.code", allow_null=True, default=None)
    employee_number = serializers.CharField(source="profile.employee_number", default="")
    position_title = serializers.CharField(source="profile.position_title", default="")
    employment_type = serializers.CharField(source="profile.employment_type", default="")

    class Meta:
        model = User
        fields = [
            "id",
            "email",
            "title",
            "first_name",
            "last_name",
            "first_name_en",
            "last_name_en",
            "is_active",
            "unit",
            "employee_number",
            "position_title",
            "employment_type",
        ]


class EnrolmentSerializer(serializers.ModelSerializer):
    person_id = serializers.IntegerField(source="user_id")
    course_id = serializers.IntegerField()
    course_code = serializers.CharField(source="course.code")

    class Meta:
        model = Enrolment
        fields = [
            "id",
            "person_id",
            "course_id",
            "course_code",
            "status",
            "source",
            "requested_at",
            "enrolled_at",
            "due_date",
            "progress_percent",
            "score",
            "completed_at",
            "last_activity_at",
        ]


class EnrolmentCreateSerializer(serializers.Serializer):
    person_id = serializers.IntegerField()
    course_id = serializers.IntegerField()
    due_date = serializers.DateField(required=False, allow_null=True)


class DueDateSerializer(serializers.Serializer):
    due_date = serializers.DateField(allow_null=True)


# The staff file's columns (people.staff_import.COLUMNS), as JSON: one object per person.
MAX_PEOPLE_PER_SYNC = 1000


class StaffRowSerializer(serializers.Serializer):
    email = serializers.CharField(max_length=254)
    unit_code = serializers.CharField(max_length=64)
    employment_type = serializers.CharField(max_length=64)
    title = serializers.CharField(max_length=64, required=False, allow_blank=True)
    first_name_th = serializers.CharField(max_length=150, required=False, allow_blank=True)
    last_name_th = serializers.CharField(max_length=150, required=False, allow_blank=True)
    first_name_en = serializers.CharField(max_length=150, required=False, allow_blank=True)
    last_name_en = serializers.CharField(max_length=150, required=False, allow_blank=True)
    position_title = serializers.CharField(max_length=255, required=False, allow_blank=True)
    position_type = serializers.CharField(max_length=64, required=False, allow_blank=True)
    position_level = serializers.CharField(max_length=64, required=False, allow_blank=True)
    role_group_code = serializers.CharField(max_length=64, required=False, allow_blank=True)
    employee_number = serializers.CharField(max_length=32, required=False, allow_blank=True)
    national_id = serializers.CharField(
        max_length=32,
        required=False,
        allow_blank=True,
        help_text="The 13-digit national ID number; only its keyed hash is kept, so that a first sign-in "
        "with ThaID finds the person's account. Write-only: never returned.",
    )


class PeopleSyncSerializer(serializers.Serializer):
    apply = serializers.BooleanField(
        default=False,
        help_text="false: check only and say what would change (a dry run); true: apply, all or nothing",
    )
    people = StaffRowSerializer(many=True, allow_empty=False, max_length=MAX_PEOPLE_PER_SYNC)


class SyncRowSerializer(serializers.Serializer):
    row = serializers.IntegerField(help_text="Position in `people`, from 1")
    email = serializers.CharField()
    action = serializers.ChoiceField(choices=["create", "update", "move", "unchanged"])
    changed = serializers.ListField(child=serializers.CharField())


class PeopleSyncResultSerializer(serializers.Serializer):
    applied = serializers.BooleanField()
    counts = serializers.DictField(child=serializers.IntegerField())
    rows = SyncRowSerializer(many=True)
