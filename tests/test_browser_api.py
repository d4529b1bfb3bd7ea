"""The API's two pages people see, in Chromium: the consent screen an application sends a
civil servant to (Thai, on a phone, every scope in plain words, "Allow" returns a code) and
the documentation page (Swagger UI from our own files, under the Content-Security-Policy)."""

import base64
import hashlib

import pytest

from api.models import Application
from people.tests.factories import learner_in
from tests.browsing import sign_in
from tests.test_browser_content_security_policy import Watch

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REDIRECT = "https://hr.example.go.th/callback"


def test_the_consent_screen_fits_a_phone_and_returns_a_code(live_server, browser, site_tree, public_service):
    person = learner_in(public_service["DIV-A1-HR"], email="phone@a.go.th")
    application = Application.objects.create(
        name="ระบบพัฒนาบุคลากร กรม A",
        client_type=Application.CLIENT_PUBLIC,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=REDIRECT,
        allowed_scopes="openid profile learning:read certificates:read",
        unit=public_service["DEPT-A1"],
        algorithm=Application.RS256_ALGORITHM,
    )
    verifier = "v" * 64
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    authorize = (
        f"/o/authorize/?response_type=code&client_id={application.client_id}&redirect_uri={REDIRECT}"
        f"&scope=openid+profile+learning:read+certificates:read&state=s1"
        f"&code_challenge={challenge}&code_challenge_method=S256"
    )
    context = browser.new_context(locale="th-TH", viewport={"width": 375, "height": 800})
    watch = Watch()
    watch.attach(context)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.route("https://hr.example.go.th/**", lambda route: route.abort())
    sign_in(page, live_server, person, "/account/")
    page.goto(live_server.url + authorize)
    main = page.get_by_role("main")
    assert "ระบบพัฒนาบุคลากร กรม A" in main.inner_text()
    text = main.inner_text()
    for words in ("ความก้าวหน้า", "ประกาศนียบัตรที่ได้รับ", "ชื่อ คำนำหน้า"):
        assert words in text
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.screenshot(path="test-artifacts/api-consent-375.png", full_page=True)
    with page.expect_request(lambda request: request.url.startswith(REDIRECT)) as sent_back:
        page.get_by_role("button", name="อนุญาต", exact=True).click()
    assert "code=" in sent_back.value.url
    assert "state=s1" in sent_back.value.url
    assert watch.problems == []
    context.close()


def test_the_documentation_page_draws_every_operation_under_the_policy(live_server, browser):
    context = browser.new_context(locale="th-TH", viewport={"width": 1366, "height": 900})
    watch = Watch()
    watch.attach(context)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(live_server.url + "/api/v1/docs/")
    page.locator(".opblock").first.wait_for()
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert any("/api/v1/people/sync/" in path for path in paths)
    assert any("/api/v1/enrolments/" in path for path in paths)
    page.screenshot(path="test-artifacts/api-docs.png")
    assert watch.problems == []
    context.close()


def test_the_allowed_applications_card_fits_a_phone(live_server, browser, site_tree, public_service):
    from api.tests.factories import ApplicationFactory, bearer

    person = learner_in(public_service["DIV-A1-HR"], email="card@a.go.th")
    application = ApplicationFactory.create(
        name="ระบบพัฒนาบุคลากร กรม A (แอปบนโทรศัพท์)",
        authorization_grant_type="authorization-code",
        redirect_uris=REDIRECT,
        allowed_scopes="openid profile learning:read certificates:read",
    )
    bearer(application, scope="profile learning:read certificates:read", user=person)
    context = browser.new_context(locale="th-TH", viewport={"width": 375, "height": 800})
    page = context.new_page()
    page.set_default_timeout(15_000)
    sign_in(page, live_server, person, "/account/")
    card = page.get_by_role("region", name="แอปพลิเคชันที่คุณอนุญาต")
    assert "ระบบพัฒนาบุคลากร กรม A" in card.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    card.screenshot(path="test-artifacts/api-allowed-applications-375.png")
    card.get_by_role("checkbox").check()
    card.get_by_role("button", name="ถอนการอนุญาต").click()
    page.wait_for_url("**/account/")
    assert "ไม่สามารถทำงานแทนคุณได้อีก" in page.content()
    context.close()
