"""Rate limits per client: each application has its own budget (API_RATE_PER_CLIENT, counted
in the shared cache), whoever signed in to it; calls without a token are counted per address."""

from rest_framework.throttling import SimpleRateThrottle

from lms.client_ip import client_ip


class PerClient(SimpleRateThrottle):
    scope = "client"

    def get_cache_key(self, request, view) -> str:  # type: ignore[no-untyped-def]
        application = getattr(getattr(request, "auth", None), "application", None)
        ident = f"app:{application.pk}" if application is not None else f"ip:{client_ip(request._request)}"
        key: str = self.cache_format % {"scope": self.scope, "ident": ident}
        return key
