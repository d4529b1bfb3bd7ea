"""The HR manager's assignment pages: scope, preview before confirming, compliance, deactivation."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from assignments.models import Assignment
from assignments.tests.factories import assignment_of
from courses.models import Enrolment
from courses.tests.factories import course_with_lessons
from people.tests.factories import PASSWORD, UserFactory, hr_manager_of, learner_in

pytestmark = pytest.mark.django_db


def signed_in(client, user):
    client.login(username=user.email, password=PASSWORD)
    return client


def test_people_who_manage_no_unit_are_refused(client, public_service):
    signed_in(client, learner_in(public_service["DEPT-A1"]))

    assert client.get(reverse("assignments:list")).status_code == 403
    assert client.get(reverse("assignments:create")).status_code == 403


def test_the_list_shows_only_assignments_in_the_managers_units_with_their_compliance(client, public_service):
    units = public_service
    manager = hr_manager_of(units["DEPT-A1"], preferred_language="en")
    for _ in range(3):
        learner_in(units["DIV-A1-HR"])
    mine = assignment_of(units["DEPT-A1"], campaign="PDPA for all staff by 30 September")
    theirs = assignment_of(units["DEPT-A2"], campaign="Another department's campaign")

    page = signed_in(client, manager).get(reverse("assignments:list"))

    html = page.content.decode()
    assert "PDPA for all staff by 30 September" in html
    assert "Another department&#x27;s campaign" not in html
    assert "Another department" not in html
    assert f'data-assignment="{mine.pk}"' in html
    assert f'data-assignment="{theirs.pk}"' not in html
    assert '<td class="numeric" data-measure="members">3</td>' in html
    assert '<td class="numeric" data-measure="percent">0</td>' in html


def test_another_units_assignment_is_not_found_and_cannot_be_deactivated(client, public_service):
    units = public_service
    manager = hr_manager_of(units["DEPT-A1"])
    theirs = assignment_of(units["DEPT-A2"])
    signed_in(client, manager)

    assert client.get(reverse("assignments:detail", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("assignments:deactivate", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.is_active


def test_the_form_counts_the_people_first_and_assigns_only_when_confirmed(client, public_service):
    units = public_service
    manager = hr_manager_of(units["DEPT-A1"], preferred_language="en")
    for _ in range(3):
        learner_in(units["DIV-A1-ICT"])
    learner_in(units["DEPT-A2"])
    course = course_with_lessons(lessons=1)
    data = {
        "course": course.pk,
        "campaign": "PDPA for all staff",
        "unit": units["DEPT-A1"].pk,
        "due_date": (timezone.localdate() + dt.timedelta(days=30)).isoformat(),
        "is_mandatory": "on",
        "includes_new_staff": "on",
    }
    signed_in(client, manager)

    preview = client.post(reverse("assignments:create"), data)

    assert "This will assign 3 people." in preview.content.decode()
    assert not Assignment.objects.exists()

    confirmed = client.post(reverse("assignments:create"), {**data, "confirm": "1"})

    assignment = Assignment.objects.get()
    assert confirmed.status_code == 302
    assert confirmed["Location"] == reverse("assignments:detail", args=[assignment.pk])
    assert assignment.members.count() == 3
    assert assignment.created_by == manager


def test_the_form_offers_only_the_managers_units_and_refuses_people_outside_them(client, public_service):
    units = public_service
    manager = hr_manager_of(units["DEPT-A1"], preferred_language="en")
    outsider = learner_in(units["DEPT-A2"], email="outsider@a2.go.th")
    course = course_with_lessons(lessons=1)
    signed_in(client, manager)

    form_page = client.get(reverse("assignments:create")).content.decode()
    assert units["DEPT-A1"].name_en in form_page
    assert units["DIV-A1-HR"].name_en in form_page
    assert units["DEPT-A2"].name_en not in form_page

    refused = client.post(
        reverse("assignments:create"),
        {
            "course": course.pk,
            "unit": units["DEPT-A1"].pk,
            "people": outsider.email,
            "due_date": (timezone.localdate() + dt.timedelta(days=30)).isoformat(),
            "confirm": "1",
        },
    )
    other_unit = client.post(
        reverse("assignments:create"),
        {
            "course": course.pk,
            "unit": units["DEPT-A2"].pk,
            "due_date": (timezone.localdate() - dt.timedelta(days=1)).isoformat(),
            "confirm": "1",
        },
    )

    assert "outsider@a2.go.th" in refused.content.decode()
    assert "not among the people you manage" in refused.content.decode()
    assert "Select a valid choice" in other_unit.content.decode()
    assert "The due date has passed" in other_unit.content.decode()
    assert not Assignment.objects.exists()


def test_the_form_refuses_a_named_person_whose_account_is_closed(client, public_service):
    units = public_service
    manager = hr_manager_of(units["DEPT-A1"], preferred_language="en")
    present = learner_in(units["DEPT-A1"], email="present@a1.go.th")
    left = learner_in(units["DEPT-A1"], email="left@a1.go.th")
    left.is_active = False
    left.save()
    course = course_with_lessons(lessons=1)
    signed_in(client, manager)
    data = {
        "course": course.pk,
        "unit": units["DEPT-A1"].pk,
        "due_date": (timezone.localdate() + dt.timedelta(days=30)).isoformat(),
        "confirm": "1",
    }

    refused = client.post(reverse("assignments:create"), {**data, "people": f"{present.email}, {left.email}"})

    page = refused.content.decode()
    assert "accounts are closed" in page
    assert "left@a1.go.th" in page
    assert not Assignment.objects.exists()
    # The control: the same form with only the present person assigns them.
    client.post(reverse("assignments:create"), {**data, "people": present.email})
    assert list(Assignment.objects.get().members.values_list("user__email", flat=True)) == [present.email]


def test_the_detail_page_lists_members_filters_the_overdue_and_paginates(client, public_service):
    units = public_service
    manager = hr_manager_of(units["DEPT-A1"], preferred_language="en")
    people = [learner_in(units["DEPT-A1"]) for _ in range(52)]
    assignment = assignment_of(units["DEPT-A1"], days=10)
    late = people[0]
    two_days_ago = timezone.localdate() - dt.timedelta(days=2)
    assignment.members.filter(user=late).update(due_date=two_days_ago)
    Enrolment.objects.filter(user=late, course=assignment.course).update(due_date=two_days_ago)
    signed_in(client, manager)

    first_page = client.get(reverse("assignments:detail", args=[assignment.pk])).content.decode()
    second_page = client.get(reverse("assignments:detail", args=[assignment.pk]) + "?page=2").content.decode()
    overdue = client.get(
        reverse("assignments:detail", args=[assignment.pk]) + "?show=overdue"
    ).content.decode()

    assert first_page.count("data-member=") == 50
    assert second_page.count("data-member=") == 2
    assert 'data-measure="members">52<' in first_page
    assert 'data-measure="overdue">1<' in first_page
    assert overdue.count("data-member=") == 1
    assert f'data-member="{late.email}"' in overdue


def test_deactivating_stops_new_arrivals_and_keeps_the_members(
    client, public_service, django_capture_on_commit_callbacks
):
    units = public_service
    manager = hr_manager_of(units["DEPT-A1"], preferred_language="en")
    learner_in(units["DEPT-A1"])
    assignment = assignment_of(units["DEPT-A1"], created_by=manager)
    signed_in(client, manager)

    response = client.post(reverse("assignments:deactivate", args=[assignment.pk]))
    with django_capture_on_commit_callbacks(execute=True):
        newcomer = learner_in(units["DEPT-A1"])

    assignment.refresh_from_db()
    assert response.status_code == 302
    assert not assignment.is_active
    assert assignment.members.count() == 1
    assert not assignment.members.filter(user=newcomer).exists()
    detail = client.get(reverse("assignments:detail", args=[assignment.pk])).content.decode()
    assert "Deactivated" in detail
    assert f'action="{reverse("assignments:deactivate", args=[assignment.pk])}"' not in detail


def test_platform_administrators_see_every_units_assignments(client, public_service):
    from people.services import role_assign

    admin = UserFactory(preferred_language="en")
    role_assign(user=admin, role="platform_admin")
    assignment = assignment_of(public_service["MIN-B"])
    signed_in(client, admin)

    assert client.get(reverse("assignments:detail", args=[assignment.pk])).status_code == 200
    assert f'data-assignment="{assignment.pk}"' in client.get(reverse("assignments:list")).content.decode()
