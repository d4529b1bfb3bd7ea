"""Filters the list endpoints share: a unit (with the units below it) and a date range."""

import datetime as dt
from typing import TypeVar

from django.db.models import Model, QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request

from organisations.models import OrganisationUnit

M = TypeVar("M", bound=Model)


def unit_filter(request: Request, units: QuerySet[OrganisationUnit]) -> OrganisationUnit | None:
    """The `unit` filter (a unit code): that unit and those below it, if this caller sees it;
    a unit it does not see is answered as one that does not exist."""
    code = request.query_params.get("unit", "").strip()[:64]
    if not code:
        return None
    unit = units.filter(code=code).first()
    if unit is None:
        raise NotFound
    return unit


# Filters are held within these (Python's dates end at the year 9999, a day later overflows).
EARLIEST = dt.datetime(1900, 1, 1)
LATEST = dt.datetime(2999, 12, 31)


def parse_moment(value: str, *, name: str) -> dt.datetime:
    """An ISO date (midnight in Bangkok) or date-time from a filter, or a 400 that says what
    was expected."""
    try:
        moment = parse_datetime(value)
        if moment is None:
            day = parse_date(value)
            if day is not None:
                moment = dt.datetime.combine(day, dt.time.min)
        if moment is not None:  # a filter far in the past or future matches what is there, or nothing
            naive = moment.replace(tzinfo=None)
            moment = EARLIEST if naive < EARLIEST else LATEST if naive > LATEST else moment
    except ValueError:
        moment = None
    if moment is None:
        raise ValidationError(
            {
                name: [
                    _("“%(value)s” is not a date: write it as 2026-12-31 or 2026-12-31T08:00:00+07:00.")
                    % {"value": value[:40]}
                ]
            }
        )
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def date_range(request: Request, queryset: QuerySet[M], *, field: str, prefix: str) -> QuerySet[M]:
    """`<prefix>_from` / `<prefix>_to` (inclusive dates or date-times) on `field`."""
    start = request.query_params.get(f"{prefix}_from", "").strip()
    end = request.query_params.get(f"{prefix}_to", "").strip()
    if start:
        queryset = queryset.filter(**{f"{field}__gte": parse_moment(start, name=f"{prefix}_from")})
    if end:
        moment = parse_moment(end, name=f"{prefix}_to")
        if parse_datetime(end) is None:  # a date: the whole day
            moment += dt.timedelta(days=1)
            return queryset.filter(**{f"{field}__lt": moment})
        queryset = queryset.filter(**{f"{field}__lte": moment})
    return queryset


def id_filter(request: Request, name: str) -> int | None:
    """A filter naming a row by its id: any whole number (one that names nothing finds nothing)."""
    value = request.query_params.get(name, "").strip()
    if not value:
        return None
    try:
        return int(value)
    except ValueError:
        raise ValidationError({name: [_("Give a whole number (an id).")]}) from None
