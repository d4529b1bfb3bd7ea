"""The admin chooser for SCORM packages: the packages the person may see that can be launched,
narrowed to the partner of the lesson being edited when the chooser can tell which lesson
that is. The rule itself is enforced when the lesson is saved (scorm.blocks)."""

from urllib.parse import urlsplit

from django.urls import Resolver404, resolve
from django.utils.translation import gettext_lazy as _
from wagtail.admin.views.generic.chooser import ChooseResultsView, ChooseView
from wagtail.admin.viewsets.chooser import ChooserViewSet
from wagtail.models import Page

from scorm.selectors import packages_visible


def _editing_partner_id(request) -> int | None:
    """The content partner of the course whose lesson the admin page that opened the chooser
    edits or adds (the chooser's requests come from that page, which the Referer names);
    None when it cannot be told. The header is the browser's: it only ever narrows the list."""
    from courses.models import CoursePage  # here: courses.models imports the block that imports this

    try:
        match = resolve(urlsplit(request.headers.get("Referer", "")).path)
    except Resolver404:
        return None
    if match.namespace != "wagtailadmin_pages":
        return None
    page_id = match.kwargs.get("page_id") if match.url_name == "edit" else match.kwargs.get("parent_page_id")
    page = Page.objects.filter(pk=page_id).first() if page_id else None
    if page is None:
        return None
    course = CoursePage.objects.ancestor_of(page, inclusive=True).first()
    return course.partner_id if course else None


class _VisiblePackagesMixin:
    def get_object_list(self):
        packages = packages_visible(self.request.user).filter(current_version__isnull=False)
        partner_id = _editing_partner_id(self.request)
        return packages if partner_id is None else packages.filter(partner_id=partner_id)


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
