"""Where Wagtail's own admin shows partner content beyond what a person may use, narrowed
here to what their partner's collection and pages allow (found by the authorisation matrix,
tests/test_authorisation_matrix.py). Registered by courses/wagtail_hooks.py."""

from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.documents import get_document_model
from wagtail.documents.api.admin.views import DocumentsAdminAPIViewSet
from wagtail.images import get_image_model
from wagtail.images.api.admin.views import ImagesAdminAPIViewSet
from wagtail.models import Page
from wagtail.permissions import policy_registry


def _usable(request: HttpRequest, model: type[Model]) -> QuerySet[Model]:
    """The documents or images this person may choose or change (their collections')."""
    policy = policy_registry.get_by_type(model)
    usable: QuerySet[Model] = policy.instances_user_has_any_permission_for(request.user, ["choose", "change"])
    return usable


class ScopedDocumentsAdminAPIViewSet(DocumentsAdminAPIViewSet):
    """The admin API lists (and shows by id) only the documents the person may choose or
    change, as the document chooser does: another partner's titles and file addresses stay
    theirs."""

    def get_queryset(self) -> QuerySet[Model]:
        usable = _usable(self.request, get_document_model())
        documents: QuerySet[Model] = super().get_queryset()
        return documents.filter(pk__in=usable.values("pk"))


class ScopedImagesAdminAPIViewSet(ImagesAdminAPIViewSet):
    """The images counterpart of ScopedDocumentsAdminAPIViewSet."""

    def get_queryset(self) -> QuerySet[Model]:
        usable = _usable(self.request, get_image_model())
        images: QuerySet[Model] = super().get_queryset()
        return images.filter(pk__in=usable.values("pk"))


def admin_api_scope(router: WagtailAPIRouter) -> None:
    """`construct_admin_api`: replace Wagtail's document and image endpoints (registered by
    those apps, before ours) with the scoped ones."""
    router.register_endpoint("documents", ScopedDocumentsAdminAPIViewSet)
    router.register_endpoint("images", ScopedImagesAdminAPIViewSet)


def page_move_check(request: HttpRequest, page: Page, destination: Page) -> None:
    """`before_move_page`: Wagtail's move confirmation page shows the page and the destination
    to anyone in the admin and checks permission only when the move is posted; refuse it
    before anything is shown unless the person may move this page there."""
    if not page.permissions_for_user(request.user).can_move_to(destination):
        raise PermissionDenied
