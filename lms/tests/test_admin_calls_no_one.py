"""The Wagtail admin sends nothing about officials to outside services: no gravatar (a hash of
each e-mail address), no release check, no "what's new" banner, no outside fonts or scripts."""

import re

import pytest

from people.services import role_assign
from people.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

# What the browser fetches by itself from another host: images, scripts, frames, style sheets,
# fonts, forms. (Links a person may click, such as Wagtail's help menu, fetch nothing until
# clicked, and the Referrer-Policy keeps the admin's addresses from them.)
OUTSIDE_FETCH = re.compile(
    r"""(?:\b(?:src|srcset|action|poster|data)\s*=\s*["']|<link\b[^>]*\bhref\s*=\s*["']|url\(\s*["']?|@import\s+["'])"""
    r"""(?:https?:)?//""",
    re.I,
)


@pytest.fixture
def admin_client(client):
    official = UserFactory.create(email="official@agency.go.th")
    role_assign(user=official, role="platform_admin")
    client.force_login(official)
    return client


@pytest.mark.parametrize(
    "address",
    ["/admin/", "/admin/account/", "/admin/users/"],
)
def test_admin_pages_name_no_outside_address(admin_client, address):
    response = admin_client.get(address)

    assert response.status_code == 200
    html = response.content.decode()
    assert "gravatar" not in html.lower()
    assert OUTSIDE_FETCH.findall(html) == []
    assert "upgrade-notification" not in html
    assert "whats_new" not in html


def test_the_control_an_outside_avatar_shows_when_gravatar_is_on(admin_client, settings):
    settings.WAGTAIL_GRAVATAR_PROVIDER_URL = "//www.gravatar.com/avatar"

    html = admin_client.get("/admin/account/").content.decode()

    assert "gravatar" in html.lower()
    assert OUTSIDE_FETCH.findall(html)
