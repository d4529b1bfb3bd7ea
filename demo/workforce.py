"""A workforce for the dashboards: a few thousand fictional staff across the seeded agencies
with a fiscal year of learning behind them, so that every chart has something to show.

Staff get e-mail addresses at staff.thaksa.test and no usable password: they are there to be
counted, not to sign in. Everything is drawn from one seeded random generator, so every run
builds the same workforce, and dates are relative to the day of seeding: the previous fiscal
year is complete and the current one runs up to today.

Rows are written in bulk (no per-row signals), so the completion evidence is written here
too, and the dashboards' aggregates are rebuilt once at the end, as after any bulk load.
"""

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from analytics.services import aggregates_rebuild
from assignments.models import Assignment, AssignmentMember
from competencies.models import CompetencyEvidence, CompetencyNode
from courses.models import CoursePage, Enrolment, LearningHoursEntry
from lms.thai_calendar import current_fiscal_year, fiscal_year_of
from organisations.models import OrganisationUnit
from people.civil_service import LEVELS_BY_POSITION_TYPE, EmploymentType, PositionType
from people.models import LearnerProfile, RoleGroup, User

STAFF_DOMAIN = "staff.thaksa.test"
BANGKOK = ZoneInfo("Asia/Bangkok")

# Staff per unit: the divisions HR managers drill into are the biggest.
STAFF_PER_UNIT = {
    "MDES-NSO-SEC": 260,
    "MDES-NSO-HR": 190,
    "MDES-NSO-ICT": 320,
    "MOI-DOPA-SEC": 300,
    "MOI-DOPA-HR": 220,
    "MOI-DOPA-ICT": 260,
    "MOF-RD-SEC": 280,
    "MOF-RD-HR": 210,
    "MOF-RD-ICT": 300,
}
STAFF_PER_OTHER_DEPARTMENT = 45

# How keen each unit is (probability scale for taking and finishing courses): differences
# between divisions are what a dashboard is for.
KEENNESS = {"MDES-NSO-ICT": 1.25, "MDES-NSO-HR": 1.1, "MDES-NSO-SEC": 0.7, "MOI-DOPA-SEC": 0.6}

GIVEN_NAMES = [
    ("mr", "สมชาย", "Somchai"), ("mr", "ธนากร", "Thanakorn"), ("mr", "วีระพงษ์", "Weerapong"),
    ("mr", "ณัฐวุฒิ", "Nattawut"), ("mr", "กิตติพัฒน์", "Kittipat"), ("mr", "ปกรณ์", "Pakorn"),
    ("mr", "อภิชาติ", "Apichart"), ("mr", "ชยพล", "Chayapol"), ("mr", "ศุภชัย", "Supachai"),
    ("mr", "ประเสริฐ", "Prasert"), ("mr", "วรวิทย์", "Worawit"), ("mr", "ธีรภัทร", "Teerapat"),
    ("mr", "พงศกร", "Pongsakorn"), ("mr", "อนุชา", "Anucha"), ("mr", "สุรเชษฐ์", "Surachet"),
    ("miss", "สุภาพร", "Supaporn"), ("miss", "กมลชนก", "Kamonchanok"), ("miss", "ปิยะนุช", "Piyanuch"),
    ("miss", "วรรณิศา", "Wannisa"), ("miss", "ชนิดา", "Chanida"), ("miss", "อรอุมา", "Ornuma"),
    ("miss", "ณัฐธิดา", "Natthida"), ("miss", "พรทิพย์", "Porntip"), ("miss", "ศิริพร", "Siriporn"),
    ("mrs", "มาลัย", "Malai"), ("mrs", "จันทร์เพ็ญ", "Janpen"), ("mrs", "รัตนา", "Rattana"),
    ("mrs", "วันเพ็ญ", "Wanpen"), ("mrs", "สุนันทา", "Sunanta"), ("mrs", "อัญชลี", "Anchalee"),
]  # fmt: skip
FAMILY_NAMES = [
    ("ใจดี", "Jaidee"), ("ศรีสวัสดิ์", "Srisawat"), ("รุ่งเรือง", "Rungruang"), ("มั่นคง", "Mankong"),
    ("สุขสมบูรณ์", "Suksomboon"), ("วงศ์ใหญ่", "Wongyai"), ("ทองดี", "Thongdee"), ("แก้วมณี", "Kaewmanee"),
    ("บุญมา", "Boonma"), ("พรหมสุข", "Promsuk"), ("เจริญผล", "Charoenpol"), ("ประเสริฐศรี", "Prasertsri"),
    ("สายสุวรรณ", "Saisuwan"), ("อินทร์แก้ว", "Inkaew"), ("ชัยมงคล", "Chaimongkol"), ("นาคสวัสดิ์", "Naksawat"),
    ("ปัญญาดี", "Panyadee"), ("ศักดิ์สิทธิ์", "Saksit"), ("เพชรรัตน์", "Petcharat"), ("สมบัติทอง", "Sombatthong"),
]  # fmt: skip

