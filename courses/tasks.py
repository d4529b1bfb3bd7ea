"""Background work for courses. Tasks take ids and call a service."""

from celery import shared_task

from courses.models import CoursePage
from courses.services import course_enrolments_reevaluate


@shared_task(name="courses.reevaluate_course_enrolments")
def reevaluate_course_enrolments(course_id: int) -> int:
    course = CoursePage.objects.filter(pk=course_id).first()
    return course_enrolments_reevaluate(course=course) if course else 0
