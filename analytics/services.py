"""Keeping the dashboards' aggregates (analytics.models) equal to what the raw rows say.

Two ways, one result:

- **Incremental** (`person_contributions_refresh`): an event about a person recomputes their
  contribution from their own rows (analytics.contributions) and adds (new − old) to the cells
  of their dimensions: the old dimensions lose the old numbers, the new ones gain the new.
  Unchanged entries touch nothing; a cell that reaches 0 is deleted. Signals queue the
  people concerned once per transaction, after it commits (`person_contributions_queue`).
- **Rebuild** (`aggregates_rebuild`): every contribution computed afresh and every cell set
  to the sum of the contributions of its dimensions.

Concurrency. A refresh locks its people (their user rows) so two refreshes of one person
take turns, and each applies exactly the difference between what it stored and what it
computed. The rebuild goes through the units in chunks (a transaction per chunk of about
`REBUILD_CHUNK` people): it recomputes the contributions of the people in those units and
sets those units' cells to their sum, while holding the contribution table against writers
(PostgreSQL: SHARE ROW EXCLUSIVE, which refreshes wait for; SQLite: its one writer at a
time). A refresh that starts after a chunk committed applies its difference to exact
cells, so the cells stay exact; nothing is ever wiped, so the dashboards read complete
figures throughout. We lock per chunk rather than build fresh tables and swap them because
events keep arriving during a rebuild of 100 000 people: a swap would lose them or need a
replay log, while short per-chunk locks only make a refresh wait for one chunk.

Restartable: each committed chunk leaves correct cells; the position reached is kept in the
cache, and the next rebuild resumes after it (or starts over if the cache has lost it, which
is only slower).
"""

import datetime as dt
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.core.cache import cache
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from analytics.contributions import NOTHING, Contribution, Dimensions, contributions_compute, value_key_parts
from analytics.models import AggregateCell, PersonContribution
from assignments.models import AssignmentMember
from competencies.models import CompetencyEvidence
from courses.models import Enrolment
from lms.thai_calendar import fiscal_year_of
from people.models import LearnerProfile, User

# (fiscal_year, measure, item, unit_id, position_type, role_group_id, employment_type)
CellKey = tuple[int, str, int, int, str, int, str]
CELL_FIELDS = (
    "fiscal_year",
    "measure",
    "item",
    "unit_id",
    "position_type",
    "role_group_id",
    "employment_type",
)

REFRESH_BATCH = 500  # people per refresh transaction and per queued task
COMPUTE_BATCH = 1000  # people per contributions_compute call (its queries list their ids)
REBUILD_CHUNK = 2000  # people per rebuild transaction
CELL_LOOKUP_BATCH = 100  # cell keys per lookup query (7 parameters each; SQLite allows 999)
WRITE_BATCH = 1000

REBUILD_PROGRESS_KEY = "analytics:rebuild:after-unit"
REBUILD_PROGRESS_TIMEOUT = 60 * 60 * 24 * 8
DATED_LAST_RUN_KEY = "analytics:dated-refresh:last-run"
# Without a record of the last run (a cleared cache), look back as far as the weekly rebuild.
DATED_FALLBACK_DAYS = 7
PENDING = "analytics_pending_refresh"  # attribute of the connection: what awaits the commit


@dataclass
class RebuildReport:
    people: int = 0  # contributions computed
    contributions_changed: int = 0  # people whose stored contribution was not what it should be
    cells: int = 0  # cells after the rebuild
    cells_created: int = 0
    cells_updated: int = 0
    cells_deleted: int = 0
    chunks: int = 0
    resumed_after_unit: int | None = None
    seconds: float = 0.0

    @property
    def cells_changed(self) -> int:
        return self.cells_created + self.cells_updated + self.cells_deleted


