"""People who arrive in a unit (or change position, role group or employment type) join the
assignments that now cover them, after the change is committed."""

import datetime as dt

import pytest
from django.utils import timezone

from assignments.models import AssignmentMember
from assignments.services.assignments import assignment_deactivate
from assignments.tests.factories import assignment_of
from courses.models import Enrolment
from people.civil_service import EmploymentType
from people.services import learner_profile_update_or_create
from people.tests.factories import LearnerProfileFactory, RoleGroupFactory, UserFactory, learner_in

pytestmark = pytest.mark.django_db


def _arrive(unit, capture, **fields):
    with capture(execute=True):
        return LearnerProfileFactory(unit=unit, user=UserFactory(), **fields).user


def test_a_new_person_in_the_unit_joins_with_the_assignments_due_date(
    public_service, django_capture_on_commit_callbacks
):
    assignment = assignment_of(public_service["DEPT-A1"], days=60)

    person = _arrive(public_service["DIV-A1-ICT"], django_capture_on_commit_callbacks)

    member = AssignmentMember.objects.get(assignment=assignment, user=person)
    assert member.due_date == assignment.due_date
    assert member.enrolment.source == Enrolment.Source.ASSIGNMENT
    assert member.enrolment.due_date == assignment.due_date


def test_someone_arriving_less_than_14_days_before_the_due_date_gets_14_days(
    public_service, django_capture_on_commit_callbacks
):
    assignment = assignment_of(public_service["DEPT-A1"], days=3)

    person = _arrive(public_service["DEPT-A1"], django_capture_on_commit_callbacks)

    member = AssignmentMember.objects.get(assignment=assignment, user=person)
    assert member.due_date == timezone.localdate() + dt.timedelta(days=14)
    assert member.enrolment.due_date == member.due_date


def test_moving_into_the_unit_joins_and_moving_out_keeps_the_history(
    public_service, django_capture_on_commit_callbacks
):
    units = public_service
    assignment = assignment_of(units["DEPT-A1"])
    person = learner_in(units["DEPT-A2"])
    assert not assignment.members.filter(user=person).exists()

    with django_capture_on_commit_callbacks(execute=True):
        learner_profile_update_or_create(
            user=person, unit=units["DIV-A1-HR"], employment_type="civil_servant"
        )
    member = assignment.members.get(user=person)

    with django_capture_on_commit_callbacks(execute=True):
        learner_profile_update_or_create(user=person, unit=units["MIN-B"], employment_type="civil_servant")

    assert assignment.members.filter(user=person, enrolment=member.enrolment).exists()
    assert Enrolment.objects.get(pk=member.enrolment_id).status == Enrolment.Status.ACTIVE


def test_a_new_role_group_that_matches_joins(public_service, django_capture_on_commit_callbacks):
    unit = public_service["DEPT-A1"]
    group = RoleGroupFactory(code="CIO")
    assignment = assignment_of(unit, role_group=group)
    person = learner_in(unit)
    assert not assignment.members.filter(user=person).exists()

    with django_capture_on_commit_callbacks(execute=True):
        learner_profile_update_or_create(
            user=person, unit=unit, employment_type=EmploymentType.CIVIL_SERVANT, role_group=group
        )

    assert assignment.members.filter(user=person).exists()


@pytest.mark.parametrize(
    ("case", "joins"),
    [
        # The control: the same assignment and arrival, with nothing that keeps them out.
        ("open_to_new_staff", True),
        ("past_due", False),
        ("deactivated", False),
        ("no_new_staff", False),
        ("named_people", False),
        ("filter_mismatch", False),
    ],
)
def test_which_assignments_take_this_arrival(public_service, django_capture_on_commit_callbacks, case, joins):
    unit = public_service["DEPT-A1"]
    fields = {
        "no_new_staff": {"includes_new_staff": False},
        "named_people": {"people": [learner_in(unit)]},
        "filter_mismatch": {"employment_type": EmploymentType.GOVERNMENT_EMPLOYEE},
    }.get(case, {})
    assignment = assignment_of(unit, days=0 if case == "past_due" else 30, **fields)
    if case == "deactivated":
        assignment_deactivate(assignment=assignment)
    if case == "past_due":
        assignment.__class__.objects.filter(pk=assignment.pk).update(
            due_date=timezone.localdate() - dt.timedelta(days=1)
        )

    person = _arrive(unit, django_capture_on_commit_callbacks)

    assert assignment.members.filter(user=person).exists() is joins
    assert Enrolment.objects.filter(user=person, course=assignment.course).exists() is joins


def test_saving_a_profile_without_a_change_that_matters_leaves_assignments_alone(
    public_service, django_capture_on_commit_callbacks
):
    unit = public_service["DEPT-A1"]
    person = learner_in(unit)
    assignment = assignment_of(unit, includes_new_staff=True)
    AssignmentMember.objects.filter(user=person).delete()  # as if they had been left out

    with django_capture_on_commit_callbacks(execute=True):
        learner_profile_update_or_create(
            user=person, unit=unit, employment_type=EmploymentType.CIVIL_SERVANT, employee_number="12345"
        )

    assert not assignment.members.filter(user=person).exists()

    # The control: a change that matters (a move within the assignment's unit) adds them.
    with django_capture_on_commit_callbacks(execute=True):
        learner_profile_update_or_create(
            user=person, unit=public_service["DIV-A1-HR"], employment_type=EmploymentType.CIVIL_SERVANT
        )
    assert assignment.members.filter(user=person).exists()


def test_people_moved_in_bulk_from_the_admin_join_too(public_service, django_capture_on_commit_callbacks):
    from people.services import learner_profiles_move

    assignment = assignment_of(public_service["DEPT-A1"])
    movers = [learner_in(public_service["DEPT-A2"]) for _ in range(3)]

    with django_capture_on_commit_callbacks(execute=True):
        moved = learner_profiles_move(profiles=[m.profile for m in movers], unit=public_service["DEPT-A1"])

    assert moved == 3
    assert set(assignment.members.values_list("user_id", flat=True)) >= {m.pk for m in movers}
