"""The two hosts of the SCORM player in tests: the app (`client`, host testserver, with the
signed-in person's session) and the content origin (`content_client`, host
content.testserver as in lms/settings/test.py, where no cookie ever counts)."""

import json
import re

import pytest
from django.test import Client

CONTENT_HOST = "content.testserver"


@pytest.fixture
def content_client():
    return Client(HTTP_HOST=CONTENT_HOST)


def launch_data(response) -> dict:
    """The launch JSON the player page hands to player.js."""
    match = re.search(
        r'<script id="scorm-launch" type="application/json">(.*?)</script>', response.content.decode(), re.S
    )
    return json.loads(match.group(1))


def content_path(url: str) -> str:
    """The path of a content-origin URL (the test client always names its host separately)."""
    prefix = f"http://{CONTENT_HOST}"
    assert url.startswith(prefix + "/"), url
    return url.removeprefix(prefix)


@pytest.fixture
def open_player(client, content_client):
    """Follow an app-origin launch or preview to the player page on the content origin."""

    def open_(app_url: str):
        # A launch is a POST (it starts the attempt); a preview records nothing and is a GET.
        launching = app_url.startswith("/scorm/launch/")
        redirect = client.post(app_url) if launching else client.get(app_url)
        assert redirect.status_code == 302, redirect.content
        player = content_client.get(content_path(redirect["Location"]))
        return player, (launch_data(player) if player.status_code == 200 else None)

    return open_
