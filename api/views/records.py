"""A person's records (transcript, certificates, competency profile), the public check of a
certificate, and a unit's figures. Read-only; every number comes from the selector the page
showing it uses (courses, certificates, competencies, analytics), and every read of another
person's records is written to the audit log."""

from types import SimpleNamespace
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django_ratelimit.core import is_ratelimited
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import BaseThrottle

from analytics.selectors.agency import UnitHeadline, unit_headline
from analytics.selectors.contract import DashboardFilters
from api import scopes
from api.filters import date_range, id_filter, unit_filter
from api.principals import Principal, certificates_visible, people_with_records, units_visible
from api.record_serializers import (
    CertificateSerializer,
    CertificateVerificationSerializer,
    CompetencyProfileSerializer,
    TranscriptSerializer,
    UnitFiguresSerializer,
)
from api.throttling import PerClient
from api.views.base import ApiMixin, ApiView
from api.views.people import api_audit
from certificates import documents
from certificates.selectors import certificate_by_code, public_summary
from certificates.views.public import pdf_offered_to
from competencies.selectors import competency_overview
from courses.selectors import hours_by_fiscal_year, transcript
from lms.client_ip import client_ip
from lms.thai_calendar import BUDDHIST_YEAR_FROM, FiscalYear, current_fiscal_year, fiscal_year_of, format_date
from organisations.models import within_units
from people.models import User

VERIFICATION_RATE_GROUP = "certificates-verify"  # the public verification page's own budget

# A fiscal year named in Buddhist era has four digits (a Common-era year, 2027, is too small).
LATEST_FISCAL_YEAR = 9999

# An id in the path, as the URL accepts it (a negative number is no address).
ID_PARAMETER = OpenApiParameter("id", {"type": "integer", "minimum": 1}, OpenApiParameter.PATH)


def _person(principal: Principal, pk: int) -> User:
    return get_object_or_404(people_with_records(principal), pk=pk)


# Transcript -------------------------------------------------------------------------------


class Transcript(ApiView):
    required_scopes = {"GET": scopes.LEARNING_READ}

    @extend_schema(
        summary="A person's transcript: completed courses and learning hours per fiscal year",
        parameters=[ID_PARAMETER],
        responses=TranscriptSerializer,
    )
    def get(self, request: Request, pk: int) -> Response:
        person = _person(self.principal, pk)
        # Completed enrolments always have their date (a database constraint).
        rows = [(row, row.completed_at) for row in transcript(user=person) if row.completed_at is not None]
        this_year = current_fiscal_year()
        courses = []
        for row, completed_at in rows:
            entry = getattr(row, "hours_entry", None)
            courses.append(
                {
                    "enrolment_id": row.pk,
                    "course_id": row.course_id,
                    "course_code": row.course.code,
                    "title_th": row.course.title,
                    "title_en": row.course.title_en,
                    "partner": row.course.partner.code if row.course.partner else None,
                    "completed_at": completed_at,
                    "fiscal_year_be": fiscal_year_of(completed_at).year,
                    "hours_credited": entry.hours if entry is not None else None,
                    "score": row.score,
                }
            )
        years = sorted(
            {this_year, *(fiscal_year_of(completed_at) for _row, completed_at in rows)},
            key=lambda year: year.year,
            reverse=True,
        )
        hours = hours_by_fiscal_year(user=person, fiscal_years=years)
        api_audit(request, what="api:transcript", subject=person)
        return Response(
            TranscriptSerializer(
                {
                    "person_id": person.pk,
                    "current_fiscal_year_be": this_year.year,
                    "courses": courses,
                    "total_hours": sum(hours.values()),
                    "fiscal_years": [{"fiscal_year": year, "hours": hours[year.year]} for year in years],
                }
            ).data
        )


# Certificates -----------------------------------------------------------------------------


@extend_schema(
    parameters=[
        OpenApiParameter("person", {"type": "integer", "minimum": 1}, description="A person's id"),
        OpenApiParameter("unit", str, description="A unit's code: people in it and below it"),
        OpenApiParameter(
            "issued_from", OpenApiTypes.DATE, description="Issued on or after (a date-time also)"
        ),
        OpenApiParameter(
            "issued_to", OpenApiTypes.DATE, description="Issued on or before, inclusive (a date-time also)"
        ),
    ]
)
class CertificateList(ApiMixin, ListAPIView):
    required_scopes = {"GET": scopes.CERTIFICATES_READ}
    serializer_class = CertificateSerializer

    def get_queryset(self):  # type: ignore[no-untyped-def]
        principal = self.principal
        certificates = certificates_visible(principal)
        unit = unit_filter(self.request, units_visible(principal))
        if unit is not None:
            certificates = certificates.filter(within_units([unit.path], through="learner__profile__unit"))
        person = id_filter(self.request, "person")
        if person is not None:
            certificates = certificates.filter(learner_id=person)
        certificates = date_range(self.request, certificates, field="issued_at", prefix="issued")
        return certificates.order_by("pk")

    def get_serializer_context(self) -> dict[str, Any]:
        context: dict[str, Any] = super().get_serializer_context()
        context["hide_codes"] = self.principal.partner_id is not None
        return context

    @extend_schema(summary="Certificates of the people this application sees")
    def get(self, request, *args, **kwargs):  # type: ignore[no-untyped-def]
        response = self.list(request, *args, **kwargs)
        api_audit(
            request,
            what="api:certificates",
            people=len({row["person_id"] for row in response.data["results"]}),
        )
        return response


