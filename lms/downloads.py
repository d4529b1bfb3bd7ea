"""Files people download from reports: CSV that Excel opens with Thai intact and never runs a
formula from (lms.spreadsheets)."""

from collections.abc import Iterable
from itertools import chain
from typing import Any

from django.http import HttpResponse

from lms.spreadsheets import csv_bytes


def csv_response(filename: str, header: list[Any], rows: Iterable[Iterable[Any]]) -> HttpResponse:
    """A CSV attachment: the header line, then the rows, every text cell guarded."""
    response = HttpResponse(csv_bytes(chain([header], rows)), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
