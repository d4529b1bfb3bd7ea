"""The card on "my account" listing the applications a person allowed to act for them, each
with what it may do, and the way to take that back (people.account_sections)."""

from collections.abc import Mapping
from typing import Any, cast

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from api.models import Application
from api.scopes import SCOPES
from api.services import application_access_withdraw, applications_allowed_by
from people.account_sections import AccountSection
from people.models import User


class ApplicationsField(forms.ModelMultipleChoiceField[Application]):
    def label_from_instance(self, obj: Any) -> str:
        may = "; ".join(str(SCOPES[name]) for name in obj.scope_list if name in SCOPES)
        return _("%(name)s (it may: %(may)s)") % {"name": obj.name, "may": may}


class AllowedApplicationsForm(forms.Form):
    applications = ApplicationsField(
        queryset=Application.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label=gettext_lazy("Withdraw the permission of"),
        error_messages={"required": gettext_lazy("Tick the applications whose permission you take back.")},
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(ApplicationsField, self.fields["applications"]).queryset = applications_allowed_by(user=user)


class AllowedApplicationsSection(AccountSection):
    slug = "applications"
    heading = gettext_lazy("Applications you allowed")
    submit_label = gettext_lazy("Withdraw their permission")

    def shown_to(self, user: User) -> bool:
        return applications_allowed_by(user=user).exists()

    def form_for(self, *, user: User, data: Mapping[str, Any] | None) -> forms.Form:
        return AllowedApplicationsForm(data, user=user)

    def save(self, *, user: User, form: forms.Form) -> str:
        chosen = list(form.cleaned_data["applications"])
        for application in chosen:
            application_access_withdraw(user=user, application=application)
        return _("Done: %(names)s can no longer act for you, and will have to ask you again.") % {
            "names": ", ".join(application.name for application in chosen)
        }
