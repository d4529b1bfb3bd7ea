"""The DPO's search form over the audit log."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from audit.models import Action
from audit.selectors import AuditSearch


class AuditSearchForm(forms.Form):
    person = forms.CharField(
        label=_("Person (e-mail address or account number)"),
        required=False,
        max_length=254,
        help_text=_(
            "Finds what they did, what was done to their records, and sign-ins tried with the address."
        ),
    )
    action = forms.ChoiceField(label=_("Action"), required=False, choices=[("", _("Any")), *Action.choices])
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    ip_address = forms.GenericIPAddressField(label=_("IP address"), required=False)

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        if date_from and date_to and date_from > date_to:
            self.add_error(
                "date_to", _("The end date is before the start date; swap them or choose another.")
            )
        return cleaned

    def search(self) -> AuditSearch:
        data = self.cleaned_data
        return AuditSearch(
            person=data.get("person") or "",
            action=data.get("action") or "",
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            ip_address=data.get("ip_address") or "",
        )