POSITION_TITLES = {
    "ICT": ["นักวิชาการคอมพิวเตอร์", "เจ้าพนักงานเครื่องคอมพิวเตอร์", "นักวิเคราะห์ระบบ"],
    "HR": ["นักทรัพยากรบุคคล", "เจ้าพนักงานธุรการ", "นักพัฒนาทรัพยากรบุคคล"],
    "SEC": ["นักจัดการงานทั่วไป", "เจ้าพนักงานธุรการ", "นักวิเคราะห์นโยบายและแผน"],
    "": ["นักวิชาการสถิติ", "นักจัดการงานทั่วไป", "นักวิเคราะห์นโยบายและแผน", "เจ้าพนักงานธุรการ"],
}

# (course code, chance of enrolling, chance of finishing once enrolled)
COURSE_APPETITE = [
    ("PDPA-GOV-101", 0.45, 0.85),
    ("CYBER-101", 0.4, 0.8),
    ("DG-GOV-201", 0.22, 0.6),
    ("DLIT-AI-101", 0.3, 0.7),
    ("DATA-ANL-101", 0.2, 0.65),
    ("DS-SERV-201", 0.12, 0.6),
    ("DT-CLOUD-201", 0.1, 0.55),
    ("DL-LEAD-301", 0.05, 0.6),
]

# The campaigns the National Statistical Office ran: last year's mandatory PDPA training,
# and this year's cybersecurity training, due soon.
PDPA_CAMPAIGN = "PDPA สำหรับบุคลากรทุกคน ภายใน 30 กันยายน"
CYBER_CAMPAIGN = "ความมั่นคงปลอดภัยไซเบอร์สำหรับบุคลากรทุกคน"
CAMPAIGN_UNIT = "MDES-NSO"

SURVEY_FRAMEWORK = "TPQI-DSC"
SURVEY_COMPETENCIES = ["LIT-1", "LIT-3"]


# The personnel groups of the current Thai framework (competencies/data/frameworks/).
ROLE_GROUP_CODES = {
    ("it", "operational"): "TPQI-IT-OP",
    ("it", "supervisor"): "TPQI-IT-SUP",
    ("it", "executive"): "TPQI-IT-EXE",
    ("non_it", "operational"): "TPQI-NONIT-OP",
    ("non_it", "supervisor"): "TPQI-NONIT-SUP",
    ("non_it", "executive"): "TPQI-NONIT-EXE",
}


@dataclass
class _Person:
    user: User
    unit_code: str
    keenness: float


