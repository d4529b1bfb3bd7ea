import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import translation

from people.civil_service import EmploymentType, PositionLevel, PositionType
from people.models import LearnerProfile, Role, RoleAssignment
from people.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_full_name_follows_thai_and_english_conventions():
    user = UserFactory(
        title="miss",
        first_name="สุภาพร",
        last_name="วงศ์สวัสดิ์",
        first_name_en="Supaporn",
        last_name_en="Wongsawat",
    )

    assert user.full_name("th") == "นางสาวสุภาพร วงศ์สวัสดิ์"  # Thai title joined to the name
    assert user.full_name("en") == "Miss Supaporn Wongsawat"
    with translation.override("en"):
        assert str(user) == "Miss Supaporn Wongsawat"


def test_english_name_falls_back_to_thai_when_missing():
    user = UserFactory(title="dr", first_name="ปิยะนุช", last_name="แก้วมณี", first_name_en="", last_name_en="")

    assert user.full_name("en") == "ดร.ปิยะนุช แก้วมณี"


def test_email_is_the_login_and_is_case_insensitive_unique():
    UserFactory(email="Somchai@Agency.go.th".lower())

    with pytest.raises(ValidationError):
        UserFactory.build(email="SOMCHAI@agency.go.th").full_clean(exclude=["password"])


def test_position_level_must_belong_to_the_position_type(public_service):
    profile = LearnerProfile(
        user=UserFactory(),
        unit=public_service["DEPT-A1"],
        employment_type=EmploymentType.CIVIL_SERVANT,
        position_type=PositionType.GENERAL,
        position_level=PositionLevel.EXPERT,  # a knowledge-worker level
    )

    with pytest.raises(ValidationError) as error:
        profile.full_clean()

    assert "position_level" in error.value.message_dict


def test_position_type_is_only_for_civil_servants(public_service):
    profile = LearnerProfile(
        user=UserFactory(),
        unit=public_service["PUB-C"],
        employment_type=EmploymentType.PUBLIC_ORGANISATION_STAFF,
        position_type=PositionType.KNOWLEDGE_WORKER,
        position_level=PositionLevel.PROFESSIONAL,
    )

    with pytest.raises(ValidationError) as error:
        profile.full_clean()

    assert "position_type" in error.value.message_dict


def test_hr_manager_role_without_a_unit_is_rejected_with_a_reason():
    assignment = RoleAssignment(user=UserFactory(), role=Role.HR_MANAGER)

    with pytest.raises(ValidationError) as error:
        assignment.full_clean()

    assert "unit" in error.value.message_dict


def test_database_refuses_a_partner_role_without_a_partner():
    with pytest.raises(IntegrityError):
        RoleAssignment.objects.create(user=UserFactory(), role=Role.PARTNER_AUTHOR)
