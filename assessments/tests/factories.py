"""Question banks and quiz lessons for tests: one of every kind of question in one call."""

from decimal import Decimal

import factory

from assessments.blocks import QuizBlock
from assessments.grading import correct_response
from assessments.models import Question, QuestionBank, QuestionOption
from assessments.question_kinds import QuestionKind
from courses.models import LessonPage
from courses.tests.factories import ActivityBlockFactory, LessonBodyFactory, course_with_lessons
from organisations.tests.factories import ContentPartnerFactory


def question(bank: QuestionBank, kind: str, text: str, *, options=(), **fields) -> Question:
    """A question with options given as (text, is_correct) or (left, right) for matching."""
    built = Question(bank=bank, kind=kind, text=text, **fields)
    built.options = [
        QuestionOption(sort_order=i, text=left, match_text=right if kind == QuestionKind.MATCHING else "",
                       is_correct=bool(right) if kind != QuestionKind.MATCHING else False)
        for i, (left, right) in enumerate(options)
    ]  # fmt: skip
    built.save()
    return built


def bank_with_every_kind(partner=None, *, title: str = "คลังข้อสอบ PDPA") -> QuestionBank:
    """Seven graded questions (one of each graded kind, 1 point each) and two survey items."""
    bank = QuestionBank.objects.create(partner=partner or ContentPartnerFactory(), title=title)
    question(bank, QuestionKind.SINGLE, "กฎหมาย PDPA มีผลบังคับใช้เต็มรูปแบบปีใด", topic="หลักพื้นฐาน",
             options=[("2562", False), ("2565", True), ("2566", False)])  # fmt: skip
    question(bank, QuestionKind.MULTIPLE, "ข้อใดเป็นข้อมูลอ่อนไหว", topic="หลักพื้นฐาน",
             partial_credit="right_minus_wrong",
             options=[("ศาสนา", True), ("ข้อมูลสุขภาพ", True), ("ชื่อเล่น", False)])  # fmt: skip
    question(bank, QuestionKind.TRUE_FALSE, "ต้องแจ้งเหตุละเมิดภายใน 72 ชั่วโมง", topic="เหตุละเมิด",
             true_false_answer=True)  # fmt: skip
    question(bank, QuestionKind.MATCHING, "จับคู่สิทธิกับมาตรา", topic="สิทธิ", partial_credit="per_option",
             options=[("สิทธิเข้าถึง", "มาตรา 30"), ("สิทธิลบ", "มาตรา 33"), ("", "มาตรา 99")])  # fmt: skip
    question(bank, QuestionKind.ORDERING, "เรียงขั้นตอนรับมือเหตุละเมิด", topic="เหตุละเมิด",
             partial_credit="per_option",
             options=[("ควบคุมเหตุ", ""), ("ประเมินความเสี่ยง", ""), ("แจ้งสำนักงาน", "")])  # fmt: skip
    question(bank, QuestionKind.NUMERIC, "ต้องแจ้งภายในกี่ชั่วโมง", topic="เหตุละเมิด",
             numeric_answer=Decimal("72"), numeric_tolerance=Decimal("0"))  # fmt: skip
    question(bank, QuestionKind.SHORT_TEXT, "หน่วยงานกำกับดูแลชื่อย่อว่าอะไร", topic="หลักพื้นฐาน",
             accepted_answers="สคส.\nสคส",
             explanation="สำนักงานคณะกรรมการคุ้มครองข้อมูลส่วนบุคคล (สคส.)")  # fmt: skip
    question(bank, QuestionKind.LIKERT, "เนื้อหาเข้าใจง่าย")
    question(bank, QuestionKind.FREE_TEXT, "ข้อเสนอแนะ")
    return bank


class QuizBlockFactory(ActivityBlockFactory):
    """A post-test on every question of the bank, in the bank's order with the options unshuffled
    (so that a test knows what it answers), passed at 60%, as often as the learner wants.
    Pass `bank=`: one of the lesson course's partner's banks."""

    class Meta:
        model = QuizBlock

    title = "แบบทดสอบหลังเรียน"
    instructions = ""
    random_draw = False
    draws = factory.List([])
    shuffle_questions = False
    shuffle_options = False


def quiz_lesson(*, bank: QuestionBank, course=None, block_id: str = "quiz-1", required: bool = True,
                quizzes: dict[str, dict] | None = None, **settings) -> LessonPage:  # fmt: skip
    """The first lesson of a course (a new one of the bank's partner by default), holding one
    quiz with these settings, or several (`quizzes`: block id → settings)."""
    course = course or course_with_lessons(partner=bank.partner, lessons=1)
    lesson = LessonPage.objects.descendant_of(course).first()
    quizzes = quizzes or {block_id: settings}
    lesson.body = LessonBodyFactory(
        **{
            f"{index}__quiz": QuizBlockFactory(bank=bank, **values)
            for index, values in enumerate(quizzes.values())
        }
    )
    for child, quiz_block_id in zip(lesson.body, quizzes, strict=True):
        child.id = quiz_block_id
    lesson.is_required = required
    lesson.save_revision().publish()
    return LessonPage.objects.get(pk=lesson.pk)


def full_marks(attempt, *, right: int | None = None) -> dict[int, object]:
    """Answers earning full marks on every graded item, or on only the first `right` graded
    items (the others left unanswered); survey items get an answer too."""
    answers = {}
    graded = 0
    for item in attempt.items.all():
        if item.spec["kind"] == QuestionKind.LIKERT:
            answers[item.position] = "4"
        elif item.spec["kind"] == QuestionKind.FREE_TEXT:
            answers[item.position] = "ดีมาก"
        else:
            graded += 1
            if right is None or graded <= right:
                answers[item.position] = correct_response(item.spec)
    return answers
