"""The learner's quiz pages: the answer key never reaches the browser before submission, the
plain form works without JavaScript, autosave answers, and review policies are kept."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import QuizAttempt
from assessments.question_kinds import QuestionKind
from assessments.services.attempts import quiz_attempt_start, quiz_attempt_submit
from assessments.tests.factories import bank_with_every_kind, full_marks, quiz_lesson
from courses.tests.factories import enrolled
from people.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def learner(client):
    user = UserFactory()
    client.force_login(user)
    return user


def _attempt(user, lesson, **kwargs):
    return quiz_attempt_start(enrolment=enrolled(user, lesson), lesson=lesson, block_id="quiz-1", **kwargs)


def _form_data(attempt) -> dict:
    """What a learner's browser posts when every graded answer is right."""
    data = {}
    for item in attempt.items.all():
        spec, name = item.spec, f"q{item.position}"
        kind = spec["kind"]
        if kind == QuestionKind.MATCHING:
            for pair in spec["pairs"]:
                data[f"{name}-{pair['key']}"] = pair["match"]
        elif kind == QuestionKind.ORDERING:
            for place, option in enumerate(spec["options"], start=1):
                data[f"{name}-{option['key']}"] = str(place)
        elif kind == QuestionKind.MULTIPLE:
            data[name] = [o["key"] for o in spec["options"] if o["correct"]]
        elif kind in (QuestionKind.SINGLE, QuestionKind.TRUE_FALSE):
            data[name] = next(o["key"] for o in spec["options"] if o["correct"])
        elif kind == QuestionKind.NUMERIC:
            data[name] = "๗๒"
        elif kind == QuestionKind.SHORT_TEXT:
            data[name] = "สคส"
        elif kind == QuestionKind.LIKERT:
            data[name] = "5"
        else:
            data[name] = "ขอบคุณครับ"
    return data


def test_the_answer_key_never_appears_in_the_quiz_page(client, learner):
    lesson = quiz_lesson(bank=bank_with_every_kind(), shuffle_options=False)
    attempt = _attempt(learner, lesson)
    html = client.get(reverse("assessments:attempt", args=[attempt.pk])).content.decode()
    assert "กฎหมาย PDPA มีผลบังคับใช้เต็มรูปแบบปีใด" in html
    assert "สคส" not in html  # accepted short answers
    assert "สำนักงานคณะกรรมการคุ้มครองข้อมูลส่วนบุคคล" not in html  # the explanation
    assert "correct" not in html.lower()
    # Ordering and matching start blank: no place and no right-hand side is pre-selected.
    assert "selected" not in html
    # The only values in the form are the attempt's random keys and the ordering places.
    form = html[html.index('id="quiz-form"') : html.index("</form>", html.index('id="quiz-form"'))]
    values = set(re.findall(r'value="([^"]*)"', form)) - {""}
    keys = {o["key"] for item in attempt.items.all() for o in item.spec.get("options", [])}
    keys |= {c["key"] for item in attempt.items.all() for c in item.spec.get("choices", [])}
    places = {str(n) for n in range(1, 6)}
    assert values - keys - places <= {form.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]}


def test_a_learner_answers_with_the_plain_form_and_sees_the_result(client, learner):
    lesson = quiz_lesson(bank=bank_with_every_kind())
    attempt = _attempt(learner, lesson)
    response = client.post(reverse("assessments:submit", args=[attempt.pk]), _form_data(attempt))
    assert response.status_code == 302
    attempt.refresh_from_db()
    assert attempt.score_percent == 100
    page = client.get(response.url).content.decode()
    assert "100%" in page
    assert "ผ่าน" in page
    assert "สำนักงานคณะกรรมการคุ้มครองข้อมูลส่วนบุคคล" in page  # review policy "answers": explanation shown


def test_save_and_finish_later_keeps_answers_and_fills_them_in_again(client, learner):
    lesson = quiz_lesson(bank=bank_with_every_kind())
    attempt = _attempt(learner, lesson)
    data = _form_data(attempt)
    numeric = next(i for i in attempt.items.all() if i.spec["kind"] == "numeric")
    response = client.post(reverse("assessments:save", args=[attempt.pk]), data)
    assert response.status_code == 302
    assert not QuizAttempt.objects.get(pk=attempt.pk).is_submitted
    page = client.get(reverse("assessments:attempt", args=[attempt.pk])).content.decode()
    assert f'name="q{numeric.position}" value="๗๒"' in page
    # The script's autosave gets JSON back.
    saved = client.post(reverse("assessments:save", args=[attempt.pk]), data, HTTP_ACCEPT="application/json")
    assert saved.json()["saved"] is True


def test_autosave_after_the_deadline_is_refused_and_the_attempt_submitted(client, learner):
    lesson = quiz_lesson(bank=bank_with_every_kind(), time_limit_minutes=1)
    attempt = _attempt(learner, lesson, now=timezone.now() - dt.timedelta(minutes=5))
    response = client.post(
        reverse("assessments:save", args=[attempt.pk]), _form_data(attempt), HTTP_ACCEPT="application/json"
    )
    assert response.status_code == 409
    assert response.json()["reason"] == "deadline_passed"
    assert response.json()["result_url"] == reverse("assessments:attempt", args=[attempt.pk])
    attempt.refresh_from_db()
    assert attempt.submitted_by == "deadline"
    assert attempt.score_points == 0


