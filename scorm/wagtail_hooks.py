"""SCORM in the Wagtail admin: the package chooser for lessons, and the packages area."""

from django.urls import include, path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from people.permissions import content_partners_visible
from scorm.selectors import can_review_packages, versions_awaiting_review
from scorm.views import admin as views
from scorm.views.chooser import scorm_package_chooser_viewset


@hooks.register("register_admin_viewset")
def register_scorm_package_chooser():
    return scorm_package_chooser_viewset


admin_urlpatterns = [
    path("", views.package_index, name="index"),
    path("add/", views.package_add, name="add"),
    path("<int:package_id>/", views.package_detail, name="detail"),
    path("<int:package_id>/attempts/", views.package_attempts_report, name="attempts"),
    path("<int:package_id>/questions/", views.package_interactions_report, name="interactions"),
    path("versions/<int:version_id>/status/", views.version_status, name="status"),
    path("versions/<int:version_id>/review/", views.version_review, name="review"),
    path("review/", views.review_queue, name="review_queue"),
    path("attempts/<int:registration_id>/", views.registration_history, name="history"),
]


@hooks.register("register_admin_urls")
def register_scorm_admin_urls():
    return [path("scorm/", include((admin_urlpatterns, "scorm_admin"), namespace="scorm_admin"))]


class ScormMenuItem(MenuItem):
    """Shown to the people who work with some partner's content."""

    def is_shown(self, request):
        return content_partners_visible(request.user).exists()


@hooks.register("register_admin_menu_item")
def register_scorm_menu_item():
    return ScormMenuItem(_("SCORM packages"), reverse("scorm_admin:index"), icon_name="media", order=250)


class PackageReviewMenuItem(MenuItem):
    """Platform reviewers' way to the versions waiting for them, with how many wait."""

    def is_shown(self, request):
        return can_review_packages(request.user)

    def render_component(self, request):
        component = super().render_component(request)
        waiting = versions_awaiting_review(request.user).count()
        if waiting:
            component.label = gettext("Package review (%(count)s)") % {"count": waiting}
        return component


@hooks.register("register_admin_menu_item")
def register_package_review_menu_item():
    return PackageReviewMenuItem(
        _("Package review"), reverse("scorm_admin:review_queue"), icon_name="tasks", order=251
    )
