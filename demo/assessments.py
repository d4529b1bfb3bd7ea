"""Pre-tests, post-tests and an evaluation survey for the demo courses, with attempts.

Each course gets a question bank imported from `data/assessments/<code>.csv` through the same
service an author's upload uses (the format: docs/question-bank-format.md), a required
pre-test lesson at its start, a required post-test lesson at its end (pass mark 60%, which is
also the course's minimum score), and an optional evaluation survey. Demo learners then take
them as their stage in the course suggests: everyone enrolled took the pre-test; those who
finished took the post-test (some twice) and answered the survey. Their answers come from a
seeded "ability" per learner, so item analysis and learning gain have something to show and
a second run changes nothing."""

import datetime as dt
import json
import random
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from assessments.grading import correct_response
from assessments.models import QuestionBank, QuizAttempt
from assessments.question_kinds import SURVEY_KINDS, QuestionKind
from assessments.services.attempts import quiz_attempt_start, quiz_attempt_submit
from assessments.services.banks import bank_import
from courses.models import LEARNING_STATUSES, CoursePage, Enrolment, LessonPage, ModulePage
from courses.services import lesson_progress_record, lesson_visit

DATA = Path(settings.BASE_DIR) / "demo" / "data" / "assessments"
SURVEY_FILE = DATA / "course-evaluation.csv"
COURSE_CODES = ["PDPA-GOV-101", "DG-GOV-201", "CYBER-101"]

PRE_TEST = {
    "title": "แบบทดสอบก่อนเรียน",
    "purpose": "pre_test",
    "instructions": "ทำแบบทดสอบนี้ก่อนเริ่มเรียน เพื่อวัดความรู้เดิมของท่าน ผลคะแนนไม่มีผลต่อการผ่านหลักสูตร ทำได้ครั้งเดียว",
    "random_draw": False,
    "draws": [],
    "shuffle_questions": False,
    "shuffle_options": True,
    "pass_mark_percent": 60,
    "required_outcome": "submitted",
    "max_attempts": 1,
    "time_limit_minutes": 20,
    "counted_attempt": "first",
    "review": "score",
}
POST_TEST = {
    **PRE_TEST,
    "title": "แบบทดสอบหลังเรียน",
    "purpose": "post_test",
    "instructions": "ต้องได้คะแนนอย่างน้อยร้อยละ 60 จึงจะผ่านหลักสูตร ทำได้ 3 ครั้ง นับครั้งที่ได้คะแนนสูงสุด "
    "เฉลยจะแสดงเมื่อใช้สิทธิ์ครบทุกครั้ง",
    "shuffle_questions": True,
    "required_outcome": "passed",
    "max_attempts": 3,
    "time_limit_minutes": 30,
    "counted_attempt": "best",
    "review": "answers_after_last",
}
SURVEY = {
    **PRE_TEST,
    "title": "แบบประเมินความพึงพอใจต่อหลักสูตร",
    "purpose": "survey",
    "instructions": "ความเห็นของท่านช่วยให้เราปรับปรุงหลักสูตร คำตอบไม่มีผลต่อคะแนน",
    "shuffle_options": False,
    "max_attempts": 1,
    "time_limit_minutes": 0,
    "counted_attempt": "last",
    "review": "nothing",
}


def _quiz_lesson(*, title: str, title_en: str, slug: str, intro: str, quiz: dict, bank: QuestionBank,
                 required: bool) -> LessonPage:  # fmt: skip
    body = [
        {"type": "text", "value": f"<p>{intro}</p>"},
        {"type": "quiz", "value": {**quiz, "bank": bank.pk}},
    ]
    return LessonPage(
        title=title, title_en=title_en, slug=slug, is_required=required, minimum_minutes=0,
        body=json.dumps(body, ensure_ascii=False),
    )  # fmt: skip


def _publish_first(module: ModulePage, lesson: LessonPage) -> None:
    first = module.get_first_child()
    if first is None:
        module.add_child(instance=lesson)
    else:
        first.add_sibling(pos="left", instance=lesson)
    lesson.save_revision().publish()


def _publish_last(module: ModulePage, lesson: LessonPage) -> None:
    module.add_child(instance=lesson)
    lesson.save_revision().publish()


def _bank(*, partner, title: str, source: Path) -> QuestionBank:
    bank = QuestionBank.objects.filter(partner=partner, title=title).first()
    if bank is None:
        bank = QuestionBank.objects.create(partner=partner, title=title, description="คลังข้อสอบตัวอย่าง")
        bank_import(bank=bank, name=source.name, data=source.read_bytes())
    return bank