def _batches(items: Sequence, size: int) -> Iterator[Sequence]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _cells_of(contribution: Contribution) -> dict[CellKey, int]:
    dimensions = contribution.dimensions
    if dimensions is None:
        return {}
    cells = {}
    for key, value in contribution.values.items():
        fiscal_year, measure, item = value_key_parts(key)
        cells[
            (
                fiscal_year,
                measure,
                item,
                dimensions.unit_id,
                dimensions.position_type,
                dimensions.role_group_id,
                dimensions.employment_type,
            )
        ] = value
    return cells


def _stored(row: PersonContribution | None) -> Contribution:
    if row is None or row.unit_id is None:
        return NOTHING
    return Contribution(
        Dimensions(row.unit_id, row.position_type, row.role_group_id, row.employment_type), row.values
    )


def _contributions_hold(*, against_writers: bool) -> None:
    """PostgreSQL table locks that order refreshes and rebuild chunks: a refresh takes the
    lock every writer takes (ROW EXCLUSIVE) before it touches a cell, so it waits for a
    rebuild chunk in progress instead of deadlocking with it; a rebuild chunk keeps every
    writer out. SQLite runs one writing transaction at a time anyway."""
    if connection.vendor != "postgresql":
        return
    mode = "SHARE ROW EXCLUSIVE" if against_writers else "ROW EXCLUSIVE"
    with connection.cursor() as cursor:
        cursor.execute(f"LOCK TABLE {PersonContribution._meta.db_table} IN {mode} MODE")


def _people_lock(user_ids: Sequence[int]) -> None:
    list(User.objects.select_for_update().filter(pk__in=user_ids).order_by("pk").values_list("pk", flat=True))


def _cell_q(key: CellKey) -> Q:
    return Q(**dict(zip(CELL_FIELDS, key, strict=True)))


def _cells_create(rows: list[tuple[CellKey, int]]) -> None:
    """Insert new cells with one prepared statement (bulk_create would build a model instance
    for each of the millions a first build writes). Rows in key order fill the unique index
    in order, which SQLite in particular does much faster."""
    table = AggregateCell._meta.db_table
    columns = ", ".join((*CELL_FIELDS, "value"))
    placeholders = ", ".join(["%s"] * (len(CELL_FIELDS) + 1))
    with connection.cursor() as cursor:
        for batch in _batches(rows, 5000):
            cursor.executemany(
                f"INSERT INTO {table} ({columns}) VALUES ({placeholders})",  # noqa: S608 - our own names
                [(*key, value) for key, value in batch],
            )


def _cells_set(*, updates: list[tuple[int, int]], deletes: list[int]) -> None:
    AggregateCell.objects.bulk_update(
        [AggregateCell(pk=pk, value=value) for pk, value in updates], ["value"], batch_size=500
    )
    for batch in _batches(deletes, WRITE_BATCH):
        AggregateCell.objects.filter(pk__in=batch).delete()


def _cells_add(deltas: dict[CellKey, int]) -> tuple[int, int, int]:
    """Add each delta to its cell (creating or deleting cells as needed); returns the number
    of cells created, updated and deleted. The existing cells are locked while being read."""
    keys = sorted(key for key, delta in deltas.items() if delta)
    existing: dict[CellKey, tuple[int, int]] = {}
    for batch in _batches(keys, CELL_LOOKUP_BATCH):
        rows = (
            AggregateCell.objects.select_for_update()
            .filter(reduce(or_, (_cell_q(key) for key in batch)))
            .values_list("pk", *CELL_FIELDS, "value")
        )
        for pk, *key, value in rows:
            existing[tuple(key)] = (pk, value)
    updates, deletes, creates = [], [], []
    for key in keys:
        if key in existing:
            pk, value = existing[key]
            value += deltas[key]
            if value:
                updates.append((pk, value))
            else:
                deletes.append(pk)
        else:
            creates.append((key, deltas[key]))
    _cells_set(updates=updates, deletes=deletes)
    try:
        with transaction.atomic():
            _cells_create(creates)
    except IntegrityError:
        # Another transaction created one of these cells since we looked: add to it instead.
        for key, delta in creates:
            cells = AggregateCell.objects.filter(_cell_q(key))
            if not cells.update(value=F("value") + delta):
                AggregateCell.objects.create(**dict(zip(CELL_FIELDS, key, strict=True)), value=delta)
            cells.filter(value=0).delete()
    return len(creates), len(updates), len(deletes)


