"""The admin chooser for SCORM packages, which lists only the partner's own packages."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.views.generic.chooser import ChooseResultsView, ChooseView
from wagtail.admin.viewsets.chooser import ChooserViewSet

from scorm.selectors import packages_visible


class _VisiblePackagesMixin:
    def get_object_list(self):
        return packages_visible(self.request.user).filter(current_version__isnull=False)


class ScormPackageChooseView(_VisiblePackagesMixin, ChooseView):
    pass


class ScormPackageChooseResultsView(_VisiblePackagesMixin, ChooseResultsView):
    pass


class ScormPackageChooserViewSet(ChooserViewSet):
    model = "scorm.ScormPackage"
    icon = "media"
    choose_one_text = _("Choose a SCORM package")
    choose_another_text = _("Choose another SCORM package")
    choose_view_class = ScormPackageChooseView
    choose_results_view_class = ScormPackageChooseResultsView


scorm_package_chooser_viewset = ScormPackageChooserViewSet("scorm_package_chooser")
