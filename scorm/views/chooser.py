"""The admin chooser for SCORM packages: the packages the person may see that can be launched,
narrowed to the partner of the lesson being edited when the chooser can tell which lesson
that is. The rule itself is enforced when the lesson is saved (scorm.blocks).

Every view of the chooser (the list, its results, and choosing by id, one or several) reads
the same `choosable_packages`: choosing another partner's package by its id finds nothing
(404), so its title never leaves the database."""

from urllib.parse import urlsplit

from django.db.models import QuerySet
from django.urls import Resolver404, resolve
from django.utils.translation import gettext_lazy as _
from wagtail.admin.views.generic.chooser import ChooseResultsView, ChooseView, ChosenMultipleView, ChosenView
from wagtail.admin.viewsets.chooser import ChooserViewSet
from wagtail.models import Page

from scorm.models import ScormPackage
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


def choosable_packages(request) -> QuerySet[ScormPackage]:
    """The packages this person may put in a lesson: theirs to see, with a version to launch."""
    return packages_visible(request.user).filter(current_version__isnull=False)


class _VisiblePackagesMixin:
    def get_object_list(self):
        packages = choosable_packages(self.request)
        partner_id = _editing_partner_id(self.request)
        return packages if partner_id is None else packages.filter(partner_id=partner_id)


class ScormPackageChooseView(_VisiblePackagesMixin, ChooseView):
    pass


class ScormPackageChooseResultsView(_VisiblePackagesMixin, ChooseResultsView):
    pass


class ScormPackageChosenView(ChosenView):
    def get_object(self, pk):
        return choosable_packages(self.request).get(pk=pk)


class ScormPackageChosenMultipleView(ChosenMultipleView):
    def get_objects(self, pks):
        return choosable_packages(self.request).filter(pk__in=pks)


class ScormPackageChooserViewSet(ChooserViewSet):
    model = "scorm.ScormPackage"
    icon = "media"
    choose_one_text = _("Choose a SCORM package")
    choose_another_text = _("Choose another SCORM package")
    choose_view_class = ScormPackageChooseView
    choose_results_view_class = ScormPackageChooseResultsView
    chosen_view_class = ScormPackageChosenView
    chosen_multiple_view_class = ScormPackageChosenMultipleView


scorm_package_chooser_viewset = ScormPackageChooserViewSet("scorm_package_chooser")
