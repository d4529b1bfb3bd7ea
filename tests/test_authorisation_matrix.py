"""The authorisation matrix: every URL of the project × every role.

The URLs are walked from the URL configuration (Wagtail's admin included) and from the page
tree's models and routes, so a new endpoint without an entry in
`tests/authorisation_expectations.py` fails `test_every_url_has_an_entry`. Each entry says what
each role gets at that address, filled with objects of *this* partner, unit and learner
(tests/authorisation_world.py): allowed (`ok`, or a redirect onwards), or denied (a redirect
to sign-in, Wagtail's redirect to the admin home, 403, 404, 405).

Every request runs in a savepoint that is rolled back, so a POST one role may make leaves the
world as it was for the next, and the cookies each client had are put back (an address that
signs out does not sign the next request out).
"""

import copy
import json

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import Client

from assessments.models import QuizAttempt
from courses.models import Enrolment, LessonProgress
from scorm.models import Registration, ScoSession
from tests.authorisation_expectations import EXPECTED, GET_CHANGES_NOTHING
from tests.authorisation_requests import (
    CONTENT_HOST,
    Route,
    outcome_of,
    page_route_url,
    page_routes_walk,
    route_url,
    routes_walk,
)
from tests.authorisation_world import ROLES, world_build

CONTENT_PATHS = ("/scorm/player/", "/scorm/content/", "/scorm/commit/")


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """One world for the whole module, rolled back at its end."""
    with django_db_blocker.unblock(), transaction.atomic():
        built = world_build()
        yield built
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def clients(world, django_db_blocker):
    signed_in = {}
    with django_db_blocker.unblock():
        for role in ROLES:
            client = Client(raise_request_exception=False)
            if world.people[role] is not None:
                client.force_login(world.people[role])
            signed_in[role] = client
    return signed_in


def matrix_keys() -> list[str]:
    """What the URL configuration and the page models serve today."""
    keys = [route.route for route in routes_walk() if route.name != "wagtail_serve"]
    return keys + list(page_routes_walk())


def test_every_url_has_an_entry():
    served = matrix_keys()
    missing = sorted(set(served) - set(EXPECTED))
    stale = sorted(set(EXPECTED) - set(served))
    assert not missing, "Add these URLs to tests/authorisation_expectations.py:\n" + "\n".join(missing)
    assert not stale, "These entries name URLs that no longer exist:\n" + "\n".join(stale)
    # The catch-all of Wagtail's page tree is covered through the page models' entries.
    assert any(route.name == "wagtail_serve" for route in routes_walk())


def _url(world, key: str) -> str:
    if key.startswith("page "):
        return page_route_url(world, key)
    name = next(route.name for route in routes_walk() if route.route == key)
    return route_url(world, Route(key, name))


def _request(client: Client, method: str, url: str):
    host = CONTENT_HOST if url.startswith(CONTENT_PATHS) else "testserver"
    cookies = copy.deepcopy(client.cookies)
    try:
        with transaction.atomic():
            response = getattr(client, method)(url, HTTP_HOST=host)
            transaction.set_rollback(True)
    finally:
        client.cookies = cookies
    return response


@pytest.mark.parametrize("key", sorted(EXPECTED))
def test_each_role_gets_what_the_matrix_says(key, world, clients, db):
    entry = EXPECTED[key]
    url = _url(world, key)
    cache.clear()  # rate limits count per client address; each address starts afresh
    responses = {role: _request(clients[role], entry.method, url) for role in ROLES}
    observed = {role: outcome_of(response) for role, response in responses.items()}
    wrong = {
        role: f"expected {entry.outcomes[role]}, got {observed[role]}"
        for role in ROLES
        if observed[role] != entry.outcomes[role]
    }
    assert not wrong, f"{entry.method.upper()} {url}: {wrong}"
    if entry.secret:
        _check_what_each_role_is_shown(world, entry, url, responses)


def _title(world, secret: str) -> str:
    thing = world.objects[secret]
    return str(getattr(thing, "number", None) or getattr(thing, "title", None) or thing.name)


def _check_what_each_role_is_shown(world, entry, url, responses) -> None:
    """A listing open to several roles shows this partner's item to those the entry names and
    to no one else (the positive control: it is shown to them)."""
    title = _title(world, entry.secret)
    forms = (title, json.dumps(title)[1:-1])  # as HTML, and inside a chooser's JSON answer
    shown = {
        role: any(form in response.content.decode() for form in forms)
        for role, response in responses.items()
        if response.status_code == 200
    }
    wrong = {role: seen for role, seen in shown.items() if seen != (role in entry.shown_to)}
    assert not wrong, f"{url}: {title!r} shown (True) or hidden (False) wrongly to {wrong}"


@pytest.mark.parametrize("key", sorted(GET_CHANGES_NOTHING))
def test_a_get_changes_nothing_where_a_post_acts(key, world, clients, db):
    """Where a POST changes the learner's records, a GET (a link, an image tag, a prefetch)
    answers 405 and leaves every learning record as it was; the POST itself is allowed."""

    def snapshot() -> list[object]:
        return [
            Registration.objects.count(),
            ScoSession.objects.count(),
            list(ScoSession.objects.order_by("pk").values_list("opened_at", flat=True)),
            QuizAttempt.objects.count(),
            Enrolment.objects.count(),
            list(LessonProgress.objects.order_by("pk").values_list("activities", "last_seen_at")),
        ]

    url = _url(world, key)
    before = snapshot()
    response = clients["learner"].get(url)
    assert response.status_code == 405
    assert snapshot() == before
    assert outcome_of(_request(clients["learner"], "post", url)) == EXPECTED[key].outcomes["learner"]
