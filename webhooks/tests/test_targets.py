"""Where webhooks may be posted: https, and never a private or loopback address, unless the
settings say so."""

import pytest

from webhooks.targets import target_url_problem


def test_production_refuses_http_and_private_addresses(settings):
    settings.THAKSA_ENVIRONMENT = "production"
    settings.DEBUG = False
    assert target_url_problem("http://hr.example.go.th/hooks")
    for url in (
        "https://127.0.0.1/hooks",
        "https://10.1.2.3/hooks",
        "https://192.168.0.10:8443/hooks",
        "https://169.254.169.254/latest/meta-data",
        "https://[::1]/hooks",
        "https://[::ffff:127.0.0.1]/hooks",
        "https://localhost/hooks",
        "https://0.0.0.0/hooks",
    ):
        assert target_url_problem(url), url
    assert target_url_problem("https://user:secret@8.8.8.8/hooks")
    assert target_url_problem("https://8.8.8.8/hooks") is None


def test_private_targets_only_when_the_setting_allows_them(settings):
    settings.THAKSA_ENVIRONMENT = "production"
    settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS = True
    assert target_url_problem("https://10.1.2.3/hooks") is None
    assert target_url_problem("http://10.1.2.3/hooks")  # still https only


@pytest.mark.parametrize("environment", ["development", "test"])
def test_development_and_tests_may_use_http(settings, environment):
    settings.THAKSA_ENVIRONMENT = environment
    settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS = True
    assert target_url_problem("http://127.0.0.1:8001/hooks") is None


@pytest.mark.parametrize(
    "address",
    [
        "[64:ff9b::a9fe:a9fe]",  # NAT64 of the cloud metadata address 169.254.169.254
        "[2002:a9fe:a9fe::]",  # 6to4 of the same
        "[::ffff:127.0.0.1]",  # IPv4-mapped loopback
        "[64:ff9b:1::a00:1]",  # local-use NAT64 of 10.0.0.1
    ],
)
def test_ipv6_forms_of_a_private_ipv4_address_are_refused(settings, address):
    settings.THAKSA_ENVIRONMENT = "production"
    settings.DEBUG = False
    settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS = False
    assert target_url_problem(f"https://{address}/hook") is not None
