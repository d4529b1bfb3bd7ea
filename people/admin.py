"""Wagtail's user admin with Thaksa's fields (registered through ThaksaUsersAppConfig)."""

from wagtail.users.views.users import UserViewSet

from people.forms import ThaksaUserCreationForm, ThaksaUserEditForm


class ThaksaUserViewSet(UserViewSet):
    create_template_name = "people/admin/users/create.html"
    edit_template_name = "people/admin/users/edit.html"

    def get_form_class(self, for_update: bool = False):
        return ThaksaUserEditForm if for_update else ThaksaUserCreationForm
