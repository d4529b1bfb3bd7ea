"""Forms for people's own account pages and the user admin."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.users.forms import UserCreationForm, UserEditForm

from organisations.forms import UnitChoiceField
from people.models import LearnerProfile, RoleAssignment, RoleGroup, User

BILINGUAL_NAME_FIELDS = ["title", "first_name_en", "last_name_en", "preferred_language"]


class SignInForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("E-mail address"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )
    error_messages = {
        "invalid_login": _(
            "The e-mail address or password is not correct. Check both and try again, or reset your password."
        ),
        "inactive": _("This account has been closed. Contact your agency's HR officer."),
    }


class AccountForm(forms.ModelForm):
    """What a person may change about themselves; unit and position are kept by HR."""

    class Meta:
        model = User
        fields = ["title", "first_name", "last_name", "first_name_en", "last_name_en", "preferred_language"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        language = self.fields["preferred_language"]
        language.required = True
        language.choices = [choice for choice in language.choices if choice[0]]


class ThaksaUserCreationForm(UserCreationForm):
    class Meta(UserCreationForm.Meta):
        model = User
        fields = UserCreationForm.Meta.fields | set(BILINGUAL_NAME_FIELDS)


class ThaksaUserEditForm(UserEditForm):
    class Meta(UserEditForm.Meta):
        model = User
        fields = UserEditForm.Meta.fields | set(BILINGUAL_NAME_FIELDS)


class PersonByEmailField(forms.ModelChoiceField):
    """Choose a person by typing their e-mail address: a drop-down of thousands is unusable."""

    default_error_messages = {
        "invalid_choice": _(
            "No person has this e-mail address. Check it, or add the person under Users first."
        ),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Person (e-mail address)"))
        super().__init__(
            queryset=User.objects.all(), to_field_name="email", widget=forms.EmailInput, **kwargs
        )

    def to_python(self, value):
        return super().to_python(value.strip().lower() if isinstance(value, str) else value)


class LearnerProfileAdminForm(WagtailAdminModelForm):
    user = PersonByEmailField()

    class Meta:
        model = LearnerProfile
        fields = [
            "user", "unit", "employment_type", "position_title", "position_type",
            "position_level", "role_group", "employee_number",
        ]  # fmt: skip
        field_classes = {"unit": UnitChoiceField}


class RoleAssignmentAdminForm(WagtailAdminModelForm):
    user = PersonByEmailField()

    class Meta:
        model = RoleAssignment
        fields = ["user", "role", "unit", "partner"]
        field_classes = {"unit": UnitChoiceField}


class MoveToUnitForm(forms.Form):
    unit = UnitChoiceField(label=_("Move to"))


class SetRoleGroupForm(forms.Form):
    role_group = forms.ModelChoiceField(
        queryset=RoleGroup.objects.all(), required=False, label=_("Role group"),
        help_text=_("Leave empty to clear the role group."),
    )  # fmt: skip
