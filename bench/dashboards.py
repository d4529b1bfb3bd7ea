"""Dashboard benchmark on a synthetic agency (bench/synthetic.py: by default 100 000 staff and
2 000 000 enrolments; BENCH_STAFF and BENCH_ENROLMENTS scale it down).

Measured, each against a floor measured in the same run so that the ratios mean something
on any machine:

- **Full rebuild** of the aggregates from empty tables (`aggregates_rebuild`), and again when
  nothing changed (the weekly check). Floor: one GROUP BY over all enrolments joined to
  the profiles (completions per unit and fiscal year, a single measure straight from SQL).
- **Incremental refresh of one person** after one of their courses is completed (mean over
  BENCH_REFRESHES people, 200 by default). Floor: reading that person's enrolments and
  writing one cell, in a transaction.
- **The dashboard's data** (`analytics.selectors.agency.dashboard`) for an HR manager of the whole
  ministry and of one department. Floor: building the same Dashboard (figures and tables)
  from constant, precomputed data. For context, the three headline figures (staff,
  completions, hours) counted straight from the raw rows for the same scope.

Run with `make bench`; results go to bench-results/dashboards.json. A throwaway database:
SQLite at var/bench-dashboards.sqlite3, or PostgreSQL (test_<name>) when DATABASE_URL is set.
"""

import json
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.test")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

STAFF = int(os.environ.get("BENCH_STAFF", "100000"))
ENROLMENTS = int(os.environ.get("BENCH_ENROLMENTS", "2000000"))
REFRESHES = int(os.environ.get("BENCH_REFRESHES", "200"))
DASHBOARD_RUNS = int(os.environ.get("BENCH_DASHBOARD_RUNS", "5"))
FLOOR_RUNS = 200


def _summary(durations: list[float]) -> dict:
    ordered = sorted(durations)
    return {
        "count": len(durations),
        "mean_ms": round(statistics.fmean(durations) * 1000, 3),
        "p50_ms": round(statistics.median(ordered) * 1000, 3),
        "p95_ms": round(ordered[max(0, int(len(ordered) * 0.95) - 1)] * 1000, 3),
        "max_ms": round(ordered[-1] * 1000, 3),
    }


def _timed(run: Callable[[], object], count: int) -> list[float]:
    durations = []
    for _ in range(count):
        started = time.perf_counter()
        run()
        durations.append(time.perf_counter() - started)
    return durations


def _ratio(measured: dict, floor: dict) -> float | None:
    return round(measured["mean_ms"] / floor["mean_ms"], 1) if floor["mean_ms"] else None


def _rebuild_floor() -> float:
    """Completions per unit and fiscal year for every enrolment, in one SQL statement."""
    from django.db.models import Count

    from courses.models import Enrolment

    started = time.perf_counter()
    list(
        Enrolment.objects.filter(status=Enrolment.Status.COMPLETED)
        .values("user__profile__unit_id", "hours_entry__fiscal_year")
        .annotate(count=Count("pk"))
        .order_by()
    )
    return time.perf_counter() - started


def _refresh(rng: random.Random) -> tuple[dict, dict]:
    """Complete one active enrolment of a random person without signals, then time their
    refresh; the floor reads their enrolments and writes one cell (unchanged)."""
    from django.db.models import F
    from django.utils import timezone

    from analytics.models import AggregateCell
    from analytics.services import person_contributions_refresh
    from courses.models import Enrolment

    candidates = list(
        Enrolment.objects.filter(status=Enrolment.Status.ACTIVE, user__profile__isnull=False)
        .order_by()
        .values_list("pk", "user_id")[: REFRESHES * 20]
    )
    chosen, seen = [], set()
    for enrolment_id, user_id in rng.sample(candidates, k=len(candidates)):
        if user_id not in seen:
            seen.add(user_id)
            chosen.append((enrolment_id, user_id))
        if len(chosen) == REFRESHES:
            break
    cell_ids = list(AggregateCell.objects.order_by("?").values_list("pk", flat=True)[: len(chosen)])
    refresh, floor = [], []
    for (enrolment_id, user_id), cell_id in zip(chosen, cell_ids, strict=False):
        Enrolment.objects.filter(pk=enrolment_id).update(
            status=Enrolment.Status.COMPLETED, completed_at=timezone.now()
        )
        started = time.perf_counter()
        person_contributions_refresh(user_ids=[user_id])
        refresh.append(time.perf_counter() - started)

        started = time.perf_counter()
        with transaction.atomic():
            list(Enrolment.objects.filter(user_id=user_id).values_list("course_id", "status", "completed_at"))
            AggregateCell.objects.filter(pk=cell_id).update(value=F("value"))
        floor.append(time.perf_counter() - started)
    return _summary(refresh), _summary(floor)


def _dashboard_from_constants(made):
    """The floor: the same Dashboard built from data already computed."""
    from dataclasses import replace

    from analytics.selectors.contract import Dashboard, Figure, Table

    return Dashboard(
        title=made.title,
        filters=replace(made.filters),
        scope_label=made.scope_label,
        breadcrumbs=list(made.breadcrumbs),
        figures=[Figure(f.key, f.label, f.value, f.unit) for f in made.figures],
        tables={
            key: Table(
                key=table.key,
                title=table.title,
                columns=list(table.columns),
                rows=[list(row) for row in table.rows],
                links=list(table.links),
                note=table.note,
            )
            for key, table in made.tables.items()
        },
    )


