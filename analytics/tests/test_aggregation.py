"""The dashboards' aggregates: kept up to date event by event, and equal to a rebuild from
scratch and to a direct count from the raw rows after any sequence of events."""

import datetime as dt
import random
from collections import Counter
from decimal import Decimal
from io import StringIO
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from analytics import services
from analytics.contributions import contributions_compute
from analytics.models import AggregateCell, PersonContribution
from analytics.services import aggregates_rebuild, person_contributions_refresh_dated
from assignments.models import Assignment, AssignmentMember
from assignments.services.assignments import assignment_create
from competencies.models import CompetencyEvidence, CompetencyFramework, CompetencyNode, RoleRequirement
from competencies.services.evidence import evidence_record
from courses.models import Enrolment, LearningHoursEntry
from courses.services.enrolment import enrolment_assign
from courses.services.progress import lesson_progress_record
from courses.tests.factories import course_with_lessons
from organisations.models import OrganisationUnit
from people.civil_service import EmploymentType, PositionType
from people.models import LearnerProfile, User
from people.services import role_assign
from people.tests.factories import LearnerProfileFactory, RoleGroupFactory, UserFactory, learner_in

BANGKOK = ZoneInfo("Asia/Bangkok")


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


def cells() -> list[tuple]:
    return sorted(
        AggregateCell.objects.values_list(
            "fiscal_year",
            "measure",
            "item",
            "unit_id",
            "position_type",
            "role_group_id",
            "employment_type",
            "value",
        )
    )


def contributions() -> dict[int, tuple]:
    return {
        row[0]: row[1:]
        for row in PersonContribution.objects.values_list(
            "user_id", "unit_id", "position_type", "role_group_id", "employment_type", "values"
        )
    }


def totals(measure: str, by: str) -> dict:
    result: Counter = Counter()
    for key, value in AggregateCell.objects.filter(measure=measure).values_list(by, "value"):
        result[key] += value
    return {key: value for key, value in result.items() if value}


def thai_fiscal_year(moment: dt.datetime | dt.date) -> int:
    """Written here independently of lms.thai_calendar: 1 October starts the next B.E. year."""
    day = moment.astimezone(BANGKOK).date() if isinstance(moment, dt.datetime) else moment
    return day.year + 543 + (1 if day.month >= 10 else 0)


def naive_headlines() -> dict:
    """Staff per unit, completions and hours per fiscal year, straight from the raw rows."""
    staff = LearnerProfile.objects.filter(user__is_active=True)
    completions: Counter = Counter()
    for completed_at in Enrolment.objects.filter(status="completed", user__profile__in=staff).values_list(
        "completed_at", flat=True
    ):
        completions[thai_fiscal_year(completed_at)] += 1
    hours: Counter = Counter()
    for fiscal_year, amount in LearningHoursEntry.objects.filter(user__profile__in=staff).values_list(
        "fiscal_year", "hours"
    ):
        hours[fiscal_year] += int(amount * 10)
    return {
        "staff": dict(Counter(staff.values_list("unit_id", flat=True))),
        "completions": dict(completions),
        "hours": {year: value for year, value in hours.items() if value},
    }


def headlines_from_cells() -> dict:
    return {
        "staff": totals("staff", "unit_id"),
        "completions": totals("completions", "fiscal_year"),
        "hours": totals("hours", "fiscal_year"),
    }


@pytest.fixture
def competency_world(db):
    framework = CompetencyFramework.objects.create(code="TEST", version="1", name_th="กรอบทดสอบ")
    nodes = [
        CompetencyNode.objects.create(framework=framework, code=f"{n}", name_th=f"สมรรถนะ {n}")
        for n in range(1, 4)
    ]
    groups = [RoleGroupFactory(code=code) for code in ("ACA", "SRV", "TEC")]
    return nodes, groups


