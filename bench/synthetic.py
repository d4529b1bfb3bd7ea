"""A synthetic agency for the dashboard benchmark: one ministry, its departments and divisions,
N staff with learner profiles, M enrolments over two fiscal years with completions, hours,
mandatory assignments and competency evidence.

Built for speed: the tree, the courses and the competency framework go through the
ordinary services and factories (a few hundred rows), while the big tables (people,
profiles, enrolments, hours, assignment members, evidence) are written with one prepared
INSERT per table and executemany in one transaction: no model instances, no signals, and
every timestamp adapted for the database once per 15-minute slot rather than once per row.
Works on SQLite and PostgreSQL (identity sequences are moved past the ids written here).
Bulk writes send no signals, so the aggregates are left for the caller to rebuild.

    generated = synthetic_agency_generate(staff=100_000, enrolments=2_000_000)
"""

import datetime as dt
import random
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import islice

from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.models import Max
from django.utils import timezone

from assignments.models import Assignment, AssignmentMember
from competencies.models import (
    CompetencyEvidence,
    CompetencyFramework,
    CompetencyNode,
    ProficiencyLevel,
    ProficiencyScale,
    RoleRequirement,
)
from competencies.services.role_groups import role_groups_import
from courses.models import CoursePage, Enrolment, LearningHoursEntry
from lms.thai_calendar import FiscalYear, current_fiscal_year, fiscal_year_of
from organisations.models import OrganisationUnit
from organisations.services import organisation_unit_create
from people.civil_service import EmploymentType, PositionType
from people.models import LearnerProfile, RoleGroup, User

DEPARTMENTS = 10
DIVISIONS_PER_DEPARTMENT = 20
COURSES = 40
NODES = 7
ROLE_GROUPS = [  # OCSC 2018 codes and how common each is
    ("OTH", 30),
    ("ACA", 25),
    ("SRV", 22),
    ("TEC", 8),
    ("MGT", 6),
    ("EXE", 3),
    ("CIO", 1),
    ("", 5),  # no role group
]
EMPLOYMENT = [
    (EmploymentType.CIVIL_SERVANT, 70),
    (EmploymentType.GOVERNMENT_EMPLOYEE, 15),
    (EmploymentType.PERMANENT_EMPLOYEE, 10),
    (EmploymentType.PUBLIC_ORGANISATION_STAFF, 5),
]
POSITIONS = [
    (PositionType.GENERAL, 40),
    (PositionType.KNOWLEDGE_WORKER, 45),
    (PositionType.MANAGERIAL, 10),
    (PositionType.EXECUTIVE, 5),
]
STATUSES = [  # of enrolments that are not assigned
    (Enrolment.Status.COMPLETED, 52),
    (Enrolment.Status.ACTIVE, 33),
    (Enrolment.Status.PENDING, 4),
    (Enrolment.Status.WITHDRAWN, 6),
    (Enrolment.Status.REJECTED, 5),
]
INSERT_BATCH = 20_000
SLOT_MINUTES = 15
STATUS_POOL = 65_536  # statuses drawn at once and used in turn


@dataclass
class SyntheticAgency:
    ministry: OrganisationUnit
    departments: list[OrganisationUnit]
    divisions: list[OrganisationUnit]
    courses: list[CoursePage]
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


def _weighted(rng: random.Random, table: list[tuple], k: int) -> list:
    """k draws at once: much faster than one `choices` call per row."""
    values, weights = zip(*table, strict=True)
    return rng.choices(values, weights=weights, k=k)


def _batched(rows: Iterable[tuple], size: int) -> Iterator[list[tuple]]:
    iterator = iter(rows)
    while batch := list(islice(iterator, size)):
        yield batch


