"""The admin chooser for question banks, which lists only the banks of the author's partners."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.views.generic.chooser import ChooseResultsView, ChooseView, ChosenMultipleView, ChosenView
from wagtail.admin.viewsets.chooser import ChooserViewSet

from assessments.permissions import banks_visible


class _VisibleBanksMixin:
    def get_object_list(self):
        return banks_visible(self.request.user)


class QuestionBankChooseView(_VisibleBanksMixin, ChooseView):
    pass


class QuestionBankChooseResultsView(_VisibleBanksMixin, ChooseResultsView):
    pass


class QuestionBankChosenView(ChosenView):
    """Choosing by id (the address the modal calls) is limited to the same banks."""

    def get_object(self, pk):
        return banks_visible(self.request.user).get(pk=pk)


class QuestionBankChosenMultipleView(ChosenMultipleView):
    def get_objects(self, pks):
        return banks_visible(self.request.user).filter(pk__in=pks)


class QuestionBankChooserViewSet(ChooserViewSet):
    model = "assessments.QuestionBank"
    icon = "help"
    choose_one_text = _("Choose a question bank")
    choose_another_text = _("Choose another question bank")
    choose_view_class = QuestionBankChooseView
    choose_results_view_class = QuestionBankChooseResultsView
    chosen_view_class = QuestionBankChosenView
    chosen_multiple_view_class = QuestionBankChosenMultipleView


question_bank_chooser_viewset = QuestionBankChooserViewSet("question_bank_chooser")