@dataclass
class _Changes:
    """Contributions to write: rows to create, update and delete."""

    create: list[PersonContribution]
    update: list[PersonContribution]
    delete: list[int]

    def record(self, user_id: int, row: PersonContribution | None, new: Contribution) -> None:
        if new.dimensions is None:
            self.delete.append(user_id)
            return
        existing = row is not None
        row = row or PersonContribution(user_id=user_id)
        row.unit_id = new.dimensions.unit_id
        row.position_type = new.dimensions.position_type
        row.role_group_id = new.dimensions.role_group_id
        row.employment_type = new.dimensions.employment_type
        row.values = new.values
        row.updated_at = timezone.now()
        (self.update if existing else self.create).append(row)

    def write(self) -> None:
        PersonContribution.objects.bulk_create(self.create, batch_size=WRITE_BATCH)
        PersonContribution.objects.bulk_update(
            self.update,
            ["unit", "position_type", "role_group_id", "employment_type", "values", "updated_at"],
            batch_size=WRITE_BATCH,
        )
        for batch in _batches(self.delete, WRITE_BATCH):
            PersonContribution.objects.filter(user_id__in=batch).delete()

    def __len__(self) -> int:
        return len(self.create) + len(self.update) + len(self.delete)


def _stored_rows(user_ids: Sequence[int]) -> dict[int, PersonContribution]:
    rows = {}
    for batch in _batches(user_ids, COMPUTE_BATCH):
        rows.update((row.user_id, row) for row in PersonContribution.objects.filter(user_id__in=batch))
    return rows


def _people_replace(user_ids: Sequence[int], fresh: dict[int, Contribution]) -> int:
    """Store the fresh contributions of these (locked) people and move the cells by the
    difference; returns how many people's contribution changed."""
    stored = _stored_rows(user_ids)
    deltas: dict[CellKey, int] = defaultdict(int)
    changes = _Changes([], [], [])
    for user_id in user_ids:
        new, row = fresh.get(user_id, NOTHING), stored.get(user_id)
        old = _stored(row)
        if new == old:
            continue
        for key, value in _cells_of(old).items():
            deltas[key] -= value
        for key, value in _cells_of(new).items():
            deltas[key] += value
        changes.record(user_id, row, new)
    _cells_add(deltas)
    changes.write()
    return len(changes)


def person_contributions_refresh(*, user_ids: Iterable[int], today: dt.date | None = None) -> int:
    """Recompute these people's contributions as of `today` (default: today in Bangkok) and
    move the cells by the difference. Returns how many contributions changed.

    Each batch of people is one transaction that locks them first, so refreshes of the same
    person never interleave and each sees the rows committed before it."""
    today = today or timezone.localdate()
    changed = 0
    for batch in _batches(sorted(set(user_ids)), REFRESH_BATCH):
        with transaction.atomic():
            _people_lock(batch)
            _contributions_hold(against_writers=False)
            changed += _people_replace(batch, contributions_compute(user_ids=batch, today=today))
    return changed


def person_contributions_withdraw(*, user_ids: Iterable[int]) -> int:
    """Take these people's numbers out of the cells now, in the current transaction: they are
    being deleted, and their stored contribution goes with them."""
    ids = sorted(set(user_ids))
    with transaction.atomic():
        _people_lock(ids)
        _contributions_hold(against_writers=False)
        return _people_replace(ids, {})


