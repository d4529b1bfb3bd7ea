"""Cross-app tests: real browsers and real services.

Browser tests need Debian's Chromium at /usr/bin/chromium; integration tests need a broker
(CELERY_BROKER_URL). Where one is missing they skip, unless THAKSA_REQUIRE_BROWSER or
THAKSA_REQUIRE_INTEGRATION is set (as .ci/run does), in which case they fail.
"""

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import Browser, sync_playwright

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


def require_or_skip(available: bool, requirement_variable: str, what: str) -> None:
    if available:
        return
    if os.environ.get(requirement_variable):
        pytest.fail(f"{what} is required here ({requirement_variable} is set) but is not available")
    pytest.skip(f"{what} is not available; set {requirement_variable}=1 to make this a failure")


ASYNC_UNSAFE = "DJANGO_ALLOW_ASYNC_UNSAFE"
# As the person running the tests left it; what every test outside a browser session must see.
ASYNC_UNSAFE_BEFORE_THE_TESTS = os.environ.get(ASYNC_UNSAFE)


@contextmanager
def chromium_session() -> Iterator[Browser]:
    """Chromium driven by Playwright's sync API, and Django's permission to use the ORM meanwhile.

    While Playwright runs, the test's thread has a running event loop, and Django refuses
    synchronous ORM calls under one unless DJANGO_ALLOW_ASYNC_UNSAFE is set. The permission
    lasts exactly as long as the loop: afterwards the variable is as it was, so a later test
    that wrongly calls the ORM from async code still fails as it would in production."""
    require_or_skip(
        Path(CHROMIUM).exists() or bool(shutil.which("chromium")), "THAKSA_REQUIRE_BROWSER", "Chromium"
    )
    with pytest.MonkeyPatch.context() as environment:
        environment.setenv(ASYNC_UNSAFE, "true")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            try:
                yield browser
            finally:
                browser.close()


# One Chromium per test module, not per session: the browser tests are the tests/test_browser_*
# modules, and tests in other modules must run without Playwright's loop and permission.
@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium_session() as browser:
        yield browser


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def screenshot(page):
    """Save a screenshot in test-artifacts/ so people can look at what the test saw."""
    ARTIFACTS.mkdir(exist_ok=True)

    def take(name: str) -> Path:
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def scorm_content_origin(live_server, settings):
    """SCORM content on the live server under its other loopback name (`localhost` beside
    `127.0.0.1`): another origin, as in `make run`. Returns the content origin."""
    host, port = live_server.url.removeprefix("http://").rsplit(":", 1)
    other = "127.0.0.1" if host == "localhost" else "localhost"
    settings.WAGTAILADMIN_BASE_URL = live_server.url
    settings.SCORM_CONTENT_ORIGIN = f"http://{other}:{port}"
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, other]
    return settings.SCORM_CONTENT_ORIGIN
