"""The dashboards' filter form: a GET form that works without JavaScript, and the one reading of
a request's query string into `DashboardFilters` (the pages, the exports and the PDF report
all call `dashboard_filters_from`).

A value the viewer may not choose is dropped, never widened: a fiscal year without data falls
back to the current one, a unit outside `visible_units(viewer)` or a partner outside
`content_partners_visible(viewer)` is ignored (the form shows why)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from analytics.models import SNAPSHOT, AggregateCell
from analytics.selectors.contract import DashboardFilters
from lms.thai_calendar import FiscalYear, current_fiscal_year
from organisations.forms import UnitChoiceField
from organisations.models import OrganisationUnit
from people.civil_service import EmploymentType, PositionType
from people.models import RoleGroup
from people.permissions import content_partners_visible, visible_units


def fiscal_years_with_data() -> list[int]:
    """The fiscal years (Buddhist era) the aggregates hold, and the current one, newest first."""
    years = set(
        AggregateCell.objects.exclude(fiscal_year=SNAPSHOT).values_list("fiscal_year", flat=True).distinct()
    )
    years.add(current_fiscal_year().year)
    return sorted(years, reverse=True)


class VisibleUnitField(UnitChoiceField):
    """A unit the viewer may see, indented from the top of their own scope."""

    def __init__(self, *, viewer, **kwargs):
        super().__init__(queryset=visible_units(viewer), **kwargs)
        self._top_depth: int | None = None

    def label_from_instance(self, unit: OrganisationUnit) -> str:
        if self._top_depth is None:
            self._top_depth = unit.depth  # choices come in tree order: the first is the top
        return "— " * max(unit.depth - self._top_depth, 0) + unit.name


class DashboardFilterForm(forms.Form):
    fy = forms.TypedChoiceField(label=_("Fiscal year"), coerce=int, required=False, empty_value=None)
    unit = forms.Field(required=False)  # replaced per viewer in __init__
    position_type = forms.ChoiceField(
        label=_("Position type"),
        required=False,
        choices=[("", _("All position types")), *PositionType.choices],
    )
    role_group = forms.ModelChoiceField(
        label=_("Role group"),
        queryset=RoleGroup.objects.all(),
        required=False,
        empty_label=_("All role groups"),
    )
    employment_type = forms.ChoiceField(
        label=_("Employment type"),
        required=False,
        choices=[("", _("All employment types")), *EmploymentType.choices],
    )
    partner = forms.Field(required=False)  # replaced per viewer in __init__

    def __init__(self, data=None, *, viewer, **kwargs):
        super().__init__(data, **kwargs)
        self.viewer = viewer
        self.fields["fy"].choices = [(year, FiscalYear(year).label()) for year in fiscal_years_with_data()]
        self.fields["fy"].initial = current_fiscal_year().year
        self.fields["unit"] = VisibleUnitField(
            viewer=viewer, label=_("Organisation unit"), required=False, empty_label=_("All units I may see")
        )
        self.fields["partner"] = forms.ModelChoiceField(
            label=_("Content partner"),
            queryset=content_partners_visible(viewer).order_by("code"),
            required=False,
            empty_label=None,
        )

    @classmethod
    def for_request(cls, request) -> "DashboardFilterForm":
        form = cls(request.GET or None, viewer=request.user)
        if form.is_bound:
            form.is_valid()
        return form

    def filters(self) -> DashboardFilters:
        """The valid choices; anything invalid or missing is left at its default."""
        cleaned = getattr(self, "cleaned_data", {})
        unit = cleaned.get("unit")
        role_group = cleaned.get("role_group")
        partner = cleaned.get("partner")
        return DashboardFilters(
            fiscal_year=cleaned.get("fy") or current_fiscal_year().year,
            unit_id=unit.pk if unit else None,
            position_type=cleaned.get("position_type", ""),
            role_group_id=role_group.pk if role_group else None,
            employment_type=cleaned.get("employment_type", ""),
            partner_id=partner.pk if partner else None,
        )


def dashboard_filters_from(request) -> DashboardFilters:
    """The filters a request asks for, limited to what its user may choose."""
    return DashboardFilterForm.for_request(request).filters()
