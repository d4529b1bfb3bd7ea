"""Courses for tests, built with factory-boy and wagtail-factories: pages are published through a
revision as an editor leaves them, and lesson bodies are declared block by block
(`LessonPageFactory(parent=course, body__0__document__document=document)`) instead of written as
stream JSON. A partner's section gets a course with lessons in one call (`course_with_lessons`);
learners enrol and complete through the same services the pages use."""

from collections import Counter
from decimal import Decimal

import factory
import wagtail_factories
from wagtail import blocks

from courses.blocks import LessonDocumentBlock, VideoBlock
from courses.models import CoursePage, Enrolment, LessonPage, ModulePage, Topic
from courses.selectors import course_lessons
from courses.services import enrolment_request, lesson_progress_record, partner_section_ensure
from organisations.models import ContentPartner
from organisations.tests.factories import ContentPartnerFactory


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic
        django_get_or_create = ["slug"]

    slug = "pdpa"
    name_th = "การคุ้มครองข้อมูลส่วนบุคคล"
    name_en = "Personal data protection"


class RichTextBlockFactory(wagtail_factories.blocks.BlockFactory):
    """A rich-text block: `value` is its source HTML."""

    class Meta:
        model = blocks.RichTextBlock

    value = "<p>เนื้อหาบทเรียนภาษาไทย</p>"

    @classmethod
    def _construct_block(cls, block_class, *args, **kwargs):
        return block_class().normalize(kwargs["value"])


class ActivityBlockFactory(wagtail_factories.StructBlockFactory):
    """An activity block (courses.blocks.ActivityBlock): what the factory and the test declare,
    and the block's own defaults for the rest, as Wagtail reads a stored block that lacks a field.
    Factories declare the fields whose bare default (None) is not what the editor saves: an
    unticked box is False, an empty text "", an empty list []."""

    class Meta:
        abstract = True

    @classmethod
    def _construct_struct_value(cls, block_class, params):
        block = block_class()
        return block.normalize({**block.get_default(), **params})


class LessonDocumentBlockFactory(ActivityBlockFactory):
    class Meta:
        model = LessonDocumentBlock

    document = factory.SubFactory(wagtail_factories.DocumentChooserBlockFactory)
    description = ""


class VideoBlockFactory(ActivityBlockFactory):
    """A video to watch; pass `embed` or `video_file` for one the page can play."""

    class Meta:
        model = VideoBlock

    title = ""


def lesson_body_block() -> blocks.StreamBlock:
    """The lesson page's own stream block, so that a built body is what the page stores."""
    return LessonPage._meta.get_field("body").stream_block


class LessonBodyFactory(wagtail_factories.StreamBlockFactory):
    """A lesson's body. Blocks get readable ids, their type and number in the body (`text-1`,
    `quiz-1`, `scorm-1`, `document-2`), by which tests address activities as the page does.

    The activity blocks of the apps above courses are built by factories in those apps, named
    here by dotted path (courses imports neither app, not even in its tests)."""

    class Meta:
        model = lesson_body_block

    text = factory.SubFactory(RichTextBlockFactory)
    document = factory.SubFactory(LessonDocumentBlockFactory)
    video = factory.SubFactory(VideoBlockFactory)
    scorm = factory.SubFactory("scorm.tests.factories.ScormBlockFactory")
    quiz = factory.SubFactory("assessments.tests.factories.QuizBlockFactory")

    @classmethod
    def _generate(cls, strategy, params):
        stream = super()._generate(strategy, params)
        numbers: Counter[str] = Counter()
        for child in stream:
            numbers[child.block_type] += 1
            child.id = f"{child.block_type}-{numbers[child.block_type]}"
        return stream


class LessonBodyField(wagtail_factories.StreamFieldFactory):
    """The blocks a test declares (`body__0__quiz__bank=bank`), else one paragraph of Thai text."""

    def evaluate(self, instance, step, extra):
        return super().evaluate(instance, step, extra or {"0": "text"})


class PublishedPageFactory(wagtail_factories.PageFactory):
    """A page as its editor leaves it: added under its parent, then published through a
    revision; returned as read back from the database."""

    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        page = super()._create(model_class, *args, **kwargs)
        page.save_revision().publish()
        return model_class.objects.get(pk=page.pk)


class CoursePageFactory(PublishedPageFactory):
    """A published course in its partner's section of the catalogue (a new partner's unless
    `partner` or `parent` says otherwise)."""

    class Meta:
        model = CoursePage

    class Params:
        partner: ContentPartner | None = None

    parent = factory.LazyAttribute(
        lambda course: partner_section_ensure(partner=course.partner or ContentPartnerFactory())
    )
    title = factory.Sequence(lambda n: f"หลักสูตรทดสอบ {n}")
    slug = factory.Sequence(lambda n: f"course-{n}")
    code = factory.Sequence(lambda n: f"TEST-{n}")
    summary_th = "สรุปหลักสูตร"
    topic = factory.SubFactory(TopicFactory)
    estimated_hours = Decimal("3")


class ModulePageFactory(PublishedPageFactory):
    class Meta:
        model = ModulePage

    parent = factory.SubFactory(CoursePageFactory)
    title = factory.Sequence(lambda n: f"หน่วยที่ {n}")
    slug = factory.Sequence(lambda n: f"module-{n}")


class LessonPageFactory(PublishedPageFactory):
    """A published lesson, completed by reaching its end unless a test sets a reading time."""

    class Meta:
        model = LessonPage

    parent = factory.SubFactory(CoursePageFactory)
    title = factory.Sequence(lambda n: f"บทที่ {n}")
    slug = factory.Sequence(lambda n: f"lesson-{n}")
    minimum_minutes = 0
    body = LessonBodyField(LessonBodyFactory)


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
    if title:
        fields["title"] = title
    course = CoursePageFactory(partner=partner, **fields)
    parents = [
        ModulePageFactory(parent=course, title=f"หน่วยที่ {number}", slug=f"module-{number}")
        for number in range(1, modules + 1)
    ] or [course]
    for number in range(1, lessons + 1):
        LessonPageFactory(
            parent=parents[(number - 1) * len(parents) // lessons],
            title=f"บทที่ {number}",
            slug=f"lesson-{number}",
            minimum_minutes=minimum_minutes,
        )
    return CoursePage.objects.get(pk=course.pk)


def enrolled(user, lesson: LessonPage) -> Enrolment:
    """Enrolled, with the lesson page read to its end (as the page's own script reports), so
    that the lesson's activity (a quiz, a SCORM package) decides whether it is complete."""
    enrolment = enrolment_request(user=user, course=lesson.course)
    lesson_progress_record(enrolment=enrolment, lesson=lesson, seconds=0, reached_end=True)
    return enrolment


def complete(user, course) -> Enrolment:
    """Enrol `user` and complete every lesson, as the learner would (the completion event fires)."""
    enrolment = enrolment_request(user=user, course=course)
    for lesson in course_lessons(course=course):
        lesson_progress_record(enrolment=enrolment, lesson=lesson, seconds=60, reached_end=True)
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.COMPLETED
    return enrolment
