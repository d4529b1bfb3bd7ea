"""The demo's catalogue: topics, three Thai courses from three partners (texts in
demo/data/courses.json), and learners at different stages of them."""

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from competencies.models import CompetencyNode
from courses.models import CourseCompetencyTarget, CoursePage, Enrolment, LessonPage, ModulePage, Topic
from courses.selectors import course_lessons
from courses.services import (
    enrolment_assign,
    enrolment_request,
    lesson_progress_record,
    lesson_visit,
    partner_section_ensure,
)
from organisations.models import ContentPartner
from people.models import User

COURSES_FILE = Path(settings.BASE_DIR) / "demo" / "data" / "courses.json"

TOPICS = [
    ("pdpa", "การคุ้มครองข้อมูลส่วนบุคคล (PDPA)", "Personal data protection (PDPA)"),
    ("data-governance", "ธรรมาภิบาลข้อมูลภาครัฐ", "Government data governance"),
    ("cybersecurity", "ความมั่นคงปลอดภัยไซเบอร์", "Cybersecurity"),
    ("digital-id", "การพิสูจน์และยืนยันตัวตนทางดิจิทัล (Digital ID)", "Digital ID"),
    ("open-data", "ข้อมูลเปิดภาครัฐ", "Open data"),
    ("digital-documents", "เอกสารดิจิทัลและสารบรรณอิเล็กทรอนิกส์", "Digital documents"),
    ("digital-leadership", "ภาวะผู้นำดิจิทัล", "Digital leadership"),
    ("digital-services", "การออกแบบบริการดิจิทัล", "Digital service design"),
    ("data-analytics", "การวิเคราะห์ข้อมูล", "Data analytics"),
    ("cloud", "เทคโนโลยีคลาวด์", "Cloud technology"),
    ("ai", "ปัญญาประดิษฐ์ (AI)", "Artificial intelligence (AI)"),
]

# The competencies of the current Thai framework (competencies/data/frameworks/) each course
# develops, and the level a learner reaches.
COMPETENCY_FRAMEWORK = "TPQI-DSC"
COMPETENCY_TARGETS = {
    "PDPA-GOV-101": [("GOV-2", 2)],
    "DG-GOV-201": [("GOV-3", 3), ("DATA-1", 2)],
    "CYBER-101": [("SEC-1", 2), ("LIT-4", 3)],
    "DLIT-AI-101": [("GOV-4", 2), ("LIT-2", 3)],
    "DATA-ANL-101": [("DATA-2", 3), ("LEAD-3", 2)],
    "DS-SERV-201": [("SVC-1", 3), ("SVC-2", 2)],
    "DT-CLOUD-201": [("TECH-3", 3), ("LIT-1", 3)],
    "DL-LEAD-301": [("LEAD-1", 4), ("LEAD-2", 3)],
}


def _lesson_body(blocks: list[dict]) -> str:
    raw = []
    for block in blocks:
        if block["type"] == "text":
            raw.append({"type": "text", "value": block["html"]})
        else:
            raw.append(
                {"type": "callout", "value": {"kind": block["kind"], "text": f"<p>{block['text_th']}</p>"}}
            )
    return json.dumps(raw, ensure_ascii=False)