class VerificationRate(BaseThrottle):
    """The public verification page's budget per client address (CERTIFICATES_VERIFY_RATE),
    counted together with the page: the API is no way around it."""

    def allow_request(self, request, view) -> bool:  # type: ignore[no-untyped-def]
        if not client_ip(request._request):
            return True  # no address to count by (django_ratelimit would fail): PerClient's budget applies
        return not is_ratelimited(
            request._request,
            group=VERIFICATION_RATE_GROUP,
            key="ip",
            rate=settings.CERTIFICATES_VERIFY_RATE,
            method=is_ratelimited.ALL,
            increment=True,
        )

    def wait(self) -> float:
        return 60


class CertificateVerify(ApiView):
    """What the public verification page shows, for anyone (no token needed)."""

    required_scopes = {"GET": None}
    throttle_classes = [PerClient, VerificationRate]

    @extend_schema(
        summary="Check a certificate by the code printed on it (public)",
        description=(
            "Case, spaces, dashes and look-alike letters in the code do not matter. The holder's "
            "family name is shown as an initial unless they chose to show it in full. Limited per "
            "client address, together with the public verification page."
        ),
        responses=CertificateVerificationSerializer,
    )
    def get(self, request: Request, code: str) -> Response:
        certificate = certificate_by_code(code[:64])
        if certificate is None:
            raise NotFound
        summary = public_summary(certificate)
        superseded_by = summary.pop("superseded_by")
        # The page's rule on the PDF, for whoever the token acts for (nobody without one).
        viewer = SimpleNamespace(user=request.user or AnonymousUser())
        return Response(
            CertificateVerificationSerializer(
                {
                    **summary,
                    "verify_url": documents.verification_url(certificate),
                    "credential_url": documents.credential_url(certificate),
                    "pdf_url": documents.pdf_url(certificate)
                    if pdf_offered_to(viewer, certificate)
                    else None,
                    "superseded_by_url": documents.verification_url(superseded_by) if superseded_by else None,
                }
            ).data
        )


# Competencies -----------------------------------------------------------------------------


class CompetencyProfile(ApiView):
    required_scopes = {"GET": scopes.COMPETENCIES_READ}

    @extend_schema(
        summary="A person's competency profile: their role group's requirements, their levels and gaps",
        parameters=[ID_PARAMETER],
        responses=CompetencyProfileSerializer,
    )
    def get(self, request: Request, pk: int) -> Response:
        person = _person(self.principal, pk)
        overview = competency_overview(user=person)
        requirements = [
            {
                "node": standing.node,
                "area": area.area,
                "gap": standing.gap,
                "required_level_name": standing.required_level_name,
                "current_level_name": standing.current_level_name,
            }
            for area in overview.areas
            for standing in area.requirements
        ]
        api_audit(request, what="api:competencies", subject=person)
        return Response(
            CompetencyProfileSerializer(
                {
                    "person_id": person.pk,
                    "on": timezone.localdate(),
                    "role_group": overview.role_group,
                    "required_count": len(requirements),
                    "met_count": overview.met_count,
                    "requirements": requirements,
                    "also_held": overview.also_held,
                }
            ).data
        )


# A unit's figures -------------------------------------------------------------------------


def _fiscal_year(request: Request) -> FiscalYear:
    """The `fiscal_year` parameter (Buddhist era), else the current fiscal year."""
    current = current_fiscal_year()
    value = request.query_params.get("fiscal_year", "").strip()
    if not value:
        return current
    if not value.isdigit() or not BUDDHIST_YEAR_FROM <= int(value) <= LATEST_FISCAL_YEAR:
        raise ValidationError(
            {
                "fiscal_year": [
                    _(
                        "Give the fiscal year in the Buddhist era: fiscal year %(current)d runs "
                        "from %(start)s to %(end)s."
                    )
                    % {
                        "current": current.year,
                        "start": format_date(current.start),
                        "end": format_date(current.end),
                    }
                ]
            }
        )
    return FiscalYear(int(value))


def _figure_values(headline: UnitHeadline) -> dict[str, object]:
    """The agency dashboard's headline figures (`analytics.selectors.agency.unit_headline`)."""
    value = {figure.key: figure.value for figure in headline.figures}
    return {
        "staff": value["staff"],
        "active_learners": value["active_learners"],
        "completions": value["completions"],
        "learners_completed": value["learners_completed"],
        "hours": round(headline.hours_tenths / 10, 1),
        "hours_per_person": value["hours_per_person"],
        "compliance_percent": value["compliance"],
        "overdue": value["overdue"],
        "figures": headline.figures,
    }


class UnitFigures(ApiView):
    required_scopes = {"GET": scopes.ANALYTICS_READ}

    @extend_schema(
        summary="A unit's figures: staff, learners, completions, hours, compliance, overdue",
        description=(
            "The agency dashboard's headline figures for the unit and the units below it, from "
            "the same aggregates. Head counts and overdue assignments are as of now; the rest "
            "are for the fiscal year (the current one unless `fiscal_year` says otherwise)."
        ),
        parameters=[
            ID_PARAMETER,
            OpenApiParameter(
                "fiscal_year",
                {"type": "integer", "minimum": BUDDHIST_YEAR_FROM, "maximum": LATEST_FISCAL_YEAR},
                description="Buddhist era: 2570 is 1 Oct 2026 – 30 Sep 2027 (default: the current one)",
            ),
        ],
        responses=UnitFiguresSerializer,
    )
    def get(self, request: Request, pk: int) -> Response:
        unit = get_object_or_404(units_visible(self.principal), pk=pk)
        fiscal_year = _fiscal_year(request)
        filters = DashboardFilters(fiscal_year=fiscal_year.year, unit_id=unit.pk)
        headline = unit_headline(unit=unit, filters=filters)
        return Response(
            UnitFiguresSerializer({"unit": unit, "fiscal_year": fiscal_year, **_figure_values(headline)}).data
        )
