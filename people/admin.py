"""Wagtail's user admin with Thaksa's fields (registered through ThaksaUsersAppConfig)."""

from django.http import HttpRequest
from wagtail.admin.menu import SubmenuMenuItem
from wagtail.users.views.users import UserViewSet

from audit.admin_views import AuditedUserEditView, AuditedUserIndexView
from people.forms import ThaksaUserCreationForm, ThaksaUserEditForm
from people.permissions import content_partners_visible


class ThaksaUserViewSet(UserViewSet):
    index_view_class = AuditedUserIndexView
    edit_view_class = AuditedUserEditView
    create_template_name = "people/admin/users/create.html"
    edit_template_name = "people/admin/users/edit.html"

    def get_form_class(self, for_update: bool = False) -> type[ThaksaUserEditForm | ThaksaUserCreationForm]:
        return ThaksaUserEditForm if for_update else ThaksaUserCreationForm


class PartnerContentMenuItem(SubmenuMenuItem):
    """An admin menu shown to the people who work with some partner's content (partner roles,
    platform admins and reviewers): assessments, certificates."""

    def is_shown(self, request: HttpRequest) -> bool:
        return content_partners_visible(request.user).exists()
