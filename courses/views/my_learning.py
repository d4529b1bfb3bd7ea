"""A learner's own pages: /my/ and /my/transcript/ (with its CSV download)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.selectors import my_learning, transcript
from lms.downloads import csv_response
from lms.thai_calendar import fiscal_year_of, format_date


@login_required
def my_learning_page(request):
    return render(request, "courses/my_learning.html", {"learning": my_learning(user=request.user)})


@login_required
def transcript_page(request):
    rows = list(transcript(user=request.user))
    if request.GET.get("format") == "csv":
        return _transcript_csv(rows)
    return render(
        request,
        "courses/transcript.html",
        {
            "rows": rows,
            "total_hours": sum(row.hours_entry.hours for row in rows),
            "printed_at": timezone.now(),
        },
    )


def _transcript_csv(rows) -> HttpResponse:
    return csv_response(
        "thaksa-transcript.csv",
        [
            _("Course code"),
            _("Course"),
            _("Offered by"),
            _("Enrolled"),
            _("Completed"),
            _("Fiscal year"),
            _("Learning hours"),
            _("Post-test score (%)"),
        ],
        [
            [
                row.course.code,
                row.course.display_title,
                row.course.partner.name,
                format_date(row.enrolled_at or row.requested_at),
                format_date(row.completed_at),
                fiscal_year_of(row.completed_at).label(),
                row.hours_entry.hours,
                "" if row.score is None else row.score,
            ]
            for row in rows
        ],
    )
