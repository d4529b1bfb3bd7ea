"""Reactions: people arriving in a unit (or changing position type, role group or employment
type) get the assignments that now cover them, once the change is committed.

A profile remembers the values it was loaded with, so only a real change triggers the work.
Bulk `QuerySet.update()` sends no signals: code that moves many people that way must call
`assignment_apply_to_person` for each of them itself.
"""

from django.db import transaction
from django.db.models.signals import post_init, post_save
from django.dispatch import receiver

from assignments.services.assignments import assignment_apply_to_person
from people.models import LearnerProfile, User

WATCHED_FIELDS = ("unit_id", "position_type", "role_group_id", "employment_type")
_LOADED = "_assignments_loaded"


def _watched(profile: LearnerProfile) -> tuple:
    # Read from __dict__: a deferred field must not cost a query for every profile loaded.
    return tuple(profile.__dict__.get(name, _LOADED) for name in WATCHED_FIELDS)


@receiver(post_init, sender=LearnerProfile, dispatch_uid="assignments.remember_profile")
def remember_profile(sender, instance: LearnerProfile, **kwargs):
    setattr(instance, _LOADED, _watched(instance))


@receiver(post_save, sender=LearnerProfile, dispatch_uid="assignments.apply_to_arrivals")
def apply_assignments_to_arrivals(
    sender, instance: LearnerProfile, created: bool, raw: bool = False, **kwargs
):
    if raw:
        return
    loaded = getattr(instance, _LOADED, None)
    current = _watched(instance)
    setattr(instance, _LOADED, current)
    if not created and loaded == current and _LOADED not in loaded:
        return
    user_id = instance.user_id
    transaction.on_commit(lambda: _apply(user_id))


def _apply(user_id: int) -> None:
    user = User.objects.filter(pk=user_id).first()
    if user is not None:
        assignment_apply_to_person(user=user)
