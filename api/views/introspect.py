"""Token introspection (RFC 7662), narrowed: a client learns about its own tokens only.

django-oauth-toolkit's view answers any authenticated client about any token, with the
person's e-mail address. Here the caller must authenticate as a client (its id and secret);
a token of another application reads as inactive, and the person is named by `sub` (the
account number), as in ID tokens, never by address."""

import hashlib
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import csrf_exempt
from oauth2_provider.models import get_access_token_model
from oauth2_provider.views import IntrospectTokenView
from oauthlib.common import Request as OauthlibRequest  # type: ignore[import-untyped]


@method_decorator(csrf_exempt, name="dispatch")  # a server's POST, authenticated as a client
class OwnTokensIntrospection(IntrospectTokenView):
    caller: Any = None

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.caller = None
        if request.method != "OPTIONS":
            core = self.get_oauthlib_core()
            uri, method, body, headers = core._extract_params(request)
            client_request = OauthlibRequest(uri, method, body, headers)
            if core.server.request_validator.authenticate_client(client_request):
                self.caller = client_request.client
        response: HttpResponse = super().dispatch(request, *args, **kwargs)
        return response

    def _answer(self, token_value: str | None) -> HttpResponse:
        if token_value is None:
            return JsonResponse(
                {"error": "invalid_request", "error_description": "Token parameter is missing."}, status=400
            )
        checksum = hashlib.sha256(token_value.encode("utf-8")).hexdigest()
        token = (
            get_access_token_model()
            .objects.select_related("application")
            .filter(token_checksum=checksum)
            .first()
        )
        if (
            token is None
            or self.caller is None
            or token.application_id != self.caller.pk
            or not token.is_valid()
        ):
            return JsonResponse({"active": False})
        answer: dict[str, Any] = {
            "active": True,
            "scope": token.scope,
            "exp": int(token.expires.timestamp()),
            "client_id": token.application.client_id,
        }
        if token.user_id:
            answer["sub"] = str(token.user_id)
        return JsonResponse(answer)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self._answer(request.GET.get("token"))

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self._answer(request.POST.get("token"))
