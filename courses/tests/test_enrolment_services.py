import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from courses.models import CoursePrerequisite, Enrolment, EnrolmentMode
from courses.selectors import course_lessons
from courses.services import (
    enrolment_assign,
    enrolment_decide,
    enrolment_request,
    enrolment_withdraw,
    lesson_progress_record,
    lesson_visit,
)
from courses.tests.factories import course_with_lessons
from people.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_learner_enrols_in_an_open_course_once():
    course, learner = course_with_lessons(), UserFactory()

    first = enrolment_request(user=learner, course=course)
    again = enrolment_request(user=learner, course=course)

    assert first.pk == again.pk
    assert first.status == Enrolment.Status.ACTIVE
    assert first.source == Enrolment.Source.SELF
    assert first.enrolled_at is not None


def test_course_by_approval_waits_until_approved():
    course, learner, admin = (
        course_with_lessons(enrolment_mode=EnrolmentMode.BY_APPROVAL),
        UserFactory(),
        UserFactory(),
    )

    enrolment = enrolment_request(user=learner, course=course)
    assert enrolment.status == Enrolment.Status.PENDING
    with pytest.raises(ValidationError):
        lesson_visit(enrolment=enrolment, lesson=course_lessons(course=course)[0])

    enrolment_decide(enrolment=enrolment, approve=True, decided_by=admin)
    assert enrolment.status == Enrolment.Status.ACTIVE
    assert enrolment.decided_by == admin


def test_course_by_assignment_refuses_self_enrolment_with_advice():
    course = course_with_lessons(enrolment_mode=EnrolmentMode.BY_ASSIGNMENT)

    with pytest.raises(ValidationError, match="ผู้บริหารงานบุคคล"):
        enrolment_request(user=UserFactory(), course=course)


def test_prerequisites_are_enforced_and_named():
    basics = course_with_lessons(title="พื้นฐาน PDPA", lessons=1)
    advanced = course_with_lessons(title="PDPA ขั้นสูง")
    CoursePrerequisite.objects.create(course=advanced, prerequisite=basics)
    learner = UserFactory()

    with pytest.raises(ValidationError, match="พื้นฐาน PDPA"):
        enrolment_request(user=learner, course=advanced)

    basics_enrolment = enrolment_request(user=learner, course=basics)
    lesson_progress_record(
        enrolment=basics_enrolment, lesson=course_lessons(course=basics)[0], reached_end=True
    )
    assert enrolment_request(user=learner, course=advanced).status == Enrolment.Status.ACTIVE


def test_leaving_keeps_progress_and_coming_back_reopens_it():
    course, learner = course_with_lessons(), UserFactory()
    enrolment = enrolment_request(user=learner, course=course)
    lesson_progress_record(enrolment=enrolment, lesson=course_lessons(course=course)[0], reached_end=True)

    enrolment_withdraw(enrolment=enrolment)
    assert enrolment.status == Enrolment.Status.WITHDRAWN
    back = enrolment_request(user=learner, course=course)

    assert back.pk == enrolment.pk
    assert back.status == Enrolment.Status.ACTIVE
    assert back.progress_percent == 33


def test_assigned_course_cannot_be_left_by_the_learner():
    course, learner, hr = course_with_lessons(), UserFactory(), UserFactory()
    due = dt.date(2027, 9, 30)

    enrolment = enrolment_assign(user=learner, course=course, assigned_by=hr, due_date=due)

    assert (enrolment.source, enrolment.due_date, enrolment.decided_by) == (
        Enrolment.Source.ASSIGNMENT,
        due,
        hr,
    )
    with pytest.raises(ValidationError, match="ผู้บริหารงานบุคคล"):
        enrolment_withdraw(enrolment=enrolment)


def test_assignment_takes_over_a_self_enrolment_and_keeps_its_progress():
    course, learner, hr = course_with_lessons(), UserFactory(), UserFactory()
    own = enrolment_request(user=learner, course=course)
    lesson_progress_record(enrolment=own, lesson=course_lessons(course=course)[0], reached_end=True)

    assigned = enrolment_assign(user=learner, course=course, assigned_by=hr)

    assert assigned.pk == own.pk
    assert assigned.progress_percent == 33
    assert Enrolment.objects.filter(user=learner, course=course).count() == 1