def _profile_fields(rng: random.Random, unit_code: str, role_groups: dict[str, RoleGroup]) -> dict:
    is_ict = unit_code.endswith("-ICT")
    roll = rng.random()
    if roll < 0.12:
        employment = EmploymentType.GOVERNMENT_EMPLOYEE
    elif roll < 0.18:
        employment = EmploymentType.PERMANENT_EMPLOYEE
    else:
        employment = EmploymentType.CIVIL_SERVANT
    position_type = position_level = ""
    tier = "operational"
    if employment == EmploymentType.CIVIL_SERVANT:
        roll = rng.random()
        if roll < 0.02:
            position_type, tier = PositionType.EXECUTIVE, "executive"
        elif roll < 0.08:
            position_type, tier = PositionType.MANAGERIAL, "supervisor"
        elif roll < 0.7:
            position_type = PositionType.KNOWLEDGE_WORKER
        else:
            position_type = PositionType.GENERAL
        levels = LEVELS_BY_POSITION_TYPE[position_type]
        position_level = levels[min(int(rng.random() ** 1.8 * len(levels)), len(levels) - 1)]
        if position_type == PositionType.KNOWLEDGE_WORKER and position_level in {"expert", "advisory"}:
            tier = "supervisor"
    suffix = unit_code.rsplit("-", 1)[-1] if unit_code.count("-") >= 2 else ""
    return {
        "employment_type": employment,
        "position_type": position_type,
        "position_level": position_level,
        "position_title": rng.choice(POSITION_TITLES.get(suffix, POSITION_TITLES[""])),
        "role_group": role_groups.get(("it" if is_ict else "non_it", tier)),
    }


def _role_groups() -> dict[tuple[str, str], RoleGroup]:
    """The current Thai framework's personnel groups, by (IT or not, role level)."""
    groups = {group.code: group for group in RoleGroup.objects.filter(code__in=ROLE_GROUP_CODES.values())}
    return {key: groups[code] for key, code in ROLE_GROUP_CODES.items() if code in groups}


def _staff_units() -> dict[str, int]:
    wanted = dict(STAFF_PER_UNIT)
    for unit in OrganisationUnit.objects.filter(kind=OrganisationUnit.Kind.DEPARTMENT):
        if not unit.get_children().exists():
            wanted[unit.code] = STAFF_PER_OTHER_DEPARTMENT
    return wanted


def _create_staff(rng: random.Random) -> list[_Person]:
    units = {unit.code: unit for unit in OrganisationUnit.objects.all()}
    role_groups = _role_groups()
    unusable = make_password(None)
    users: list[User] = []
    profiles: list[tuple[User, str, dict]] = []
    number = 0
    for unit_code, count in sorted(_staff_units().items()):
        for _ in range(count):
            number += 1
            title, given, given_en = rng.choice(GIVEN_NAMES)
            family, family_en = rng.choice(FAMILY_NAMES)
            user = User(
                email=f"staff{number:05d}@{STAFF_DOMAIN}",
                title=title,
                first_name=given,
                last_name=family,
                first_name_en=given_en,
                last_name_en=family_en,
                password=unusable,
            )
            users.append(user)
            profiles.append((user, unit_code, _profile_fields(rng, unit_code, role_groups)))
    User.objects.bulk_create(users, batch_size=1000)
    saved = {user.email: user for user in User.objects.filter(email__endswith=f"@{STAFF_DOMAIN}")}
    LearnerProfile.objects.bulk_create(
        [
            LearnerProfile(
                user=saved[user.email],
                unit=units[unit_code],
                employee_number=f"{index:06d}",
                **fields,
            )
            for index, (user, unit_code, fields) in enumerate(profiles, start=1)
        ],
        batch_size=1000,
    )
    return [
        _Person(saved[user.email], unit_code, KEENNESS.get(unit_code, 1.0)) for user, unit_code, _ in profiles
    ]


def _moment(rng: random.Random, start: dt.date, end: dt.date) -> dt.datetime:
    """A random working-hours moment between two days, in Bangkok time."""
    day = start + dt.timedelta(days=rng.randrange(max((end - start).days, 1)))
    return dt.datetime.combine(day, dt.time(rng.randrange(8, 17), rng.randrange(60)), tzinfo=BANGKOK)


