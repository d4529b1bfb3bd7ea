"""The author's and admin's side of assessments in the Wagtail admin, beside the bank and
question editors (assessments.wagtail_hooks): bank import and export, quiz reports with item
analysis, and course survey results. Everything is scoped to the person's partners."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from assessments.forms import BankImportForm
from assessments.permissions import banks_editable, banks_visible
from assessments.selectors import course_survey_results, quiz_report, quiz_visible, quizzes_visible
from assessments.services.banks import BankFileRejected, bank_export, bank_import
from assessments.statistics import MIN_ATTEMPTS_TO_JUDGE
from courses.models import CoursePage
from lms.downloads import csv_response
from lms.spreadsheets.reading import MAX_FILE_BYTES, file_too_large_message
from people.permissions import can_view_partner_content, content_partners_visible

FILE_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def bank_import_view(request, bank_id: int):
    bank = get_object_or_404(banks_editable(request.user), pk=bank_id)
    problems = []
    form = BankImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            form.add_error("file", file_too_large_message(upload.size))
        else:
            try:
                created = bank_import(bank=bank, name=upload.name, data=upload.read())
            except BankFileRejected as rejected:
                problems = rejected.problems
            else:
                messages.success(
                    request,
                    _("%(count)s questions were added to “%(bank)s”.")
                    % {"count": len(created), "bank": bank},
                )
                return redirect(reverse("assessments_question:index") + f"?bank={bank.pk}")
    return TemplateResponse(
        request, "assessments/admin/bank_import.html", {"bank": bank, "form": form, "problems": problems}
    )


def bank_export_view(request, bank_id: int, file_format: str):
    if file_format not in FILE_TYPES:
        raise Http404
    bank = get_object_or_404(banks_visible(request.user), pk=bank_id)
    response = HttpResponse(
        bank_export(bank=bank, file_format=file_format), content_type=FILE_TYPES[file_format]
    )
    response["Content-Disposition"] = f'attachment; filename="question-bank-{bank.pk}.{file_format}"'
    return response


def quiz_index(request):
    if not content_partners_visible(request.user).exists():
        raise PermissionDenied
    return TemplateResponse(
        request, "assessments/admin/quiz_index.html", {"quizzes": quizzes_visible(request.user)}
    )


def _percent(value) -> str:
    return "" if value is None else f"{value:.2f}"


def quiz_report_view(request, lesson_id: int, block_id: str):
    report = quiz_report(quiz=quiz_visible(user=request.user, lesson_id=lesson_id, block_id=block_id))
    if request.GET.get("format") == "csv":
        return csv_response(
            f"item-analysis-{lesson_id}-{block_id[:8]}.csv",
            [_("Question"), _("Type"), _("Attempts"), _("Difficulty (proportion correct)"),
             _("Discrimination (point-biserial)"), _("Discrimination (upper–lower 27%)"), _("Flags"),
             _("Option"), _("Correct option"), _("Times chosen")],
            [
                [row.text, row.kind, row.stats.attempts, _percent(row.stats.difficulty),
                 _percent(row.stats.point_biserial), _percent(row.stats.upper_lower),
                 " ".join(row.stats.flags),
                 option, _("yes") if correct else "", count]
                for row in report.items
                for option, correct, count in (row.options or [("", False, "")])
            ],
        )  # fmt: skip
    return TemplateResponse(
        request,
        "assessments/admin/quiz_report.html",
        {
            "report": report,
            "min_attempts": MIN_ATTEMPTS_TO_JUDGE,
            "max_band": max((b.count for b in report.stats.distribution), default=0),
        },
    )


def course_survey_view(request, course_id: int):
    course = get_object_or_404(CoursePage, pk=course_id)
    if not can_view_partner_content(request.user, course.partner_id):
        raise Http404
    return TemplateResponse(
        request,
        "assessments/admin/survey.html",
        {"course": course, "surveys": course_survey_results(course=course)},
    )
