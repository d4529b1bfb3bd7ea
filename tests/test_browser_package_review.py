"""A platform reviewer reviews a new version of a package that a published lesson shows, in
Chromium, on a desktop and on a phone: sees what changed, and approves it."""

import pytest
from django.urls import reverse

from organisations.tests.factories import ContentPartnerFactory
from people.models import Role
from people.services import role_assign
from people.tests.factories import UserFactory
from scorm.models import ScormPackage
from scorm.tests.factories import scorm_lesson
from scorm.tests.test_review import first_version, second_version, upload
from tests.browsing import sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("scorm_content_origin"),
]


def whole_page_screenshot(page, screenshot, name: str, *, width: int) -> None:
    """The admin scrolls inside its main column, so a full-page shot needs a window as tall as it."""
    page.set_viewport_size({"width": width, "height": 800})
    height = page.evaluate("document.getElementById('main').scrollHeight")
    page.set_viewport_size({"width": width, "height": height})
    screenshot(name)


def test_a_reviewer_sees_what_changed_on_a_desktop_and_a_phone_and_approves(
    site_tree, live_server, page, screenshot
):
    partner = ContentPartnerFactory()
    author = UserFactory(email="author@partner.test")
    role_assign(user=author, role=Role.PARTNER_AUTHOR, partner=partner)
    reviewer = UserFactory(email="reviewer@thaksa.test")
    role_assign(user=reviewer, role=Role.PLATFORM_REVIEWER)
    first = upload(first_version(), partner=partner, user=author)
    scorm_lesson(package=first.package)
    second = upload(second_version(), package=first.package, user=author)
    review_url = reverse("scorm_admin:review", args=[second.pk])

    page.set_viewport_size({"width": 1366, "height": 900})
    sign_in(page, live_server, reviewer, review_url)
    new_addresses = page.locator("mark code")
    assert new_addresses.all_inner_texts() == ["quiz/start.html", "extra/index.html"]
    assert page.locator("tr.scorm-review__changed code", has_text="shared/style.css").is_visible()
    whole_page_screenshot(page, screenshot, "package-review-1366", width=1366)

    whole_page_screenshot(page, screenshot, "package-review-375", width=375)
    assert page.evaluate("document.getElementById('main').scrollWidth <= window.innerWidth")
    assert page.locator("button[value=approve]").is_visible()

    page.locator("button[value=approve]").click()
    page.wait_for_url(f"**{reverse('scorm_admin:review_queue')}")
    assert ScormPackage.objects.get().current_version == second
