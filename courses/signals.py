"""Reactions to other parts of the platform: partners get their section and groups, partner
roles follow group membership, a changed lesson re-applies its course's completion rule, and a
completed course records the competencies it targets as evidence."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_delete
from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished

from competencies.evidence_sources import evidence_record_queue
from courses.competency_evidence import CourseCompletionEvidence
from courses.events import course_completed
from courses.models import CoursePage, LessonPage
from courses.services import partner_group_membership_sync, partner_section_ensure
from courses.tasks import reevaluate_course_enrolments
from organisations.models import ContentPartner
from people.models import PARTNER_ROLES, RoleAssignment


@receiver(post_save, sender=ContentPartner)
def give_new_partner_its_section(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        partner_section_ensure(partner=instance)


@receiver(post_save, sender=RoleAssignment)
@receiver(post_delete, sender=RoleAssignment)
def keep_partner_groups_in_step(sender, instance, **kwargs):
    if instance.role in PARTNER_ROLES and instance.partner_id:
        partner_group_membership_sync(user=instance.user, partner=instance.partner)


def _reevaluate_after_commit(course_id: int | None) -> None:
    if course_id is not None:
        transaction.on_commit(lambda: reevaluate_course_enrolments.delay(course_id))


@receiver(page_published, sender=LessonPage)
@receiver(page_unpublished, sender=LessonPage)
def reevaluate_when_lesson_changes(sender, instance, **kwargs):
    course = CoursePage.objects.ancestor_of(instance).only("pk").first()
    _reevaluate_after_commit(course.pk if course else None)


@receiver(pre_delete, sender=LessonPage)
def reevaluate_when_lesson_deleted(sender, instance, **kwargs):
    # The course is found now, while the lesson is still in the tree.
    course = CoursePage.objects.ancestor_of(instance).only("pk").first()
    _reevaluate_after_commit(course.pk if course else None)


@receiver(course_completed, dispatch_uid="courses.competency_evidence_on_completion")
def record_competency_evidence_on_completion(sender, enrolment, **kwargs):
    evidence_record_queue(source=CourseCompletionEvidence.name, object_id=enrolment.pk)
