"""Files people download from reports: CSV that Excel opens with Thai intact."""

import csv

from django.http import HttpResponse


def csv_response(filename: str, header: list, rows) -> HttpResponse:
    """A CSV attachment, UTF-8 with a byte-order mark so that Excel reads the Thai."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(header)
    writer.writerows(rows)
    return response