class World:
    """People, courses and units that random events happen to."""

    def __init__(self, rng: random.Random, units, courses, nodes, groups, capture) -> None:
        self.rng, self.units, self.courses, self.nodes, self.groups = rng, units, courses, nodes, groups
        self.capture = capture
        self.today = timezone.localdate()
        self.this_year = thai_fiscal_year(self.today)
        self.admin = UserFactory()
        role_assign(user=self.admin, role="platform_admin")
        self.people: list[User] = []
        for _ in range(5):
            self.person_new()

    # -- helpers -----------------------------------------------------------------------------

    def moment(self, *, after: dt.datetime | None = None) -> dt.datetime:
        """A time in one of the last three fiscal years, often near a year's edge at midnight."""
        rng = self.rng
        if rng.random() < 0.25:
            year = rng.choice([self.this_year - 2, self.this_year - 1, self.this_year])
            edge = dt.datetime(year - 543 - 1, 10, 1, tzinfo=BANGKOK)
            moment = edge + dt.timedelta(minutes=rng.choice([-30, 30]))
        else:
            moment = timezone.now() - dt.timedelta(days=rng.randrange(0, 900), hours=rng.randrange(0, 24))
        if after is not None and moment < after:
            moment = after + dt.timedelta(hours=rng.randrange(1, 2000))
        return min(moment, timezone.now())

    def day(self) -> dt.date:
        return self.today + dt.timedelta(days=self.rng.randrange(-400, 60))

    def person(self) -> User:
        return self.rng.choice(self.people)

    def pick(self, rows):
        rows = list(rows.order_by("pk"))
        return self.rng.choice(rows) if rows else None

    def staff_dimensions(self) -> dict:
        employment = self.rng.choice(list(EmploymentType))
        return {
            "employment_type": employment,
            "position_type": self.rng.choice(["", *PositionType])
            if employment == EmploymentType.CIVIL_SERVANT
            else "",
            "role_group": self.rng.choice([None, *self.groups]),
        }

    def enrolments(self, **filters) -> list[Enrolment]:
        return list(Enrolment.objects.filter(user__in=self.people, **filters).order_by("pk"))

    # -- events ------------------------------------------------------------------------------

    def person_new(self) -> None:
        user = UserFactory()
        LearnerProfileFactory(user=user, unit=self.rng.choice(self.units), **self.staff_dimensions())
        self.people.append(user)

    def enrol(self) -> None:
        user, course = self.person(), self.rng.choice(self.courses)
        if Enrolment.objects.filter(user=user, course=course).exclude(status="completed").exists():
            return
        start = self.moment()
        pending = self.rng.random() < 0.2
        Enrolment.objects.create(
            user=user,
            course=course,
            status="pending" if pending else "active",
            source="approval" if pending else "self",
            requested_at=start,
            enrolled_at=None if pending else start,
        )

    def complete(self) -> None:
        active = self.enrolments(status="active")
        if not active:
            return
        enrolment = self.rng.choice(active)
        enrolment.status = "completed"
        enrolment.completed_at = self.moment(after=enrolment.enrolled_at)
        enrolment.score = self.rng.choice([None, Decimal("72.50"), Decimal("100.00")])
        enrolment.progress_percent = 100
        enrolment.save()
        LearningHoursEntry.objects.create(
            user=enrolment.user,
            enrolment=enrolment,
            course=enrolment.course,
            fiscal_year=thai_fiscal_year(enrolment.completed_at),
            hours=self.rng.choice([Decimal("1.5"), Decimal("3"), Decimal("0.5")]),
            credited_at=enrolment.completed_at,
        )

    def rescore(self) -> None:
        completed = self.enrolments(status="completed")
        if completed:
            enrolment = self.rng.choice(completed)
            enrolment.score = Decimal(self.rng.randrange(0, 10001)) / 100
            enrolment.save(update_fields=["score"])

    def progress_only(self) -> None:
        enrolments = self.enrolments()
        if enrolments:
            enrolment = self.rng.choice(enrolments)
            enrolment.progress_percent = self.rng.randrange(0, 100)
            enrolment.last_activity_at = timezone.now()
            enrolment.save(update_fields=["progress_percent", "last_activity_at"])

    def withdraw_enrolment(self) -> None:
        open_ones = self.enrolments(status__in=["active", "pending"])
        if open_ones:
            enrolment = self.rng.choice(open_ones)
            enrolment.status, enrolment.withdrawn_at = "withdrawn", timezone.now()
            enrolment.save(update_fields=["status", "withdrawn_at"])

    def delete_enrolment(self) -> None:
        enrolments = self.enrolments()
        if enrolments:
            self.rng.choice(enrolments).delete()

    def assign(self) -> None:
        """Through the assignments service: the whole unit's subtree, or one named person."""
        due_date = self.day()
        people = None
        unit = self.rng.choice(self.units)
        if self.rng.random() < 0.4:
            profile = self.pick(LearnerProfile.objects.filter(user__in=self.people))
            if profile is not None:
                people, unit = [profile.user], profile.unit
        assignment_create(
            created_by=self.admin,
            course=self.rng.choice(self.courses),
            unit=unit,
            due_date=due_date,
            people=people,
            is_mandatory=self.rng.random() < 0.8,
            includes_new_staff=self.rng.random() < 0.7,
            today=min(due_date, self.today),
        )

    def change_assignment(self) -> None:
        assignment = self.pick(Assignment.objects)
        if assignment is None:
            return
        change = self.rng.choice(["is_active", "is_mandatory", "due_date", "campaign"])
        if change == "due_date":
            assignment.due_date = self.day()
        elif change == "campaign":
            assignment.campaign = f"campaign {self.rng.random()}"
        else:
            setattr(assignment, change, not getattr(assignment, change))
        assignment.save()

    def remove_member(self) -> None:
        member = self.pick(AssignmentMember.objects)
        if member is not None:
            member.delete()

    def move(self) -> None:
        profile = self.pick(LearnerProfile.objects.filter(user__in=self.people))
        if profile is not None:
            profile.unit = self.rng.choice(self.units)
            profile.save()

    def change_position(self) -> None:
        profile = self.pick(LearnerProfile.objects.filter(user__in=self.people))
        if profile is not None:
            for name, value in self.staff_dimensions().items():
                if self.rng.random() < 0.6:
                    setattr(profile, name, value)
            if profile.employment_type != EmploymentType.CIVIL_SERVANT:
                profile.position_type = ""
            profile.save()

    def toggle_active(self) -> None:
        user = User.objects.get(pk=self.person().pk)
        user.is_active = not user.is_active
        user.save()

    def sign_in(self) -> None:
        user = User.objects.get(pk=self.person().pk)
        user.last_login = timezone.now()
        user.save(update_fields=["last_login"])

    def leave(self) -> None:
        profile = self.pick(LearnerProfile.objects.filter(user__in=self.people))
        if profile is not None:
            profile.delete()

    def rejoin(self) -> None:
        user = self.rng.choice(self.people)
        if not LearnerProfile.objects.filter(user=user).exists():
            LearnerProfileFactory(user=user, unit=self.rng.choice(self.units), **self.staff_dimensions())

    def delete_person(self) -> None:
        if len(self.people) > 3:
            user = self.people.pop(self.rng.randrange(len(self.people)))
            User.objects.get(pk=user.pk).delete()

    def record_evidence(self) -> None:
        achieved = self.day()
        evidence_record(
            user=self.person(),
            node=self.rng.choice(self.nodes),
            level=self.rng.randrange(1, 5),
            source=self.rng.choice(["manager", "import"]),
            reference=f"ref-{self.rng.randrange(0, 4)}",
            achieved_on=achieved,
            valid_until=self.rng.choice([None, achieved + dt.timedelta(days=self.rng.randrange(0, 800))]),
        )

    def withdraw_evidence(self) -> None:
        evidence = self.pick(CompetencyEvidence.objects.filter(withdrawn_at__isnull=True))
        if evidence is not None:
            evidence.withdrawn_at = timezone.now()
            evidence.save()

    def expire_evidence(self) -> None:
        evidence = self.pick(CompetencyEvidence.objects.filter(withdrawn_at__isnull=True))
        if evidence is not None:
            evidence.valid_until = self.today - dt.timedelta(days=1)
            evidence.save()

    def require(self) -> None:
        RoleRequirement.objects.update_or_create(
            role_group=self.rng.choice(self.groups),
            node=self.rng.choice(self.nodes),
            defaults={"required_level": self.rng.randrange(1, 5)},
        )

    def unrequire(self) -> None:
        requirement = self.pick(RoleRequirement.objects)
        if requirement is not None:
            requirement.delete()

    EVENTS = {
        "person_new": 2,
        "enrol": 8,
        "complete": 6,
        "rescore": 2,
        "progress_only": 2,
        "withdraw_enrolment": 1,
        "delete_enrolment": 1,
        "assign": 3,
        "change_assignment": 2,
        "remove_member": 1,
        "move": 3,
        "change_position": 3,
        "toggle_active": 1,
        "sign_in": 1,
        "leave": 1,
        "rejoin": 1,
        "delete_person": 1,
        "record_evidence": 4,
        "withdraw_evidence": 1,
        "expire_evidence": 1,
        "require": 3,
        "unrequire": 1,
    }

    def step(self) -> list[str]:
        """One event, or several in one transaction; returns their names."""
        names = list(self.EVENTS)
        count = 1 if self.rng.random() < 0.8 else self.rng.randrange(2, 6)
        chosen = self.rng.choices(names, weights=list(self.EVENTS.values()), k=count)
        with self.capture(execute=True), transaction.atomic():
            for name in chosen:
                getattr(self, name)()
        return chosen