class _Ledger:
    """Collects enrolments, hours and evidence, then writes them in bulk."""

    def __init__(self, courses: dict[str, CoursePage]):
        self.courses = courses
        self.enrolments: list[Enrolment] = []
        self.members: list[tuple[Assignment, Enrolment]] = []
        self.targets = {
            code: [(target.competency, target.target_level) for target in course.competency_targets.all()]
            for code, course in courses.items()
        }

    def add(self, person: _Person, code: str, started: dt.datetime, finished: dt.datetime | None, **fields):
        progress = 100 if finished else 10 * (1 + (person.user.pk * 7 + len(code)) % 8)
        enrolment = Enrolment(
            user=person.user,
            course=self.courses[code],
            requested_at=started,
            enrolled_at=started,
            last_activity_at=finished or started,
            status=Enrolment.Status.COMPLETED if finished else Enrolment.Status.ACTIVE,
            progress_percent=progress,
            completed_at=finished,
            **fields,
        )
        self.enrolments.append(enrolment)
        return enrolment

    def write(self) -> int:
        Enrolment.objects.bulk_create(self.enrolments, batch_size=1000)
        AssignmentMember.objects.bulk_create(
            [
                AssignmentMember(
                    assignment=assignment,
                    user=enrolment.user,
                    enrolment=enrolment,
                    due_date=assignment.due_date,
                    assigned_at=assignment.created_at,
                )
                for assignment, enrolment in self.members
            ],
            batch_size=1000,
        )
        completed = [enrolment for enrolment in self.enrolments if enrolment.completed_at]
        LearningHoursEntry.objects.bulk_create(
            [
                LearningHoursEntry(
                    user=enrolment.user,
                    enrolment=enrolment,
                    course=enrolment.course,
                    fiscal_year=fiscal_year_of(enrolment.completed_at).year,
                    hours=Decimal(enrolment.course.estimated_hours or 0).quantize(Decimal("0.1")),
                    credited_at=enrolment.completed_at,
                )
                for enrolment in completed
            ],
            batch_size=1000,
        )
        evidence = []
        for enrolment in completed:
            course = enrolment.course
            achieved = enrolment.completed_at.astimezone(BANGKOK).date()
            valid_until = course.completion_valid_until(achieved)
            for node, level in self.targets[course.code]:
                if node is None:
                    continue
                evidence.append(
                    CompetencyEvidence(
                        user=enrolment.user,
                        node=node,
                        level=level,
                        source=CompetencyEvidence.Source.COURSE,
                        reference=f"enrolment:{enrolment.pk}",
                        course=course,
                        achieved_on=achieved,
                        valid_until=valid_until,
                    )
                )
        CompetencyEvidence.objects.bulk_create(evidence, batch_size=1000)
        return len(self.enrolments)


def _campaign(*, course: CoursePage, unit: OrganisationUnit, name: str, due: dt.date, created: dt.datetime):
    hr = User.objects.filter(email="hr@thaksa.test").first()
    assignment = Assignment.objects.create(
        course=course,
        campaign=name,
        unit=unit,
        due_date=due,
        is_mandatory=True,
        created_by=hr,
        created_at=created,
    )
    return assignment, hr


def _seed_skills_survey(rng: random.Random, people: list[_Person], surveyed_on: dt.date) -> None:
    """Last year's digital-literacy assessment, imported for about half the staff."""
    nodes = list(
        CompetencyNode.objects.filter(
            framework__code=SURVEY_FRAMEWORK, framework__status="current", code__in=SURVEY_COMPETENCIES
        )
    )
    CompetencyEvidence.objects.bulk_create(
        [
            CompetencyEvidence(
                user=person.user,
                node=node,
                level=min(5, 1 + int(rng.random() * 3.2 * person.keenness) + 1),
                source=CompetencyEvidence.Source.IMPORT,
                reference=f"import:demo-survey:{person.user.pk}",
                achieved_on=surveyed_on,
                valid_until=surveyed_on + relativedelta(years=2),
                note="แบบประเมินทักษะดิจิทัลประจำปี",
            )
            for person in people
            if rng.random() < 0.55
            for node in nodes
        ],
        batch_size=1000,
    )


