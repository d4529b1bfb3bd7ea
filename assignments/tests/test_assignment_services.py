import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from assignments.models import Assignment, AssignmentMember
from assignments.selectors import assignment_compliance
from assignments.services.assignments import assignment_create
from assignments.tests.factories import assignment_of
from courses.models import Enrolment
from courses.selectors import course_lessons
from courses.services import enrolment_request, lesson_progress_record
from courses.tests.factories import complete, course_with_lessons
from people.civil_service import EmploymentType, PositionType
from people.tests.factories import (
    LearnerProfileFactory,
    RoleGroupFactory,
    UserFactory,
    hr_manager_of,
    learner_in,
)

pytestmark = pytest.mark.django_db


def _members(assignment) -> set[str]:
    return set(assignment.members.values_list("user__email", flat=True))


def test_assignment_covers_active_people_of_the_unit_and_below_with_assigned_enrolments(public_service):
    units = public_service
    hr = hr_manager_of(units["DEPT-A1"])
    in_dept = learner_in(units["DEPT-A1"], email="dept@a1.go.th")
    in_division = learner_in(units["DIV-A1-ICT"], email="ict@a1.go.th")
    learner_in(units["DEPT-A2"], email="other-dept@a2.go.th")
    learner_in(units["MIN-B"], email="other-ministry@b.go.th")
    learner_in(units["DIV-A1-HR"], email="left@a1.go.th", is_active=False)
    course = course_with_lessons(lessons=1)
    due = timezone.localdate() + dt.timedelta(days=30)

    assignment = assignment_create(
        created_by=hr, course=course, unit=units["DEPT-A1"], due_date=due, campaign="PDPA for all staff"
    )

    assert _members(assignment) == {"dept@a1.go.th", "ict@a1.go.th"}
    for person in (in_dept, in_division):
        enrolment = Enrolment.objects.get(user=person, course=course)
        assert enrolment.source == Enrolment.Source.ASSIGNMENT
        assert enrolment.status == Enrolment.Status.ACTIVE
        assert enrolment.due_date == due
        assert enrolment.decided_by == hr
        assert AssignmentMember.objects.get(assignment=assignment, user=person).enrolment == enrolment
    assert Enrolment.objects.filter(course=course).count() == 2


def test_filters_narrow_who_is_assigned(public_service):
    unit = public_service["DEPT-A1"]
    group = RoleGroupFactory(code="TEC")
    match = LearnerProfileFactory(
        unit=unit, user=UserFactory(email="match@a1.go.th"),
        position_type=PositionType.KNOWLEDGE_WORKER, role_group=group,
    )  # fmt: skip
    LearnerProfileFactory(
        unit=unit, user=UserFactory(email="other-type@a1.go.th"),
        position_type=PositionType.GENERAL, role_group=group,
    )  # fmt: skip
    LearnerProfileFactory(
        unit=unit, user=UserFactory(email="no-group@a1.go.th"), position_type=PositionType.KNOWLEDGE_WORKER
    )
    LearnerProfileFactory(
        unit=unit, user=UserFactory(email="employee@a1.go.th"),
        employment_type=EmploymentType.GOVERNMENT_EMPLOYEE, role_group=group,
    )  # fmt: skip

    assignment = assignment_of(
        unit,
        position_type=PositionType.KNOWLEDGE_WORKER,
        role_group=group,
        employment_type=EmploymentType.CIVIL_SERVANT,
    )

    assert _members(assignment) == {match.user.email}


def test_named_people_are_the_only_ones_assigned(public_service):
    unit = public_service["DEPT-A1"]
    chosen = learner_in(public_service["DIV-A1-HR"], email="chosen@a1.go.th")
    learner_in(unit, email="not-chosen@a1.go.th")

    assignment = assignment_of(unit, people=[chosen])

    assert _members(assignment) == {"chosen@a1.go.th"}
    assert list(assignment.people.all()) == [chosen]