@pytest.mark.parametrize("seed", [1, 7, 42, 2569, 2570, 31337])
def test_random_events_keep_cells_equal_to_a_rebuild_and_to_the_raw_rows(
    seed, public_service, competency_world, django_capture_on_commit_callbacks
):
    nodes, groups = competency_world
    units = list(OrganisationUnit.objects.order_by("path"))  # two ministries and a public organisation
    courses = [course_with_lessons(lessons=1) for _ in range(3)]
    rng = random.Random(seed)  # noqa: S311 - a reproducible sequence of events
    with django_capture_on_commit_callbacks(execute=True):
        world = World(rng, units, courses, nodes, groups, django_capture_on_commit_callbacks)

    for number in range(60):
        events = world.step()
        incremental, stored = cells(), contributions()
        report = aggregates_rebuild()
        # The rebuild found nothing to correct: every event had already moved the cells.
        assert contributions() == stored, (number, events)
        assert (report.contributions_changed, report.cells_changed) == (0, 0), (number, events)
        assert cells() == incremental, (number, events)
        assert headlines_from_cells() == naive_headlines(), (number, events)

    # From nothing at all, the rebuild reaches the same cells.
    AggregateCell.objects.all().delete()
    PersonContribution.objects.all().delete()
    rebuilt = aggregates_rebuild()
    assert cells() == incremental
    assert rebuilt.cells == len(incremental)
    assert rebuilt.people == LearnerProfile.objects.count()
    assert AggregateCell.objects.filter(value=0).count() == 0


