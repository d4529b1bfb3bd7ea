"""django-oauth-toolkit's own labels that Thaksa's admin shows (the application form, list and
inspect view; the client types have Thaksa's own labels in api/wagtail_hooks.py, since
"Public" is also Wagtail's). The library ships no Thai catalogue; naming its msgids here puts them in
Thaksa's (locale/th), which Django reads first. Nothing imports this module."""

from django.utils.translation import gettext_noop

DJANGO_OAUTH_TOOLKIT_LABELS = [
    gettext_noop("client ID"),
    gettext_noop("client type"),
    gettext_noop("redirect URIs"),
    gettext_noop("authorization grant type"),
    gettext_noop("created"),
    gettext_noop("updated"),
    gettext_noop("client secret"),
]
