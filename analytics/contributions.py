"""What one person adds to the dashboards' cells, computed from their own rows only.

A person contributes only while they are staff: they have a learner profile (which places
them in a unit) and their account is active. Their dimensions are the profile's unit,
position type, role group (0: none) and employment type. The numbers (analytics.models
lists the measures) are keyed "fiscal_year:measure:item"; zeros are left out.

Precisely:

- Dates of datetimes are taken in Bangkok local time; a fiscal year is
  `lms.thai_calendar.fiscal_year_of(...).year` (Buddhist era), and month item 1 is October,
  12 is September.
- **active** (per fiscal year): 1 if an enrolment of theirs with status active or completed
  was open at some time in the year: it started (enrolled_at, else requested_at) on or
  before the year's last day, and it is not completed or was completed on or after the
  year's first day. Years after the current one (the one `today` is in) have not happened,
  so an enrolment still in progress counts from the year it started up to the current year.
- **enrolments_course**: enrolments admitted (enrolled_at set, whatever happened later) in
  the year, per course. Requests never approved have no enrolled_at and do not count.
- **completions**, **completions_course**, **completions_month**, **learners_completed**:
  enrolments with status completed, in the year and month of completed_at; **score_course**
  adds their post-test score in hundredths, **scored_course** counts those with a score.
- **hours**: the learning-hours ledger's entries of the year (its own fiscal_year field),
  in tenths of an hour.
- **overdue** (now): enrolments overdue on `today` (`courses.models.overdue_q`, the one
  definition); **overdue_people** is 1 if there is any.
- **mandatory_due** (per fiscal year of the member's own due date, which may be later than
  the assignment's for someone who arrived late): the person's AssignmentMember rows of
  active, mandatory assignments; **mandatory_done**: of those, the ones whose enrolment (the
  assigned one, or an earlier completion that counts) was completed on or before that due
  date (`assignments.models.completed_on_time_q`, the one definition).
- **competency_*** (now): the requirements of their role group
  (`competencies.selectors.requirements_by_role_group`) against their best levels valid on
  `today` (`competencies.selectors.best_levels`, the one definition of a level).

`today` makes three things depend on the date alone: overdue (a due date passes), the
competency measures (evidence starts or expires) and active (a new fiscal year begins while
an enrolment is in progress). analytics.services refreshes the people concerned when the
date moves on.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from django.db.models import BooleanField, ExpressionWrapper
from django.utils import timezone

from analytics.models import SNAPSHOT, Measure
from assignments.models import AssignmentMember, completed_on_time_q
from competencies.selectors import best_levels, requirements_by_role_group
from courses.models import LEARNING_STATUSES, Enrolment, LearningHoursEntry, overdue_q
from lms.thai_calendar import fiscal_year_of
from people.models import LearnerProfile


@dataclass(frozen=True)
class Dimensions:
    """Where a person's numbers are added up: the columns every cell is keyed by."""

    unit_id: int
    position_type: str
    role_group_id: int  # 0: no role group
    employment_type: str


@dataclass(frozen=True)
class Contribution:
    """A person's dimensions and numbers ("fiscal_year:measure:item" → n, no zeros); a person
    who is not staff has no dimensions and no numbers."""

    dimensions: Dimensions | None = None
    values: dict[str, int] = field(default_factory=dict)


NOTHING = Contribution()


def value_key(fiscal_year: int, measure: str, item: int = 0) -> str:
    return f"{fiscal_year}:{measure}:{item}"


@lru_cache(maxsize=65536)  # the same few thousand keys recur in every person's numbers
def value_key_parts(key: str) -> tuple[int, str, int]:
    fiscal_year, measure, item = key.split(":")
    return int(fiscal_year), measure, int(item)


def fiscal_month(day: dt.date) -> int:
    """1 for October … 12 for September."""
    return (day.month - 10) % 12 + 1


class _Calendar:
    """Local dates and fiscal years for one batch: Bangkok time (the site's time zone, looked
    up once rather than per row) and each day's fiscal year worked out once."""

    def __init__(self) -> None:
        self.zone = timezone.get_default_timezone()
        self.years: dict[dt.date, int] = {}

    def date(self, value: dt.datetime | None) -> dt.date | None:
        return value.astimezone(self.zone).date() if value is not None else None

    def year(self, day: dt.date) -> int:
        year = self.years.get(day)
        if year is None:
            year = self.years[day] = fiscal_year_of(day).year
        return year


class _Numbers:
    """A person's numbers while they are being counted."""

    def __init__(self) -> None:
        self.values: dict[str, int] = defaultdict(int)

    def add(self, fiscal_year: int, measure: str, item: int = 0, amount: int = 1) -> None:
        if amount:
            self.values[value_key(fiscal_year, measure, item)] += amount

    def mark(self, fiscal_year: int, measure: str, item: int = 0) -> None:
        self.values[value_key(fiscal_year, measure, item)] = 1

    def result(self) -> dict[str, int]:
        return {key: value for key, value in self.values.items() if value}