def test_a_person_who_moves_takes_their_numbers_to_the_new_unit(
    public_service, competency_world, django_capture_on_commit_callbacks
):
    course = course_with_lessons(lessons=1)
    hr, ict = public_service["DIV-A1-HR"], public_service["DEPT-B1"]
    with django_capture_on_commit_callbacks(execute=True):
        person = learner_in(hr)
        learner_in(hr)
    completed_at = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        enrolment = Enrolment.objects.create(
            user=person,
            course=course,
            status="completed",
            enrolled_at=completed_at,
            completed_at=completed_at,
        )
        LearningHoursEntry.objects.create(
            user=person,
            enrolment=enrolment,
            course=course,
            fiscal_year=thai_fiscal_year(completed_at),
            hours=Decimal("2.5"),
            credited_at=completed_at,
        )
    year = thai_fiscal_year(completed_at)
    assert totals("staff", "unit_id") == {hr.pk: 2}
    assert totals("hours", "unit_id") == {hr.pk: 25}

    with django_capture_on_commit_callbacks(execute=True):
        profile = person.profile
        profile.unit = ict
        profile.save()

    assert totals("staff", "unit_id") == {hr.pk: 1, ict.pk: 1}
    assert totals("hours", "unit_id") == {ict.pk: 25}
    assert totals("completions", "unit_id") == {ict.pk: 1}
    assert not AggregateCell.objects.filter(unit=hr, fiscal_year=year).exists()


def test_progress_reports_queue_nothing_until_the_course_is_completed(
    public_service, django_capture_on_commit_callbacks
):
    course = course_with_lessons(lessons=2)
    lessons = list(course.get_children().specific())
    with django_capture_on_commit_callbacks(execute=True):
        person = learner_in(public_service["DIV-A1-HR"])
        enrolment = Enrolment.objects.create(user=person, course=course, enrolled_at=timezone.now())

    with mock.patch("analytics.tasks.refresh_people.delay") as queued:
        with django_capture_on_commit_callbacks(execute=True):
            lesson_progress_record(enrolment=enrolment, lesson=lessons[0], seconds=30)
            lesson_progress_record(enrolment=enrolment, lesson=lessons[0], seconds=30, reached_end=True)
            enrolment.refresh_from_db()
            enrolment.last_activity_at = timezone.now()
            enrolment.save(update_fields=["last_activity_at", "progress_percent"])
        assert enrolment.progress_percent == 50
        assert queued.call_count == 0

    with django_capture_on_commit_callbacks(execute=True):
        lesson_progress_record(enrolment=enrolment, lesson=lessons[1], seconds=30, reached_end=True)
    enrolment.refresh_from_db()
    assert enrolment.status == "completed"
    assert totals("completions", "unit_id") == {public_service["DIV-A1-HR"].pk: 1}


