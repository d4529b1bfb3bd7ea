"""Which addresses webhooks may be posted to.

An administrator types the address, but the platform makes the request: without a check, a
subscription could make Thaksa's servers call their own private network (the database, the
cloud's metadata service). So, outside development and tests:

- only https (the payload names people; the signature proves who sent it, not who read it);
- never an address that resolves to a private, loopback, link-local or otherwise reserved
  IP address, checked when the subscription is saved and again before every attempt (a name
  may resolve elsewhere later). `WEBHOOKS_ALLOW_PRIVATE_TARGETS = True` lifts this for a
  receiver inside the government network on purpose;
- redirects are not followed (webhooks.services), so an allowed address cannot hand the
  request on to a forbidden one.
"""

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _


def private_targets_allowed() -> bool:
    return bool(getattr(settings, "WEBHOOKS_ALLOW_PRIVATE_TARGETS", False))


def _http_allowed() -> bool:
    return bool(settings.DEBUG) or getattr(settings, "THAKSA_ENVIRONMENT", "production") in (
        "development",
        "test",
    )


def _addresses(host: str, port: int) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [ipaddress.ip_address(str(info[4][0]).split("%", 1)[0]) for info in infos]


# IPv6 forms that carry an IPv4 address the network will reach: NAT64 (RFC 6052, RFC 8215).
_NAT64 = (ipaddress.IPv6Network("64:ff9b::/96"), ipaddress.IPv6Network("64:ff9b:1::/48"))


def _reachable(
    address: ipaddress.IPv4Address | ipaddress.IPv6Address,
) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
    """The address and every IPv4 address it stands for (mapped, 6to4, NAT64): Python calls
    some of those forms global although they lead to a private or link-local IPv4 address."""
    found: list[ipaddress.IPv4Address | ipaddress.IPv6Address] = [address]
    if isinstance(address, ipaddress.IPv6Address):
        for embedded in (address.ipv4_mapped, address.sixtofour):
            if embedded is not None:
                found.append(embedded)
        if any(address in network for network in _NAT64):
            found.append(ipaddress.IPv4Address(int(address) & 0xFFFFFFFF))
    return found


def target_url_problem(url: str) -> str | None:
    """Why webhooks may not be posted to `url`, or None if they may."""
    parts = urlsplit(url)
    if parts.scheme != "https" and not (parts.scheme == "http" and _http_allowed()):
        return _("The address must start with https://.")
    if not parts.hostname:
        return _("The address has no host name.")
    if parts.username or parts.password:
        return _("The address may not contain a user name or password.")
    if private_targets_allowed():
        return None
    try:
        addresses = _addresses(parts.hostname, parts.port or (443 if parts.scheme == "https" else 80))
    except (OSError, ValueError):
        return _("The host name %(host)s could not be resolved.") % {"host": parts.hostname}
    if not addresses or any(not each.is_global for address in addresses for each in _reachable(address)):
        return _("The address leads to a private or reserved network address, which is not allowed.")
    return None
