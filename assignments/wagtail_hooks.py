"""Assignments' wiring into the rest of Thaksa through hooks."""

from wagtail import hooks

from assignments.account_section import RemindersSection
from people.account_sections import ACCOUNT_SECTIONS_HOOK, AccountSection


@hooks.register(ACCOUNT_SECTIONS_HOOK)
def reminders_section() -> AccountSection:
    return RemindersSection()
