from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from wagtail.users.apps import WagtailUsersAppConfig


class PeopleConfig(AppConfig):
    """Accounts, learner profiles, roles and the scoping rules every view relies on."""

    name = "people"
    verbose_name = _("People")

    def ready(self) -> None:
        from people import signals  # noqa: F401 - connects the sign-in language handler


class ThaksaUsersAppConfig(WagtailUsersAppConfig):
    """Wagtail's user admin, with Thaksa's bilingual name and title fields."""

    user_viewset = "people.admin.ThaksaUserViewSet"
