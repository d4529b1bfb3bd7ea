"""The author's side in the Wagtail admin: banks and questions scoped to the partner, bank
import (all or nothing, every bad row reported) and export, the question editor's checks,
the quiz block's checks, item analysis and survey results."""

import csv
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from wagtail.blocks.struct_block import StructBlockValidationError

from assessments.blocks import QuizBlock
from assessments.models import Question, QuestionBank
from assessments.services.attempts import quiz_attempt_start, quiz_attempt_submit
from assessments.tests.factories import (
    QuizBlockFactory,
    bank_with_every_kind,
    full_marks,
    question,
    quiz_lesson,
)
from courses.tests.factories import enrolled
from people.models import Role, RoleAssignment
from people.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

GOOD_CSV = (
    "kind,text,topic,difficulty,options,correct\n"
    "single,ข้อใดคือข้อมูลส่วนบุคคล,หลักพื้นฐาน,easy,เลขบัตรประชาชน|ชื่อหน่วยงาน|สีของอาคาร,1\n"
    "true_false,ข้อมูลสุขภาพเป็นข้อมูลอ่อนไหว,หลักพื้นฐาน,,,จริง\n"
)
BAD_CSV = (
    "kind,text,topic,difficulty,options,correct\n"
    "single,ข้อใดถูก,,,ก|ข|ค,5\n"
    "choice,ชนิดที่ไม่มี,,,,\n"
    "numeric,กี่ชั่วโมง,,,,เจ็ดสิบสอง\n"
    "single,ข้อนี้ถูกต้อง,,,ก|ข,1\n"
)


@pytest.fixture
def author(client):
    bank = bank_with_every_kind()
    user = UserFactory()
    RoleAssignment.objects.create(user=user, role=Role.PARTNER_AUTHOR, partner=bank.partner)
    client.force_login(user)
    return bank


def test_an_author_sees_and_edits_only_their_partners_banks_and_questions(client, author):
    other = bank_with_every_kind(title="คลังของมหาวิทยาลัยอื่น")
    page = client.get(reverse("assessments_bank:index")).content.decode()
    assert author.title in page
    assert other.title not in page
    assert client.get(reverse("assessments_bank:edit", args=[author.pk])).status_code == 200
    assert client.get(reverse("assessments_bank:edit", args=[other.pk])).status_code == 404
    other_question = other.questions.first()
    assert client.get(reverse("assessments_question:edit", args=[other_question.pk])).status_code == 404
    assert client.post(reverse("assessments_question:delete", args=[other_question.pk])).status_code == 404
    assert Question.objects.filter(pk=other_question.pk).exists()
    question(other, "single", "คำถามเฉพาะของมหาวิทยาลัยอื่น", options=[("ก", True), ("ข", False)])
    questions = client.get(reverse("assessments_question:index")).content.decode()
    assert "กฎหมาย PDPA" in questions
    assert "คำถามเฉพาะของมหาวิทยาลัยอื่น" not in questions
    assert other.title not in questions  # not even in the bank filter
    assert client.get(reverse("assessments_admin:bank_import", args=[other.pk])).status_code == 404
    assert client.get(reverse("assessments_admin:bank_export", args=[other.pk, "csv"])).status_code == 404
    assert client.get(reverse("question_bank_chooser:chosen", args=[other.pk])).status_code == 404
    assert client.get(reverse("question_bank_chooser:chosen", args=[author.pk])).status_code == 200


def test_reports_of_another_partners_quizzes_are_not_found(client, author):
    other_lesson = quiz_lesson(bank=bank_with_every_kind())
    report = reverse("assessments_admin:quiz_report", args=[other_lesson.pk, "quiz-1"])
    assert client.get(report).status_code == 404
    survey = reverse("assessments_admin:course_survey", args=[other_lesson.course.pk])
    assert client.get(survey).status_code == 404
    index = client.get(reverse("assessments_admin:quiz_index")).content.decode()
    assert report not in index


def test_a_quiz_never_draws_from_another_partners_bank(author):
    """Even if a lesson's block names another partner's bank (the chooser refuses it; a
    crafted save might not), the quiz does not start and shows nothing of that bank."""
    lesson = quiz_lesson(bank=bank_with_every_kind(), course=None)
    foreign = quiz_lesson(bank=author, course=lesson.course)  # the same lesson, now on the author's bank
    with pytest.raises(ValidationError) as refused:
        quiz_attempt_start(enrolment=enrolled(UserFactory(), foreign), lesson=foreign, block_id="quiz-1")
    assert refused.value.code == "no_questions"


def _upload(client, bank, content: str, name: str = "questions.csv"):
    upload = io.BytesIO(content.encode("utf-8"))
    upload.name = name
    return client.post(reverse("assessments_admin:bank_import", args=[bank.pk]), {"file": upload})


def test_a_file_with_bad_rows_is_refused_whole_with_every_row_and_reason(client, author):
    before = author.questions.count()
    response = _upload(client, author, BAD_CSV)
    assert response.status_code == 200
    problems = response.context["problems"]
    assert {problem.row for problem in problems} == {
        2,
        3,
        4,
    }  # row 5 is fine, rows as the spreadsheet numbers them
    page = response.content.decode()
    assert "ไม่ได้นำเข้า" in page or "Nothing was imported" in page
    assert author.questions.count() == before  # no partial import


