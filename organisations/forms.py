"""Admin forms over the organisation tree: choosing a unit, and editing one (the parent is
chosen in the form; placing the unit in the tree is a service)."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from organisations.models import OrganisationUnit, within_units
from organisations.services import organisation_unit_create, organisation_unit_move


class UnitChoiceField(forms.ModelChoiceField):
    """Choose an organisation unit from the tree, listed in tree order and indented by depth."""

    def __init__(self, queryset=None, **kwargs):
        super().__init__(
            queryset=(queryset if queryset is not None else OrganisationUnit.objects).order_by("path"),
            **kwargs,
        )

    def label_from_instance(self, unit: OrganisationUnit) -> str:
        return unit.admin_label


class OrganisationUnitForm(WagtailAdminModelForm):
    parent = UnitChoiceField(
        required=False,
        label=_("Belongs to"),
        help_text=_("The unit directly above this one. Leave empty for a ministry or a public organisation."),
    )

    class Meta:
        model = OrganisationUnit
        fields = [
            "parent",
            "kind",
            "code",
            "name_th",
            "name_en",
            "short_name_th",
            "short_name_en",
            "is_active",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["parent"].initial = self.instance.get_parent()
            # Not under itself: a unit cannot belong to its own subtree.
            self.fields["parent"].queryset = OrganisationUnit.objects.exclude(
                within_units([self.instance.path])
            ).order_by("path")

    def save(self, commit=True):
        parent = self.cleaned_data.get("parent")
        fields = {name: self.cleaned_data[name] for name in self.Meta.fields if name != "parent"}
        if self.instance.pk is None:
            self.instance = organisation_unit_create(parent=parent, **fields)
            return self.instance
        for name, value in fields.items():
            setattr(self.instance, name, value)
        self.instance.save()
        self.instance = organisation_unit_move(unit=self.instance, new_parent=parent)
        return self.instance

    def _get_validation_exclusions(self):
        # Tree fields (path, depth, numchild) are set by the service on save.
        return super()._get_validation_exclusions() | {"path", "depth", "numchild"}
