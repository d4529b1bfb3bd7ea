from django import forms
from django.utils.translation import gettext_lazy as _

from certificates.models import Certificate

MAX_UPLOAD_BYTES = 10 * 1024 * 1024


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Verification code"),
        max_length=20,
        help_text=_("The eight letters and digits printed beside the QR code, e.g. 7KQ4-M2XP."),
    )


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Certificate PDF"), help_text=_("The PDF file as you received it, up to 10 MB.")
    )

    def clean_file(self):
        file = self.cleaned_data["file"]
        if file.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("This file is larger than 10 MB; a Thaksa certificate is far smaller.")
            )
        return file


class StatusChangeForm(forms.Form):
    ACTIONS = [
        ("suspend", _("Suspend (can be lifted later)")),
        ("revoke", _("Revoke (final)")),
        ("reinstate", _("Reinstate a suspended certificate")),
    ]
    action = forms.ChoiceField(label=_("Action"), choices=ACTIONS, widget=forms.RadioSelect)
    reason = forms.ChoiceField(
        label=_("Reason (shown publicly as a category)"),
        choices=[("", "—")]
        + [
            (value, label)
            for value, label in Certificate.Reason.choices
            if value != Certificate.Reason.RECERTIFIED
        ],
        required=False,
    )
    note = forms.CharField(label=_("Internal note"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def clean(self):
        data = super().clean()
        if data.get("action") in ("suspend", "revoke") and not data.get("reason"):
            self.add_error("reason", _("Choose a reason: the public page shows its category."))
        return data


class ReissueForm(forms.Form):
    note = forms.CharField(
        label=_("Why it is re-issued (internal)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "The new certificate is drawn from the learner's and course's details as they are now; "
            "the old one stays as it was, marked superseded."
        ),
    )
