"""Writes for competency data."""

from django.db import transaction

from people.models import RoleGroup


@transaction.atomic
def role_groups_import(*, groups: list[dict]) -> list[RoleGroup]:
    """Create or update role groups by code (idempotent), keeping the order given."""
    imported = []
    for order, entry in enumerate(groups):
        group, _ = RoleGroup.objects.update_or_create(
            code=entry["code"],
            defaults={"name_th": entry["name_th"], "name_en": entry.get("name_en", ""), "sort_order": order},
        )
        imported.append(group)
    return imported