def _publish(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def seed_topics() -> int:
    for order, (slug, name_th, name_en) in enumerate(TOPICS):
        Topic.objects.update_or_create(
            slug=slug, defaults={"name_th": name_th, "name_en": name_en, "sort_order": order}
        )
    return len(TOPICS)


def seed_course(data: dict) -> CoursePage:
    """Create a course with its modules and lessons, unless one with its code exists."""
    existing = CoursePage.objects.filter(code=data["code"]).first()
    if existing is not None:
        return existing
    section = partner_section_ensure(partner=ContentPartner.objects.get(code=data["partner"]))
    outcomes = [
        {"type": "outcome", "value": {"text_th": th, "text_en": en}}
        for th, en in zip(data["outcomes_th"], data["outcomes_en"], strict=True)
    ]
    course = CoursePage(
        title=data["title_th"],
        slug=data["slug"],
        code=data["code"],
        title_en=data["title_en"],
        summary_th=data["summary_th"],
        summary_en=data["summary_en"],
        topic=Topic.objects.get(slug=data["topic"]),
        level=data["level"],
        language=data["language"],
        estimated_hours=Decimal(data["hours"]),
        learning_outcomes=json.dumps(outcomes, ensure_ascii=False),
        validity_months=24,
    )
    for order, (code, level) in enumerate(COMPETENCY_TARGETS.get(data["code"], [])):
        node = CompetencyNode.objects.get(
            framework__code=COMPETENCY_FRAMEWORK, framework__status="current", code=code
        )
        course.competency_targets.add(
            CourseCompetencyTarget(
                competency=node,
                competency_code=node.code,
                competency_name_th=node.name_th,
                competency_name_en=node.name_en,
                target_level=level,
                sort_order=order,
            )
        )
    _publish(section, course)
    for number, module_data in enumerate(data["modules"], start=1):
        module = _publish(
            course,
            ModulePage(
                title=module_data["title_th"], slug=f"module-{number}", title_en=module_data["title_en"]
            ),
        )
        for lesson_data in module_data["lessons"]:
            _publish(
                module,
                LessonPage(
                    title=lesson_data["title_th"],
                    slug=lesson_data["slug"],
                    title_en=lesson_data["title_en"],
                    minimum_minutes=lesson_data["minimum_minutes"],
                    body=_lesson_body(lesson_data["body"]),
                ),
            )
    return course


def _complete_lessons(enrolment: Enrolment, lessons: list[LessonPage], start: dt.datetime) -> dt.datetime:
    """Work through lessons as a learner would, each taking its minimum time and a little more."""
    moment = start
    for lesson in lessons:
        lesson_visit(enrolment=enrolment, lesson=lesson, now=moment)
        moment += dt.timedelta(minutes=lesson.minimum_minutes + 2)
        lesson_progress_record(enrolment=enrolment, lesson=lesson, reached_end=True, now=moment)
    return moment


# (learner, course code, how: "self" or days until due (negative: overdue), lessons done or "all", days ago)
LEARNER_STAGES = [
    ("learner@thaksa.test", "CYBER-101", "self", "all", 40),
    ("learner@thaksa.test", "PDPA-GOV-101", 45, 2, 3),
    ("somchai.j@thaksa.test", "PDPA-GOV-101", 45, "all", 10),
    ("kannika.r@thaksa.test", "PDPA-GOV-101", -5, 1, 20),
    ("nattapong.s@thaksa.test", "PDPA-GOV-101", 45, 0, 2),
    ("nattapong.s@thaksa.test", "DG-GOV-201", "self", 3, 6),
    ("pimchanok.t@thaksa.test", "DG-GOV-201", "self", "all", 30),
    ("araya.m@thaksa.test", "CYBER-101", "self", 1, 4),
]


def seed_learners() -> int:
    """Enrol demo learners and move them through lessons in the past, once."""
    hr = User.objects.get(email="hr@thaksa.test")
    created = 0
    for email, code, how, lessons_done, days_ago in LEARNER_STAGES:
        user = User.objects.get(email=email)
        course = CoursePage.objects.get(code=code)
        if Enrolment.objects.filter(user=user, course=course).exists():
            continue
        start = timezone.now() - dt.timedelta(days=days_ago)
        if how == "self":
            enrolment = enrolment_request(user=user, course=course)
        else:
            enrolment = enrolment_assign(
                user=user,
                course=course,
                assigned_by=hr,
                due_date=timezone.localdate() + dt.timedelta(days=how),
            )
        Enrolment.objects.filter(pk=enrolment.pk).update(requested_at=start, enrolled_at=start)
        enrolment.refresh_from_db()
        lessons = course_lessons(course=course)
        _complete_lessons(enrolment, lessons if lessons_done == "all" else lessons[:lessons_done], start)
        created += 1
    return created


def seed_courses() -> dict[str, int]:
    topics = seed_topics()
    courses = [seed_course(data) for data in json.loads(COURSES_FILE.read_text(encoding="utf-8"))]
    return {"topics": topics, "courses": len(courses), "enrolments": seed_learners()}
