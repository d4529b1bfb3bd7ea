import pytest
from django.core.exceptions import ValidationError

from organisations.models import OrganisationUnit
from organisations.services import organisation_unit_move, organisation_units_import

pytestmark = pytest.mark.django_db

TREE = [
    {"code": "M", "kind": "ministry", "name_th": "กระทรวงทดสอบ", "children": [
        {"code": "M-D", "kind": "department", "name_th": "กรมทดสอบ", "children": [
            {"code": "M-D-X", "kind": "division", "name_th": "กองทดสอบ"},
        ]},
    ]},
]  # fmt: skip


def test_import_is_idempotent_and_keeps_the_tree():
    assert organisation_units_import(units=TREE) == 3
    assert organisation_units_import(units=TREE) == 3

    assert OrganisationUnit.objects.count() == 3
    division = OrganisationUnit.objects.get(code="M-D-X")
    assert [u.code for u in division.get_ancestors()] == ["M", "M-D"]


def test_import_updates_names_in_place():
    organisation_units_import(units=TREE)
    renamed = [{**TREE[0], "name_th": "กระทรวงใหม่"}]

    organisation_units_import(units=renamed)

    assert OrganisationUnit.objects.get(code="M").name_th == "กระทรวงใหม่"
    assert OrganisationUnit.objects.count() == 3


def test_moving_a_department_takes_its_divisions_along(public_service):
    organisation_unit_move(unit=public_service["DEPT-A1"], new_parent=public_service["MIN-B"])

    division = OrganisationUnit.objects.get(code="DIV-A1-ICT")
    assert [u.code for u in division.get_ancestors()] == ["MIN-B", "DEPT-A1"]


def test_a_unit_cannot_move_under_its_own_sub_unit(public_service):
    with pytest.raises(ValidationError):
        organisation_unit_move(unit=public_service["MIN-A"], new_parent=public_service["DIV-A1-HR"])


def test_moving_to_the_top_level(public_service):
    unit = organisation_unit_move(unit=public_service["DEPT-B1"], new_parent=None)

    assert unit.is_root()
