"""The learner's side of quizzes: start an attempt, answer (with autosave), submit, see the result.

Thin views: the rules are in assessments.services.attempts (writes) and
assessments.selectors (reads). An attempt is only ever reachable by its own learner.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from assessments.forms import answers_from_form
from assessments.models import QuizAttempt
from assessments.selectors import attempt_for_learner, attempt_result, question_view
from assessments.services.attempts import (
    AttemptClosed,
    attempt_is_past_deadline,
    quiz_answers_save,
    quiz_attempt_start,
    quiz_attempt_submit,
    quiz_find,
)
from courses.models import LessonPage
from courses.selectors import enrolment_for_work_in
from lms.thai_calendar import format_date


def _back_to_lesson(attempt: QuizAttempt) -> str:
    return attempt.lesson.url if attempt.lesson is not None else reverse("learning:my-learning")


@login_required
@require_POST
def quiz_start(request, lesson_id: int, block_id: str):
    lesson = get_object_or_404(LessonPage.objects.live(), pk=lesson_id).specific
    try:
        quiz_find(lesson=lesson, block_id=block_id)
    except ValidationError as error:
        raise Http404 from error
    enrolment = enrolment_for_work_in(lesson=lesson, user=request.user)
    if enrolment is None:
        messages.error(request, _("Enrol in the course and open its lessons in order to take this quiz."))
        return redirect(lesson.url)
    try:
        attempt = quiz_attempt_start(enrolment=enrolment, lesson=lesson, block_id=block_id)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(f"{lesson.url}#block-{block_id}")
    return redirect("assessments:attempt", attempt_id=attempt.pk)


@login_required
@require_GET
def attempt_page(request, attempt_id: int):
    """The questions while the attempt is open; the result once it is submitted."""
    attempt = attempt_for_learner(user=request.user, attempt_id=attempt_id)
    if not attempt.is_submitted and attempt_is_past_deadline(attempt, timezone.now()):
        attempt = quiz_attempt_submit(attempt=attempt, by=QuizAttempt.SubmittedBy.DEADLINE)
    if attempt.is_submitted:
        return TemplateResponse(
            request,
            "assessments/result.html",
            {"result": attempt_result(attempt=attempt), "attempt": attempt},
        )
    items = list(attempt.items.all())
    return TemplateResponse(
        request,
        "assessments/attempt.html",
        {
            "attempt": attempt,
            "questions": [question_view(item) for item in items],
            "answered": sum(item.answered for item in items),
            "now": timezone.now(),
            "autosave_seconds": settings.QUIZ_AUTOSAVE_SECONDS,
            "deadline_text": format_date(attempt.deadline, with_time=True) if attempt.deadline else "",
        },
    )


@login_required
@require_POST
def attempt_save(request, attempt_id: int):
    """Autosave (the page's script) or "Save and continue later" (the form without script)."""
    attempt = attempt_for_learner(user=request.user, attempt_id=attempt_id)
    wants_json = request.headers.get("Accept", "").startswith("application/json")
    items = list(attempt.items.all())
    try:
        attempt = quiz_answers_save(
            attempt=attempt, answers=answers_from_form(items, request.POST), items=items
        )
    except AttemptClosed as closed:
        if wants_json:
            return JsonResponse(
                {"saved": False, "reason": closed.code, "message": closed.message,
                 "result_url": reverse("assessments:attempt", args=[attempt.pk])},
                status=409,
            )  # fmt: skip
        messages.error(request, closed.message)
        return redirect("assessments:attempt", attempt_id=attempt.pk)
    if wants_json:
        return JsonResponse({"saved": True, "saved_at": attempt.last_saved_at.isoformat()})
    messages.success(request, _("Your answers are saved. You can come back and finish before the deadline."))
    return redirect(_back_to_lesson(attempt))


@login_required
@require_POST
def attempt_submit(request, attempt_id: int):
    attempt = attempt_for_learner(user=request.user, attempt_id=attempt_id)
    was_submitted = attempt.is_submitted
    items = list(attempt.items.all())
    attempt = quiz_attempt_submit(
        attempt=attempt, answers=answers_from_form(items, request.POST), items=items
    )
    if not was_submitted and attempt.submitted_by == QuizAttempt.SubmittedBy.DEADLINE:
        messages.warning(
            request,
            _(
                "The time limit had passed: answers after it were not accepted. Your attempt was "
                "graded with the answers saved before the deadline."
            ),
        )
    return redirect("assessments:attempt", attempt_id=attempt.pk)
