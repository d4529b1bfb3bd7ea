"""A learner takes a pre-test and a post-test with the keyboard only, in Chromium: every kind
of question is reached with Tab and answered with Space, the arrow keys or typing; the
post-test's timer is visible; passing completes the course and the result shows the
learning gain."""

import pytest

from assessments.models import QuizAttempt
from assessments.tests.factories import QuizBlockFactory, bank_with_every_kind
from courses.models import Enrolment
from courses.services import enrolment_request
from courses.tests.factories import CoursePageFactory, LessonPageFactory
from people.tests.factories import UserFactory
from tests.browsing import leave, sign_in, wait_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def tab_to(page, selector: str, *, limit: int = 80) -> None:
    """Press Tab until the element matching `selector` has the focus (proves it is reachable)."""
    for _ in range(limit):
        if page.evaluate("(s) => document.activeElement && document.activeElement.matches(s)", selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {selector}")


def answer_by_keyboard(page, attempt: QuizAttempt, *, right: bool) -> None:
    """Answer every question of the attempt; graded ones right (or all wrong), using keys only."""
    page.locator("h1").click()  # start tabbing from the top of the page
    for item in attempt.items.order_by("position"):
        spec, name = item.spec, f"q{item.position}"
        kind = spec["kind"]
        if kind in ("single", "true_false", "likert"):
            options = {o["key"]: o for o in spec["options"]}
            wanted = (
                [k for k in spec["display"] if (options[k].get("correct") is right)]
                if kind != "likert"
                else ["4"]
            )
            tab_to(page, f'input[name="{name}"]')
            page.keyboard.press("Space")  # the first radio
            for _ in range(spec["display"].index(wanted[0])):
                page.keyboard.press("ArrowDown")  # moves and selects
        elif kind == "multiple":
            options = {o["key"]: o for o in spec["options"]}
            for key in spec["display"]:
                if options[key]["correct"] is right:
                    tab_to(page, f'input[name="{name}"][value="{key}"]')
                    page.keyboard.press("Space")
        elif kind == "matching":
            choices = [c["key"] for c in spec["choices"]]
            for pair in spec["pairs"]:
                target = pair["match"] if right else next(c for c in choices if c != pair["match"])
                tab_to(page, f'select[name="{name}-{pair["key"]}"]')
                for _ in range(choices.index(target) + 1):  # the first option is "choose"
                    page.keyboard.press("ArrowDown")
        elif kind == "ordering":
            count = len(spec["options"])
            for place, option in enumerate(spec["options"], start=1):
                tab_to(page, f'select[name="{name}-{option["key"]}"]')
                for _ in range(place if right else place % count + 1):  # wrong: every item one place off
                    page.keyboard.press("ArrowDown")
        else:
            tab_to(page, f'[name="{name}"]')
            typed = {"numeric": "๗๒" if right else "48", "short_text": "สคส" if right else "ไม่ทราบ"}
            page.keyboard.type(typed.get(kind, "เนื้อหาดีมาก"))
    tab_to(page, "#quiz-form button[type=submit]:not([formaction])")
    page.keyboard.press("Enter")


def test_a_learner_takes_the_pre_test_and_post_test_by_keyboard_and_completes_the_course(
    site_tree, live_server, page, screenshot
):
    bank = bank_with_every_kind()
    course = CoursePageFactory(partner=bank.partner, completion_minimum_score=60)
    pre_lesson = LessonPageFactory(
        parent=course,
        body__0__text__value="<p>บทนำสั้น ๆ</p>",
        body__1__quiz=QuizBlockFactory(bank=bank, title="แบบทดสอบก่อนเรียน", purpose="pre_test",
                                       required_outcome="submitted", max_attempts=1, review="score"),
    )  # fmt: skip
    post_lesson = LessonPageFactory(
        parent=course,
        body__0__text__value="<p>บทนำสั้น ๆ</p>",
        body__1__quiz=QuizBlockFactory(bank=bank, title="แบบทดสอบหลังเรียน", time_limit_minutes=30,
                                       shuffle_options=True, shuffle_questions=True),
    )  # fmt: skip
    learner = UserFactory(preferred_language="")
    enrolment = enrolment_request(user=learner, course=course)

    # The pre-test: every answer wrong (the learner knows nothing yet).
    sign_in(page, live_server, learner, pre_lesson.url)
    tab_to(page, 'form[action*="/quiz/start/"] button')
    page.keyboard.press("Enter")
    page.wait_for_url("**/quiz/*/")
    pre = QuizAttempt.objects.get(lesson=pre_lesson)
    screenshot("quiz-pre-test")
    answer_by_keyboard(page, pre, right=False)
    page.wait_for_selector(".quiz-result__score")
    assert page.locator(".quiz-result__score").inner_text().startswith("0%")

    # The post-test: everything right, against a visible timer.
    page.goto(live_server.url + post_lesson.url)
    tab_to(page, 'form[action*="/quiz/start/"] button')
    page.keyboard.press("Enter")
    page.wait_for_url("**/quiz/*/")
    timer = page.get_by_role("timer")
    assert timer.is_visible()
    assert ":" in timer.inner_text()
    post = QuizAttempt.objects.get(lesson=post_lesson)
    # Autosave: the first answer reaches the server while the learner is still working.
    first = next(item for item in post.items.all() if item.spec["kind"] == "single")
    page.locator("h1").click()
    tab_to(page, f'input[name="q{first.position}"]')
    page.keyboard.press("Space")
    page.wait_for_function("() => document.getElementById('quiz-save-status').textContent.includes(':')")
    wait_for(lambda: post.items.get(pk=first.pk).response is not None)
    answer_by_keyboard(page, post, right=True)
    page.wait_for_selector(".quiz-result__score")
    screenshot("quiz-post-test-result")
    assert page.locator(".quiz-result__score").inner_text().startswith("100%")
    gain = page.locator(".quiz-gain")
    assert "+100" in gain.inner_text()
    post.refresh_from_db()
    assert post.passed
    assert [item.answered for item in post.items.all()] == [True] * 9

    # Back in each lesson, reaching its end completes it; the course completes on the pass.
    for lesson in (pre_lesson, post_lesson):
        page.goto(live_server.url + lesson.url)
        page.locator("#lesson-end").scroll_into_view_if_needed()
        page.wait_for_selector('[data-activity="quiz-1"].done')
    wait_for(lambda: Enrolment.objects.get(pk=enrolment.pk).status == Enrolment.Status.COMPLETED)
    assert Enrolment.objects.get(pk=enrolment.pk).score == 100
    screenshot("quiz-course-complete")
    leave(page)
