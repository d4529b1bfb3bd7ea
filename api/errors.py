"""One error body for every API failure, in the caller's language:

    {"error": {"code": "not_found", "message": "…", "fields": {"due_date": [{"code": "…", "message": "…"}]}}}

`code` is stable for programs; `message` is for people (Thai, or English when the request
says `Accept-Language: en`); `fields` appears when a request's values were refused.
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

MESSAGES = {
    "not_authenticated": lambda: _("Send an access token: “Authorization: Bearer <token>”."),
    "authentication_failed": lambda: _(
        "The access token is not valid or has expired. Get a new one from /o/token/."
    ),
    "permission_denied": lambda: _("This token may not do this: it lacks the scope this operation needs."),
    "not_found": lambda: _("Not found, or not visible to this application."),
    "method_not_allowed": lambda: _("This address does not accept that method."),
    "throttled": lambda: _("Too many requests from this application. Wait and try again."),
    "parse_error": lambda: _("The request body is not valid JSON."),
    "unsupported_media_type": lambda: _("Send the body as JSON (Content-Type: application/json)."),
    "not_acceptable": lambda: _("This API answers only in JSON."),
}


def _fields(detail: Any) -> dict[str, Any]:
    if isinstance(detail, dict):
        return {
            name: _fields(value) if isinstance(value, dict) else _items(value)
            for name, value in detail.items()
        }
    return {"non_field_errors": _items(detail)}


def _items(detail: Any) -> list[dict[str, Any]]:
    details = detail if isinstance(detail, list) else [detail]
    items = []
    for item in details:
        if isinstance(item, dict):
            items.append({"code": "invalid", "message": "", "fields": _fields(item)})
        else:
            items.append({"code": getattr(item, "code", "invalid"), "message": str(item)})
    return items


def error_response(
    *, code: str, message: str, http_status: int, fields: dict[str, Any] | None = None
) -> Response:
    body: dict[str, Any] = {"code": code, "message": message}
    if fields:
        body["fields"] = fields
    return Response({"error": body}, status=http_status)


def exception_handler(exc, context):  # type: ignore[no-untyped-def]
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        new = error_response(
            code="invalid",
            message=_("Some values were refused: see “fields”."),
            http_status=status.HTTP_400_BAD_REQUEST,
            fields=_fields(exc.detail),
        )
    else:
        code = exc.get_codes() if isinstance(exc, exceptions.APIException) else "error"
        code = code if isinstance(code, str) else "error"
        request = context.get("request")
        if code == "not_authenticated" and request is not None and request.headers.get("Authorization"):
            code = "authentication_failed"  # a token was sent, but it is unknown, expired or revoked
        message = MESSAGES[code]() if code in MESSAGES else str(getattr(exc, "detail", exc))
        if isinstance(exc, exceptions.Throttled) and exc.wait:
            message = _("Too many requests from this application. Try again in %(seconds)d seconds.") % {
                "seconds": int(exc.wait) + 1
            }
        new = error_response(code=code, message=message, http_status=response.status_code)
    for header, value in response.headers.items():
        if header.lower() in ("www-authenticate", "retry-after", "allow"):
            new[header] = value
    return new
