"""The client's address: REMOTE_ADDR, or behind our proxies the entry our outermost proxy
wrote, never the one the client wrote itself; and every limit counts by it."""

from typing import Any

import pytest
from django.core.cache import cache
from django.test import RequestFactory

from lms.client_ip import client_ip

PROXY = "10.0.0.5"


def request_from(remote: str = PROXY, forwarded: str | None = None):
    headers: dict[str, Any] = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **headers)


def test_without_a_trusted_proxy_the_connection_is_the_client_whatever_the_headers_say(settings):
    settings.THAKSA_TRUSTED_PROXY_COUNT = 0

    assert client_ip(request_from("203.0.113.9", forwarded="198.51.100.1")) == "203.0.113.9"


def test_behind_one_proxy_the_client_is_what_the_proxy_appended_not_what_the_client_sent(settings):
    settings.THAKSA_TRUSTED_PROXY_COUNT = 1

    forged = request_from(forwarded="1.2.3.4, 203.0.113.9")

    assert client_ip(forged) == "203.0.113.9"
    assert client_ip(request_from(forwarded="203.0.113.9")) == "203.0.113.9"


def test_behind_two_proxies_the_client_is_second_from_the_right(settings):
    settings.THAKSA_TRUSTED_PROXY_COUNT = 2

    assert client_ip(request_from(forwarded="1.2.3.4, 203.0.113.9, 10.0.0.2")) == "203.0.113.9"


def test_a_header_that_did_not_pass_every_proxy_or_holds_no_address_falls_back_to_the_connection(settings):
    settings.THAKSA_TRUSTED_PROXY_COUNT = 2

    assert client_ip(request_from(forwarded="203.0.113.9")) == PROXY
    assert client_ip(request_from()) == PROXY
    assert client_ip(request_from(forwarded="evil, <script>, 10.0.0.2")) == PROXY


def test_ports_and_ipv6_are_read(settings):
    settings.THAKSA_TRUSTED_PROXY_COUNT = 1

    assert client_ip(request_from(forwarded="203.0.113.9:51234")) == "203.0.113.9"
    assert client_ip(request_from(forwarded="[2001:db8::1]:443")) == "2001:db8::1"
    assert client_ip(request_from(forwarded="2001:db8::1")) == "2001:db8::1"


def test_another_header_can_be_named(settings):
    settings.THAKSA_TRUSTED_PROXY_COUNT = 1
    settings.THAKSA_TRUSTED_PROXY_HEADER = "X-Real-IP"

    request = RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_REAL_IP="203.0.113.9")

    assert client_ip(request) == "203.0.113.9"


@pytest.mark.django_db
def test_rate_limits_count_each_client_behind_the_proxy_apart_and_ignore_forged_entries(client, settings):
    """The certificate check is limited per client: two people behind the proxy each get their
    own allowance, and changing the forged left-most entry does not buy a new one."""
    settings.THAKSA_TRUSTED_PROXY_COUNT = 1
    settings.CERTIFICATES_VERIFY_RATE = "2/m"
    cache.clear()

    def check(forwarded: str) -> int:
        response = client.get("/certificates/verify/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded)
        return int(response.status_code)

    first = [check(f"{n}.{n}.{n}.{n}, 203.0.113.9") for n in range(1, 4)]
    second = check("198.51.100.1")
    cache.clear()

    assert first[:2] == [200, 200]
    assert first[2] == 429
    assert second == 200


@pytest.mark.django_db
def test_sign_in_lockouts_count_the_client_behind_the_proxy(client, settings):
    from people.tests.factories import learner

    settings.THAKSA_TRUSTED_PROXY_COUNT = 1
    user = learner()

    def sign_in(forwarded: str) -> int:
        return int(
            client.post(
                "/account/sign-in/",
                {"username": user.email, "password": "wrong"},
                REMOTE_ADDR=PROXY,
                HTTP_X_FORWARDED_FOR=forwarded,
            ).status_code
        )

    answers = [sign_in(f"{n}.{n}.{n}.{n}, 203.0.113.9") for n in range(1, 6)]
    colleague_behind_the_same_proxy = sign_in("198.51.100.1")

    assert answers[-1] == 429
    assert colleague_behind_the_same_proxy == 200
