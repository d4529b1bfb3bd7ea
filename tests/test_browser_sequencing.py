"""SCORM 2004 sequencing in Chromium, one test per rule family, as a learner meets it: the
player's contents and Next/Previous offer only what the package's rules allow, the SCO's own
navigation requests move the learner as the SN book says, a request the rules forbid is
refused with a message, and only the whole package's rollup completes the lesson.

The packages are the catalogue of scorm/tests/sequencing_packages.py (their `.scenario` and
`.expected` say what the SN book requires); every SCO is the probe SCO of
scorm/devtools/package_builder.py, driven by its buttons."""

import json
from urllib.parse import urljoin

import pytest
from django.utils.translation import gettext
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

from courses.models import Enrolment, LessonProgress
from courses.tests.factories import enrolled
from organisations.tests.factories import ContentPartnerFactory
from people.tests.factories import UserFactory
from scorm.devtools.package_builder import ScoSpec, package_build
from scorm.models import Registration, ScoAttempt
from scorm.tests.factories import package_imported, scorm_lesson
from scorm.tests.sequencing_packages import SEQUENCING_PACKAGES
from tests.browsing import leave, sign_in, wait_for

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("scorm_content_origin"),
]


def refused_message() -> str:
    """What the player says when the package's rules refuse a request (in the site's Thai)."""
    return gettext(
        "The package's rules do not allow that step now. Choose an available part from the "
        "contents, or go back to the lesson."
    )


def _is_navigation(request) -> bool:
    """The player's move: a POST to its (single-use) navigation address."""
    return request.method == "POST" and "/scorm/player/" in request.url


class Player:
    """The SCORM player inside a lesson page, as a learner sees and uses it."""

    def __init__(self, page):
        self.page = page
        self.frame = page.frame_locator("iframe.scorm-block__frame")
        self.sco = self.frame.frame_locator("#scorm-content")
        self.contents = self.frame.get_by_role("navigation")
        self.message = self.frame.locator("#scorm-finished > p").first
        self.next_button = self.frame.locator("button[data-nav=continue]")
        self.previous_button = self.frame.locator("button[data-nav=previous]")

    def playing(self, title: str) -> None:
        """Wait until the part `title` is delivered and its SCO has initialised."""
        expect(self.frame.locator("#scorm-content")).to_have_attribute("title", title)
        expect(self.sco.get_by_role("heading", level=1)).to_have_text(title)
        expect(self.sco.locator("#status")).to_have_attribute("data-call", "Initialize")

    def current(self):
        return self.contents.locator("[aria-current=step]")

    def choice_links(self):
        return self.contents.locator("button[data-nav$=choice]")

    def locked(self, title: str):
        return self.contents.locator("[aria-disabled=true]", has_text=title)

    def press(self, *buttons: str, score: int | None = None) -> None:
        """Press the probe SCO's buttons; each call must succeed (error 0)."""
        status = self.sco.locator("#status")
        if score is not None:
            self.sco.locator("#score-input").fill(str(score))
        for button in buttons:
            count = status.get_attribute("data-count")
            self.sco.locator(f"#{button}").click()
            expect(status).not_to_have_attribute("data-count", count)
            expect(status).to_have_attribute("data-error", "0")

    def finish(self, button: str = "nav-continue") -> None:
        """End the SCO with its own button: `nav-continue` (Terminate with adl.nav.request
        continue) or `exit-normal` (Terminate, no request)."""
        self.sco.locator(f"#{button}").click()

    def choose(self, title: str) -> None:
        self.move(self.contents.get_by_role("button", name=title, exact=True))

    def move(self, control) -> None:
        """Press a contents entry or a player button and wait until the player sends the
        request (a POST to its navigation address). The lesson page around the player reports
        progress every 15 s and may reflow meanwhile; a click that lands where the control was
        a moment before reaches nothing, so it is repeated once. What the server makes of the
        request is for the test to assert."""
        for tries_left in (1, 0):
            try:
                with self.page.expect_request(_is_navigation, timeout=5000):
                    control.click()
                return
            except PlaywrightTimeoutError:
                if not tries_left:
                    raise

    def resize(self, width: int) -> None:
        """Resize the window and wait until the player (another process: another origin)
        and its SCO have laid themselves out at the new width."""
        self.page.set_viewport_size({"width": width, "height": 900})
        # As tall as the page: a full-page screenshot then need not resize the window, which
        # would leave the SCO's frame unpainted in the picture.
        height = self.page.evaluate("document.documentElement.scrollHeight")
        self.page.set_viewport_size({"width": width, "height": height})
        frame_width = self.page.locator("iframe.scorm-block__frame").bounding_box()["width"]
        wait_for(lambda: abs(self.player_frame().evaluate("innerWidth") - frame_width) <= 2)
        self.sco.locator("#status").wait_for()

    def player_frame(self):
        return next(frame for frame in self.page.frames if "/scorm/player/" in frame.url)

    def request_directly(self, request: str) -> None:
        """What a hostile learner (or package) can do: send the player's navigation URL a
        request of their own, bypassing the contents and the buttons."""
        frame = self.player_frame()
        launch = json.loads(frame.locator("#scorm-launch").text_content())
        with frame.expect_navigation():
            frame.evaluate(
                """([url, request]) => {
                    const form = document.createElement("form");
                    Object.assign(form, {method: "post", action: url});
                    const field = document.createElement("input");
                    Object.assign(field, {type: "hidden", name: "nav", value: request});
                    form.append(field);
                    document.body.append(form);
                    form.submit();
                }""",
                [urljoin(frame.url, launch["navigateUrl"]), request],
            )


