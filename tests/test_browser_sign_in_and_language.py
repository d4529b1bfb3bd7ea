"""A learner signs in with Chromium, switches language, and sees Thai and English pages."""

import pytest

from people.tests.factories import PASSWORD, LearnerProfileFactory, UserFactory
from themes.services import home_page_ensure

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_learner_signs_in_and_switches_language(live_server, page, screenshot, public_service):
    home_page_ensure()  # transactional tests start from an empty database
    learner = LearnerProfileFactory(
        unit=public_service["DIV-A1-ICT"],
        position_title="นักวิชาการคอมพิวเตอร์ชำนาญการ",
        user=UserFactory(
            email="learner@thaksa.test", title="miss", first_name="สุภาพร", last_name="วงศ์สวัสดิ์",
            first_name_en="Supaporn", last_name_en="Wongsawat", preferred_language="",
        ),
    ).user  # fmt: skip

    # An English-speaking browser still gets Thai first.
    page.goto(live_server.url + "/")
    assert page.locator("html").get_attribute("lang") == "th"
    assert page.get_by_role("heading", level=1).inner_text() == "พัฒนาทักษะดิจิทัล เพื่อบริการประชาชนที่ดีกว่า"
    screenshot("home-th")

    page.get_by_role("link", name="เข้าสู่ระบบเพื่อเริ่มเรียน").click()
    page.get_by_label("อีเมล").fill(learner.email)
    page.get_by_label("รหัสผ่าน").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="เข้าสู่ระบบ").click()

    page.wait_for_url("**/account/")
    assert page.get_by_role("heading", level=1).inner_text() == "บัญชีของฉัน"
    assert "นางสาวสุภาพร วงศ์สวัสดิ์" in page.locator("main").inner_text()
    screenshot("account-th")

    page.get_by_role("button", name="English").click()
    page.wait_for_function("() => document.documentElement.lang === 'en'")
    assert page.get_by_role("heading", level=1).inner_text() == "My account"
    assert "Miss Supaporn Wongsawat" in page.locator("main").inner_text()
    assert page.get_by_role("button", name="English").get_attribute("aria-pressed") == "true"
    screenshot("account-en")

    # The choice is remembered for the person: sign out, sign in again, still English.
    page.get_by_role("button", name="Sign out").click()
    page.goto(live_server.url + "/account/sign-in/")
    page.get_by_label("E-mail address").fill(learner.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/account/")
    assert page.locator("html").get_attribute("lang") == "en"

    page.get_by_role("button", name="ไทย").click()
    page.wait_for_function("() => document.documentElement.lang === 'th'")
    assert page.get_by_role("heading", level=1).inner_text() == "บัญชีของฉัน"


def test_keyboard_user_reaches_the_skip_link_first(live_server, page):
    home_page_ensure()
    page.goto(live_server.url + "/")

    page.keyboard.press("Tab")

    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "ข้ามไปยังเนื้อหาหลัก"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main-content"
