"""Cards on "my account" that other apps own.

People sits below the apps that know about courses, assignments or certificates, so it cannot
import them. An app that wants a card on the account page registers an `AccountSection` with
Wagtail's hook registry under `ACCOUNT_SECTIONS_HOOK`; the account view shows every registered
section, in registration order, and saves the one whose button was pressed:

    @hooks.register(ACCOUNT_SECTIONS_HOOK)
    def reminders_section() -> AccountSection:
        return RemindersSection()
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils.functional import Promise
from wagtail import hooks

from people.models import User

ACCOUNT_SECTIONS_HOOK = "thaksa_account_sections"


class AccountSection:
    """One card: a heading, a form of its own and a button that saves only that form."""

    slug: str
    heading: str | Promise  # usually gettext_lazy: read in the person's language
    submit_label: str | Promise

    @property
    def submit_name(self) -> str:
        """The name of the section's button: a POST carrying it belongs to this section."""
        return f"save_{self.slug}"

    def shown_to(self, user: User) -> bool:
        """Whether this person gets the card at all (e.g. only once there is something in it)."""
        return True

    def form_for(self, *, user: User, data: Mapping[str, Any] | None) -> forms.Form:
        """The section's form for this person, bound to `data` when the section was submitted."""
        raise NotImplementedError

    def save(self, *, user: User, form: forms.Form) -> str:
        """Save the valid form; return the confirmation to show the person."""
        raise NotImplementedError


@dataclass(frozen=True)
class ShownSection:
    """A section with its form, as the account page shows it."""

    section: AccountSection
    form: forms.Form

    @property
    def submitted(self) -> bool:
        return self.form.is_bound


def account_sections_for(*, user: User, data: Mapping[str, Any] | None) -> list[ShownSection]:
    """Every registered section with its form; only the section whose button is in `data` is bound."""
    sections = [
        section for hook in hooks.get_hooks(ACCOUNT_SECTIONS_HOOK) if (section := hook()).shown_to(user)
    ]
    return [
        ShownSection(
            section=section,
            form=section.form_for(
                user=user, data=data if data is not None and section.submit_name in data else None
            ),
        )
        for section in sections
    ]