def learner_on(package_key_or_zip, *, email: str, **block):
    """A learner enrolled in a one-lesson course whose lesson holds the package."""
    zip_bytes = (
        SEQUENCING_PACKAGES[package_key_or_zip].zip_bytes()
        if isinstance(package_key_or_zip, str)
        else package_key_or_zip
    )
    lesson = scorm_lesson(package=package_imported(zip_bytes, partner=ContentPartnerFactory()), **block)
    learner = UserFactory(email=email)
    return learner, lesson, enrolled(learner, lesson)


def lesson_status(enrolment) -> str:
    progress = LessonProgress.objects.filter(enrolment=enrolment).first()
    return progress.status if progress else ""


def test_forced_sequential_order_is_enforced_and_only_all_five_complete_the_lesson(
    site_tree, live_server, page, screenshot
):
    """The field-test regression: passing SCO 1 of five completed the whole course."""
    learner, lesson, enrolment = learner_on("forced_sequential", email="forced@thaksa.test")
    sign_in(page, live_server, learner, lesson.url)
    player = Player(page)

    player.playing("บทที่ 1")
    expect(player.current()).to_have_text("บทที่ 1")
    expect(player.choice_links()).to_have_count(0)  # choice is off: nothing to pick
    for number in range(2, 6):
        expect(player.locked(f"บทที่ {number}")).to_be_visible()

    expect(player.next_button).to_be_disabled()  # SCO 2 opens only once SCO 1 is passed
    player.press("complete", "pass", "commit")
    expect(player.next_button).to_be_enabled()
    player.move(player.next_button)
    player.playing("บทที่ 2")
    expect(player.current()).to_have_text("บทที่ 2")
    expect(player.contents.locator("li", has_text="บทที่ 1").locator(".scorm-player__toc-done")).to_be_visible()
    assert not Registration.objects.get().completed
    assert lesson_status(enrolment) != LessonProgress.Status.COMPLETED

    player.request_directly("{target=SCO-4}choice")
    expect(player.message).to_have_text(refused_message())
    expect(player.frame.locator("#scorm-content")).to_be_hidden()
    expect(player.locked("บทที่ 4")).to_be_visible()
    screenshot("scorm-sequencing-forced-refused")
    assert not ScoAttempt.objects.filter(sco__identifier="SCO-4").exists()

    # Everything is locked after the refused request; the learner goes on where the rules
    # allow: SCO 2 again, still to be passed before SCO 3 opens.
    player.move(player.frame.get_by_role("button", name=gettext("Continue where the package allows")))
    player.playing("บทที่ 2")
    page.reload()
    expect(page.locator("[data-activity=scorm-1]")).not_to_have_class("done")
    player.playing("บทที่ 2")
    for number in range(2, 6):
        if number == 3:  # two parts done, one current, two locked
            for width in (1366, 375):
                player.resize(width)
                screenshot(f"scorm-sequencing-forced-{width}")
        player.press("complete", "pass")
        player.finish()
        if number < 5:
            player.playing(f"บทที่ {number + 1}")

    expect(player.message).to_be_visible()
    wait_for(lambda: Enrolment.objects.get(pk=enrolment.pk).status == Enrolment.Status.COMPLETED)
    assert lesson_status(enrolment) == LessonProgress.Status.COMPLETED
    page.reload()
    expect(page.locator("#lesson-status")).to_have_text(gettext("You have completed this lesson."))
    expect(page.locator("[data-activity=scorm-1]")).to_have_class("done")
    expect(player.frame.get_by_role("note")).to_contain_text(
        gettext("Review: you have completed this package. What you do now is not recorded.")
    )
    player.sco.locator("#status").wait_for()
    screenshot("scorm-sequencing-forced-review")
    leave(page)


