"""Forms: a new assignment (HR managers) and a person's reminder preference ("my account")."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assignments.models import ReminderPreference
from courses.models import CoursePage
from organisations.forms import UnitChoiceField
from people.civil_service import EmploymentType, PositionType
from people.models import RoleGroup, User
from people.permissions import visible_people_in, visible_units

EMAIL_SEPARATORS = re.compile(r"[\s,;]+")


class CourseChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, course: CoursePage) -> str:
        return f"{course.display_title} ({course.code})"


class AssignmentForm(forms.Form):
    """What an HR manager chooses; `assignment_fields()` is what `assignment_create` takes."""

    course = CourseChoiceField(queryset=CoursePage.objects.none(), label=_("Course"))
    campaign = forms.CharField(
        label=_("Campaign"),
        max_length=255,
        required=False,
        help_text=_("A name people will recognise, e.g. “PDPA for all staff by 30 September”."),
    )
    unit = UnitChoiceField(
        queryset=None, label=_("Organisation unit"), help_text=_("The unit and every unit below it.")
    )
    position_type = forms.ChoiceField(
        label=_("Position type"), choices=[("", _("Any")), *PositionType.choices], required=False
    )
    role_group = forms.ModelChoiceField(
        label=_("Role group"), queryset=RoleGroup.objects.all(), required=False, empty_label=_("Any")
    )
    employment_type = forms.ChoiceField(
        label=_("Employment type"), choices=[("", _("Any")), *EmploymentType.choices], required=False
    )
    people = forms.CharField(
        label=_("Only these people (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "E-mail addresses, one per line. Leave empty to assign everyone in the unit who matches "
            "the filters."
        ),
    )
    due_date = forms.DateField(label=_("Due date"), widget=forms.DateInput(attrs={"type": "date"}))
    is_mandatory = forms.BooleanField(label=_("Mandatory"), required=False, initial=True)
    includes_new_staff = forms.BooleanField(
        label=_("Include people who join later"),
        required=False,
        initial=True,
        help_text=_("People who arrive in the unit later and match are assigned too, until the due date."),
    )

    def __init__(self, *args, viewer: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.viewer = viewer
        self.fields["course"].queryset = CoursePage.objects.live().order_by("title")
        self.fields["unit"].queryset = visible_units(viewer).order_by("path")

    def clean_due_date(self):
        due_date = self.cleaned_data["due_date"]
        if due_date < timezone.localdate():
            raise ValidationError(_("The due date has passed. Choose today or a later date."))
        return due_date

    def clean(self):
        cleaned = super().clean()
        unit = cleaned.get("unit")
        addresses = [part.lower() for part in EMAIL_SEPARATORS.split(cleaned.get("people", "")) if part]
        invalid = []
        for address in addresses:
            try:
                validate_email(address)
            except ValidationError:
                invalid.append(address)
        if invalid:
            self.add_error(
                "people",
                _("These are not e-mail addresses: %(addresses)s. Correct them and try again.")
                % {"addresses": ", ".join(invalid)},
            )
            return cleaned
        people: list[User] = []
        if addresses and unit is not None:
            people = list(visible_people_in(self.viewer, unit).filter(email__in=addresses))
            missing = sorted(set(addresses) - {person.email for person in people})
            if missing:
                self.add_error(
                    "people",
                    _(
                        "These people are not among the people you manage in the chosen unit: %(emails)s. "
                        "Check the addresses, or choose the unit they belong to."
                    )
                    % {"emails": ", ".join(missing)},
                )
            # The audience is people with an active account (assignments.selectors): say so
            # here rather than leave a named person out without a word.
            closed = sorted(person.email for person in people if not person.is_active)
            if closed:
                self.add_error(
                    "people",
                    _(
                        "These people's accounts are closed, so a course cannot be assigned to "
                        "them: %(emails)s. Remove them from the list."
                    )
                    % {"emails": ", ".join(closed)},
                )
        cleaned["named_people"] = people
        return cleaned

    def assignment_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "course": data["course"],
            "campaign": data["campaign"],
            "unit": data["unit"],
            "position_type": data["position_type"],
            "role_group": data["role_group"],
            "employment_type": data["employment_type"],
            "people": data["named_people"],
            "due_date": data["due_date"],
            "is_mandatory": data["is_mandatory"],
            "includes_new_staff": data["includes_new_staff"],
        }

    def audience_fields(self) -> dict:
        fields = self.assignment_fields()
        return {
            key: fields[key] for key in ("unit", "position_type", "role_group", "employment_type", "people")
        }


class ReminderPreferenceForm(forms.ModelForm):
    class Meta:
        model = ReminderPreference
        fields = ["frequency", "manager_digest"]
        widgets = {"frequency": forms.RadioSelect}

    def __init__(self, *args, is_manager: bool, **kwargs):
        kwargs.setdefault("prefix", "reminders")
        super().__init__(*args, **kwargs)
        if not is_manager:
            del self.fields["manager_digest"]