def contributions_compute(
    *, user_ids: Iterable[int], today: dt.date | None = None
) -> dict[int, Contribution]:
    """Every given person's contribution as of `today` (default: today in Bangkok).

    One batch costs at most six queries however many people it holds: profiles, enrolments,
    hours, mandatory assignments, evidence levels and role requirements. People who are not
    staff are left out of the result (they contribute NOTHING)."""
    today = today or timezone.localdate()
    calendar = _Calendar()
    current_year = calendar.year(today)
    profiles = {
        user_id: Dimensions(unit_id, position_type or "", role_group_id or 0, employment_type or "")
        for user_id, unit_id, position_type, role_group_id, employment_type in LearnerProfile.objects.filter(
            user_id__in=list(user_ids), user__is_active=True
        ).values_list("user_id", "unit_id", "position_type", "role_group_id", "employment_type")
    }
    if not profiles:
        return {}
    staff = list(profiles)
    numbers = {user_id: _Numbers() for user_id in staff}
    for person in numbers.values():
        person.add(SNAPSHOT, Measure.STAFF)

    is_overdue = ExpressionWrapper(overdue_q(on=today), output_field=BooleanField())
    for row in (
        Enrolment.objects.filter(user_id__in=staff)
        .annotate(is_overdue=is_overdue)
        .values_list(
            "user_id",
            "course_id",
            "status",
            "enrolled_at",
            "requested_at",
            "completed_at",
            "score",
            "is_overdue",
        )
    ):
        _count_enrolment(numbers[row[0]], row, calendar=calendar, current_year=current_year)

    for user_id, fiscal_year, hours in LearningHoursEntry.objects.filter(user_id__in=staff).values_list(
        "user_id", "fiscal_year", "hours"
    ):
        numbers[user_id].add(fiscal_year, Measure.HOURS, amount=int(hours * 10))

    on_time = ExpressionWrapper(completed_on_time_q(), output_field=BooleanField())
    for user_id, due_date, done in (
        AssignmentMember.objects.filter(
            user_id__in=staff, assignment__is_active=True, assignment__is_mandatory=True
        )
        .annotate(on_time=on_time)
        .values_list("user_id", "due_date", "on_time")
    ):
        fiscal_year = calendar.year(due_date)
        numbers[user_id].add(fiscal_year, Measure.MANDATORY_DUE)
        if done:
            numbers[user_id].add(fiscal_year, Measure.MANDATORY_DONE)

    levels = best_levels(user_ids=staff, on=today)
    role_group_ids = {
        dimensions.role_group_id for dimensions in profiles.values() if dimensions.role_group_id
    }
    requirements = requirements_by_role_group(role_group_ids=role_group_ids) if role_group_ids else {}
    for user_id, dimensions in profiles.items():
        _count_competencies(
            numbers[user_id], requirements.get(dimensions.role_group_id, {}), levels.get(user_id, {})
        )

    return {user_id: Contribution(profiles[user_id], numbers[user_id].result()) for user_id in staff}


def _count_enrolment(person: _Numbers, row: tuple, *, calendar: _Calendar, current_year: int) -> None:
    _user_id, course_id, status, enrolled_at, requested_at, completed_at, score, is_overdue = row
    completed_on = calendar.date(completed_at) if status == Enrolment.Status.COMPLETED else None
    if enrolled_at is not None:
        person.add(calendar.year(calendar.date(enrolled_at)), Measure.ENROLMENTS_COURSE, course_id)
    if status in LEARNING_STATUSES:
        started = calendar.date(enrolled_at or requested_at)
        last_year = calendar.year(completed_on) if completed_on else current_year
        for fiscal_year in range(calendar.year(started), last_year + 1):
            person.mark(fiscal_year, Measure.ACTIVE)
    if completed_on is not None:
        fiscal_year = calendar.year(completed_on)
        person.add(fiscal_year, Measure.COMPLETIONS)
        person.mark(fiscal_year, Measure.LEARNERS_COMPLETED)
        person.add(fiscal_year, Measure.COMPLETIONS_COURSE, course_id)
        person.add(fiscal_year, Measure.COMPLETIONS_MONTH, fiscal_month(completed_on))
        if score is not None:
            person.add(fiscal_year, Measure.SCORE_COURSE, course_id, int(score * 100))
            person.add(fiscal_year, Measure.SCORED_COURSE, course_id)
    if is_overdue:
        person.add(SNAPSHOT, Measure.OVERDUE)
        person.mark(SNAPSHOT, Measure.OVERDUE_PEOPLE)


def _count_competencies(person: _Numbers, required: dict[int, int], levels: dict[int, int]) -> None:
    for node_id, required_level in required.items():
        person.mark(SNAPSHOT, Measure.COMPETENCY_REQUIRED, node_id)
        if levels.get(node_id, 0) >= required_level:
            person.mark(SNAPSHOT, Measure.COMPETENCY_MET, node_id)