def test_remediation_a_failed_quiz_sends_the_learner_back_to_the_lesson(site_tree, live_server, page):
    learner, lesson, enrolment = learner_on(
        "remediation", email="remediation@thaksa.test", required_outcome="passed"
    )
    sign_in(page, live_server, learner, lesson.url)
    player = Player(page)
    player.playing("บทเรียน")
    player.press("complete")
    player.finish()
    player.playing("แบบทดสอบ")

    player.press("set-score", "complete", score=50)
    player.finish()

    player.playing("บทเรียน")  # the quiz's post-condition: not satisfied → previous
    expect(player.current()).to_have_text("บทเรียน")
    assert Registration.objects.get().success != "passed"
    player.press("complete")
    player.finish()
    player.playing("แบบทดสอบ")
    player.press("set-score", "complete", score=90)
    player.finish()

    expect(player.message).to_be_visible()
    wait_for(lambda: lesson_status(enrolment) == LessonProgress.Status.COMPLETED)
    registration = Registration.objects.get()
    assert (registration.success, registration.completed) == ("passed", True)
    assert ScoAttempt.objects.filter(sco__identifier="QUIZ").count() == 2
    leave(page)


def test_choice_exit_false_keeps_the_learner_inside_the_exam(site_tree, live_server, page):
    learner, lesson, _enrolment = learner_on("choice_exit", email="choiceexit@thaksa.test")
    sign_in(page, live_server, learner, lesson.url)
    player = Player(page)
    player.playing("บทนำ")

    player.choose("ข้อ 1")
    player.playing("ข้อ 1")

    expect(player.locked("บทนำ")).to_be_visible()  # leaving the exam is not offered
    player.choose("ข้อ 2")  # moving inside it is
    player.playing("ข้อ 2")
    expect(player.locked("บทนำ")).to_be_visible()
    player.request_directly("{target=INTRO}choice")
    expect(player.message).to_have_text(refused_message())
    assert not ScoAttempt.objects.filter(sco__identifier="INTRO", number=2).exists()
    leave(page)


def test_forward_only_offers_next_but_never_previous(site_tree, live_server, page):
    learner, lesson, _enrolment = learner_on("forward_only", email="forwardonly@thaksa.test")
    sign_in(page, live_server, learner, lesson.url)
    player = Player(page)
    player.playing("บทที่ 1")

    player.move(player.next_button)

    player.playing("บทที่ 2")
    expect(player.previous_button).to_be_disabled()
    expect(player.next_button).to_be_enabled()
    player.request_directly("previous")
    expect(player.message).to_have_text(refused_message())
    expect(player.frame.locator("#scorm-content")).to_be_hidden()
    leave(page)