def test_many_events_in_one_transaction_refresh_each_person_once(
    public_service, competency_world, django_capture_on_commit_callbacks
):
    nodes, groups = competency_world
    course = course_with_lessons(lessons=1)
    unit = public_service["DEPT-A2"]
    with django_capture_on_commit_callbacks(execute=True):
        first, second = learner_in(unit), learner_in(unit)

    refreshed: list[list[int]] = []
    real_refresh = services.person_contributions_refresh

    def counting_refresh(*, user_ids, today=None):
        refreshed.append(sorted(user_ids))
        return real_refresh(user_ids=user_ids, today=today)

    with (
        mock.patch("analytics.tasks.person_contributions_refresh", counting_refresh),
        django_capture_on_commit_callbacks(execute=True),
        transaction.atomic(),
    ):
        for person in (first, second):
            enrolment = enrolment_assign(
                user=person, course=course, assigned_by=person, due_date=timezone.localdate()
            )
            enrolment.status, enrolment.completed_at = "completed", timezone.now()
            enrolment.save()
            evidence_record(
                user=person,
                node=nodes[0],
                level=2,
                source="manager",
                reference="review",
                achieved_on=timezone.localdate(),
            )
            profile = person.profile
            profile.role_group = groups[0]
            profile.save()
        RoleRequirement.objects.create(role_group=groups[0], node=nodes[0], required_level=3)

    assert refreshed == [sorted([first.pk, second.pk])]
    assert totals("completions", "unit_id") == {unit.pk: 2}
    assert totals("competency_required", "item") == {nodes[0].pk: 2}
    assert totals("competency_met", "item") == {}


def test_the_hourly_refresh_follows_due_dates_evidence_and_the_new_fiscal_year(
    public_service, competency_world, django_capture_on_commit_callbacks
):
    nodes, groups = competency_world
    course, other_course = course_with_lessons(lessons=1), course_with_lessons(lessons=1)
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        person = learner_in(public_service["DIV-A2-HR"])
        profile = person.profile
        profile.role_group = groups[1]
        profile.save()
        RoleRequirement.objects.create(role_group=groups[1], node=nodes[0], required_level=2)
        RoleRequirement.objects.create(role_group=groups[1], node=nodes[1], required_level=1)
        enrolment_assign(user=person, course=course, assigned_by=person, due_date=today)
        Enrolment.objects.create(user=person, course=other_course, enrolled_at=timezone.now())
        evidence_record(
            user=person,
            node=nodes[0],
            level=3,
            source="manager",
            reference="a",
            achieved_on=today,
            valid_until=today,
        )
        evidence_record(
            user=person,
            node=nodes[1],
            level=1,
            source="manager",
            reference="b",
            achieved_on=today + dt.timedelta(days=1),
        )
    assert totals("overdue", "unit_id") == {}
    assert totals("competency_met", "item") == {nodes[0].pk: 1}

    tomorrow = today + dt.timedelta(days=1)
    assert person_contributions_refresh_dated(today=tomorrow) == 1
    assert totals("overdue_people", "unit_id") == {public_service["DIV-A2-HR"].pk: 1}
    assert totals("competency_met", "item") == {nodes[1].pk: 1}
    # The last run is remembered: the same day again finds nothing to do.
    assert person_contributions_refresh_dated(today=tomorrow) == 0
    before = cells()
    assert aggregates_rebuild(today=tomorrow).cells_changed == 0
    assert cells() == before

    next_year_start = dt.date(thai_fiscal_year(today) - 543, 10, 1)
    person_contributions_refresh_dated(today=next_year_start)
    assert set(totals("active", "fiscal_year")) == set(
        range(thai_fiscal_year(today), thai_fiscal_year(today) + 2)
    )
    assert aggregates_rebuild(today=next_year_start).cells_changed == 0


def test_an_interrupted_rebuild_leaves_correct_cells_and_resumes(
    public_service, competency_world, django_capture_on_commit_callbacks
):
    course = course_with_lessons(lessons=1)
    with django_capture_on_commit_callbacks(execute=True):
        for unit in public_service.values():
            person = learner_in(unit)
            Enrolment.objects.create(user=person, course=course, enrolled_at=timezone.now())
    expected = cells()
    AggregateCell.objects.all().delete()
    PersonContribution.objects.all().delete()

    real = services._units_rebuild
    calls = []

    def failing_after_three(units, **kwargs):
        calls.append(units)
        if len(calls) == 4:
            raise RuntimeError("worker lost")
        real(units, **kwargs)

    with mock.patch("analytics.services._units_rebuild", failing_after_three), pytest.raises(RuntimeError):
        aggregates_rebuild(chunk_size=1)
    done_units = {unit for chunk in calls[:3] for unit in chunk}
    assert {row[3] for row in cells()} == done_units

    resumed = aggregates_rebuild(chunk_size=1)
    assert resumed.resumed_after_unit == max(done_units)
    assert cells() == expected


