"""The reminder settings card on "my account" (registered in wagtail_hooks.py)."""

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assignments.forms import ReminderPreferenceForm
from assignments.selectors import reminder_preference_of
from assignments.services.reminders import reminder_preference_set
from people.account_sections import AccountSection
from people.models import User
from people.permissions import managed_unit_paths


class RemindersSection(AccountSection):
    """How the person wants to hear about assigned courses; HR managers also choose whether
    they get the digest of their staff."""

    slug = "reminders"
    heading = gettext_lazy("Reminders about assigned courses")
    submit_label = gettext_lazy("Save reminder settings")

    def form_for(self, *, user: User, data: Mapping[str, Any] | None) -> ReminderPreferenceForm:
        return ReminderPreferenceForm(
            data,
            instance=reminder_preference_of(user=user),
            is_manager=bool(managed_unit_paths(user)),
        )

    def save(self, *, user: User, form: ReminderPreferenceForm) -> str:
        reminder_preference_set(
            user=user,
            frequency=form.cleaned_data["frequency"],
            manager_digest=form.cleaned_data.get("manager_digest", form.instance.manager_digest),
        )
        return _("Your reminder settings have been saved.")
