"""The scopes an application may ask for: what each one lets it read or change, in plain words.

The consent screen shows these descriptions; the schema lists them on each operation; an
application is registered with the scopes it may ever ask for (`Application.allowed_scopes`),
and `ApplicationScopes` (django-oauth-toolkit's scopes backend) offers it no others.
"""

from django.utils.translation import gettext_lazy as _
from oauth2_provider.scopes import BaseScopes

OPENID = "openid"
PROFILE = "profile"
EMAIL = "email"
LEARNING_READ = "learning:read"
ENROLMENTS_WRITE = "enrolments:write"
CERTIFICATES_READ = "certificates:read"
COMPETENCIES_READ = "competencies:read"
ANALYTICS_READ = "analytics:read"
PEOPLE_READ = "people:read"
PEOPLE_WRITE = "people:write"

SCOPES = {
    OPENID: _("Confirm who you are (your account's identifier on Thaksa)"),
    PROFILE: _("Your name, title, preferred language and organisation unit"),
    EMAIL: _("Your e-mail address"),
    LEARNING_READ: _("Enrolments, progress, learning records and transcripts (hours per fiscal year)"),
    ENROLMENTS_WRITE: _("Enrol people in courses, assign courses and change due dates"),
    CERTIFICATES_READ: _("Certificates earned"),
    COMPETENCIES_READ: _("Competency profiles and gaps against the role's targets"),
    ANALYTICS_READ: _("The agency's figures: completion, hours and compliance by unit"),
    PEOPLE_READ: _("People and organisation units: names, e-mail addresses, positions"),
    PEOPLE_WRITE: _("Add and update people in the agency (HR system synchronisation)"),
}

# What a token asking for no scope in particular gets: only proof of identity.
DEFAULT_SCOPES = [OPENID]


def scope_descriptions(names: list[str]) -> list[str]:
    return [str(SCOPES[name]) for name in names if name in SCOPES]


class ApplicationScopes(BaseScopes):
    """django-oauth-toolkit asks this which scopes exist and which an application may have."""

    def get_all_scopes(self) -> dict[str, str]:
        return {name: str(description) for name, description in SCOPES.items()}

    def get_available_scopes(self, application=None, request=None, *args, **kwargs) -> list[str]:  # type: ignore[no-untyped-def]
        if application is None:
            return list(SCOPES)
        return [name for name in SCOPES if name in application.scope_list]

    def get_default_scopes(self, application=None, request=None, *args, **kwargs) -> list[str]:  # type: ignore[no-untyped-def]
        if application is None:
            return DEFAULT_SCOPES
        # Server-to-server clients usually ask for nothing in particular: they get what they
        # were registered for. Interactive ones get only identity unless they ask.
        if application.authorization_grant_type == application.GRANT_CLIENT_CREDENTIALS:
            return [name for name in application.scope_list if name != OPENID]
        return [name for name in DEFAULT_SCOPES if name in application.scope_list]
