"""Courses for tests: a partner's section gets a course with lessons in one call."""

import json
from decimal import Decimal

import factory

from courses.models import CoursePage, LessonPage, ModulePage, Topic
from courses.services import partner_section_ensure
from organisations.models import ContentPartner
from organisations.tests.factories import ContentPartnerFactory


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic
        django_get_or_create = ["slug"]

    slug = "pdpa"
    name_th = "การคุ้มครองข้อมูลส่วนบุคคล"
    name_en = "Personal data protection"


def text_body(paragraph: str = "เนื้อหาบทเรียนภาษาไทย") -> str:
    return json.dumps([{"type": "text", "value": f"<p>{paragraph}</p>"}], ensure_ascii=False)


_sequence = iter(range(1, 1_000_000))


def course_with_lessons(
    *,
    partner: ContentPartner | None = None,
    lessons: int = 3,
    modules: int = 0,
    minimum_minutes: int = 0,
    title: str | None = None,
    **fields,
) -> CoursePage:
    """A published course with `lessons` published text lessons (spread over `modules`
    modules if given), each completed by reaching its end after `minimum_minutes`."""
    number = next(_sequence)
    partner = partner or ContentPartnerFactory()
    section = partner_section_ensure(partner=partner)
    fields.setdefault("topic", TopicFactory())
    fields.setdefault("estimated_hours", Decimal("3"))
    course = CoursePage(
        title=title or f"หลักสูตรทดสอบ {number}",
        slug=f"course-{number}",
        code=f"TEST-{number}",
        summary_th="สรุปหลักสูตร",
        **fields,
    )
    section.add_child(instance=course)
    course.save_revision().publish()
    parents = [course]
    if modules:
        parents = []
        for module_number in range(1, modules + 1):
            module = ModulePage(title=f"หน่วยที่ {module_number}", slug=f"module-{module_number}")
            course.add_child(instance=module)
            module.save_revision().publish()
            parents.append(module)
    for lesson_number in range(1, lessons + 1):
        lesson = LessonPage(
            title=f"บทที่ {lesson_number}",
            slug=f"lesson-{lesson_number}",
            minimum_minutes=minimum_minutes,
            body=text_body(),
        )
        parents[(lesson_number - 1) * len(parents) // lessons].add_child(instance=lesson)
        lesson.save_revision().publish()
    return CoursePage.objects.get(pk=course.pk)