def _raw_headlines(unit, fiscal_year: int) -> dict:
    """Staff, completions and hours of a subtree counted from the raw rows, for context."""
    from django.db.models import Sum

    from courses.models import Enrolment, LearningHoursEntry
    from lms.thai_calendar import FiscalYear
    from organisations.models import within_units
    from people.models import LearnerProfile

    year = FiscalYear(fiscal_year)
    scope = within_units([unit.path], through="user__profile__unit")
    return {
        "staff": LearnerProfile.objects.filter(
            within_units([unit.path], through="unit"), user__is_active=True
        ).count(),
        "completions": Enrolment.objects.filter(
            scope, status=Enrolment.Status.COMPLETED, completed_at__date__range=(year.start, year.end)
        ).count(),
        "hours": LearningHoursEntry.objects.filter(scope, fiscal_year=fiscal_year).aggregate(
            total=Sum("hours")
        )["total"],
    }


def _dashboards(generated) -> dict:
    from analytics.models import AggregateCell
    from analytics.selectors.agency import dashboard
    from analytics.selectors.contract import DashboardFilters
    from lms.thai_calendar import current_fiscal_year
    from organisations.models import within_units
    from people.services import role_assign
    from people.tests.factories import UserFactory

    fiscal_year = current_fiscal_year().previous().year  # the last complete year: the most data
    results = {"fiscal_year": fiscal_year}
    for name, unit in (("agency", generated.ministry), ("department", generated.departments[0])):
        manager = UserFactory(email=f"hr-{name}@bench.go.th")
        role_assign(user=manager, role="hr_manager", unit=unit)
        filters = DashboardFilters(fiscal_year=fiscal_year)
        made = dashboard(viewer=manager, filters=filters)  # warm-up, and the data for the floor
        measured = _summary(
            _timed(lambda m=manager, f=filters: dashboard(viewer=m, filters=f), DASHBOARD_RUNS)
        )
        floor = _summary(_timed(lambda d=made: _dashboard_from_constants(d), FLOOR_RUNS))
        raw = _summary(_timed(lambda u=unit: _raw_headlines(u, fiscal_year), DASHBOARD_RUNS))
        results[name] = {
            "unit": unit.code,
            "cells_in_scope": AggregateCell.objects.filter(within_units([unit.path], through="unit")).count(),
            "figures": {figure.key: figure.value for figure in made.figures},
            "dashboard": measured,
            "floor_constant_data": floor,
            "mean_ratio_to_floor": _ratio(measured, floor),
            "context_three_headlines_from_raw_rows": raw,
        }
    return results


def main() -> dict:
    from analytics.models import AggregateCell, PersonContribution
    from analytics.services import aggregates_rebuild
    from bench.synthetic import synthetic_agency_generate

    setup_test_environment()
    if connection.vendor == "sqlite":
        # Our own file: never the shared var/test-db.sqlite3 of the test suite.
        connection.settings_dict["TEST"]["NAME"] = str(ROOT / "var" / "bench-dashboards.sqlite3")
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        generated = synthetic_agency_generate(staff=STAFF, enrolments=ENROLMENTS)
        print(f"Generated {generated.counts} in {generated.seconds} s", flush=True)

        first = aggregates_rebuild(resume=False)
        print(f"Rebuilt from empty in {first.seconds} s: {first.cells} cells", flush=True)
        steady = aggregates_rebuild(resume=False)
        floor_rebuild = min(_rebuild_floor() for _ in range(3))
        refresh, refresh_floor = _refresh(random.Random(2570))  # noqa: S311 - reproducible choice
        print(f"Refresh of one person: {refresh['mean_ms']} ms", flush=True)
        dashboards = _dashboards(generated)
        contributions = PersonContribution.objects.count()
        cells = AggregateCell.objects.count()
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)

    def rebuild_summary(report) -> dict:
        return {
            "seconds": report.seconds,
            "people": report.people,
            "contributions_changed": report.contributions_changed,
            "cells_created": report.cells_created,
            "cells_updated": report.cells_updated,
            "cells_deleted": report.cells_deleted,
            "chunks": report.chunks,
            "ratio_to_floor": round(report.seconds / floor_rebuild, 1),
        }

    return {
        "benchmark": "dashboards",
        "database": settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1],
        "data": {**generated.counts, "generate_seconds": generated.seconds},
        "aggregates": {"person_contributions": contributions, "cells": cells},
        "floor_rebuild_one_group_by_seconds": round(floor_rebuild, 3),
        "rebuild_from_empty": rebuild_summary(first),
        "rebuild_nothing_changed": rebuild_summary(steady),
        "refresh_one_person": refresh,
        "floor_refresh_read_rows_and_one_cell": refresh_floor,
        "refresh_mean_ratio_to_floor": _ratio(refresh, refresh_floor),
        "dashboard": dashboards,
    }


if __name__ == "__main__":
    results = main()
    out = ROOT / "bench-results" / "dashboards.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps(results, indent=2, ensure_ascii=False))
