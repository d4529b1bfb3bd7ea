"""The public catalogue: published courses and their lessons, for anyone (no token needed)."""

from typing import Any

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.generics import ListAPIView, RetrieveAPIView

from api.serializers import CourseDetailSerializer, CourseSerializer
from api.views.base import ApiMixin
from courses.models import CoursePage
from courses.selectors import catalogue_courses, course_lessons


@extend_schema(
    summary="Published courses",
    parameters=[
        OpenApiParameter("q", str, description="Words to search for (Thai or English)"),
        OpenApiParameter("partner", str, description="A content partner's code"),
        OpenApiParameter("language", str, enum=["th", "en"]),
    ],
)
class CourseList(ApiMixin, ListAPIView):
    required_scopes = {"GET": None}
    serializer_class = CourseSerializer

    def get_queryset(self):  # type: ignore[no-untyped-def]
        params = self.request.query_params
        courses = catalogue_courses(query=params.get("q", "")[:200], language=params.get("language", "")[:8])
        partner = params.get("partner", "")[:32]
        if partner:
            courses = courses.filter(partner__code=partner)
        return courses.order_by("pk")


@extend_schema(summary="One published course with its lessons in order")
class CourseDetail(ApiMixin, RetrieveAPIView):
    required_scopes = {"GET": None}
    serializer_class = CourseDetailSerializer

    def get_object(self) -> CoursePage:
        course: CoursePage = get_object_or_404(
            CoursePage.objects.live().public().select_related("partner", "topic"), pk=self.kwargs["pk"]
        )
        return course

    def get_serializer_context(self) -> dict[str, Any]:
        context: dict[str, Any] = super().get_serializer_context()
        if "pk" in self.kwargs:
            context["lessons"] = course_lessons(course=self.get_object())
        return context
