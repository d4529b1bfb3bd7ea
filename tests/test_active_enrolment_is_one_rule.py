""" "Which enrolment is current, and is it active" means one thing wherever it is asked.

One course and one learner per state an enrolment can be in: waiting for approval, in
progress, assigned, completed, withdrawn, turned down, in progress with the account since
deactivated, and completed then taken again. The course page and the catalogue's badge must
name the same current enrolment; "may open the lessons" (`is_open_for_learning`), what
progress may be recorded on, "my learning", the re-evaluation of a new course version and
the dashboard's "active learners" must draw the same lines (`LEARNING_STATUSES`,
`Enrolment.objects.in_progress`, `OPEN_STATUSES`).
"""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from analytics.selectors.agency import dashboard
from analytics.selectors.contract import DashboardFilters
from analytics.services import aggregates_rebuild, people_with_dated_changes
from courses.models import LEARNING_STATUSES, OPEN_STATUSES, CoursePage, Enrolment
from courses.selectors import catalogue_page, course_lessons, current_enrolment, my_learning
from courses.services import enrolment_assign, enrolment_request, enrolment_withdraw, lesson_progress_record
from courses.tests.factories import complete, course_with_lessons
from lms.thai_calendar import fiscal_year_of
from people.tests.factories import hr_manager_of, learner_in

pytestmark = pytest.mark.django_db

Status = Enrolment.Status


@pytest.fixture
def course_and_learners(public_service):
    unit = public_service["DEPT-A1"]
    manager = hr_manager_of(unit, preferred_language="en")
    course = course_with_lessons(lessons=1)
    labels = ["pending", "active", "assigned", "completed", "withdrawn", "rejected", "left", "again"]
    people = {label: learner_in(unit, first_name=label, last_name="Tester") for label in labels}
    for label, status in [("pending", Status.PENDING), ("rejected", Status.REJECTED)]:
        Enrolment.objects.create(
            user=people[label], course=course, status=status, source=Enrolment.Source.APPROVAL
        )
    enrolment_request(user=people["active"], course=course)
    enrolment_assign(user=people["assigned"], course=course, assigned_by=manager)
    complete(people["completed"], course)
    enrolment_withdraw(enrolment=enrolment_request(user=people["withdrawn"], course=course))
    enrolment_request(user=people["left"], course=course)
    people["left"].is_active = False
    people["left"].save()
    complete(people["again"], course)
    enrolment_request(user=people["again"], course=course)
    return {"course": course, "people": people, "manager": manager, "unit": unit}


def test_every_page_and_figure_agrees_on_the_current_and_the_active_enrolment(course_and_learners):
    course, people = course_and_learners["course"], course_and_learners["people"]
    [lesson] = course_lessons(course=course)
    expected_current = {
        "pending": Status.PENDING,
        "active": Status.ACTIVE,
        "assigned": Status.ACTIVE,
        "completed": Status.COMPLETED,
        "withdrawn": Status.WITHDRAWN,
        "rejected": Status.REJECTED,
        "left": Status.ACTIVE,
        "again": Status.ACTIVE,  # the new attempt, not the earlier completion
    }
    in_progress = set(Enrolment.objects.in_progress().values_list("pk", flat=True))
    assert {enrolment.status for enrolment in Enrolment.objects.filter(pk__in=in_progress)} == {Status.ACTIVE}

    for label, person in people.items():
        current = current_enrolment(user=person, course=course)
        assert current is not None, label
        assert current.status == expected_current[label], label

        # The catalogue's badge shows the same enrolment; withdrawn and turned-down ones are history.
        [listed] = catalogue_page(courses=CoursePage.objects.filter(pk=course.pk), page_number=1, user=person)
        shown = listed.enrolment
        if current.status in (*OPEN_STATUSES, Status.COMPLETED):
            assert getattr(shown, "pk", None) == current.pk, label
        else:
            assert shown is None, label

        # Progress is recorded on exactly the enrolments open for learning.
        try:
            lesson_progress_record(enrolment=current, lesson=lesson, seconds=0)
            recorded = True
        except ValidationError:
            recorded = False
        assert recorded == current.is_open_for_learning, label

        # "My learning" lists as under way exactly the enrolments in progress.
        mine = my_learning(user=person)
        assert {e.pk for e in mine.assigned + mine.in_progress} == {
            e.pk for e in Enrolment.objects.in_progress().filter(user=person)
        }, label
        assert {e.pk for e in mine.pending} == set(
            Enrolment.objects.filter(user=person, status=Status.PENDING).values_list("pk", flat=True)
        ), label

    # A new fiscal year refreshes the people with a course in progress (account state aside).
    today = timezone.localdate()
    new_year = fiscal_year_of(today).end + dt.timedelta(days=1)
    moved_on = people_with_dated_changes(since=new_year - dt.timedelta(days=1), today=new_year)
    assert moved_on == set(Enrolment.objects.in_progress().values_list("user_id", flat=True))
    assert {person.first_name for person in people.values() if person.pk in moved_on} == {
        "active",
        "assigned",
        "left",
        "again",
    }

    # The dashboard's "active learners": staff with an enrolment in LEARNING_STATUSES this year.
    aggregates_rebuild(resume=False)
    board = dashboard(
        viewer=course_and_learners["manager"],
        filters=DashboardFilters(
            fiscal_year=fiscal_year_of(today).year, unit_id=course_and_learners["unit"].pk
        ),
    )
    figures = {figure.key: figure.value for figure in board.figures}
    learning = Enrolment.objects.filter(status__in=LEARNING_STATUSES, user__is_active=True)
    assert figures["active_learners"] == learning.values("user").distinct().count() == 4
