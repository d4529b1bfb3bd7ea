"""What every API view shares: scope checks, the caller's language, and who it acts for."""

from django.conf import settings
from django.http import HttpResponseNotModified
from django.utils import translation
from django.utils.cache import set_response_etag
from django.utils.translation import gettext as _
from oauth2_provider.contrib.rest_framework import OAuth2Authentication
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.parsers import JSONParser
from rest_framework.renderers import JSONRenderer
from rest_framework.views import APIView

from api.errors import exception_handler
from api.pagination import Cursor
from api.permissions import ScopeRequired
from api.principals import Principal, principal_of
from api.throttling import PerClient


def api_language(request) -> str:  # type: ignore[no-untyped-def]
    """Thai unless the caller asks for English (Accept-Language: en)."""
    supported = {code for code, _name in settings.LANGUAGES}
    for part in request.headers.get("Accept-Language", "").split(","):
        code: str = part.split(";")[0].strip().lower().split("-")[0]
        if code in supported:
            return code
    return settings.LANGUAGE_CODE


class ApiMixin:
    """Thaksa's API on a DRF view (REST framework's global defaults are left to Wagtail's
    admin API): OAuth2 tokens only, the scope each method declares, JSON only, cursor pages,
    a rate limit per application, and the one error body."""

    authentication_classes = [OAuth2Authentication]
    permission_classes = [ScopeRequired]
    renderer_classes = [JSONRenderer]
    parser_classes = [JSONParser]
    pagination_class = Cursor
    throttle_classes = [PerClient]
    required_scopes: dict[str, str | None] = {}

    def get_exception_handler(self):  # type: ignore[no-untyped-def]
        return exception_handler

    def initial(self, request, *args, **kwargs):  # type: ignore[no-untyped-def]
        language = api_language(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        refused = sorted(
            {name for name, values in request.query_params.lists() if any("\x00" in v for v in values)}
        )
        if refused:  # no database accepts a NUL in text: say so instead of failing
            raise ValidationError({name: [_("This value contains a NUL character.")] for name in refused})
        super().initial(request, *args, **kwargs)  # type: ignore[misc]

    def finalize_response(self, request, response, *args, **kwargs):  # type: ignore[no-untyped-def]
        response = super().finalize_response(request, response, *args, **kwargs)  # type: ignore[misc]
        response.headers["Content-Language"] = translation.get_language()
        if request.method in ("GET", "HEAD") and response.status_code == 200:
            # An ETag from the body: a client that sends it back in If-None-Match gets 304 and
            # no body (cheap for the network; the answer is still computed, never cached here).
            # Nothing personal is stored on the way (no-store); a client keeps its own copy.
            response.render()
            set_response_etag(response)
            response.headers["Cache-Control"] = "private, no-store"
            if request.headers.get("If-None-Match") == response.headers["ETag"]:
                return HttpResponseNotModified(
                    headers={
                        key: response.headers[key] for key in ("ETag", "Cache-Control", "Content-Language")
                    }
                )
        response.headers.setdefault("Cache-Control", "private, no-store")
        return response

    @property
    def principal(self) -> Principal:
        principal = principal_of(self.request)  # type: ignore[attr-defined]
        if principal is None:
            raise NotFound
        return principal


class ApiView(ApiMixin, APIView):
    pass


def not_found(request, *args, **kwargs):  # type: ignore[no-untyped-def]
    """An address under /api/v1/ that names no operation (or an id that is not a number)."""
    from django.http import JsonResponse
    from django.utils.translation import gettext as _

    translation.activate(api_language(request))
    return JsonResponse(
        {"error": {"code": "not_found", "message": _("Not found, or not visible to this application.")}},
        status=404,
        headers={"Content-Language": translation.get_language(), "Cache-Control": "private, no-store"},
    )
