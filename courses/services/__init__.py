"""Writes about courses. Other apps import from here; each module holds one concern."""

from courses.services.enrolment import (
    enrolment_assign,
    enrolment_decide,
    enrolment_request,
    enrolment_withdraw,
)
from courses.services.partners import catalogue_ensure, partner_group_membership_sync, partner_section_ensure
from courses.services.progress import (
    activity_progress_record,
    course_completion_evaluate,
    course_enrolments_reevaluate,
    lesson_is_complete,
    lesson_progress_record,
    lesson_visit,
)

__all__ = [
    "activity_progress_record",
    "catalogue_ensure",
    "course_completion_evaluate",
    "course_enrolments_reevaluate",
    "enrolment_assign",
    "enrolment_decide",
    "enrolment_request",
    "enrolment_withdraw",
    "lesson_is_complete",
    "lesson_progress_record",
    "lesson_visit",
    "partner_group_membership_sync",
    "partner_section_ensure",
]