def test_named_people_outside_the_managers_units_are_refused_and_nothing_is_created(public_service):
    units = public_service
    hr = hr_manager_of(units["DEPT-A1"])
    inside = learner_in(units["DEPT-A1"])
    outside = learner_in(units["DEPT-A2"], email="outside@a2.go.th")

    with pytest.raises(ValidationError) as refused:
        assignment_of(units["DEPT-A1"], created_by=hr, people=[inside, outside])

    assert "outside@a2.go.th" in refused.value.message_dict["people"][0]
    assert not Assignment.objects.exists()
    assert not Enrolment.objects.exists()


def test_a_unit_outside_the_managers_scope_a_past_due_date_and_an_unpublished_course_are_refused(
    public_service,
):
    units = public_service
    hr = hr_manager_of(units["DEPT-A1"])
    course = course_with_lessons(lessons=1)
    course.unpublish()

    with pytest.raises(ValidationError) as refused:
        assignment_create(
            created_by=hr,
            course=course,
            unit=units["MIN-B"],
            due_date=timezone.localdate() - dt.timedelta(days=1),
        )

    assert set(refused.value.message_dict) == {"unit", "course", "due_date"}
    assert not Assignment.objects.exists()


def test_someone_already_taking_the_course_keeps_their_enrolment_and_progress(public_service):
    unit = public_service["DEPT-A1"]
    person = learner_in(unit)
    course = course_with_lessons(lessons=2)
    own = enrolment_request(user=person, course=course)
    lesson_progress_record(enrolment=own, lesson=course_lessons(course=course)[0], reached_end=True)

    assignment = assignment_of(unit, course=course)

    enrolment = Enrolment.objects.get(user=person, course=course)
    assert enrolment.pk == own.pk
    assert enrolment.progress_percent == 50
    assert enrolment.source == Enrolment.Source.ASSIGNMENT
    assert assignment.members.get().enrolment == enrolment


def test_an_earlier_due_date_from_another_assignment_of_the_course_is_kept(public_service):
    unit = public_service["DEPT-A1"]
    person = learner_in(unit)
    course = course_with_lessons(lessons=1)
    first = assignment_of(unit, course=course, days=10)
    second = assignment_of(unit, course=course, days=40)

    enrolment = Enrolment.objects.get(user=person, course=course)
    assert enrolment.due_date == first.due_date
    assert second.members.get().due_date == second.due_date
    assert second.members.get().enrolment == enrolment


def test_a_completion_still_valid_on_the_due_date_counts_as_done(public_service):
    unit = public_service["DEPT-A1"]
    person = learner_in(unit)
    course = course_with_lessons(lessons=1, validity_months=24)
    completed = complete(person, course)
    Enrolment.objects.filter(pk=completed.pk).update(completed_at=timezone.now() - dt.timedelta(days=365))

    assignment = assignment_of(unit, course=course, days=30)

    member = assignment.members.get()
    assert member.enrolment_id == completed.pk
    assert Enrolment.objects.filter(user=person, course=course).count() == 1
    compliance = assignment_compliance(assignment=assignment)
    assert (compliance.members, compliance.completed, compliance.on_time, compliance.percent) == (
        1,
        1,
        1,
        100,
    )


def test_a_completion_that_expires_before_the_due_date_means_taking_the_course_again(public_service):
    unit = public_service["DEPT-A1"]
    person = learner_in(unit)
    course = course_with_lessons(lessons=1, validity_months=12)
    completed = complete(person, course)
    Enrolment.objects.filter(pk=completed.pk).update(completed_at=timezone.now() - dt.timedelta(days=350))

    assignment = assignment_of(unit, course=course, days=30)

    member = assignment.members.get()
    assert member.enrolment_id != completed.pk
    assert member.enrolment.status == Enrolment.Status.ACTIVE
    assert member.enrolment.source == Enrolment.Source.ASSIGNMENT
    assert assignment_compliance(assignment=assignment).completed == 0


