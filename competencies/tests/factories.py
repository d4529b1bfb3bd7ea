import factory

from competencies.models import (
    CompetencyEvidence,
    CompetencyFramework,
    CompetencyMapping,
    CompetencyNode,
    LevelDescriptor,
    ProficiencyLevel,
    ProficiencyScale,
    RoleRequirement,
)
from people.tests.factories import RoleGroupFactory, UserFactory


class FrameworkFactory(factory.django.DjangoModelFactory):
    """A framework with a scale of `levels` levels (5 unless told): FrameworkFactory(levels=8)."""

    class Meta:
        model = CompetencyFramework
        django_get_or_create = ("code", "version")
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"FW{n}")
    version = "1"
    name_th = factory.Sequence(lambda n: f"กรอบสมรรถนะ {n}")
    name_en = factory.Sequence(lambda n: f"Framework {n}")

    @factory.post_generation
    def levels(self, create, extracted, **kwargs):
        if not create:
            return
        scale, _ = ProficiencyScale.objects.get_or_create(
            framework=self, defaults={"name_th": "ระดับความสามารถ", "name_en": "Proficiency levels"}
        )
        for value in range(1, (extracted or 5) + 1):
            ProficiencyLevel.objects.get_or_create(
                scale=scale, value=value, defaults={"name_th": f"ระดับ {value}", "name_en": f"Level {value}"}
            )


class NodeFactory(factory.django.DjangoModelFactory):
    """A competency; its framework is made unless given (NodeFactory(framework=f, parent=area))."""

    class Meta:
        model = CompetencyNode
        django_get_or_create = ("framework", "code")

    framework = factory.SubFactory(FrameworkFactory)
    code = factory.Sequence(lambda n: f"C{n}")
    kind = CompetencyNode.Kind.COMPETENCE
    name_th = factory.Sequence(lambda n: f"สมรรถนะ {n}")
    name_en = factory.Sequence(lambda n: f"Competence {n}")


class LevelDescriptorFactory(factory.django.DjangoModelFactory):
    """What a competency means at a level of its framework's scale (level 1 unless told)."""

    class Meta:
        model = LevelDescriptor

    node = factory.SubFactory(NodeFactory)
    level = factory.LazyAttribute(lambda o: o.node.framework.scale.levels.get(value=1))
    text_th = "ทำได้เมื่อมีผู้แนะนำ"
    text_en = "Can do it with guidance."


class RoleRequirementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoleRequirement
        django_get_or_create = ("role_group", "node")

    role_group = factory.SubFactory(RoleGroupFactory)
    node = factory.SubFactory(NodeFactory)
    required_level = 3


class MappingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CompetencyMapping
        django_get_or_create = ("source", "target")

    source = factory.SubFactory(NodeFactory)
    target = factory.SubFactory(NodeFactory)
    relation = CompetencyMapping.Relation.EXACT


class EvidenceFactory(factory.django.DjangoModelFactory):
    """Evidence of a person's level in a competency (recorded by an import unless told)."""

    class Meta:
        model = CompetencyEvidence

    user = factory.SubFactory(UserFactory)
    node = factory.SubFactory(NodeFactory)
    level = 3
    source = CompetencyEvidence.Source.IMPORT
    reference = factory.Sequence(lambda n: f"import:test:{n}")
