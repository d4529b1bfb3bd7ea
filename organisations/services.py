"""Writes to the organisation tree. Units are placed in the tree only through these."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from organisations.models import ContentPartner, OrganisationUnit


@transaction.atomic
def organisation_unit_create(
    *, parent: OrganisationUnit | None, kind: str, code: str, name_th: str, **fields
) -> OrganisationUnit:
    """Create a unit under `parent` (or as a root when `parent` is None)."""
    unit = OrganisationUnit(kind=kind, code=code, name_th=name_th, **fields)
    unit.full_clean(exclude=["path", "depth", "numchild"])
    if parent is None:
        return OrganisationUnit.add_root(instance=unit)
    # The tree's bookkeeping (numchild) on an instance held in memory may be stale.
    return OrganisationUnit.objects.get(pk=parent.pk).add_child(instance=unit)


@transaction.atomic
def organisation_unit_move(
    *, unit: OrganisationUnit, new_parent: OrganisationUnit | None
) -> OrganisationUnit:
    """Move a unit, with everything below it, under another parent (or to the top level)."""
    # Tree positions held in memory go stale as soon as anything else moves: read them fresh.
    unit = OrganisationUnit.objects.get(pk=unit.pk)
    if new_parent is not None:
        new_parent = OrganisationUnit.objects.get(pk=new_parent.pk)
    if new_parent is not None and new_parent.path.startswith(unit.path):
        raise ValidationError(_("A unit cannot be moved under itself or one of its own sub-units."))
    current_parent = unit.get_parent()
    if (current_parent and new_parent and current_parent.pk == new_parent.pk) or (
        current_parent is None and new_parent is None
    ):
        return unit
    if new_parent is None:
        unit.move(OrganisationUnit.get_first_root_node(), pos="sorted-sibling")
    else:
        unit.move(new_parent, pos="sorted-child")
    return OrganisationUnit.objects.get(pk=unit.pk)


@transaction.atomic
def organisation_unit_update_or_create(
    *, parent: OrganisationUnit | None, code: str, kind: str, name_th: str, **fields
) -> OrganisationUnit:
    """Idempotent upsert by code, used by imports and the demo seed."""
    unit = OrganisationUnit.objects.filter(code=code).first()
    if unit is None:
        return organisation_unit_create(parent=parent, kind=kind, code=code, name_th=name_th, **fields)
    changes = {"kind": kind, "name_th": name_th, **fields}
    if any(getattr(unit, name) != value for name, value in changes.items()):
        for name, value in changes.items():
            setattr(unit, name, value)
        unit.save()
    return organisation_unit_move(unit=unit, new_parent=parent)


UNIT_FIELDS = ("kind", "name_th", "name_en", "short_name_th", "short_name_en")


@transaction.atomic
def organisation_units_import(*, units: list[dict], parent: OrganisationUnit | None = None) -> int:
    """Create or update a tree of units given as nested dicts (code, kind, names, children).

    Idempotent: units are matched by code, so running it again changes nothing. Returns how
    many units the data describes.
    """
    count = 0
    for entry in units:
        fields = {name: entry.get(name, "") for name in UNIT_FIELDS}
        unit = organisation_unit_update_or_create(parent=parent, code=entry["code"], **fields)
        count += 1 + organisation_units_import(units=entry.get("children", []), parent=unit)
    return count


@transaction.atomic
def content_partner_update_or_create(*, code: str, **fields) -> ContentPartner:
    partner, _created = ContentPartner.objects.update_or_create(code=code, defaults=fields)
    return partner