def test_a_good_file_adds_its_questions(client, author):
    before = author.questions.count()
    response = _upload(client, author, GOOD_CSV)
    assert response.status_code == 302
    assert author.questions.count() == before + 2
    added = author.questions.get(text="ข้อใดคือข้อมูลส่วนบุคคล")
    assert [(o.text, o.is_correct) for o in added.options.all()] == [
        ("เลขบัตรประชาชน", True), ("ชื่อหน่วยงาน", False), ("สีของอาคาร", False),
    ]  # fmt: skip
    assert author.questions.get(text="ข้อมูลสุขภาพเป็นข้อมูลอ่อนไหว").true_false_answer is True


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_an_exported_bank_imports_back_the_same_questions(client, author, file_format):
    exported = client.get(reverse("assessments_admin:bank_export", args=[author.pk, file_format]))
    assert exported.status_code == 200
    copy = QuestionBank.objects.create(partner=author.partner, title="สำเนา")
    upload = io.BytesIO(exported.content)
    upload.name = f"bank.{file_format}"
    assert (
        client.post(reverse("assessments_admin:bank_import", args=[copy.pk]), {"file": upload}).status_code
        == 302
    )

    def described(bank):
        return [
            (q.kind, q.text, q.topic, q.true_false_answer, q.numeric_answer, q.accepted_answers,
             q.partial_credit, [(o.text, o.is_correct, o.match_text) for o in q.options.all()])
            for q in bank.questions.order_by("pk")
        ]  # fmt: skip

    assert described(copy) == described(author)


def test_the_question_editor_checks_what_each_kind_needs(client, author):
    response = client.post(
        reverse("assessments_question:add"),
        {
            "bank": author.pk, "kind": "single", "text": "คำถามที่ยังไม่เสร็จ", "difficulty": "medium",
            "points": "1",
            "partial_credit": "all_or_nothing", "numeric_tolerance": "0", "is_active": "on",
            "options-TOTAL_FORMS": "2", "options-INITIAL_FORMS": "0", "options-MIN_NUM_FORMS": "0",
            "options-MAX_NUM_FORMS": "1000",
            "options-0-text": "ก", "options-0-is_correct": "on", "options-0-ORDER": "1",
            "options-1-text": "ข", "options-1-is_correct": "on", "options-1-ORDER": "2",
        },
    )  # fmt: skip
    assert response.status_code == 200
    assert not Question.objects.filter(text="คำถามที่ยังไม่เสร็จ").exists()
    assert "ข้อเดียว" in response.content.decode() or "exactly one" in response.content.decode()


def test_the_quiz_block_refuses_settings_that_cannot_work(author):
    block = QuizBlock()
    with pytest.raises(StructBlockValidationError) as survey_with_pass:
        block.clean(QuizBlockFactory(bank=author, purpose="survey", required_outcome="passed"))
    assert "required_outcome" in survey_with_pass.value.block_errors

    def draw(count):
        return QuizBlockFactory(
            bank=author, random_draw=True, draws=[{"topic": "เหตุละเมิด", "difficulty": "", "count": count}]
        )

    with pytest.raises(StructBlockValidationError) as too_many:
        block.clean(draw(10))  # the bank has 3 questions on that topic
    assert "draws" in too_many.value.block_errors
    assert block.clean(draw(3))


def _csv_rows(response) -> list[list[str]]:
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))


def test_the_quiz_report_shows_statistics_and_exports_item_analysis(client, author):
    lesson = quiz_lesson(bank=author)
    for right in (7, 5, 3):
        enrolment = enrolled(UserFactory(), lesson)
        attempt = quiz_attempt_start(enrolment=enrolment, lesson=lesson, block_id="quiz-1")
        quiz_attempt_submit(attempt=attempt, answers=full_marks(attempt, right=right))
    url = reverse("assessments_admin:quiz_report", args=[lesson.pk, "quiz-1"])
    response = client.get(url)
    assert response.status_code == 200
    stats = response.context["report"].stats
    assert stats.attempts == 3
    assert stats.mean == pytest.approx((100 + 500 / 7 + 300 / 7) / 3, abs=0.01)
    rows = _csv_rows(client.get(url + "?format=csv"))
    single = [row for row in rows[1:] if row[0] == "กฎหมาย PDPA มีผลบังคับใช้เต็มรูปแบบปีใด"]
    assert {row[7]: row[9] for row in single} == {"2562": "0", "2565": "3", "2566": "0"}
    assert single[0][3] == "1.00"  # everyone right: difficulty 1
    index = client.get(reverse("assessments_admin:quiz_index")).content.decode()
    assert url in index


def test_survey_results_list_means_and_free_text(client, author):
    lesson = quiz_lesson(bank=author, purpose="survey", required_outcome="submitted")
    for rating in ("4", "5"):
        enrolment = enrolled(UserFactory(), lesson)
        attempt = quiz_attempt_start(enrolment=enrolment, lesson=lesson, block_id="quiz-1")
        answers = full_marks(attempt)
        likert = next(i for i in attempt.items.all() if i.spec["kind"] == "likert")
        answers[likert.position] = rating
        quiz_attempt_submit(attempt=attempt, answers=answers)
    response = client.get(reverse("assessments_admin:course_survey", args=[lesson.course.pk]))
    survey = response.context["surveys"][0]
    assert survey.respondents == 2
    rating = next(q for q in survey.questions if q.kind == "likert")
    assert rating.rating.mean == 4.5
    assert rating.rating.counts == (0, 0, 0, 1, 1)
    free = next(q for q in survey.questions if q.kind == "free_text")
    assert free.answers == ["ดีมาก", "ดีมาก"]
    assert "ดีมาก" in response.content.decode()
