"""SCORM in Chromium: the package talks to scorm-again, commits reach Django, closing the tab
loses nothing, a relaunch resumes at the bookmark, and the lesson and course complete."""

from pathlib import Path

import pytest

from courses.models import Enrolment, LessonProgress
from courses.tests.factories import enrolled
from organisations.tests.factories import ContentPartnerFactory
from people.tests.factories import UserFactory
from scorm.devtools.package_builder import ScoSpec, package_build
from scorm.models import ScoAttempt, ScoSession
from scorm.tests.factories import package_imported, scorm_lesson
from tests.browsing import leave, sign_in, wait_for

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("scorm_content_origin"),
]


def sco(page):
    return page.frame_locator("iframe.scorm-block__frame").frame_locator("#scorm-content")


@pytest.mark.parametrize("version", ["1.2", "2004"])
def test_play_close_the_tab_relaunch_resume_and_finish(
    version, site_tree, live_server, browser, page, screenshot
):
    learner = UserFactory(email=f"scorm{version}@thaksa.test")
    scos = [
        ScoSpec(
            identifier="SCO-1",
            title="บทเรียนทดลอง",
            **({"mastery_score": 80} if version == "1.2" else {"scaled_passing_score": 0.8}),
        )
    ]
    course_lesson = scorm_lesson(
        package=package_imported(package_build(version=version, scos=scos), partner=ContentPartnerFactory()),
        required_outcome="passed",
    )
    enrolment = enrolled(learner, course_lesson)
    lesson_url = course_lesson.url

    sign_in(page, live_server, learner, lesson_url)
    content = sco(page)
    content.locator("#entry").wait_for()
    assert content.locator("#entry").inner_text() == "ab-initio"
    content.locator("#location-input").fill("หน้า 4")
    content.locator("#set-location").click()
    content.locator("#score-input").fill("60")
    content.locator("#set-score").click()
    content.locator("#suspend-size").fill("20000")
    content.locator("#suspend-big").click()
    content.locator("#commit").click()
    screenshot(f"scorm-{version}-playing")
    wait_for(lambda: ScoAttempt.objects.filter(location="หน้า 4").exists())

    # Close the tab without finishing: the content suspends on pagehide; the beacon carries it.
    page.close(run_before_unload=True)
    wait_for(lambda: ScoSession.objects.exclude(terminated_at=None).exists())
    attempt = ScoAttempt.objects.get()
    assert attempt.exit == "suspend"
    assert len(attempt.suspend_data) == 20000
    assert attempt.total_seconds > 0

    second = browser.new_context(locale="en-US").new_page()
    sign_in(second, live_server, learner, lesson_url)
    content = sco(second)
    content.locator("#entry").wait_for()
    assert content.locator("#entry").inner_text() == "resume"
    assert content.locator("#location").inner_text() == "หน้า 4"
    assert content.locator("#suspend-length").inner_text() == "20000"

    content.locator("#score-input").fill("90")
    content.locator("#set-score").click()
    content.locator("#complete").click()
    content.locator("#exit-normal").click()
    wait_for(lambda: Enrolment.objects.get(pk=enrolment.pk).status == Enrolment.Status.COMPLETED)
    progress = LessonProgress.objects.get(enrolment=enrolment)
    assert progress.status == LessonProgress.Status.COMPLETED
    assert progress.activities["scorm-1"]["score"] == 90.0
    second.reload()
    assert "ท่านเรียนบทนี้จบแล้ว" in second.locator("#lesson-status").inner_text()
    second.screenshot(path=str(ARTIFACTS / f"scorm-{version}-complete.png"), full_page=True)
    leave(second)


def test_a_multi_sco_package_is_navigated_by_its_table_of_contents(site_tree, live_server, page, screenshot):
    learner = UserFactory(email="multisco@thaksa.test")
    package = package_imported(
        package_build(
            version="2004",
            scos=[
                ScoSpec(identifier="PART-1", title="ส่วนที่ 1 ความหมาย", href="part1/index.html"),
                ScoSpec(identifier="PART-2", title="ส่วนที่ 2 หน้าที่", href="part2/index.html"),
                ScoSpec(identifier="PART-3", title="ส่วนที่ 3 แบบทดสอบ", href="part3/index.html"),
            ],
            # Flow on, so that the content's "continue" is a valid request (SN default: off).
            sequencing='<imsss:controlMode choice="true" flow="true"/>',
        ),
        partner=ContentPartnerFactory(),
    )
    lesson = scorm_lesson(package=package)
    enrolment = enrolled(learner, lesson)
    sign_in(page, live_server, learner, lesson.url)
    player = page.frame_locator("iframe.scorm-block__frame")
    player.get_by_role("navigation").wait_for()
    assert player.locator("[aria-current=step]").inner_text() == "ส่วนที่ 1 ความหมาย"
    player.frame_locator("#scorm-content").locator("#complete").click()
    # The content asks to continue (adl.nav.request); the server's sequencer moves on.
    player.frame_locator("#scorm-content").locator("#nav-continue").click()
    player.locator("[aria-current=step]").filter(has_text="ส่วนที่ 2").wait_for()
    player.frame_locator("#scorm-content").locator("#complete").click()
    # The learner chooses part 3 from the contents.
    player.get_by_role("button", name="ส่วนที่ 3 แบบทดสอบ").click()
    player.locator("[aria-current=step]").filter(has_text="ส่วนที่ 3").wait_for()
    screenshot("scorm-multi-sco-contents")
    player.frame_locator("#scorm-content").locator("#complete").click()
    player.frame_locator("#scorm-content").locator("#exit-normal").click()
    # Exit, the last commit, the lesson page's report and the course's completion are several
    # requests on a loaded two-core CI machine; once in two CI runs ten seconds were not enough
    # (the cause is not established; the closing note of issue 17 says what was seen).
    wait_for(lambda: Enrolment.objects.get(pk=enrolment.pk).status == Enrolment.Status.COMPLETED, seconds=30)
    assert ScoAttempt.objects.filter(ever_completed=True).count() == 3
    leave(page)
