"""Assessments in the Wagtail admin: the bank and question editors, bank import/export, and
the quiz and survey reports, under one "Assessments" menu.

The editors are Wagtail model viewsets whose every view is limited to the banks of the
person's partners (assessments.permissions): lists show only those, and opening another
partner's bank or question by its address gives "not found"."""

import django_filters
from django.db.models import Count
from django.urls import include, path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.menu import Menu, MenuItem
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.views.generic import history, usage
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import register_permission_policy

from assessments.competency_evidence import PostTestEvidence
from assessments.forms import QuestionForm
from assessments.models import Question, QuestionBank
from assessments.permissions import (
    PartnerContentPermissionPolicy,
    banks_editable,
    banks_visible,
    questions_editable,
    questions_visible,
)
from assessments.views import admin as views
from assessments.views.chooser import question_bank_chooser_viewset
from competencies.evidence_sources import EVIDENCE_SOURCES_HOOK, EvidenceSource
from people.admin import PartnerContentMenuItem
from people.permissions import content_partners_editable, content_partners_visible


class _EditableObject:
    """Edit and delete views: only objects of the person's own partners."""

    editable = None

    def get_object(self, queryset=None):
        return super().get_object(queryset=type(self).editable(self.request.user))


class _VisibleObject:
    """History and usage views: only objects the person may see."""

    visible = None

    def get_base_object_queryset(self):
        return type(self).visible(self.request.user)


class _VisibleList:
    """Listings: only objects the person may see."""

    visible = None

    def get_base_queryset(self):
        return type(self).visible(self.request.user)


def _banks_listed(user):
    return banks_visible(user).annotate(question_count=Count("questions"))


def _partners_of(request):
    return content_partners_visible(request.user)


def _banks_of(request):
    return banks_visible(request.user)


class BankFilterSet(WagtailFilterSet):
    """The partner filter offers only the person's partners (not every partner's name)."""

    partner = django_filters.ModelChoiceFilter(queryset=_partners_of, label=_("content partner"))

    class Meta:
        model = QuestionBank
        fields = ["partner"]


class QuestionFilterSet(WagtailFilterSet):
    """The bank filter offers only the banks this person may see."""

    bank = django_filters.ModelChoiceFilter(queryset=_banks_of, label=_("question bank"))

    class Meta:
        model = Question
        fields = ["bank", "kind", "difficulty", "topic", "is_active"]


class BankForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.for_user is not None:
            self.fields["partner"].queryset = content_partners_editable(self.for_user)


class BankLinksColumn(Column):
    def get_value(self, instance):
        questions = _("Questions (%(count)s)") % {"count": instance.question_count}
        return format_html(
            '<a href="{}?bank={}">{}</a> · <a href="{}">{}</a> · '
            '<a href="{}">CSV</a> · <a href="{}">Excel</a>',
            reverse("assessments_question:index"), instance.pk, questions,
            reverse("assessments_admin:bank_import", args=[instance.pk]), _("Import"),
            reverse("assessments_admin:bank_export", args=[instance.pk, "csv"]),
            reverse("assessments_admin:bank_export", args=[instance.pk, "xlsx"]),
        )  # fmt: skip


class QuestionBankViewSet(ModelViewSet):
    model = QuestionBank
    icon = "folder-open-inverse"
    menu_label = _("Question banks")
    add_to_admin_menu = False
    copy_view_enabled = False
    edit_handler = ObjectList(
        [FieldPanel("partner"), FieldPanel("title"), FieldPanel("description")], base_form_class=BankForm
    )
    search_fields = ["title", "description"]
    filterset_class = BankFilterSet
    list_display = ["title", "partner", BankLinksColumn("links", label=_("Questions and files"))]
    index_view_class = type(
        "BankIndexView", (_VisibleList, generic.IndexView), {"visible": staticmethod(_banks_listed)}
    )
    edit_view_class = type(
        "BankEditView", (_EditableObject, generic.EditView), {"editable": staticmethod(banks_editable)}
    )
    delete_view_class = type(
        "BankDeleteView", (_EditableObject, generic.DeleteView), {"editable": staticmethod(banks_editable)}
    )
    history_view_class = type(
        "BankHistoryView", (_VisibleObject, history.HistoryView), {"visible": staticmethod(banks_visible)}
    )
    usage_view_class = type(
        "BankUsageView", (_VisibleObject, usage.UsageView), {"visible": staticmethod(banks_visible)}
    )


class QuestionCreateView(generic.CreateView):
    def get_initial(self):
        initial = super().get_initial()
        bank = banks_editable(self.request.user).filter(pk=self.request.GET.get("bank") or None).first()
        if bank is not None:
            initial["bank"] = bank
        return initial


