import factory

from organisations.models import ContentPartner, OrganisationUnit
from organisations.services import organisation_unit_create


class OrganisationUnitFactory(factory.Factory):
    """Units go into the tree through the service; pass `parent=` for a sub-unit."""

    class Meta:
        model = OrganisationUnit

    parent = None
    kind = OrganisationUnit.Kind.DEPARTMENT
    code = factory.Sequence(lambda n: f"UNIT-{n:04d}")
    name_th = factory.Sequence(lambda n: f"หน่วยงานทดสอบ {n}")
    name_en = factory.Sequence(lambda n: f"Test unit {n}")

    @classmethod
    def _create(cls, model_class, *args, parent=None, **kwargs):
        return organisation_unit_create(parent=parent, **kwargs)

    @classmethod
    def _build(cls, model_class, *args, parent=None, **kwargs):
        return model_class(**kwargs)


class ContentPartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContentPartner
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"partner-{n}")
    kind = ContentPartner.Kind.UNIVERSITY
    name_th = factory.Sequence(lambda n: f"มหาวิทยาลัยทดสอบ {n}")
    name_en = factory.Sequence(lambda n: f"Test University {n}")