def test_a_course_that_never_expires_counts_whenever_it_was_completed(public_service):
    unit = public_service["DEPT-A1"]
    person = learner_in(unit)
    course = course_with_lessons(lessons=1)
    completed = complete(person, course)
    Enrolment.objects.filter(pk=completed.pk).update(completed_at=timezone.now() - dt.timedelta(days=3000))

    assignment = assignment_of(unit, course=course)

    assert assignment.members.get().enrolment_id == completed.pk


def test_compliance_counts_completed_on_time_late_and_overdue(public_service):
    unit = public_service["DEPT-A1"]
    on_time, late, overdue, _pending = (learner_in(unit) for _ in range(4))
    course = course_with_lessons(lessons=1)
    assignment = assignment_of(unit, course=course, days=5)
    for person in (on_time, late):
        lesson_progress_record(
            enrolment=Enrolment.objects.get(user=person, course=course),
            lesson=course_lessons(course=course)[0],
            reached_end=True,
        )
    Enrolment.objects.filter(user=late, course=course).update(
        completed_at=timezone.now() + dt.timedelta(days=10)
    )
    # A day after the due date: the member's and the assigned enrolment's (overdue counts the latter).
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    AssignmentMember.objects.filter(user=overdue).update(due_date=yesterday)
    Enrolment.objects.filter(user=overdue, course=course).update(due_date=yesterday)

    compliance = assignment_compliance(assignment=assignment)

    assert (compliance.members, compliance.completed, compliance.on_time, compliance.overdue) == (4, 2, 1, 1)
    assert compliance.percent == 50


ENROLMENT_FIELDS = [
    "status",
    "source",
    "decided_by_id",
    "due_date",
    "withdrawn_at",
    "progress_percent",
    "last_lesson_id",
]


def _row(enrolment: Enrolment) -> dict:
    enrolment.refresh_from_db()
    return {name: getattr(enrolment, name) for name in ENROLMENT_FIELDS} | {
        "enrolled": enrolment.enrolled_at is not None,
        "lessons": enrolment.lesson_progress.count(),
    }


def test_batched_enrolments_are_the_rows_enrolment_assign_writes(public_service):
    """assignments' batched path and courses' enrolment_assign, side by side, for a newcomer,
    a self-enrolled learner with progress, a request waiting for approval and a withdrawal."""
    from courses.models import EnrolmentMode
    from courses.services import enrolment_assign, enrolment_withdraw

    unit = public_service["DEPT-A1"]
    hr = hr_manager_of(unit)
    due = timezone.localdate() + dt.timedelta(days=30)
    results = []
    for path in ("service", "assignment"):
        course = course_with_lessons(lessons=2)
        approval_course = course_with_lessons(lessons=1, enrolment_mode=EnrolmentMode.BY_APPROVAL)
        newcomer, started, withdrawn, waiting = (learner_in(unit) for _ in range(4))
        own = enrolment_request(user=started, course=course)
        lesson_progress_record(enrolment=own, lesson=course_lessons(course=course)[0], reached_end=True)
        enrolment_withdraw(enrolment=enrolment_request(user=withdrawn, course=course))
        enrolment_request(user=waiting, course=approval_course)
        cases = [(newcomer, course), (started, course), (withdrawn, course), (waiting, approval_course)]
        if path == "service":
            rows = [_row(enrolment_assign(user=p, course=c, assigned_by=hr, due_date=due)) for p, c in cases]
        else:
            assignment_create(
                created_by=hr, course=course, unit=unit, due_date=due, people=[newcomer, started, withdrawn]
            )
            assignment_create(
                created_by=hr, course=approval_course, unit=unit, due_date=due, people=[waiting]
            )
            rows = [_row(Enrolment.objects.get(user=p, course=c)) for p, c in cases]
        results.append(rows)

    assert results[0] == results[1]
    assert [row["lessons"] for row in results[1]] == [0, 1, 0, 0]
