"""Which token may call which operation. Every API view declares `required_scopes`: a scope
per HTTP method (`None` for an operation anyone may call, like the public catalogue). A method
a view does not declare is refused to everybody, so an endpoint cannot be opened by
forgetting; the schema lists each operation's scope, and a test reads the schema to check
every one is enforced and that the public ones are exactly the ones meant to be."""

from typing import Any

from oauth2_provider.contrib.rest_framework import TokenMatchesOASRequirements


class ScopeRequired(TokenMatchesOASRequirements):
    """django-oauth-toolkit's per-method scope check (which drf-spectacular documents), fed
    from the view's `required_scopes`; an operation whose scope is None is public."""

    def _scope_for(self, request, view) -> Any:  # type: ignore[no-untyped-def]
        scopes: dict[str, str | None] = getattr(view, "required_scopes", {})
        method = "GET" if request.method == "HEAD" else request.method
        return scopes.get(method, "undeclared")

    def has_permission(self, request, view) -> bool:  # type: ignore[no-untyped-def]
        scope = self._scope_for(request, view)
        if request.method == "OPTIONS":
            return True
        if scope is None:
            return True
        if scope == "undeclared":
            return False
        application = getattr(getattr(request, "auth", None), "application", None)
        if application is not None and scope not in application.scope_list:
            # The token was issued before the application lost this scope (or its binding
            # changed): what the application may do now decides, not what the token says.
            return False
        allowed: bool = super().has_permission(request, view)
        return allowed

    def get_required_alternate_scopes(self, request, view) -> dict[str, list[list[str]]]:  # type: ignore[no-untyped-def]
        scopes: dict[str, str | None] = getattr(view, "required_scopes", {})
        return {method: [[scope]] for method, scope in scopes.items() if scope}
