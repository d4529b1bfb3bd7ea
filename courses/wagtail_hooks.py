"""Admin for courses: topics, enrolments (with approval of requests), and a guard that keeps
courses with learners from being deleted."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from wagtail import hooks
from wagtail.snippets.bulk_actions.snippet_bulk_action import SnippetBulkAction
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from audit.admin_views import AuditedSnippetEditView, AuditedSnippetIndexView
from competencies.evidence_sources import EVIDENCE_SOURCES_HOOK, EvidenceSource
from competencies.selectors import GAP_COURSES_HOOK
from courses import admin_scoping
from courses.competency_evidence import CourseCompletionEvidence
from courses.competency_gaps import courses_reaching
from courses.models import CoursePage, Enrolment, Topic
from courses.services import enrolment_decide


class TopicViewSet(SnippetViewSet):
    model = Topic
    icon = "tag"
    menu_label = gettext_lazy("Topics")
    ordering = ["sort_order", "name_th"]
    list_display = ["name_th", "name_en", "slug", "sort_order"]
    search_fields = ["name_th", "name_en", "slug"]
    search_backend_name = None


class EnrolmentViewSet(SnippetViewSet):
    model = Enrolment
    index_view_class = AuditedSnippetIndexView
    edit_view_class = AuditedSnippetEditView
    icon = "user"
    menu_label = gettext_lazy("Enrolments")
    list_per_page = 50
    ordering = ["-requested_at"]
    list_filter = ["status", "source"]
    list_display = ["user", "course", "status", "source", "requested_at", "due_date", "progress_percent"]
    list_export = [
        "user.email", "course.code", "status", "source", "requested_at", "enrolled_at",
        "due_date", "progress_percent", "score", "completed_at",
    ]  # fmt: skip
    search_fields = ["user__email", "user__first_name", "user__last_name", "course__code", "course__title"]
    search_backend_name = None

    def get_queryset(self, request):
        return Enrolment.objects.select_related("user", "course")


class CoursesViewSetGroup(SnippetViewSetGroup):
    items = (TopicViewSet, EnrolmentViewSet)
    menu_icon = "doc-full-inverse"
    menu_label = gettext_lazy("Learning")
    menu_name = "learning"


register_snippet(CoursesViewSetGroup)


class EnrolmentDecisionBulkAction(SnippetBulkAction):
    models = [Enrolment]
    template_name = "courses/admin/confirm_enrolment_decision.html"
    approve = True

    def check_perm(self, enrolment):
        return self.permission_policy.user_has_permission_for_instance(self.request.user, "change", enrolment)

    def get_execution_context(self):
        return {"decided_by": self.request.user, "approve": self.approve}

    @classmethod
    def execute_action(cls, objects, decided_by=None, approve=True, **kwargs):
        decided = 0
        for enrolment in objects:
            if enrolment.status == Enrolment.Status.PENDING:
                enrolment_decide(enrolment=enrolment, approve=approve, decided_by=decided_by)
                decided += 1
        return decided, 0


@hooks.register("register_bulk_action")
class ApproveEnrolmentsBulkAction(EnrolmentDecisionBulkAction):
    display_name = gettext_lazy("Approve")
    action_type = "approve_enrolments"
    aria_label = gettext_lazy("Approve the selected requests to join a course")
    action_priority = 20

    def get_success_message(self, num_parent_objects, num_child_objects):
        return ngettext(
            "%(count)d request has been approved.",
            "%(count)d requests have been approved.",
            num_parent_objects,
        ) % {"count": num_parent_objects}


@hooks.register("register_bulk_action")
class TurnDownEnrolmentsBulkAction(EnrolmentDecisionBulkAction):
    display_name = gettext_lazy("Turn down")
    action_type = "turn_down_enrolments"
    aria_label = gettext_lazy("Turn down the selected requests to join a course")
    action_priority = 25
    approve = False

    def get_success_message(self, num_parent_objects, num_child_objects):
        return ngettext(
            "%(count)d request has been turned down.",
            "%(count)d requests have been turned down.",
            num_parent_objects,
        ) % {"count": num_parent_objects}


@hooks.register("before_delete_page")
def keep_courses_with_learners(request, page):
    """Deleting a course would take learners' records with it: unpublish it instead."""
    courses = CoursePage.objects.descendant_of(page, inclusive=True)
    if Enrolment.objects.filter(course__in=courses).exists():
        messages.error(
            request,
            _(
                "Learners are enrolled in this course (or a course below this page), and their "
                "records must be kept. Unpublish it instead of deleting it."
            ),
        )
        return redirect("wagtailadmin_explore", page.get_parent().pk)
    return None


# The courses a learner's competency gaps suggest (competencies shows them).
hooks.register(GAP_COURSES_HOOK, courses_reaching)

# Wagtail's admin narrowed to what partners may use (courses/admin_scoping.py).
hooks.register("construct_admin_api", admin_scoping.admin_api_scope)
hooks.register("before_move_page", admin_scoping.page_move_check)


@hooks.register(EVIDENCE_SOURCES_HOOK)
def course_completion_evidence() -> EvidenceSource:
    return CourseCompletionEvidence()
