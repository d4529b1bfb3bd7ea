"""allauth's security key forms with Thaksa's labels (MFA_FORMS)."""

from typing import Any

from allauth.mfa.webauthn.forms import AddWebAuthnForm, EditWebAuthnForm
from django.utils.translation import gettext_lazy as _

NAME_LABEL = _("Name of the key")
NAME_HELP = _("So that you can tell your keys apart, e.g. “USB key at the office” or “my phone”.")


class AddSecurityKeyForm(AddWebAuthnForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name"].label = NAME_LABEL
        self.fields["name"].help_text = NAME_HELP
        self.fields["name"].max_length = 100


class RenameSecurityKeyForm(EditWebAuthnForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name"].label = NAME_LABEL
        self.fields["name"].help_text = NAME_HELP
        self.fields["name"].max_length = 100
