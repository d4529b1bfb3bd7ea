"""The consent screen: an application asks to act for the person signed in. It names the
application, who it belongs to and, in plain words, each thing it asks to read or change."""

from urllib.parse import urlsplit

from oauth2_provider.views import AuthorizationView

from api.scopes import SCOPES


class ThaksaAuthorizationView(AuthorizationView):
    template_name = "api/authorize.html"

    def get_context_data(self, **kwargs):  # type: ignore[no-untyped-def]
        context = super().get_context_data(**kwargs)
        context["scope_items"] = [
            {"name": name, "description": SCOPES[name]}
            for name in context.get("scopes", [])
            if name in SCOPES
        ]
        return context

    def get(self, request, *args, **kwargs):  # type: ignore[no-untyped-def]
        response = super().get(request, *args, **kwargs)
        # The answer is a redirect to the application's registered address; browsers check a
        # form's redirect against the page's form-action, so name those origins (and only them).
        application = getattr(self, "oauth2_data", {}).get("application") or getattr(
            response, "context_data", {}
        ).get("application")
        if application is not None:
            origins = sorted(
                {
                    f"{part.scheme}://{part.netloc}"
                    for part in map(urlsplit, application.redirect_uris.split())
                    if part.netloc
                }
            )
            if origins:
                response._csp_update = {"form-action": origins}
        return response
