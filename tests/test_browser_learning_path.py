"""A learner finds a course by a Thai word, enrols, completes two lessons, leaves, comes
back, resumes at the third, and sees progress and hours update — in Chromium."""

from decimal import Decimal

import pytest

from courses.models import Topic
from courses.tests.factories import CoursePageFactory, LessonPageFactory, course_with_lessons
from people.tests.factories import PASSWORD, LearnerProfileFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PARAGRAPH = (
    "พระราชบัญญัติคุ้มครองข้อมูลส่วนบุคคล พ.ศ. 2562 กำหนดหน้าที่ของหน่วยงานที่เก็บรวบรวม ใช้ "
    "หรือเปิดเผยข้อมูลส่วนบุคคลของประชาชน เจ้าหน้าที่ต้องแจ้งวัตถุประสงค์ให้เจ้าของข้อมูลทราบ "
    "และเก็บข้อมูลเท่าที่จำเป็นตามภารกิจของหน่วยงานเท่านั้น"
)


def test_learner_finds_enrols_leaves_and_resumes_where_they_left_off(
    site_tree, live_server, page, screenshot, public_service
):
    learner = LearnerProfileFactory(
        unit=public_service["DIV-A1-ICT"],
        user=UserFactory(email="learner@thaksa.test", preferred_language=""),
    ).user
    course = CoursePageFactory(
        title="การคุ้มครองข้อมูลส่วนบุคคลสำหรับหน่วยงานภาครัฐ",
        title_en="Personal Data Protection for Government Agencies",
        estimated_hours=Decimal("3"),
    )
    for number in (1, 2, 3):
        # Long enough that the end of the lesson is below the fold: the learner must scroll.
        LessonPageFactory(
            parent=course, title=f"บทที่ {number}", body__0__text__value=f"<p>{PARAGRAPH}</p>" * 25
        )
    course_with_lessons(
        title="ความตระหนักรู้ด้านความมั่นคงปลอดภัยไซเบอร์",
        topic=Topic.objects.create(slug="cybersecurity", name_th="ความมั่นคงปลอดภัยไซเบอร์"),
    )

    page.goto(live_server.url + "/account/sign-in/?next=/courses/")
    page.get_by_label("อีเมล").fill(learner.email)
    page.get_by_label("รหัสผ่าน").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="เข้าสู่ระบบ").click()
    page.wait_for_url("**/courses/")

    # Search by a Thai word that sits inside the title without spaces.
    page.get_by_label("ค้นหาหลักสูตร").fill("ข้อมูลส่วนบุคคล")
    page.get_by_role("button", name="ค้นหา", exact=True).click()
    page.wait_for_url("**/courses/?q=*")
    assert page.get_by_role("status").first.inner_text() == "1 หลักสูตร"
    screenshot("catalogue-thai-search")
    page.get_by_role("link", name="การคุ้มครองข้อมูลส่วนบุคคลสำหรับหน่วยงานภาครัฐ").click()

    page.get_by_role("button", name="ลงทะเบียนเรียน").click()
    assert "ลงทะเบียนเรียบร้อยแล้ว" in page.locator(".messages").inner_text()
    page.get_by_role("link", name="เริ่มบทเรียนแรก").click()

    for number in (1, 2):
        assert page.get_by_role("heading", level=1).inner_text() == f"บทที่ {number}"
        status = page.locator("#lesson-status")
        assert "ท่านเรียนบทนี้จบแล้ว" not in status.inner_text()
        page.locator("#lesson-end").scroll_into_view_if_needed()
        page.wait_for_function(
            "() => document.getElementById('lesson-status').textContent.includes('ท่านเรียนบทนี้จบแล้ว')"
        )
        if number == 2:
            screenshot("lesson-2-complete")
        page.get_by_role("link", name="บทถัดไป: บทที่ 3" if number == 2 else "บทถัดไป: บทที่ 2").click()

    # Leave for the home page, then come back through "my learning".
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="การเรียนของฉัน", exact=True).click()
    assert "เรียนแล้ว 67%" in page.locator("main").inner_text()
    assert page.get_by_test_id("hours-this-year").inner_text() == "0"
    page.get_by_role("link", name="เรียนต่อ").click()
    assert page.get_by_role("heading", level=1).inner_text() == "บทที่ 3"
    outline = page.get_by_role("navigation", name="บทเรียนในหลักสูตรนี้")
    assert outline.locator(".outline__lesson--completed").count() == 2
    screenshot("resumed-at-lesson-3")

    page.locator("#lesson-end").scroll_into_view_if_needed()
    page.wait_for_function(
        "() => document.getElementById('lesson-status').textContent.includes('ท่านเรียนจบหลักสูตรแล้ว')"
    )
    page.get_by_role("link", name="การเรียนของฉัน", exact=True).click()
    assert page.get_by_test_id("hours-this-year").inner_text() == "3"
    assert "เรียนจบเมื่อ" in page.locator("main").inner_text()
    screenshot("my-learning-after-completion")
