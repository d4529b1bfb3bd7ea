"""Messages of Django's own that its Thai catalogue leaves untranslated (the password
validators and forms of django.contrib.auth). Naming them here puts them in Thaksa's
catalogue (`make messages`), which Django reads before its own (LOCALE_PATHS), so people
setting a password read Thai. Nothing imports this module; it is only read by makemessages."""

from django.utils.translation import gettext_noop, ngettext_lazy

DJANGO_AUTH_MESSAGES = [
    ngettext_lazy(
        "This password is too short. It must contain at least %d character.",
        "This password is too short. It must contain at least %d characters.",
        "min_length",
    ),
    ngettext_lazy(
        "Your password must contain at least %(min_length)d character.",
        "Your password must contain at least %(min_length)d characters.",
        "min_length",
    ),
    gettext_noop("The password is too similar to the %(verbose_name)s."),
    gettext_noop("Your password can’t be too similar to your other personal information."),
    gettext_noop("This password is too common."),
    gettext_noop("Your password can’t be a commonly used password."),
    gettext_noop("This password is entirely numeric."),
    gettext_noop("Your password can’t be entirely numeric."),
    gettext_noop("The two password fields didn’t match."),
]
