"""How the OpenAPI schema is made: only /api/v1/ is described (Wagtail's admin has its own
internal API, which is not Thaksa's to publish), with the OAuth2 flows Thaksa offers."""


def only_api_v1(endpoints):  # type: ignore[no-untyped-def]
    return [
        (path, pattern, method, callback)
        for path, pattern, method, callback in endpoints
        if path.startswith("/api/v1/") and not path.startswith(("/api/v1/schema", "/api/v1/docs"))
    ]


ERROR_SCHEMA = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message"],
            "properties": {
                "code": {"type": "string", "description": "Stable, for programs: not_found, invalid, …"},
                "message": {
                    "type": "string",
                    "description": "For people, in Thai or English (Accept-Language)",
                },
                "fields": {
                    "type": "object",
                    "description": "Per request value refused: a list of {code, message}",
                    "additionalProperties": True,
                },
            },
        }
    },
}

ERROR_RESPONSES = {
    "400": "A value of the request was refused; `fields` says which and why.",
    "401": "No access token, or one that is not valid or has expired.",
    "403": "The token lacks the scope this operation needs.",
    "404": "Not found, or not visible to this application.",
    "429": "Too many requests from this application; Retry-After says when to try again.",
}


def error_responses(result, generator, request, public):  # type: ignore[no-untyped-def]
    """Every operation documents the one error body it may answer with (api/errors.py)."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    reference = {"$ref": "#/components/schemas/Error"}
    for item in result.get("paths", {}).values():
        for operation in item.values():
            for parameter in operation.get("parameters", []):
                if parameter.get("in") == "path" and parameter.get("schema", {}).get("type") == "integer":
                    parameter["schema"]["minimum"] = 1  # ids are positive; the route takes no sign
            secured = bool(operation.get("security"))
            has_input = bool(operation.get("parameters")) or "requestBody" in operation
            # 404 everywhere: an id, a unit filter or (for /me/) a person it cannot see.
            wanted = ["404", "429"]
            wanted += ["400"] if has_input else []
            wanted += ["401", "403"] if secured else []
            responses = operation.setdefault("responses", {})
            for status_code in wanted:
                responses.setdefault(
                    status_code,
                    {
                        "description": ERROR_RESPONSES[status_code],
                        "content": {"application/json": {"schema": reference}},
                    },
                )
    return result
