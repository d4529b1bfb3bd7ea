"""The browser tests' exceptions end with them.

Playwright's sync API keeps an event loop running in the test's thread, so the browser
fixture allows Django's ORM under it (DJANGO_ALLOW_ASYNC_UNSAFE). This module sorts after the
tests/test_browser_* modules, so in a full run it also proves that a later test runs without
that loop and that permission."""

import asyncio
import os

import pytest

from people.models import User
from tests.conftest import ASYNC_UNSAFE, ASYNC_UNSAFE_BEFORE_THE_TESTS, chromium_session


@pytest.mark.browser
@pytest.mark.django_db
def test_django_may_use_the_orm_under_playwright_only_while_chromium_runs():
    with chromium_session() as browser:
        assert browser.is_connected()
        assert asyncio.get_running_loop() is not None
        assert os.environ[ASYNC_UNSAFE] == "true"
        assert not User.objects.filter(email="nobody@example.org").exists()
    assert os.environ.get(ASYNC_UNSAFE) == ASYNC_UNSAFE_BEFORE_THE_TESTS
    with pytest.raises(RuntimeError, match="no running event loop"):
        asyncio.get_running_loop()


@pytest.mark.django_db
def test_a_test_after_the_browser_tests_runs_without_their_loop_or_permission():
    assert os.environ.get(ASYNC_UNSAFE) == ASYNC_UNSAFE_BEFORE_THE_TESTS
    with pytest.raises(RuntimeError, match="no running event loop"):
        asyncio.get_running_loop()
    assert not User.objects.filter(email="nobody@example.org").exists()
