import factory

from competencies.models import RoleGroup


class RoleGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoleGroup
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"RG{n}")
    name_th = factory.Sequence(lambda n: f"กลุ่มบทบาท {n}")
    name_en = factory.Sequence(lambda n: f"Role group {n}")
