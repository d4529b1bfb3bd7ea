"""Sums read from the aggregate cells (analytics.models.AggregateCell), shared by the
agency and partner dashboards."""

from collections import Counter, defaultdict

from django.db.models import QuerySet, Sum

from analytics.models import AggregateCell

Totals = Counter  # (measure, item) → sum


def share(part: int, whole: int) -> float | None:
    """`part` as a percentage of `whole`, one decimal; None when there is no whole."""
    return round(part * 100 / whole, 1) if whole else None


def course_totals(cells: QuerySet[AggregateCell]) -> dict[int, Totals]:
    """Per course (the cells' item), the sums of each measure."""
    per_course: dict[int, Totals] = defaultdict(Counter)
    for row in cells.values("item", "measure").annotate(total=Sum("value")).order_by():
        per_course[row["item"]][row["measure"]] += row["total"]
    return per_course