def _insert(model: type[models.Model], columns: list[str], rows: Iterable[tuple]) -> int:
    """INSERT rows (already in database form) with one prepared statement (PostgreSQL: COPY);
    every column not named gets its field's default."""
    fields = {f.attname: f for f in model._meta.concrete_fields}
    rest = [f for name, f in fields.items() if name not in columns]
    now = timezone.now()
    defaults = tuple(
        f.get_db_prep_save(
            now if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False) else f.get_default(),
            connection,
        )
        for f in rest
    )
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    names = ", ".join([quote(fields[name].column) for name in columns] + [quote(f.column) for f in rest])
    count = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row + defaults)
                    count += 1
            return count
        placeholders = ", ".join(["%s"] * (len(columns) + len(rest)))
        sql = f"INSERT INTO {table} ({names}) VALUES ({placeholders})"  # noqa: S608 - model names
        for batch in _batched(rows, INSERT_BATCH):
            cursor.executemany(sql, [row + defaults for row in batch])
            count += len(batch)
    return count


def _next_id(model: type[models.Model]) -> int:
    return (model.objects.aggregate(top=Max("pk"))["top"] or 0) + 1


class _Moments:
    """Times between `start` and `end`, adapted for the database once per 15-minute slot."""

    def __init__(self, start: dt.datetime, end: dt.datetime):
        self.start, self.end = start, end
        self.slots = int((end - start).total_seconds() // (SLOT_MINUTES * 60))
        self.field = Enrolment._meta.get_field("requested_at")
        self.adapted: dict[int, object] = {}

    def slot_of(self, moment: dt.datetime) -> int:
        return int((moment - self.start).total_seconds() // (SLOT_MINUTES * 60))

    def moment(self, slot: int) -> dt.datetime:
        return self.start + dt.timedelta(minutes=SLOT_MINUTES * slot)

    def db(self, slot: int):
        value = self.adapted.get(slot)
        if value is None:
            value = self.adapted[slot] = self.field.get_db_prep_save(self.moment(slot), connection)
        return value


def _tree() -> tuple[OrganisationUnit, list[OrganisationUnit], list[OrganisationUnit], dict[int, int]]:
    """The ministry, its departments, their divisions, and each division's department."""
    kind = OrganisationUnit.Kind
    ministry = organisation_unit_create(
        parent=None, kind=kind.MINISTRY, code="BENCH", name_th="กระทรวงทดสอบสมรรถนะ", name_en="Bench Ministry"
    )
    departments, divisions, department_of = [], [], {}
    for d in range(DEPARTMENTS):
        department = organisation_unit_create(
            parent=ministry, kind=kind.DEPARTMENT, code=f"BENCH-D{d:02d}", name_th=f"กรมทดสอบ {d}"
        )
        departments.append(department)
        department_of[department.pk] = department.pk
        for v in range(DIVISIONS_PER_DEPARTMENT):
            divisions.append(
                organisation_unit_create(
                    parent=department,
                    kind=kind.DIVISION,
                    code=f"BENCH-D{d:02d}-{v:02d}",
                    name_th=f"กองทดสอบ {d}-{v}",
                )
            )
            department_of[divisions[-1].pk] = department.pk
    return ministry, departments, divisions, department_of


def _courses() -> list[CoursePage]:
    from courses.tests.factories import course_with_lessons
    from organisations.tests.factories import ContentPartnerFactory

    partner = ContentPartnerFactory(code="bench-university")
    hours = [Decimal("1.5"), Decimal("3"), Decimal("6"), Decimal("12"), Decimal("0.5")]
    return [
        course_with_lessons(
            partner=partner, lessons=0, title=f"หลักสูตรทดสอบ {n}", estimated_hours=hours[n % len(hours)]
        )
        for n in range(COURSES)
    ]


def _competencies(rng: random.Random) -> tuple[list[CompetencyNode], dict[str, RoleGroup]]:
    framework, _ = CompetencyFramework.objects.get_or_create(
        code="BENCH", version="1", defaults={"name_th": "กรอบสมรรถนะทดสอบ"}
    )
    scale, _ = ProficiencyScale.objects.get_or_create(framework=framework, defaults={"name_th": "ระดับ"})
    for value in range(1, 5):
        ProficiencyLevel.objects.get_or_create(
            scale=scale, value=value, defaults={"name_th": f"ระดับ {value}"}
        )
    nodes = [
        CompetencyNode.objects.get_or_create(
            framework=framework, code=f"B{n}", defaults={"name_th": f"สมรรถนะ {n}", "is_core": n < 3}
        )[0]
        for n in range(1, NODES + 1)
    ]
    groups = role_groups_import(groups=[{"code": code, "name_th": code} for code, _w in ROLE_GROUPS if code])
    by_code = {group.code: group for group in groups}
    RoleRequirement.objects.bulk_create(
        [
            RoleRequirement(role_group=group, node=node, required_level=rng.randrange(1, 5))
            for group in groups
            for node in nodes[:3] + rng.sample(nodes[3:], k=rng.randrange(0, 3))
        ],
        ignore_conflicts=True,
    )
    return nodes, by_code


def _people(
    rng: random.Random,
    staff: int,
    units: list[OrganisationUnit],
    groups: dict[str, RoleGroup],
    moments: _Moments,
) -> list[tuple[int, int]]:
    """Users and their profiles; returns (user id, unit id) per person."""
    first_user, first_profile = _next_id(User), _next_id(LearnerProfile)
    password = make_password("correct-horse-battery-2569")
    joined = moments.db(0)
    employment, positions = _weighted(rng, EMPLOYMENT, staff), _weighted(rng, POSITIONS, staff)
    role_groups = [groups[code].pk if code else None for code in _weighted(rng, ROLE_GROUPS, staff)]
    people = [(first_user + n, rng.choice(units).pk) for n in range(staff)]
    _insert(
        User,
        [
            "id",
            "email",
            "password",
            "first_name",
            "last_name",
            "first_name_en",
            "last_name_en",
            "date_joined",
        ],
        (
            (
                user_id,
                f"staff{n}@bench.go.th",
                password,
                f"ข้าราชการ{n}",
                "ทดสอบ",
                f"Staff{n}",
                "Bench",
                joined,
            )
            for n, (user_id, _unit) in enumerate(people)
        ),
    )
    rows = []
    for n, (user_id, unit_id) in enumerate(people):
        kind = employment[n]
        position = positions[n] if kind == EmploymentType.CIVIL_SERVANT else ""
        rows.append((first_profile + n, user_id, unit_id, kind, position, role_groups[n], f"B{n:06d}"))
    _insert(
        LearnerProfile,
        ["id", "user_id", "unit_id", "employment_type", "position_type", "role_group_id", "employee_number"],
        rows,
    )
    return people


@dataclass
class _Mandate:
    """A mandatory assignment: its course, due date and who it covers, and how they fare."""

    assignment: Assignment
    members: set[int]
    completed_share: float  # completed by the due date
    late_share: float  # completed after it


def _mandates(
    people: list[tuple[int, int]],
    courses,
    ministry,
    departments,
    department_of: dict[int, int],
    today: dt.date,
) -> list[_Mandate]:
    this_year = current_fiscal_year()
    first_half = {d.pk for d in departments[: DEPARTMENTS // 2]}
    specs = [
        # Everyone, due at the end of this fiscal year.
        (courses[0], ministry, this_year.end, {user for user, _unit in people}, 0.35, 0.0),
        # Half the departments, due in the middle of last fiscal year.
        (
            courses[1],
            departments[0],
            dt.date(this_year.previous().end.year, 6, 30),
            {user for user, unit in people if department_of[unit] in first_half},
            0.7,
            0.1,
        ),
        # One department, due three weeks ago: the rest are overdue.
        (
            courses[2],
            departments[-1],
            today - dt.timedelta(days=21),
            {user for user, unit in people if department_of[unit] == departments[-1].pk},
            0.5,
            0.0,
        ),
    ]
    # bulk_create: no signals (a saved assignment would queue a refresh of all its members).
    assignments = Assignment.objects.bulk_create(
        [
            Assignment(course=course, unit=unit, due_date=due, campaign=f"Bench {course.pk}")
            for course, unit, due, *_ in specs
        ]
    )
    return [
        _Mandate(assignment, members, done, late)
        for assignment, (_course, _unit, due, members, done, late) in zip(assignments, specs, strict=True)
    ]


def _learning(
    rng: random.Random,
    people: list[tuple[int, int]],
    enrolments: int,
    courses: list[CoursePage],
    mandates: list[_Mandate],
    moments: _Moments,
) -> dict[str, int]:
    """Enrolments (each person a sample of courses), one hours entry per completion, and the
    assignment members of the mandatory courses."""
    date_field = Enrolment._meta.get_field("due_date")
    score_pool = [Decimal(rng.randrange(6000, 10001)) / 100 for _ in range(997)]
    statuses = _weighted(rng, STATUSES, STATUS_POOL)
    now_slot = moments.slots
    enrolment_id, hours_id, member_id = (
        _next_id(Enrolment),
        _next_id(LearningHoursEntry),
        _next_id(AssignmentMember),
    )
    course_ids = [course.pk for course in courses]
    course_hours = {course.pk: course.estimated_hours for course in courses}
    by_course = {mandate.assignment.course_id: mandate for mandate in mandates}
    due_db = {
        m.assignment.course_id: date_field.get_db_prep_save(m.assignment.due_date, connection)
        for m in mandates
    }
    due_slot = {
        m.assignment.course_id: moments.slot_of(
            timezone.make_aware(dt.datetime.combine(m.assignment.due_date, dt.time(23, 59)))
        )
        for m in mandates
    }
    year_of_slot: dict[int, int] = {}

    def fiscal_year(slot: int) -> int:
        day = slot // (24 * 60 // SLOT_MINUTES)
        if day not in year_of_slot:
            year_of_slot[day] = fiscal_year_of(moments.moment(slot)).year
        return year_of_slot[day]

    enrolment_rows, hours_rows, member_rows = [], [], []
    average = enrolments / max(len(people), 1)
    counter = 0
    for user_id, _unit in people:
        wanted = min(len(course_ids), round(average * (0.5 + rng.random())))
        mandated = [course for course, mandate in by_course.items() if user_id in mandate.members]
        others = [c for c in rng.sample(course_ids, k=min(len(course_ids), wanted + 3)) if c not in mandated]
        for course_id in (mandated + others)[: max(wanted, len(mandated))]:
            counter += 1
            mandate = by_course.get(course_id) if course_id in mandated else None
            start = rng.randrange(0, now_slot)
            completed = None
            source, due = Enrolment.Source.SELF, None
            if mandate is not None:
                source, due = Enrolment.Source.ASSIGNMENT, due_db[course_id]
                start = min(start, max(due_slot[course_id] - 4000, 0))
                roll = rng.random()
                if roll < mandate.completed_share:
                    completed = rng.randrange(start, max(start + 1, min(due_slot[course_id], now_slot)))
                elif roll < mandate.completed_share + mandate.late_share:
                    completed = rng.randrange(min(due_slot[course_id] + 1, now_slot - 1), now_slot)
                status = Enrolment.Status.COMPLETED if completed is not None else Enrolment.Status.ACTIVE
            else:
                status = statuses[counter % STATUS_POOL]
                if status == Enrolment.Status.COMPLETED:
                    completed = start + rng.randrange(96, 96 * 60)
                    if completed >= now_slot:
                        status, completed = Enrolment.Status.ACTIVE, None
                if status in (Enrolment.Status.PENDING, Enrolment.Status.REJECTED):
                    source = Enrolment.Source.APPROVAL
            admitted = status not in (Enrolment.Status.PENDING, Enrolment.Status.REJECTED)
            score = score_pool[counter % 997] if completed is not None and counter % 10 < 7 else None
            enrolment_rows.append(
                (
                    enrolment_id,
                    user_id,
                    course_id,
                    status,
                    source,
                    moments.db(start),
                    moments.db(start) if admitted else None,
                    due,
                    100 if completed is not None else (counter * 37) % 100,
                    score,
                    moments.db(completed) if completed is not None else None,
                    moments.db(start + 200) if status == Enrolment.Status.WITHDRAWN else None,
                )
            )
            if completed is not None:
                hours_rows.append(
                    (
                        hours_id,
                        user_id,
                        enrolment_id,
                        course_id,
                        fiscal_year(completed),
                        course_hours[course_id],
                        moments.db(completed),
                    )
                )
                hours_id += 1
            if mandate is not None:
                member_rows.append(
                    (member_id, mandate.assignment.pk, user_id, enrolment_id, due, moments.db(start))
                )
                member_id += 1
            enrolment_id += 1
    _insert(
        Enrolment,
        [
            "id",
            "user_id",
            "course_id",
            "status",
            "source",
            "requested_at",
            "enrolled_at",
            "due_date",
            "progress_percent",
            "score",
            "completed_at",
            "withdrawn_at",
        ],
        enrolment_rows,
    )
    _insert(
        LearningHoursEntry,
        ["id", "user_id", "enrolment_id", "course_id", "fiscal_year", "hours", "credited_at"],
        hours_rows,
    )
    _insert(
        AssignmentMember,
        ["id", "assignment_id", "user_id", "enrolment_id", "due_date", "assigned_at"],
        member_rows,
    )
    return {
        "enrolments": len(enrolment_rows),
        "hours_entries": len(hours_rows),
        "assignment_members": len(member_rows),
    }


def _evidence(
    rng: random.Random, people: list[tuple[int, int]], nodes: list[CompetencyNode], today: dt.date
) -> int:
    """Four people in ten hold evidence for one to three competencies; some of it has expired."""
    date_field = CompetencyEvidence._meta.get_field("achieved_on")
    days = {
        offset: date_field.get_db_prep_save(today + dt.timedelta(days=offset), connection)
        for offset in range(-800, 1000)
    }
    first = _next_id(CompetencyEvidence)
    rows = []
    for user_id, _unit in people:
        if rng.random() >= 0.4:
            continue
        for node in rng.sample(nodes, k=rng.randrange(1, 4)):
            achieved = rng.randrange(-700, 0)
            valid_until = None if rng.random() < 0.5 else days[achieved + rng.randrange(180, 1000)]
            rows.append(
                (
                    first + len(rows),
                    user_id,
                    node.pk,
                    rng.randrange(1, 5),
                    CompetencyEvidence.Source.IMPORT,
                    f"bench:{user_id}:{node.pk}",
                    days[achieved],
                    valid_until,
                )
            )
    return _insert(
        CompetencyEvidence,
        ["id", "user_id", "node_id", "level", "source", "reference", "achieved_on", "valid_until"],
        rows,
    )


def _sequences_reset() -> None:
    """Move identity sequences past the ids written here (SQLite needs nothing)."""
    written = [User, LearnerProfile, Enrolment, LearningHoursEntry, AssignmentMember, CompetencyEvidence]
    statements = connection.ops.sequence_reset_sql(no_style(), written)
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def synthetic_agency_generate(*, staff: int, enrolments: int, seed: int = 2570) -> SyntheticAgency:
    """Write the synthetic agency into the current (empty, migrated) database."""
    started = time.perf_counter()
    rng = random.Random(seed)  # noqa: S311 - reproducible data, not secrets
    today = timezone.localdate()
    last_year: FiscalYear = current_fiscal_year().previous()
    moments = _Moments(
        timezone.make_aware(dt.datetime.combine(last_year.start, dt.time())),
        timezone.now() - dt.timedelta(hours=1),
    )
    with transaction.atomic():
        ministry, departments, divisions, department_of = _tree()
        courses = _courses()
        nodes, groups = _competencies(rng)
        # Most people sit in divisions; a few directly in their department.
        units = divisions * 19 + departments * 2
        people = _people(rng, staff, units, groups, moments)
        mandates = _mandates(people, courses, ministry, departments, department_of, today)
        counts = _learning(rng, people, enrolments, courses, mandates, moments)
        counts["evidence"] = _evidence(rng, people, nodes, today)
        _sequences_reset()
    if connection.vendor == "postgresql":
        # A live database has planner statistics (autovacuum); freshly bulk-loaded tables do not.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    counts.update(
        staff=len(people),
        units=1 + len(departments) + len(divisions),
        courses=len(courses),
        role_requirements=RoleRequirement.objects.count(),
    )
    return SyntheticAgency(
        ministry, departments, divisions, courses, counts, round(time.perf_counter() - started, 1)
    )
