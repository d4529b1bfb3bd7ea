import factory

from organisations.tests.factories import OrganisationUnitFactory
from people.civil_service import EmploymentType
from people.models import LearnerProfile, RoleGroup, User
from people.services import role_assign

PASSWORD = "correct-horse-battery-2569"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@agency.go.th")
    title = "mr"
    first_name = factory.Sequence(lambda n: f"สมชาย{n}")
    last_name = "ใจดี"
    first_name_en = factory.Sequence(lambda n: f"Somchai{n}")
    last_name_en = "Jaidee"
    password = factory.django.Password(PASSWORD)


class RoleGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoleGroup
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"RG{n}")
    name_th = factory.Sequence(lambda n: f"กลุ่มบทบาท {n}")
    name_en = factory.Sequence(lambda n: f"Role group {n}")


class LearnerProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LearnerProfile

    user = factory.SubFactory(UserFactory)
    unit = factory.SubFactory(OrganisationUnitFactory)
    employment_type = EmploymentType.CIVIL_SERVANT


def learner(**fields) -> User:
    """A learner with a Thai and an English name (what certificates and reports print)."""
    fields.setdefault("title", "miss")
    fields.setdefault("first_name", "สุดารัตน์")
    fields.setdefault("last_name", "ทองดี")
    fields.setdefault("first_name_en", "Sudarat")
    fields.setdefault("last_name_en", "Thongdee")
    return UserFactory(**fields)


def learner_in(unit, **user_fields) -> User:
    """A person whose learner profile sits in `unit`."""
    return LearnerProfileFactory(unit=unit, user=UserFactory(**user_fields)).user


def hr_manager_of(*units, **user_fields) -> User:
    user = UserFactory(**user_fields)
    for unit in units:
        role_assign(user=user, role="hr_manager", unit=unit)
    return user
