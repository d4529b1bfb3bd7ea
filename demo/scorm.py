"""A playable SCORM lesson for the demo PDPA course, from a package Thaksa builds itself.

The package is SCORM 1.2 with a mastery score of 60, in Thai, built by
scorm.devtools.package_builder and imported through the same service as an author's upload. The
lesson is optional, so the seeded learners' progress in the course stays as it was."""

import json

from django.core.files.base import ContentFile

from courses.models import CoursePage, LessonPage, ModulePage
from organisations.models import ContentPartner
from scorm.devtools.package_builder import ScoSpec, package_build
from scorm.models import PackageVersion, ScormPackage
from scorm.services.packages import package_version_import

PACKAGE_TITLE = "แบบฝึกหัดทบทวน: สิทธิของเจ้าของข้อมูลส่วนบุคคล"
LESSON_SLUG = "pdpa-scorm-practice"
INTRO = (
    "แบบฝึกหัดนี้เป็นบทเรียน SCORM ตัวอย่าง ท่านทดลองบันทึกตำแหน่งที่เรียนถึง ส่งคะแนนแบบทดสอบ "
    "และปิดหน้าต่างกลางคัน แล้วกลับมาเรียนต่อจากจุดเดิมได้ เกณฑ์ผ่านคือ 60 คะแนน"
)


def seed_scorm_lesson() -> int:
    """Import the demo package and add it to the PDPA course as an optional lesson, once."""
    if LessonPage.objects.filter(slug=LESSON_SLUG).exists():
        return 0
    course = CoursePage.objects.get(code="PDPA-GOV-101")
    partner = ContentPartner.objects.get(code="chula")
    package = ScormPackage.objects.create(partner=partner, title=PACKAGE_TITLE)
    version = PackageVersion.objects.create(package=package, number=1, source_name="pdpa-practice.zip")
    zip_bytes = package_build(
        version="1.2",
        identifier="THAKSA-PDPA-PRACTICE",
        title=PACKAGE_TITLE,
        scos=[ScoSpec(identifier="PRACTICE-1", title=PACKAGE_TITLE, mastery_score=60, intro=INTRO)],
    )
    version.source.save("pdpa-practice.zip", ContentFile(zip_bytes), save=True)
    package_version_import(version=version)
    package.refresh_from_db()
    module = ModulePage.objects.child_of(course).last()
    body = [
        {
            "type": "text",
            "value": "<p>บทเรียนเสริมแบบ SCORM: ทบทวนสิทธิของเจ้าของข้อมูลส่วนบุคคลก่อนทำแบบทดสอบท้ายหลักสูตร</p>",
        },
        {
            "type": "scorm",
            "value": {
                "package": package.pk,
                "required_outcome": "passed",
                "retake": "new_attempt",
                "score_policy": "best",
                "is_post_test": False,
                "height": 720,
            },
        },
    ]
    lesson = LessonPage(
        title="แบบฝึกหัดทบทวน (SCORM)",
        title_en="Practice exercise (SCORM)",
        slug=LESSON_SLUG,
        is_required=False,
        minimum_minutes=0,
        body=json.dumps(body, ensure_ascii=False),
    )
    module.add_child(instance=lesson)
    lesson.save_revision().publish()
    return 1