def test_another_learner_cannot_open_an_attempt(client, learner):
    lesson = quiz_lesson(bank=bank_with_every_kind())
    attempt = _attempt(UserFactory(), lesson)
    assert client.get(reverse("assessments:attempt", args=[attempt.pk])).status_code == 404
    assert client.post(reverse("assessments:submit", args=[attempt.pk]), {}).status_code == 404


def test_starting_without_enrolment_explains_and_creates_nothing(client, learner):
    lesson = quiz_lesson(bank=bank_with_every_kind())
    response = client.post(reverse("assessments:start", args=[lesson.pk, "quiz-1"]), follow=True)
    assert "ลงทะเบียน" in response.content.decode()
    assert not QuizAttempt.objects.exists()


def test_the_lesson_shows_the_quiz_card_and_the_score_after_submission(client, learner):
    lesson = quiz_lesson(bank=bank_with_every_kind(), max_attempts=2)
    enrolled(learner, lesson)
    page = client.get(lesson.url).content.decode()
    assert "แบบทดสอบหลังเรียน" in page
    assert reverse("assessments:start", args=[lesson.pk, "quiz-1"]) in page
    response = client.post(reverse("assessments:start", args=[lesson.pk, "quiz-1"]))
    attempt = QuizAttempt.objects.get()
    assert response.url == reverse("assessments:attempt", args=[attempt.pk])
    quiz_attempt_submit(attempt=attempt, answers=full_marks(attempt))
    page = client.get(lesson.url).content.decode()
    assert "100%" in page
    assert "เหลือ 1 ครั้ง" in page


def test_answers_after_the_last_attempt_stay_hidden_while_the_last_attempt_is_open(client, learner):
    lesson = quiz_lesson(bank=bank_with_every_kind(), review="answers_after_last", max_attempts=2)
    enrolment = enrolled(learner, lesson)
    first = quiz_attempt_start(enrolment=enrolment, lesson=lesson, block_id="quiz-1")
    quiz_attempt_submit(attempt=first, answers=full_marks(first, right=3))
    last = quiz_attempt_start(enrolment=enrolment, lesson=lesson, block_id="quiz-1")  # in progress
    page = client.get(reverse("assessments:attempt", args=[first.pk])).content.decode()
    assert "คำตอบที่ถูกต้อง" not in page
    assert "สำนักงานคณะกรรมการคุ้มครองข้อมูลส่วนบุคคล" not in page
    quiz_attempt_submit(attempt=last, answers={})
    page = client.get(reverse("assessments:attempt", args=[first.pk])).content.decode()
    assert "คำตอบที่ถูกต้อง: 2565" not in page  # answered right in the first attempt
    assert "คำตอบที่ถูกต้อง: สคส. / สคส" in page  # left unanswered: the accepted answers are shown


def test_a_pre_test_shows_no_pass_mark_and_no_fail(client, learner):
    lesson = quiz_lesson(bank=bank_with_every_kind(), purpose="pre_test", required_outcome="submitted",
                         review="score")  # fmt: skip
    enrolment = enrolled(learner, lesson)
    attempt = quiz_attempt_start(enrolment=enrolment, lesson=lesson, block_id="quiz-1")
    quiz_attempt_submit(attempt=attempt, answers=full_marks(attempt, right=1))
    for page in (client.get(lesson.url), client.get(reverse("assessments:attempt", args=[attempt.pk]))):
        html = page.content.decode()
        assert "14.29%" in html  # 1 of 7
        assert "เกณฑ์ผ่าน" not in html
        assert "ไม่ผ่าน" not in html


@pytest.mark.parametrize(
    ("review", "attempts_before", "shows_score", "shows_answers"),
    [
        ("nothing", 0, False, False),
        ("score", 0, True, False),
        ("answers", 0, True, True),
        ("answers_after_last", 0, True, False),  # one attempt of two used: not yet
        ("answers_after_last", 1, True, True),  # the last attempt: now
    ],
)
def test_the_review_policy_decides_what_the_result_shows(
    client, learner, review, attempts_before, shows_score, shows_answers
):
    lesson = quiz_lesson(bank=bank_with_every_kind(), review=review, max_attempts=2)
    enrolment = enrolled(learner, lesson)
    for _ in range(attempts_before):
        quiz_attempt_submit(attempt=quiz_attempt_start(enrolment=enrolment, lesson=lesson, block_id="quiz-1"))
    attempt = quiz_attempt_start(enrolment=enrolment, lesson=lesson, block_id="quiz-1")
    quiz_attempt_submit(attempt=attempt, answers=full_marks(attempt))
    page = client.get(reverse("assessments:attempt", args=[attempt.pk])).content.decode()
    assert ("100%" in page) is shows_score
    assert ("สำนักงานคณะกรรมการคุ้มครองข้อมูลส่วนบุคคล" in page) is shows_answers