def test_the_command_rebuilds_and_reports(public_service, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            learner_in(public_service["DEPT-B1"])
    AggregateCell.objects.all().delete()
    out = StringIO()
    call_command("analytics_rebuild", "--restart", stdout=out)
    assert "People: 3" in out.getvalue()
    assert "Cells: 1 (created 1, updated 0, deleted 0)" in out.getvalue()
    assert totals("staff", "unit_id") == {public_service["DEPT-B1"].pk: 3}


def test_an_arrival_covered_by_an_assignment_they_already_completed_counts_as_done(
    public_service, django_capture_on_commit_callbacks
):
    course = course_with_lessons(lessons=1)
    admin = UserFactory()
    role_assign(user=admin, role="platform_admin")
    due_date = timezone.localdate() + dt.timedelta(days=30)
    with django_capture_on_commit_callbacks(execute=True):
        person = learner_in(public_service["DEPT-B1"])
        completed_at = timezone.now()
        Enrolment.objects.create(
            user=person,
            course=course,
            status="completed",
            enrolled_at=completed_at,
            completed_at=completed_at,
        )
        assignment_create(created_by=admin, course=course, unit=public_service["DEPT-A1"], due_date=due_date)

    with django_capture_on_commit_callbacks(execute=True):
        profile = person.profile
        profile.unit = public_service["DIV-A1-ICT"]
        profile.save()

    assert AssignmentMember.objects.filter(user=person).count() == 1
    year = thai_fiscal_year(due_date)
    assert totals("mandatory_due", "fiscal_year") == {year: 1}
    assert totals("mandatory_done", "fiscal_year") == {year: 1}


def test_deleting_a_role_group_drops_its_targets_from_its_former_members(
    public_service, competency_world, django_capture_on_commit_callbacks
):
    nodes, groups = competency_world
    unit = public_service["DIV-A1-ICT"]
    with django_capture_on_commit_callbacks(execute=True):
        person = learner_in(unit)
        profile = person.profile
        profile.role_group = groups[2]
        profile.save()
        RoleRequirement.objects.create(role_group=groups[2], node=nodes[1], required_level=2)
    assert totals("competency_required", "role_group_id") == {groups[2].pk: 1}

    with django_capture_on_commit_callbacks(execute=True):
        groups[2].delete()

    assert totals("competency_required", "role_group_id") == {}
    assert totals("staff", "role_group_id") == {0: 1}


def test_computing_and_rebuilding_cost_the_same_queries_for_many_people_as_for_a_few(
    public_service, competency_world, django_capture_on_commit_callbacks
):
    nodes, groups = competency_world
    course = course_with_lessons(lessons=1)
    unit = public_service["DIV-A2-HR"]
    RoleRequirement.objects.create(role_group=groups[0], node=nodes[0], required_level=2)

    def people(count: int) -> list[int]:
        ids = []
        for number in range(count):
            person = learner_in(unit)
            LearnerProfile.objects.filter(user=person).update(role_group=groups[0])
            moment = timezone.now() - dt.timedelta(days=number)
            Enrolment.objects.create(
                user=person, course=course, status="completed", enrolled_at=moment, completed_at=moment
            )
            evidence_record(
                user=person,
                node=nodes[0],
                level=1,
                source="manager",
                reference="r",
                achieved_on=moment.date(),
            )
            ids.append(person.pk)
        return ids

    def queries(run) -> int:
        with CaptureQueriesContext(connection) as captured:
            run()
        return len(captured)

    few = people(2)
    for_few = queries(lambda: aggregates_rebuild(resume=False))
    many = people(30)
    assert queries(lambda: contributions_compute(user_ids=few)) == 6
    assert queries(lambda: contributions_compute(user_ids=few + many)) == 6
    assert len(contributions_compute(user_ids=few + many)) == 32
    AggregateCell.objects.all().delete()
    PersonContribution.objects.all().delete()
    assert queries(lambda: aggregates_rebuild(resume=False)) == for_few
    assert totals("staff", "unit_id") == {unit.pk: 32}