class QuestionViewSet(ModelViewSet):
    model = Question
    icon = "help"
    menu_label = _("Questions")
    add_to_admin_menu = False
    search_fields = ["text", "topic"]
    filterset_class = QuestionFilterSet
    list_display = ["__str__", "kind", "topic", "difficulty", "bank", "is_active"]
    add_view_class = QuestionCreateView
    index_view_class = type(
        "QuestionIndexView", (_VisibleList, generic.IndexView), {"visible": staticmethod(questions_visible)}
    )
    edit_view_class = type(
        "QuestionEditView",
        (_EditableObject, generic.EditView),
        {"editable": staticmethod(questions_editable)},
    )
    delete_view_class = type(
        "QuestionDeleteView",
        (_EditableObject, generic.DeleteView),
        {"editable": staticmethod(questions_editable)},
    )
    history_view_class = type(
        "QuestionHistoryView",
        (_VisibleObject, history.HistoryView),
        {"visible": staticmethod(questions_visible)},
    )
    usage_view_class = type(
        "QuestionUsageView", (_VisibleObject, usage.UsageView), {"visible": staticmethod(questions_visible)}
    )
    copy_view_enabled = True
    edit_handler = ObjectList([
        FieldRowPanel([FieldPanel("bank"), FieldPanel("kind")]),
        FieldPanel("text"),
        FieldRowPanel([FieldPanel("topic"), FieldPanel("difficulty"), FieldPanel("points")]),
        InlinePanel(
            "options",
            heading=_("Options, pairs, items or scale labels"),
            help_text=_(
                "Single choice and multiple response: the options, with the correct ones ticked. "
                "Matching: each left side with the right side it matches (an extra right side with no "
                "left side is a distractor). Ordering: the items in the correct order (learners see them "
                "shuffled). "
                "Rating scale: the labels from lowest to highest, or none for the usual five points."
            ),
        ),
        MultiFieldPanel(
            [
                FieldPanel("partial_credit"),
                FieldPanel("true_false_answer"),
                FieldRowPanel([FieldPanel("numeric_answer"), FieldPanel("numeric_tolerance")]),
                FieldPanel("accepted_answers"),
                FieldPanel("case_sensitive"),
            ],
            heading=_("Answer (depends on the question type)"),
        ),
        MultiFieldPanel(
            [FieldPanel("feedback_correct"), FieldPanel("feedback_incorrect"), FieldPanel("explanation")],
            heading=_("Feedback"),
        ),
        MultiFieldPanel([FieldPanel("competencies")], heading=_("Competencies")),
        FieldPanel("is_active"),
    ], base_form_class=QuestionForm)  # fmt: skip


register_permission_policy(QuestionBank, PartnerContentPermissionPolicy(QuestionBank))
register_permission_policy(Question, PartnerContentPermissionPolicy(Question))
question_bank_viewset = QuestionBankViewSet("assessments_bank")
question_viewset = QuestionViewSet("assessments_question")


@hooks.register("register_admin_viewset")
def register_viewsets():
    return [question_bank_chooser_viewset, question_bank_viewset, question_viewset]


admin_urlpatterns = [
    path("banks/<int:bank_id>/import/", views.bank_import_view, name="bank_import"),
    path("banks/<int:bank_id>/export/<str:file_format>/", views.bank_export_view, name="bank_export"),
    path("quizzes/", views.quiz_index, name="quiz_index"),
    path("quizzes/<int:lesson_id>/<str:block_id>/", views.quiz_report_view, name="quiz_report"),
    path("courses/<int:course_id>/survey/", views.course_survey_view, name="course_survey"),
]


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [
        path("assessments/", include((admin_urlpatterns, "assessments_admin"), namespace="assessments_admin"))
    ]


@hooks.register("register_admin_menu_item")
def register_menu():
    menu = Menu(
        items=[
            MenuItem(
                _("Question banks"),
                reverse("assessments_bank:index"),
                icon_name="folder-open-inverse",
                order=100,
            ),
            MenuItem(_("Questions"), reverse("assessments_question:index"), icon_name="help", order=200),
            MenuItem(
                _("Quiz reports"), reverse("assessments_admin:quiz_index"), icon_name="table", order=300
            ),
        ]
    )
    return PartnerContentMenuItem(_("Assessments"), menu, icon_name="help", order=260)


@hooks.register(EVIDENCE_SOURCES_HOOK)
def post_test_evidence() -> EvidenceSource:
    return PostTestEvidence()
