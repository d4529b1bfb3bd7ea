"""What every Chromium test does: sign in, wait for the server, and leave cleanly."""

import time

from people.tests.factories import PASSWORD


def sign_in(page, live_server, user, next_url: str) -> None:
    page.goto(f"{live_server.url}/account/sign-in/?next={next_url}")
    page.get_by_label("อีเมล").fill(user.email)
    page.get_by_label("รหัสผ่าน").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="เข้าสู่ระบบ").click()
    page.wait_for_url(f"**{next_url}")


def leave(page) -> None:
    """Close the page and let its last beacons (lesson progress, SCORM) reach the server,
    so that nothing arrives after the test's database is emptied."""
    page.close(run_before_unload=True)
    time.sleep(1.5)


def wait_for(condition, *, seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError("the server never saw what the browser sent")
