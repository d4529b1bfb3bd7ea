import pytest

from webhooks.tests.factories import receiver_running


@pytest.fixture
def receiver(settings):
    """A receiver on 127.0.0.1: private addresses are allowed for the test (never by default)."""
    settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS = True
    yield from receiver_running()
