"""What a person types when filing a request, and what the DPO types when deciding one."""

from django import forms
from django.utils.translation import gettext_lazy as _

from subject_rights.models import DataSubjectRequest
from subject_rights.services import DPO_DECIDED_KINDS

DETAILS_MAX_CHARS = 4000


class RequestForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What do you ask for?"),
        choices=[(kind.value, kind.label) for kind in DPO_DECIDED_KINDS],
    )
    details = forms.CharField(
        label=_("Your request in your own words"),
        max_length=DETAILS_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Which data, and what you want done with it. For a rectification, say what is wrong and "
            "what is right."
        ),
    )


class DecisionForm(forms.Form):
    note = forms.CharField(
        label=_("Note"),
        max_length=DETAILS_MAX_CHARS,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class ErasureConfirmForm(DecisionForm):
    confirm = forms.BooleanField(
        label=_("I have checked the request and the person's identity; erase their personal data now."),
        required=True,
        error_messages={"required": _("Tick the box to confirm the erasure: it cannot be undone.")},
    )


KIND_LABELS = dict(DataSubjectRequest.Kind.choices)