def test_hidden_from_choice_is_not_in_the_contents_but_next_reaches_it(site_tree, live_server, page):
    learner, lesson, _enrolment = learner_on("hidden_from_choice", email="hidden@thaksa.test")
    sign_in(page, live_server, learner, lesson.url)
    player = Player(page)
    player.playing("บทนำ")

    expect(player.contents.get_by_role("button", name="สรุป")).to_be_visible()
    expect(player.contents.get_by_text("เฉลย")).to_have_count(0)
    player.move(player.next_button)

    player.playing("เฉลย")
    leave(page)


@pytest.mark.parametrize(("pretest", "delivered"), [("pass", "แบบทดสอบหลังเรียน"), ("fail", "บทเรียน")])
def test_a_passed_pretest_skips_the_lesson(pretest, delivered, site_tree, live_server, page):
    learner, lesson, _enrolment = learner_on("pretest_skip", email=f"pretest-{pretest}@thaksa.test")
    sign_in(page, live_server, learner, lesson.url)
    player = Player(page)
    player.playing("แบบทดสอบก่อนเรียน")

    player.press("complete", pretest)
    player.finish()

    player.playing(delivered)
    expect(player.current()).to_have_text(delivered)
    leave(page)


def test_the_exam_closes_after_its_two_attempts(site_tree, live_server, page):
    learner, lesson, _enrolment = learner_on("attempt_limit", email="attempts@thaksa.test")
    sign_in(page, live_server, learner, lesson.url)
    player = Player(page)
    player.playing("บทนำ")

    player.choose("สอบ")
    for attempt in (1, 2):
        player.playing("สอบ")
        player.press("complete", "fail")
        player.finish("exit-normal")  # the attempt ends; the learner picks from the contents
        expect(player.message).to_be_visible()
        if attempt == 1:
            player.choose("สอบ")  # a second attempt is allowed

    expect(player.locked("สอบ")).to_be_visible()  # the third is not
    expect(player.contents.get_by_role("button", name="สอบ")).to_have_count(0)
    expect(player.contents.get_by_role("button", name="บทนำ")).to_be_visible()
    player.request_directly("{target=EXAM}choice")
    expect(player.message).to_have_text(refused_message())
    assert ScoAttempt.objects.filter(sco__identifier="EXAM").count() == 2
    leave(page)


def test_opening_every_asset_of_a_scorm_12_package_completes_the_lesson(site_tree, live_server, page):
    titles = [f"เอกสารประกอบ {number}" for number in range(1, 6)]
    zip_bytes = package_build(
        version="1.2",
        scos=[
            ScoSpec(
                f"ASSET-{number}",
                title,
                href=f"asset-{number}/index.html",
                scorm_type="asset",
                html=f"<!DOCTYPE html><html lang='th'><title>{title}</title><h1>{title}</h1></html>",
            )
            for number, title in enumerate(titles, start=1)
        ],
    )
    learner, lesson, enrolment = learner_on(zip_bytes, email="assets@thaksa.test")
    sign_in(page, live_server, learner, lesson.url)
    player = Player(page)

    for number, title in enumerate(titles, start=1):
        if number > 1:
            assert lesson_status(enrolment) != LessonProgress.Status.COMPLETED
            player.choose(title)
        expect(player.frame.locator("#scorm-content")).to_have_attribute("title", title)
        expect(player.sco.get_by_role("heading", level=1)).to_have_text(title)
        expect(player.current()).to_have_text(title)

    expect(player.contents.locator(".scorm-player__toc-done")).to_have_count(len(titles))
    wait_for(lambda: lesson_status(enrolment) == LessonProgress.Status.COMPLETED)
    leave(page)