def seed_course_assessments(course: CoursePage) -> bool:
    """Add the course's bank, pre-test, post-test and survey lessons, once."""
    slug = course.slug
    if LessonPage.objects.filter(slug=f"{slug}-pre-test").exists():
        return False
    bank = _bank(partner=course.partner, title=f"คลังข้อสอบ {course.code}", source=DATA / f"{course.code}.csv")
    survey_bank = _bank(partner=course.partner, title="แบบประเมินหลักสูตร", source=SURVEY_FILE)
    modules = list(ModulePage.objects.child_of(course).order_by("path"))
    _publish_first(modules[0], _quiz_lesson(
        title="แบบทดสอบก่อนเรียน", title_en="Pre-test", slug=f"{slug}-pre-test", bank=bank, quiz=PRE_TEST,
        intro="ก่อนเริ่มบทเรียน ขอให้ท่านทำแบบทดสอบสั้น ๆ เพื่อวัดความรู้เดิม", required=True,
    ))  # fmt: skip
    _publish_last(modules[-1], _quiz_lesson(
        title="แบบทดสอบหลังเรียน", title_en="Post-test", slug=f"{slug}-post-test", bank=bank, quiz=POST_TEST,
        intro="แบบทดสอบท้ายหลักสูตร ใช้คำถามชุดเดียวกับแบบทดสอบก่อนเรียน เพื่อวัดความก้าวหน้าของท่าน",
        required=True,
    ))  # fmt: skip
    _publish_last(modules[-1], _quiz_lesson(
        title="แบบประเมินความพึงพอใจต่อหลักสูตร", title_en="Course evaluation", slug=f"{slug}-evaluation",
        bank=survey_bank, quiz=SURVEY, intro="โปรดสละเวลาประมาณ 3 นาทีตอบแบบประเมิน", required=False,
    ))  # fmt: skip
    CoursePage.objects.filter(pk=course.pk).update(completion_minimum_score=Decimal(60))
    return True


# ---------------------------------------------------------------------------
# Demo learners' attempts
# ---------------------------------------------------------------------------


def _wrong_response(spec: dict, rng: random.Random):
    kind = spec["kind"]
    if kind in (QuestionKind.SINGLE, QuestionKind.TRUE_FALSE):
        return rng.choice([o["key"] for o in spec["options"] if not o.get("correct")])
    if kind == QuestionKind.MULTIPLE:
        wrong = [o["key"] for o in spec["options"] if not o.get("correct")]
        right = [o["key"] for o in spec["options"] if o.get("correct")]
        return right[:1] + wrong[:1]
    if kind == QuestionKind.MATCHING:
        keys = [c["key"] for c in spec["choices"]]
        return {pair["key"]: keys[index % len(keys)] for index, pair in enumerate(spec["pairs"])}
    if kind == QuestionKind.ORDERING:
        return [o["key"] for o in reversed(spec["options"])]
    if kind == QuestionKind.NUMERIC:
        return str(Decimal(spec["answer"]) + 1)
    return "ไม่แน่ใจ"


def _survey_response(spec: dict, rng: random.Random):
    if spec["kind"] == QuestionKind.LIKERT:
        return rng.choice(["3", "4", "4", "5", "5"])
    return rng.choice(["เนื้อหานำไปใช้ในงานได้จริง", "อยากให้มีกรณีศึกษาของหน่วยงานภูมิภาคมากขึ้น", ""])


def _take(enrolment: Enrolment, lesson: LessonPage, *, ability: float, rng: random.Random,
          when: dt.datetime) -> QuizAttempt:  # fmt: skip
    """Open the lesson, take its quiz with this chance of answering each question right, submit."""
    block_id = next(block_id for block_id, _block, _value in lesson.activities())
    lesson_visit(enrolment=enrolment, lesson=lesson, now=when)
    attempt = quiz_attempt_start(enrolment=enrolment, lesson=lesson, block_id=block_id, now=when)
    answers = {}
    for item in attempt.items.all():
        spec = item.spec
        if spec["kind"] in SURVEY_KINDS:
            answers[item.position] = _survey_response(spec, rng)
        elif rng.random() < ability:
            answers[item.position] = correct_response(spec)
        else:
            answers[item.position] = _wrong_response(spec, rng)
    finished = when + dt.timedelta(minutes=rng.randint(6, 15))
    attempt = quiz_attempt_submit(attempt=attempt, answers=answers, now=finished)
    lesson_progress_record(enrolment=enrolment, lesson=lesson, reached_end=True, now=finished)
    return attempt


def seed_attempts(course: CoursePage) -> int:
    """Everyone enrolled takes the pre-test; those who completed the course take the post-test
    (until they pass, at most three times) and the survey. Run once per course."""
    pre = LessonPage.objects.get(slug=f"{course.slug}-pre-test")
    post = LessonPage.objects.get(slug=f"{course.slug}-post-test")
    survey = LessonPage.objects.get(slug=f"{course.slug}-evaluation")
    if QuizAttempt.objects.filter(lesson=pre).exists():
        return 0
    count = 0
    enrolments = Enrolment.objects.filter(course=course, status__in=LEARNING_STATUSES)
    for enrolment in enrolments.select_related("user").order_by("pk"):
        rng = random.Random(f"{enrolment.user.email}:{course.code}")  # noqa: S311 - demo data
        ability = rng.uniform(0.3, 0.55)
        when = (enrolment.enrolled_at or timezone.now()) + dt.timedelta(minutes=5)
        _take(enrolment, pre, ability=ability, rng=rng, when=when)
        count += 1
        if enrolment.status != Enrolment.Status.COMPLETED:
            continue
        moment = (enrolment.completed_at or timezone.now()) - dt.timedelta(hours=2)
        for _number in range(3):
            attempt = _take(enrolment, post, ability=min(0.95, ability + 0.35), rng=rng, when=moment)
            count += 1
            moment += dt.timedelta(minutes=30)
            if attempt.passed:
                break
        _take(enrolment, survey, ability=0, rng=rng, when=moment)
        count += 1
    return count


def seed_assessments() -> dict[str, int]:
    courses = [CoursePage.objects.get(code=code) for code in COURSE_CODES]
    lessons = sum(seed_course_assessments(course) for course in courses)
    attempts = sum(seed_attempts(course) for course in courses)
    return {"courses with tests": lessons, "quiz attempts": attempts}