def person_contributions_queue(*, user_ids: Iterable[int] = (), assignment_ids: Iterable[int] = ()) -> None:
    """Refresh these people, and the members of these assignments (as they are when the
    transaction commits: members added in bulk after the assignment was saved count), after
    the current transaction commits, once each.

    Every event of a transaction adds to one set kept on the connection; the first commit
    callback queues the whole set as `analytics.refresh_people` tasks of REFRESH_BATCH
    people, and later callbacks find it empty. (Outside a transaction the refresh is queued
    at once. What a transaction that rolls back added is refreshed with the next one: a
    refresh of an unchanged person changes nothing.) Services that write with bulk queries
    (which send no signals) call this themselves."""
    people = {user_id for user_id in user_ids if user_id}
    assignments = {assignment_id for assignment_id in assignment_ids if assignment_id}
    if not (people or assignments):
        return
    pending = transaction.get_connection().__dict__.setdefault(
        PENDING, {"people": set(), "assignments": set()}
    )
    pending["people"].update(people)
    pending["assignments"].update(assignments)
    transaction.on_commit(_queued_people_send, robust=True)


def _queued_people_send() -> None:
    pending = transaction.get_connection().__dict__.pop(PENDING, None)
    if not pending:
        return
    people = pending["people"]
    for batch in _batches(sorted(pending["assignments"]), WRITE_BATCH):
        people.update(
            AssignmentMember.objects.filter(assignment_id__in=batch).values_list("user_id", flat=True)
        )
    from analytics.tasks import refresh_people

    for batch in _batches(sorted(people), REFRESH_BATCH):
        refresh_people.delay(list(batch))


def people_with_dated_changes(*, since: dt.date, today: dt.date) -> set[int]:
    """People whose contribution changes by itself between the day after `since` and `today`:
    an assigned enrolment became overdue (due date in [since, today)), evidence began
    (achieved in (since, today]) or expired (valid until a day in [since, today)), or a new
    fiscal year began while they had a course in progress."""
    people = set(
        # Overdue today (the one rule) and not yet on `since`: due on a day in [since, today).
        Enrolment.objects.overdue(on=today).filter(due_date__gte=since).values_list("user_id", flat=True)
    )
    people.update(
        CompetencyEvidence.objects.filter(withdrawn_at__isnull=True)
        .filter(
            Q(achieved_on__gt=since, achieved_on__lte=today)
            | Q(valid_until__gte=since, valid_until__lt=today)
        )
        .values_list("user_id", flat=True)
    )
    if fiscal_year_of(since) != fiscal_year_of(today):
        people.update(Enrolment.objects.in_progress().values_list("user_id", flat=True))
    return people


def person_contributions_refresh_dated(*, today: dt.date | None = None) -> int:
    """Refresh the people whose numbers changed with the date since the last run (kept in the
    cache; without it, the last DATED_FALLBACK_DAYS days). Returns how many were refreshed."""
    today = today or timezone.localdate()
    last_run = cache.get(DATED_LAST_RUN_KEY)
    since = dt.date.fromisoformat(last_run) if last_run else today - dt.timedelta(days=DATED_FALLBACK_DAYS)
    if since >= today:
        return 0
    people = people_with_dated_changes(since=since, today=today)
    person_contributions_refresh(user_ids=people, today=today)
    cache.set(DATED_LAST_RUN_KEY, today.isoformat(), timeout=None)
    return len(people)


def _unit_chunks(*, after_unit: int, chunk_size: int) -> list[list[int]]:
    """Every unit with people, contributions or cells, in id order, grouped so that a group
    holds about `chunk_size` people (a bigger unit is a group of its own)."""
    weight: dict[int, int] = defaultdict(int)
    for unit_id in LearnerProfile.objects.filter(unit_id__gt=after_unit).values_list("unit_id", flat=True):
        weight[unit_id] += 1
    for unit_id in PersonContribution.objects.filter(unit_id__gt=after_unit).values_list(
        "unit_id", flat=True
    ):
        weight[unit_id] += 1
    for unit_id in (
        AggregateCell.objects.filter(unit_id__gt=after_unit).values_list("unit_id", flat=True).distinct()
    ):
        weight[unit_id] += 0
    chunks: list[list[int]] = []
    size = 0
    for unit_id in sorted(weight):
        if not chunks or (size > 0 and size + weight[unit_id] > chunk_size):
            chunks.append([])
            size = 0
        chunks[-1].append(unit_id)
        size += weight[unit_id]
    return chunks


