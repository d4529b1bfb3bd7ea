"""Forms of the competency pages: a manager's assessment, and the evidence file upload."""

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from competencies.models import CompetencyNode
from competencies.selectors import assessable_nodes, scale_top_levels
from lms.spreadsheets.reading import MAX_FILE_BYTES, MAX_ROWS, file_too_large_message
from people.models import User


class CompetencyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: CompetencyNode) -> str:
        return f"{obj.framework.code} {obj.framework.version} · {obj.code} {obj.name}"


class ManagerAssessmentForm(forms.Form):
    """A manager's judgement of a person's level on one competency, checked against the scale
    of the competency's framework."""

    node = CompetencyChoiceField(label=_("Competency"), queryset=CompetencyNode.objects.none())
    level = forms.IntegerField(label=_("Level"), min_value=1)
    valid_until = forms.DateField(
        label=_("Valid until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Leave empty if the assessment does not expire."),
    )
    note = forms.CharField(label=_("Note"), max_length=255, required=False)

    def __init__(self, *args, person: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["node"].queryset = assessable_nodes(person=person)

    def clean_valid_until(self):
        valid_until = self.cleaned_data["valid_until"]
        if valid_until is not None and valid_until < timezone.localdate():
            raise forms.ValidationError(_("The date is in the past. Choose today or a later date."))
        return valid_until

    def clean(self):
        cleaned = super().clean()
        node, level = cleaned.get("node"), cleaned.get("level")
        if node is None or level is None:
            return cleaned
        top = scale_top_levels(framework_ids=[node.framework_id]).get(node.framework_id)
        if top is None:
            self.add_error(
                "node",
                _(
                    "The framework of this competency has no proficiency scale yet, so no level can be "
                    "recorded."
                ),
            )
        elif level > top:
            self.add_error(
                "level",
                _("The scale of %(framework)s goes from 1 to %(top)s. Choose a level in that range.")
                % {"framework": node.framework.code, "top": top},
            )
        return cleaned


class EvidenceImportForm(forms.Form):
    file = forms.FileField(
        label=_("Evidence file (.xlsx or .csv)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _("At most %(size)s and %(rows)s rows.") % {
            "size": filesizeformat(MAX_FILE_BYTES),
            "rows": f"{MAX_ROWS:,}",
        }

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(file_too_large_message(upload.size))
        return upload
