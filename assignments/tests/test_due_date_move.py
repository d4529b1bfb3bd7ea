"""Moving an assignment's due date: members follow, late arrivals keep their own later date,
reminders start again, open enrolments' dates follow (an earlier date from elsewhere stays),
and a completion that would lapse before the new date means taking the course again."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from assignments.models import AssignmentMember
from assignments.selectors import assignment_compliance
from assignments.services.assignments import assignment_deactivate, assignment_due_date_move
from assignments.tests.factories import assignment_of
from courses.models import Enrolment
from courses.tests.factories import complete, course_with_lessons
from people.tests.factories import learner_in

pytestmark = pytest.mark.django_db


def in_days(days: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=days)


def test_members_and_their_open_enrolments_follow_and_reminders_start_again(public_service):
    unit = public_service["DEPT-A1"]
    on_time, late_arrival = learner_in(unit), learner_in(unit)
    course = course_with_lessons(lessons=1)
    assignment = assignment_of(unit, course=course, days=10)
    AssignmentMember.objects.filter(assignment=assignment).update(reminder_point=7)
    # Someone who joined late was given a later date of their own.
    AssignmentMember.objects.filter(assignment=assignment, user=late_arrival).update(due_date=in_days(20))
    Enrolment.objects.filter(user=late_arrival, course=course).update(due_date=in_days(20))

    assignment_due_date_move(assignment=assignment, due_date=in_days(15))

    members = {m.user_id: m for m in AssignmentMember.objects.filter(assignment=assignment)}
    assert members[on_time.pk].due_date == in_days(15)
    assert members[late_arrival.pk].due_date == in_days(20)  # later than the new date: kept
    assert members[on_time.pk].reminder_point is None  # their date moved: reminders start again
    assert members[late_arrival.pk].reminder_point == 7  # theirs did not
    assert Enrolment.objects.get(user=on_time, course=course).due_date == in_days(15)
    assert Enrolment.objects.get(user=late_arrival, course=course).due_date == in_days(20)

    assignment_due_date_move(assignment=assignment, due_date=in_days(30))
    assert AssignmentMember.objects.get(assignment=assignment, user=late_arrival).due_date == in_days(30)
    assert Enrolment.objects.get(user=late_arrival, course=course).due_date == in_days(30)


def test_an_earlier_date_from_another_assignment_stays_and_overdue_follows_the_move(public_service):
    unit = public_service["DEPT-A1"]
    person = learner_in(unit)
    course = course_with_lessons(lessons=1)
    earlier = assignment_of(unit, course=course, days=5)
    later = assignment_of(unit, course=course, days=40)

    assignment_due_date_move(assignment=later, due_date=in_days(60))
    assert Enrolment.objects.get(user=person, course=course).due_date == earlier.due_date

    # The earlier one moved past the later one: the enrolment is due on the earliest of the two.
    assignment_due_date_move(assignment=earlier, due_date=in_days(90))
    assert Enrolment.objects.get(user=person, course=course).due_date == in_days(60)

    # Overdue is one rule over the enrolment's date: moving a passed date clears it.
    Enrolment.objects.filter(user=person, course=course).update(due_date=in_days(-1))
    AssignmentMember.objects.filter(user=person).update(due_date=in_days(-1))
    earlier.due_date = in_days(-1)
    earlier.save(update_fields=["due_date"])
    later.due_date = in_days(-1)
    later.save(update_fields=["due_date"])
    assert Enrolment.objects.overdue().filter(user=person).exists()
    assignment_due_date_move(assignment=earlier, due_date=in_days(7))
    assignment_due_date_move(assignment=later, due_date=in_days(7))
    assert not Enrolment.objects.overdue().filter(user=person).exists()


def test_a_completion_that_would_lapse_before_the_new_date_means_taking_the_course_again(public_service):
    unit = public_service["DEPT-A1"]
    person = learner_in(unit)
    course = course_with_lessons(lessons=1, validity_months=12)
    completed = complete(person, course)
    Enrolment.objects.filter(pk=completed.pk).update(completed_at=timezone.now() - dt.timedelta(days=300))
    assignment = assignment_of(unit, course=course, days=30)
    assert assignment.members.get().enrolment_id == completed.pk

    assignment_due_date_move(assignment=assignment, due_date=in_days(120))

    member = assignment.members.get()
    assert member.enrolment_id != completed.pk
    assert member.enrolment.status == Enrolment.Status.ACTIVE
    assert member.enrolment.due_date == in_days(120)
    assert assignment_compliance(assignment=assignment).completed == 0


def test_a_stopped_assignment_or_a_past_date_is_refused_and_nothing_moves(public_service):
    unit = public_service["DEPT-A1"]
    learner_in(unit)
    assignment = assignment_of(unit, days=10)
    with pytest.raises(ValidationError) as past:
        assignment_due_date_move(assignment=assignment, due_date=in_days(-1))
    assert "due_date" in past.value.message_dict
    assignment_deactivate(assignment=assignment)
    with pytest.raises(ValidationError):
        assignment_due_date_move(assignment=assignment, due_date=in_days(20))
    assignment.refresh_from_db()
    assert assignment.due_date == in_days(10)
    assert set(assignment.members.values_list("due_date", flat=True)) == {in_days(10)}


def test_a_personal_extension_stays_and_people_who_left_are_not_enrolled_again(public_service):
    unit = public_service["DEPT-A1"]
    extended, moved_away, closed = learner_in(unit), learner_in(unit), learner_in(unit)
    course = course_with_lessons(lessons=1, validity_months=12)
    for person in (moved_away, closed):
        completed = complete(person, course)
        Enrolment.objects.filter(pk=completed.pk).update(completed_at=timezone.now() - dt.timedelta(days=300))
    assignment = assignment_of(unit, course=course, days=10)
    Enrolment.objects.filter(user=extended, course=course).update(due_date=in_days(50))  # their own extension
    moved_away.profile.unit = public_service["MIN-B"]
    moved_away.profile.save()
    closed.is_active = False
    closed.save()

    assignment_due_date_move(assignment=assignment, due_date=in_days(120))

    assert Enrolment.objects.get(user=extended, course=course).due_date == in_days(50)
    for person in (moved_away, closed):
        rows = list(
            Enrolment.objects.filter(user=person, course=course).values(
                "status", "source", "due_date", "completed_at"
            )
        )
        assert len(rows) == 1, rows  # still the completion
        assert assignment.members.get(user=person).enrolment.status == Enrolment.Status.COMPLETED