def _units_rebuild(units: list[int], *, today: dt.date, report: RebuildReport) -> None:
    """Recompute the contributions of everyone in these units (or last counted there) and set
    these units' cells to their sum. People who moved to or from another unit take their
    numbers from or to its cells by difference, like a refresh."""
    in_chunk = set(units)
    people = sorted(
        set(LearnerProfile.objects.filter(unit_id__in=units).values_list("user_id", flat=True))
        | set(PersonContribution.objects.filter(unit_id__in=units).values_list("user_id", flat=True))
    )
    fresh: dict[int, Contribution] = {}
    for batch in _batches(people, COMPUTE_BATCH):
        fresh.update(contributions_compute(user_ids=batch, today=today))
    stored = _stored_rows(people)
    target: dict[CellKey, int] = defaultdict(int)
    elsewhere: dict[CellKey, int] = defaultdict(int)
    changes = _Changes([], [], [])
    for user_id in people:
        new, row = fresh.get(user_id, NOTHING), stored.get(user_id)
        old = _stored(row)
        changed = new != old
        for key, value in _cells_of(new).items():
            if key[3] in in_chunk:
                target[key] += value
            elif changed:
                elsewhere[key] += value
        if changed:
            for key, value in _cells_of(old).items():
                if key[3] not in in_chunk:
                    elsewhere[key] -= value
            changes.record(user_id, row, new)

    updates, deletes = [], []
    for pk, *key, value in AggregateCell.objects.filter(unit_id__in=units).values_list(
        "pk", *CELL_FIELDS, "value"
    ):
        wanted = target.pop(tuple(key), 0)
        if not wanted:
            deletes.append(pk)
        elif wanted != value:
            updates.append((pk, wanted))
    _cells_set(updates=updates, deletes=deletes)
    _cells_create(sorted(target.items()))
    created, updated, deleted = _cells_add(elsewhere)
    changes.write()

    report.people += len(people)
    report.contributions_changed += len(changes)
    report.cells_created += len(target) + created
    report.cells_updated += len(updates) + updated
    report.cells_deleted += len(deletes) + deleted


def _statistics_refresh() -> None:
    """Tell PostgreSQL's planner what the tables now hold. After a rebuild writes a million
    cells, stale statistics make it join and sum by nested loops: a dashboard measured 2.1 s
    before and 0.15 s after (5 000 staff, 256 000 cells). SQLite plans without them."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {AggregateCell._meta.db_table}, {PersonContribution._meta.db_table}")


def aggregates_rebuild(
    *, today: dt.date | None = None, chunk_size: int = REBUILD_CHUNK, resume: bool = True
) -> RebuildReport:
    """Recompute every contribution and every cell from the raw rows, as of `today`.

    Safe while events keep arriving and restartable (see the module's docstring). With
    `resume`, a rebuild that was interrupted continues after the last unit it finished."""
    started = time.perf_counter()
    today = today or timezone.localdate()
    after_unit = (cache.get(REBUILD_PROGRESS_KEY) or 0) if resume else 0
    report = RebuildReport(resumed_after_unit=after_unit or None)
    for units in _unit_chunks(after_unit=after_unit, chunk_size=chunk_size):
        with transaction.atomic():
            _contributions_hold(against_writers=True)
            _units_rebuild(units, today=today, report=report)
        report.chunks += 1
        cache.set(REBUILD_PROGRESS_KEY, units[-1], timeout=REBUILD_PROGRESS_TIMEOUT)
    cache.delete(REBUILD_PROGRESS_KEY)
    _statistics_refresh()
    report.cells = AggregateCell.objects.count()
    report.seconds = round(time.perf_counter() - started, 3)
    return report