def seed_workforce() -> dict[str, int]:
    """Create the workforce and its learning history once; a second run adds nothing."""
    if User.objects.filter(email__endswith=f"@{STAFF_DOMAIN}").exists():
        return {"staff": 0, "staff enrolments": 0}
    rng = random.Random(2569)  # noqa: S311 - a reproducible demo, not a secret
    courses = {
        course.code: course
        for course in CoursePage.objects.live().filter(code__in=[c for c, *_ in COURSE_APPETITE])
    }
    people = _create_staff(rng)
    this_year = current_fiscal_year()
    last_year = this_year.previous()
    today = timezone.localdate()
    ledger = _Ledger(courses)

    campaign_unit = OrganisationUnit.objects.get(code=CAMPAIGN_UNIT)
    pdpa = cyber = hr = None
    if "PDPA-GOV-101" in courses:
        pdpa, hr = _campaign(
            course=courses["PDPA-GOV-101"],
            unit=campaign_unit,
            name=PDPA_CAMPAIGN,
            due=last_year.end,
            created=dt.datetime.combine(last_year.start + dt.timedelta(days=20), dt.time(9), tzinfo=BANGKOK),
        )
    if "CYBER-101" in courses:
        cyber, hr = _campaign(
            course=courses["CYBER-101"],
            unit=campaign_unit,
            name=CYBER_CAMPAIGN,
            due=today + dt.timedelta(days=40),
            created=dt.datetime.combine(this_year.start + dt.timedelta(days=7), dt.time(9), tzinfo=BANGKOK),
        )
    in_campaign_unit = {code for code in STAFF_PER_UNIT if code.startswith(f"{CAMPAIGN_UNIT}-")}

    for person in people:
        taken = set()
        if person.unit_code in in_campaign_unit and pdpa:
            # Last year's mandatory PDPA training: most on time, some late, some not at all.
            started = _moment(rng, pdpa.created_at.date(), last_year.end - dt.timedelta(days=30))
            roll = rng.random() / person.keenness
            if roll < 0.78:
                finished = started + dt.timedelta(days=rng.randrange(2, 60))
                finished = min(finished, dt.datetime.combine(last_year.end, dt.time(16), tzinfo=BANGKOK))
            elif roll < 0.9:
                finished = _moment(rng, last_year.end + dt.timedelta(days=1), today)
            else:
                finished = None
            enrolment = ledger.add(
                person,
                "PDPA-GOV-101",
                started,
                finished,
                source=Enrolment.Source.ASSIGNMENT,
                due_date=pdpa.due_date,
                decided_by=hr,
            )
            ledger.members.append((pdpa, enrolment))
            taken.add("PDPA-GOV-101")
        if person.unit_code in in_campaign_unit and cyber:
            started = _moment(rng, cyber.created_at.date(), today)
            finished = None
            if rng.random() * 1.2 < 0.45 * person.keenness:
                finished = min(
                    started + dt.timedelta(days=rng.randrange(1, 20)), timezone.now() - dt.timedelta(hours=1)
                )
            enrolment = ledger.add(
                person,
                "CYBER-101",
                started,
                finished,
                source=Enrolment.Source.ASSIGNMENT,
                due_date=cyber.due_date,
                decided_by=hr,
            )
            ledger.members.append((cyber, enrolment))
            taken.add("CYBER-101")
        for code, enrol_chance, finish_chance in COURSE_APPETITE:
            if code in taken or code not in courses or rng.random() > enrol_chance * person.keenness:
                continue
            # Two thirds of the learning happened last year; the rest this year so far.
            year_start, year_end = (
                (last_year.start, last_year.end) if rng.random() < 0.75 else (this_year.start, today)
            )
            started = _moment(rng, year_start, year_end)
            finished = None
            if rng.random() < finish_chance * min(person.keenness, 1.1):
                finished = started + dt.timedelta(days=rng.randrange(1, 45), hours=rng.randrange(0, 6))
                if finished >= timezone.now():
                    finished = None
            ledger.add(person, code, started, finished, source=Enrolment.Source.SELF)
    enrolments = ledger.write()
    _seed_skills_survey(rng, people, last_year.start + dt.timedelta(days=45))
    rebuilt = aggregates_rebuild()
    return {
        "staff": len(people),
        "staff enrolments": enrolments,
        "aggregate cells": getattr(rebuilt, "cells", 0),
    }
