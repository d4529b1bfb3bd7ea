"""An HR manager on a phone (375 px) signs in for the first time, is sent to set up the second
step, types the key into an authenticator app (the test computes the app's codes), keeps the
recovery codes and lands where they were going; the next sign-in asks for a code."""

import re

import pytest

from identity.tests.totp import authenticator_code
from people.tests.factories import PASSWORD, hr_manager_of
from themes.services import home_page_ensure

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_hr_manager_sets_up_the_second_step_on_a_phone(live_server, browser, settings, public_service):
    settings.THAKSA_TWO_STEP_REQUIRED = True
    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {
            "APPS": [
                {
                    "provider_id": "thaid",
                    "name": "ThaID",
                    "client_id": "thaksa",
                    "secret": "x",
                    "settings": {"server_url": "http://127.0.0.1:9/", "thaksa": {"claims": {}}},
                }
            ]
        }
    }
    home_page_ensure()
    manager = hr_manager_of(public_service["DEPT-A1"], email="hr.phone@a1.go.th", preferred_language="th")
    context = browser.new_context(locale="th-TH", viewport={"width": 375, "height": 800})
    page = context.new_page()
    page.set_default_timeout(15_000)

    page.goto(f"{live_server.url}/account/sign-in/?next=/dashboard/")
    assert page.get_by_role("button", name="เข้าสู่ระบบด้วย ThaID").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.screenshot(path="test-artifacts/sign-in-with-thaid-375.png", full_page=True)
    page.get_by_label("อีเมล").fill(manager.email)
    page.get_by_label("รหัสผ่าน").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="เข้าสู่ระบบ", exact=True).click()

    page.wait_for_url("**/account/two-step/totp/activate/")
    assert "บทบาทของคุณในทักษะทำให้เห็นข้อมูลของผู้อื่น" in page.locator("main").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert page.get_by_role("img", name="คิวอาร์โค้ดสำหรับแอปยืนยันตัวตน").is_visible()
    page.screenshot(path="test-artifacts/two-step-setup-375.png", full_page=True)
    key = page.locator("code.totp-secret").inner_text().strip()
    assert re.fullmatch(r"[A-Z2-7]{32}", key)
    page.get_by_label("รหัสจากแอป").fill(authenticator_code(key))
    page.get_by_role("button", name="เปิดใช้").click()

    page.wait_for_url("**/account/two-step/recovery-codes/")
    assert page.locator("ul.recovery-codes li").count() == 10
    page.screenshot(path="test-artifacts/two-step-recovery-codes-375.png", full_page=True)
    page.get_by_role("link", name="เก็บรหัสไว้แล้ว ไปต่อ").click()
    page.wait_for_url(re.compile(r".*/(dashboard|privacy)/.*"))

    context.clear_cookies()
    page.goto(f"{live_server.url}/account/sign-in/?next=/dashboard/")
    page.get_by_label("อีเมล").fill(manager.email)
    page.get_by_label("รหัสผ่าน").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="เข้าสู่ระบบ", exact=True).click()
    page.wait_for_url("**/account/two-step/authenticate/")
    page.screenshot(path="test-artifacts/two-step-code-375.png", full_page=True)
    context.close()


def test_a_security_key_stands_in_for_the_code(live_server, browser, public_service):
    """A passkey or security key (WebAuthn), with Chromium's virtual authenticator standing in
    for the person's key: added from the account, then used at the next sign-in."""
    home_page_ensure()
    person = hr_manager_of(public_service["DEPT-A1"], email="key.holder@a1.go.th", preferred_language="th")
    context = browser.new_context(locale="th-TH", viewport={"width": 375, "height": 800})
    page = context.new_page()
    page.set_default_timeout(15_000)
    devtools = context.new_cdp_session(page)
    devtools.send("WebAuthn.enable")
    devtools.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "usb",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )

    page.goto(f"{live_server.url}/account/sign-in/?next=/account/two-step/")
    page.get_by_label("อีเมล").fill(person.email)
    page.get_by_label("รหัสผ่าน").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="เข้าสู่ระบบ", exact=True).click()
    page.wait_for_url("**/account/two-step/")
    page.get_by_role("link", name="เพิ่มกุญแจความปลอดภัยหรือพาสคีย์").click()
    page.wait_for_url("**/account/two-step/webauthn/add/")
    page.get_by_label("ชื่อกุญแจ").fill("กุญแจ USB ของฉัน")
    page.get_by_role("button", name="เพิ่มกุญแจ").click()
    page.wait_for_url(re.compile(r".*/account/two-step/(recovery-codes|webauthn)/$"))
    page.screenshot(path="test-artifacts/two-step-key-added-375.png", full_page=True)

    context.clear_cookies()
    page.goto(f"{live_server.url}/account/sign-in/?next=/my/")
    page.get_by_label("อีเมล").fill(person.email)
    page.get_by_label("รหัสผ่าน").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="เข้าสู่ระบบ", exact=True).click()
    page.wait_for_url("**/account/two-step/authenticate/")
    page.screenshot(path="test-artifacts/two-step-code-or-key-375.png", full_page=True)
    page.get_by_role("button", name="ใช้กุญแจความปลอดภัย").click()
    page.wait_for_url(re.compile(r".*/(my|privacy)/.*"))
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    context.close()
