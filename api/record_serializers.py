"""What the API says about a person's records (transcript, certificates, competencies) and a
unit's figures. Each serializer reads what the platform's own selectors return, so the API
shows what the pages show; decimals (hours, scores) are strings, as elsewhere in the API."""

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from certificates.documents import verification_url
from certificates.models import Certificate
from lms.thai_calendar import FiscalYear

# What `Certificate.public_status` answers: the stored status, or "expired" for a valid
# certificate past its last day.
PUBLIC_STATUSES = [*Certificate.Status.values, "expired"]


@extend_schema_field(
    {
        # Wrapped, so that drf-spectacular leaves it inline: hoisted, it would be an enum named
        # "Status" beside the enrolment's (a naming collision only settings could resolve).
        "allOf": [{"type": "string", "enum": PUBLIC_STATUSES}],
        "description": "valid, suspended, revoked, superseded, or expired (valid but past its last day)",
    }
)
class CertificateStatusField(serializers.ChoiceField):
    """A certificate's public status (`Certificate.public_status`)."""

    def __init__(self, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(choices=PUBLIC_STATUSES, **kwargs)


# Transcript -------------------------------------------------------------------------------


class TranscriptCourseSerializer(serializers.Serializer):
    """One completed course (`courses.selectors.transcript`)."""

    enrolment_id = serializers.IntegerField()
    course_id = serializers.IntegerField()
    course_code = serializers.CharField()
    title_th = serializers.CharField()
    title_en = serializers.CharField()
    partner = serializers.CharField(allow_null=True, help_text="The content partner's code")
    completed_at = serializers.DateTimeField()
    fiscal_year_be = serializers.IntegerField(help_text="The fiscal year of completion, Buddhist era")
    hours_credited = serializers.DecimalField(
        max_digits=9, decimal_places=1, allow_null=True, help_text="Learning hours credited for the course"
    )
    score = serializers.DecimalField(
        max_digits=5,
        decimal_places=2,
        allow_null=True,
        help_text="Post-test score (%), if the course has one",
    )


class FiscalYearSerializer(serializers.Serializer):
    """A Thai government fiscal year: 1 October to 30 September, named by the Buddhist-era year
    in which it ends (2570 is 2026-10-01 to 2027-09-30)."""

    fiscal_year_be = serializers.IntegerField(source="year")
    start = serializers.DateField()
    end = serializers.DateField()
    label = serializers.SerializerMethodField()

    def get_label(self, fiscal_year: FiscalYear) -> str:
        return fiscal_year.label()


class FiscalYearHoursSerializer(serializers.Serializer):
    fiscal_year = FiscalYearSerializer()
    hours = serializers.DecimalField(max_digits=9, decimal_places=1)


class TranscriptSerializer(serializers.Serializer):
    person_id = serializers.IntegerField()
    current_fiscal_year_be = serializers.IntegerField()
    courses = TranscriptCourseSerializer(many=True, help_text="Completed courses, most recent first")
    total_hours = serializers.DecimalField(max_digits=9, decimal_places=1)
    fiscal_years = FiscalYearHoursSerializer(
        many=True,
        help_text=(
            "Hours credited per fiscal year: the current one and every year with a completion, newest first"
        ),
    )


# Certificates -----------------------------------------------------------------------------


class CertificateSerializer(serializers.ModelSerializer):
    code = serializers.CharField(
        source="verification_code",
        allow_null=True,
        help_text="The verification code printed on the certificate (null for a partner's application)",
    )
    person_id = serializers.IntegerField(source="learner_id")
    course_id = serializers.IntegerField()
    course_code = serializers.CharField(source="course.code")
    status = CertificateStatusField(source="public_status")
    valid_until = serializers.DateField(allow_null=True, help_text="Its last valid day; empty: no expiry")
    superseded_by = serializers.CharField(
        source="superseded_by.number", allow_null=True, default=None, help_text="The replacement's number"
    )
    verify_url = serializers.SerializerMethodField()

    class Meta:
        model = Certificate
        fields = [
            "id",
            "number",
            "code",
            "person_id",
            "course_id",
            "course_code",
            "completed_at",
            "issued_at",
            "valid_until",
            "status",
            "status_changed_at",
            "superseded_by",
            "verify_url",
        ]

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_verify_url(self, certificate: Certificate) -> str | None:
        return None if self.context.get("hide_codes") else verification_url(certificate)

    def to_representation(self, instance: Certificate) -> dict[str, Any]:
        data: dict[str, Any] = super().to_representation(instance)
        if self.context.get("hide_codes"):
            # A partner sees its learners by id; the code would let it read their names on the
            # public check page.
            data["code"] = None
        return data


class BilingualSerializer(serializers.Serializer):
    th = serializers.CharField()
    en = serializers.CharField()


class CertifiedFrameworkSerializer(serializers.Serializer):
    code = serializers.CharField()
    version = serializers.CharField()
    competency = serializers.CharField()


class CertifiedCompetencySerializer(serializers.Serializer):
    code = serializers.CharField()
    name = BilingualSerializer()
    level = serializers.IntegerField()
    framework = CertifiedFrameworkSerializer(allow_null=True, required=False, default=None)


class CertificateVerificationSerializer(serializers.Serializer):
    """What anyone may know about a certificate (`certificates.selectors.public_summary`): the
    holder's name as the holder chose to show it (given name and an initial unless they chose
    their full name), never an address."""

    number = serializers.CharField()
    status = CertificateStatusField()
    status_changed_at = serializers.DateTimeField(allow_null=True)
    status_reason = serializers.ChoiceField(choices=Certificate.Reason.values, allow_null=True)
    holder_name = BilingualSerializer()
    holder_name_masked = serializers.BooleanField()
    course_title = BilingualSerializer()
    course_code = serializers.CharField(allow_null=True, default=None)
    partner_name = BilingualSerializer()
    issuer_name = BilingualSerializer()
    hours = serializers.CharField(help_text="Learning hours printed on the certificate")
    competencies = CertifiedCompetencySerializer(many=True)
    score = serializers.CharField(allow_null=True, default=None, help_text="Score (%) printed, if any")
    completed_on = serializers.DateField()
    issued_at = serializers.DateTimeField()
    valid_until = serializers.DateField(allow_null=True)
    pdf_sha256 = serializers.CharField()
    verify_url = serializers.URLField()
    credential_url = serializers.URLField()
    pdf_url = serializers.URLField(
        allow_null=True,
        help_text="The signed PDF: offered when the holder shows their full name (and to the holder)",
    )
    superseded_by_url = serializers.URLField(allow_null=True)


# Competencies -----------------------------------------------------------------------------


class RoleGroupRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    code = serializers.CharField()
    name_th = serializers.CharField()
    name_en = serializers.CharField()


class GapCourseSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    code = serializers.CharField()
    title_th = serializers.CharField(source="title")
    title_en = serializers.CharField()


class CompetencyRefFields(serializers.Serializer):
    competency_id = serializers.IntegerField(source="node.pk")
    framework = serializers.CharField(source="node.framework.code")
    framework_version = serializers.CharField(source="node.framework.version")
    code = serializers.CharField(source="node.code")
    name_th = serializers.CharField(source="node.name_th")
    name_en = serializers.CharField(source="node.name_en")


class CompetencyRequirementSerializer(CompetencyRefFields):
    """One requirement of the person's role group (`RequirementStanding`)."""

    area = serializers.CharField(source="area.code", help_text="The framework area it sits under")
    level_required = serializers.IntegerField(source="gap.required_level")
    level_required_name = serializers.CharField(source="required_level_name")
    level_held = serializers.IntegerField(source="gap.current_level", help_text="0: no valid evidence")
    level_held_name = serializers.CharField(source="current_level_name")
    gap = serializers.IntegerField(source="gap.gap")
    met = serializers.BooleanField(source="gap.met")
    courses = GapCourseSerializer(
        source="gap.courses", many=True, help_text="Courses that would close the gap"
    )


class CompetencyHeldSerializer(CompetencyRefFields):
    """A competency the person holds evidence of that their role group does not require."""

    level_held = serializers.IntegerField(
        source="level", allow_null=True, help_text="Empty when all their evidence has expired"
    )
    level_held_name = serializers.CharField(source="level_name")


class CompetencyProfileSerializer(serializers.Serializer):
    person_id = serializers.IntegerField()
    on = serializers.DateField(help_text="The day the levels are read on (today)")
    role_group = RoleGroupRefSerializer(allow_null=True)
    required_count = serializers.IntegerField()
    met_count = serializers.IntegerField()
    requirements = CompetencyRequirementSerializer(many=True)
    also_held = CompetencyHeldSerializer(many=True)


# A unit's figures -------------------------------------------------------------------------


class FigureSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    value = serializers.FloatField(allow_null=True, help_text="Empty: nothing to count")
    unit = serializers.CharField()


class UnitRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    code = serializers.CharField()
    name_th = serializers.CharField()
    name_en = serializers.CharField()


class UnitFiguresSerializer(serializers.Serializer):
    """The agency dashboard's headline figures for the unit and the units below it."""

    unit = UnitRefSerializer()
    fiscal_year = FiscalYearSerializer()
    staff = serializers.IntegerField(help_text="Staff placed in the unit and below, now")
    active_learners = serializers.IntegerField(help_text="People learning in the fiscal year")
    completions = serializers.IntegerField(help_text="Course completions in the fiscal year")
    learners_completed = serializers.IntegerField(
        help_text="People who completed a course in the fiscal year"
    )
    hours = serializers.FloatField(help_text="Learning hours credited in the fiscal year")
    hours_per_person = serializers.FloatField(allow_null=True)
    compliance_percent = serializers.FloatField(
        allow_null=True, help_text="Mandatory training done on time (%); empty when none was due"
    )
    overdue = serializers.IntegerField(help_text="Overdue assignments, now")
    figures = FigureSerializer(many=True, help_text="The same figures as the dashboard shows them, labelled")
