"""The client's address, read in one place: audit entries, rate limits and sign-in lockouts all
ask here, so that behind a proxy they see the same address.

Without a proxy the client is whoever opened the connection (`REMOTE_ADDR`). Behind reverse
proxies (a load balancer, nginx) `REMOTE_ADDR` is the nearest proxy, the same for everybody,
and the client's address is in a header the proxies write. `X-Forwarded-For` is a list each
proxy *appends* the address it received the request from to; whatever the client sent itself
stays on the left. So with `THAKSA_TRUSTED_PROXY_COUNT` proxies of ours in front of Django the
client is the entry that many places from the right, written by our outermost proxy, and
never the left-most one, which anybody can set to anything (one rate-limit bucket per forged
value). A header with fewer entries than trusted proxies did not pass through all of them,
or holds something that is not an address: then `REMOTE_ADDR` is used, which nobody can forge.
"""

from ipaddress import ip_address

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """The address of the client that sent `request`; empty when unknown."""
    remote = str(request.META.get("REMOTE_ADDR", "") or "")
    proxies = int(settings.THAKSA_TRUSTED_PROXY_COUNT)
    if proxies <= 0:
        return remote
    header = request.headers.get(str(settings.THAKSA_TRUSTED_PROXY_HEADER), "")
    entries = [entry.strip() for entry in header.split(",")]
    if len(entries) < proxies:
        return remote
    return _address(entries[-proxies]) or remote


def _address(entry: str) -> str:
    """`entry` as an IP address without a port ("203.0.113.7:51234", "[2001:db8::1]:443"), or ""."""
    candidates = [entry]
    if entry.startswith("[") and "]" in entry:
        candidates.append(entry[1 : entry.index("]")])
    elif entry.count(":") == 1:
        candidates.append(entry.split(":", 1)[0])
    for candidate in candidates:
        try:
            return str(ip_address(candidate))
        except ValueError:
            continue
    return ""