# The rollup families played in Chromium: the parts in order (Continue from each SCO), with
# the probe's buttons pressed in each, and what the course must then be (success, completed),
# from the package's `expected` in scorm/tests/sequencing_packages.py.
PASS = ("complete", "pass")
Part = tuple[str, tuple[str, ...]]
ROLLUP_PLAYS: dict[str, tuple[list[Part], tuple[str, bool]]] = {
    # Default rules: one failed SCO of five fails the course, whatever the others did.
    "default_rollup": (
        [
            ("บทที่ 1", PASS),
            ("บทที่ 2", PASS),
            ("บทที่ 3", ("complete", "fail")),
            ("บทที่ 4", PASS),
            ("บทที่ 5", PASS),
        ],
        ("failed", True),
    ),
    # Two of three satisfied satisfy the course; the third's failure changes nothing.
    "custom_rollup": (
        [("บทที่ 1", PASS), ("บทที่ 2", PASS), ("บทที่ 3", ("complete", "fail"))],
        ("passed", True),
    ),
    # The survey neither satisfies nor completes anything: left failed and incomplete.
    "rollup_considerations": (
        [("บทเรียน", PASS), ("แบบทดสอบ", PASS), ("แบบสอบถาม", ("fail",))],
        ("passed", True),
    ),
    # 0.8 × 0.75 + 0.2 × 0.25 = 0.65 reaches the organisation's 0.6 by measure.
    "measure_weights": (
        [("แบบทดสอบ ก", ("set-score", "complete")), ("แบบทดสอบ ข", ("set-score", "complete"))],
        ("passed", True),
    ),
}
ROLLUP_SCORES = {"แบบทดสอบ ก": 80, "แบบทดสอบ ข": 20}


@pytest.mark.parametrize("key", list(ROLLUP_PLAYS))
def test_the_course_is_what_the_rollup_rules_make_of_its_parts(key, site_tree, live_server, page):
    parts, (success, completed) = ROLLUP_PLAYS[key]
    learner, lesson, enrolment = learner_on(key, email=f"{key}@thaksa.test", required_outcome="passed")
    sign_in(page, live_server, learner, lesson.url)
    player = Player(page)

    for number, (title, buttons) in enumerate(parts):
        player.playing(title)
        player.press(*buttons, score=ROLLUP_SCORES.get(title))
        if number < len(parts) - 1:
            # Before the last part the course is not yet decided (and never passed).
            assert Registration.objects.get().success != "passed"
        player.finish()

    expect(player.message).to_be_visible()
    wait_for(
        lambda: (
            (Registration.objects.get().success, Registration.objects.get().completed) == (success, completed)
        )
    )
    passed = success == "passed" and completed
    wait_for(lambda: (lesson_status(enrolment) == LessonProgress.Status.COMPLETED) is passed)
    page.reload()
    if passed:
        expect(page.locator("#lesson-status")).to_have_text(gettext("You have completed this lesson."))
    else:
        expect(page.locator("[data-activity=scorm-1]")).not_to_have_class("done")
    leave(page)


def test_an_exit_rule_leaves_the_module_and_the_final_exits_everything(site_tree, live_server, page):
    learner, lesson, _enrolment = learner_on("exit_rules", email="exitrules@thaksa.test")
    sign_in(page, live_server, learner, lesson.url)
    player = Player(page)
    player.playing("แบบทดสอบก่อนเรียน")

    player.press(*PASS)
    player.finish()  # Continue: the satisfied Module's exit rule skips both of its lessons

    player.playing("สรุปท้ายหลักสูตร")
    player.press(*PASS)
    player.finish("exit-normal")  # no request: the Final's post-condition exitAll ends it all

    expect(player.message).to_be_visible()
    expect(player.frame.locator("#scorm-content")).to_be_hidden()
    assert not ScoAttempt.objects.filter(sco__identifier__in=["LESSON-A", "LESSON-B"]).exists()
    wait_for(lambda: Registration.objects.get().success == "passed")
    leave(page)
