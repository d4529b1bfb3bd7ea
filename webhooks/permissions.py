"""Who manages webhooks in the admin: platform administrators only. A subscription decides what
an outside system hears about people, and a delivery's payload names them."""

from typing import Any, cast

from django.db.models import Model, QuerySet
from wagtail.permission_policies.base import ModelPermissionPolicy

from people.permissions import is_platform_admin


class PlatformAdminsOnly(ModelPermissionPolicy):
    """Platform administrators may do `actions` (all of them when None); nobody else anything."""

    def __init__(self, model: type[Model], actions: frozenset[str] | None = None) -> None:
        super().__init__(model)
        self.actions = actions

    def _allows(self, user: Any, action: str) -> bool:
        return (self.actions is None or action in self.actions) and is_platform_admin(user)

    def user_has_permission(self, user: Any, action: str) -> bool:
        return self._allows(user, action)

    def user_has_any_permission(self, user: Any, actions: Any) -> bool:
        return any(self._allows(user, action) for action in actions)

    def user_has_permission_for_instance(self, user: Any, action: str, instance: Model) -> bool:
        return self._allows(user, action)

    def user_has_any_permission_for_instance(self, user: Any, actions: Any, instance: Model) -> bool:
        return self.user_has_any_permission(user, actions)

    def _instances(self, allowed: bool) -> QuerySet[Any]:
        manager = cast(type[Model], self.model)._default_manager
        return manager.all() if allowed else manager.none()

    def instances_user_has_permission_for(self, user: Any, action: str) -> QuerySet[Any]:
        return self._instances(self._allows(user, action))

    def instances_user_has_any_permission_for(self, user: Any, actions: Any) -> QuerySet[Any]:
        return self._instances(self.user_has_any_permission(user, actions))
