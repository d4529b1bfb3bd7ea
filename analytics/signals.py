"""Reactions: every change to a row a person's contribution is computed from queues that
person for a refresh after the transaction commits (analytics.services.person_contributions_queue).

Writes through bulk queries (QuerySet.update, bulk_create) send no signals: the services
that make them queue the people themselves.
"""

from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver

from analytics.services import person_contributions_queue, person_contributions_withdraw
from assignments.models import Assignment, AssignmentMember
from competencies.models import CompetencyEvidence, RoleRequirement
from courses.models import Enrolment, LearningHoursEntry
from people.models import LearnerProfile, RoleGroup, User

# What a learner's progress reports save (courses.services.progress): none of it is counted.
PROGRESS_FIELDS = frozenset({"last_activity_at", "last_lesson", "last_lesson_id", "progress_percent"})
# The post-test score counts only once the course is completed.
SCORE_FIELDS = frozenset({"score"})
# What of an assignment its members' numbers depend on.
ASSIGNMENT_FIELDS = ("is_active", "is_mandatory", "due_date")


def _people_in_role_group(role_group_id: int | None) -> list[int]:
    if not role_group_id:
        return []
    return list(LearnerProfile.objects.filter(role_group_id=role_group_id).values_list("user_id", flat=True))


@receiver(post_save, sender=Enrolment, dispatch_uid="analytics.enrolment_saved")
def enrolment_saved(sender, instance: Enrolment, created: bool, update_fields=None, **kwargs) -> None:
    if update_fields is not None:
        changed = frozenset(update_fields)
        if changed <= PROGRESS_FIELDS:
            return
        if changed <= PROGRESS_FIELDS | SCORE_FIELDS and instance.status != Enrolment.Status.COMPLETED:
            return
    person_contributions_queue(user_ids=[instance.user_id])


@receiver(post_save, sender=LearningHoursEntry, dispatch_uid="analytics.hours_saved")
@receiver(post_save, sender=CompetencyEvidence, dispatch_uid="analytics.evidence_saved")
@receiver(post_save, sender=LearnerProfile, dispatch_uid="analytics.profile_saved")
@receiver(post_save, sender=AssignmentMember, dispatch_uid="analytics.assignment_member_saved")
@receiver(post_delete, sender=Enrolment, dispatch_uid="analytics.enrolment_deleted")
@receiver(post_delete, sender=LearningHoursEntry, dispatch_uid="analytics.hours_deleted")
@receiver(post_delete, sender=CompetencyEvidence, dispatch_uid="analytics.evidence_deleted")
@receiver(post_delete, sender=LearnerProfile, dispatch_uid="analytics.profile_deleted")
@receiver(post_delete, sender=AssignmentMember, dispatch_uid="analytics.assignment_member_deleted")
def persons_row_changed(sender, instance, **kwargs) -> None:
    person_contributions_queue(user_ids=[instance.user_id])


@receiver(pre_save, sender=User, dispatch_uid="analytics.user_saving")
def user_saving(sender, instance: User, update_fields=None, **kwargs) -> None:
    if instance._state.adding or (update_fields is not None and "is_active" not in update_fields):
        return
    instance._analytics_was_active = (
        User.objects.filter(pk=instance.pk).values_list("is_active", flat=True).first()
    )


@receiver(post_save, sender=User, dispatch_uid="analytics.user_saved")
def user_saved(sender, instance: User, **kwargs) -> None:
    was_active = instance.__dict__.pop("_analytics_was_active", instance.is_active)
    if was_active != instance.is_active:
        person_contributions_queue(user_ids=[instance.pk])


@receiver(pre_delete, sender=User, dispatch_uid="analytics.user_deleting")
def user_deleting(sender, instance: User, **kwargs) -> None:
    # The stored contribution is deleted with the person: take their numbers out first.
    person_contributions_withdraw(user_ids=[instance.pk])


@receiver(pre_save, sender=Assignment, dispatch_uid="analytics.assignment_saving")
def assignment_saving(sender, instance: Assignment, **kwargs) -> None:
    if instance._state.adding:
        return
    instance._analytics_before = (
        Assignment.objects.filter(pk=instance.pk).values_list(*ASSIGNMENT_FIELDS).first()
    )


@receiver(post_save, sender=Assignment, dispatch_uid="analytics.assignment_saved")
def assignment_saved(sender, instance: Assignment, created: bool, **kwargs) -> None:
    before = instance.__dict__.pop("_analytics_before", None)
    if created or before != tuple(getattr(instance, name) for name in ASSIGNMENT_FIELDS):
        # New: its members are added in bulk after this save, in the same transaction.
        person_contributions_queue(assignment_ids=[instance.pk])


@receiver(pre_save, sender=RoleRequirement, dispatch_uid="analytics.role_requirement_saving")
def role_requirement_saving(sender, instance: RoleRequirement, **kwargs) -> None:
    if not instance._state.adding:
        # A requirement moved to another role group changes the old group's people too.
        instance._analytics_role_group_before = (
            RoleRequirement.objects.filter(pk=instance.pk).values_list("role_group_id", flat=True).first()
        )


@receiver(post_save, sender=RoleRequirement, dispatch_uid="analytics.role_requirement_saved")
@receiver(post_delete, sender=RoleRequirement, dispatch_uid="analytics.role_requirement_deleted")
def role_requirement_changed(sender, instance: RoleRequirement, **kwargs) -> None:
    before = instance.__dict__.pop("_analytics_role_group_before", None)
    people = _people_in_role_group(instance.role_group_id)
    if before and before != instance.role_group_id:
        people += _people_in_role_group(before)
    person_contributions_queue(user_ids=people)


@receiver(pre_delete, sender=RoleGroup, dispatch_uid="analytics.role_group_deleting")
def role_group_deleting(sender, instance: RoleGroup, **kwargs) -> None:
    # Its people lose it through SET NULL, an update that sends no signal: queue them now.
    person_contributions_queue(user_ids=_people_in_role_group(instance.pk))
