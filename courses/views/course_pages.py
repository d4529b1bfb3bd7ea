"""What learners do on course and lesson pages. Wagtail routes the requests here
(`CoursePage` and `LessonPage` are routable pages); the rules are in courses.services."""

import json
import time

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from courses.blocks import LessonDocumentBlock, VideoBlock
from courses.models import CoursePage, Enrolment, LessonPage, LessonProgress
from courses.selectors import course_outline, current_enrolment, enrolment_for_work_in, prerequisites_missing
from courses.services import (
    activity_progress_record,
    enrolment_request,
    enrolment_withdraw,
    lesson_progress_record,
    lesson_visit,
)


def _page_response(request, page, **context):
    return TemplateResponse(request, page.get_template(request), {**page.get_context(request), **context})


def course_detail(request, *, course: CoursePage):
    outline = course_outline(course=course, user=request.user)
    missing = prerequisites_missing(user=request.user, course=course) if request.user.is_authenticated else []
    return _page_response(
        request,
        course,
        outline=outline,
        enrolment=outline.enrolment,
        prerequisites=list(course.prerequisites.select_related("prerequisite")),
        prerequisites_missing=missing,
        competency_targets=list(course.competency_targets.all()),
    )


@require_POST
def course_enrol(request, *, course: CoursePage):
    if not request.user.is_authenticated:
        return redirect_to_login(course.url)
    try:
        enrolment = enrolment_request(user=request.user, course=course)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(course.url)
    if enrolment.status == Enrolment.Status.PENDING:
        messages.success(request, _("Your request to join this course has been sent for approval."))
    else:
        messages.success(request, _("You are enrolled. Start with the first lesson whenever you are ready."))
    return redirect(course.url)


@require_POST
def course_unenrol(request, *, course: CoursePage):
    if not request.user.is_authenticated:
        return redirect_to_login(course.url)
    enrolment = current_enrolment(user=request.user, course=course)
    try:
        if enrolment is None:
            raise ValidationError(_("You are not enrolled in this course."))
        enrolment_withdraw(enrolment=enrolment)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("You have left the course. Your progress is kept if you come back."))
    return redirect(course.url)


def course_continue(request, *, course: CoursePage):
    """ "Continue" on a course: straight to the lesson to resume."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    entry = course_outline(course=course, user=request.user).resume_entry
    return redirect(entry.lesson.url if entry else course.url)


def _learning_context(request, *, lesson: LessonPage):
    """The outline and this lesson's place in it, or a redirect explaining why not."""
    course = lesson.course
    outline = course_outline(course=course, user=request.user)
    entry = outline.entry_for(lesson)
    if entry is None:
        raise Http404
    if not outline.can_learn:
        messages.info(request, _("Enrol in the course to open its lessons."))
        return None, redirect(course.url)
    if entry.state == "locked":
        messages.info(request, _("Complete the required lessons before this one first; they unlock it."))
        return None, redirect(course.url)
    return (course, outline, entry), None


def lesson_detail(request, *, lesson: LessonPage):
    if getattr(request, "is_preview", False):
        course = lesson.course
        outline = course_outline(course=course, user=request.user)
        return _page_response(request, lesson, course=course, outline=outline, entry=None, is_preview=True)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    learning, refusal = _learning_context(request, lesson=lesson)
    if refusal:
        return refusal
    course, outline, entry = learning
    # Reading changes nothing: the page's script reports the visit (a POST), which makes the
    # lesson the place to resume and starts its clock; without script, the finish form does.
    entry.progress = entry.progress or LessonProgress(enrolment=outline.enrolment, lesson=lesson)
    if entry.state == "not_started":
        entry.state = "in_progress"
    previous, following = outline.neighbours(lesson)
    activities = [
        (
            block_id,
            block.requirement(value),
            block.is_complete(value, entry.progress.activities.get(block_id, {})),
        )
        for block_id, block, value in lesson.activities()
    ]
    return _page_response(
        request,
        lesson,
        course=course,
        outline=outline,
        entry=entry,
        previous_entry=previous,
        next_entry=following,
        activities=activities,
        progress_url=lesson.url + lesson.reverse_subpage("progress"),
        seconds_required=lesson.minimum_minutes * 60,
        opened=signing.dumps({"lesson": lesson.pk, "at": int(time.time())}, salt=_OPENED_SALT),
    )


_OPENED_SALT = "courses.lesson-opened"


def _seconds_since_opened(request, lesson: LessonPage) -> int:
    """How long the lesson page that sent this form has been open, from the signed time the
    page was served with (no script measured it); 0 if the form does not say."""
    try:
        opened = signing.loads(request.POST.get("opened", ""), salt=_OPENED_SALT)
    except signing.BadSignature:
        return 0
    if not isinstance(opened, dict) or opened.get("lesson") != lesson.pk:
        return 0
    return max(0, int(time.time()) - int(opened.get("at", time.time())))


def _progress_report(request, lesson: LessonPage) -> tuple[int | None, bool, dict[str, dict], bool]:
    """(seconds, reached end, video states, visit) from a report, or a ValidationError saying
    what is wrong with it. `visit`: the page has just opened (its first report). Form posts
    (JavaScript off) say the learner reached the end, after the time the page was open."""
    if request.content_type not in {"application/json", "text/plain"}:
        return _seconds_since_opened(request, lesson), request.POST.get("reached_end") == "1", {}, False
    try:
        report = json.loads(request.body or b"{}")
    except ValueError as error:
        raise ValidationError(_("The progress report is not valid JSON.")) from error
    if not isinstance(report, dict):
        raise ValidationError(_("The progress report must be a JSON object."))
    seconds = report.get("seconds")
    if seconds is not None and (not isinstance(seconds, int | float) or seconds < 0):
        raise ValidationError(_("Time spent must be a number of seconds."))
    videos = report.get("videos") or {}
    for state in videos.values() if isinstance(videos, dict) else [None]:
        watched = state.get("watched_percent", 0) if isinstance(state, dict) else None
        if not isinstance(watched, int | float) or not 0 <= watched <= 100:
            raise ValidationError(_("Watched share must be a percentage."))
    return (
        (None if seconds is None else int(seconds)),
        bool(report.get("reached_end")),
        videos,
        report.get("visit") is True,
    )


@require_POST
def lesson_progress(request, *, lesson: LessonPage):
    """Reports from the lesson page: the visit (the page's first report: the lesson becomes the
    place to resume and its clock starts), time spent while visible, reaching the end, and how
    much of each uploaded video was played. JSON from the page's script, or a plain form when
    JavaScript is off (which redirects back)."""
    if not request.user.is_authenticated:
        raise PermissionDenied
    from_form = request.content_type == "application/x-www-form-urlencoded"
    enrolment = enrolment_for_work_in(lesson=lesson, user=request.user)
    if enrolment is None:
        if from_form:
            messages.info(request, _("Enrol in the course to open its lessons."))
            return redirect(lesson.course.url)
        return JsonResponse({"error": _("Enrol in the course to record your progress.")}, status=403)
    videos = {block_id for block_id, block, _value in lesson.activities() if isinstance(block, VideoBlock)}
    try:
        seconds, reached_end, video_states, visit = _progress_report(request, lesson)
        if not set(video_states) <= videos:
            raise ValidationError(_("This lesson has no such video."))
    except ValidationError as error:
        if from_form:
            messages.error(request, " ".join(error.messages))
            return redirect(lesson.url)
        return JsonResponse({"error": " ".join(error.messages)}, status=400)

    if visit:
        lesson_visit(enrolment=enrolment, lesson=lesson)
    progress = lesson_progress_record(
        enrolment=enrolment, lesson=lesson, seconds=seconds, reached_end=reached_end
    )
    if from_form:
        lesson_visit(enrolment=enrolment, lesson=lesson)  # where to resume; the time is counted
    for block_id, state in video_states.items():
        progress = activity_progress_record(
            enrolment=enrolment,
            lesson=lesson,
            block_id=block_id,
            state={
                "watched_percent": int(state.get("watched_percent", 0)),
                "played": bool(state.get("played")),
            },
        )
    enrolment.refresh_from_db()
    complete = progress.status == LessonProgress.Status.COMPLETED
    if from_form:
        if not complete:
            messages.info(
                request,
                _("Not complete yet: stay with the lesson a little longer and finish every activity."),
            )
        return redirect(lesson.url)
    return JsonResponse(
        {
            "lesson_complete": complete,
            "seconds_spent": progress.seconds_spent,
            "seconds_required": lesson.minimum_minutes * 60,
            "reached_end": progress.reached_end,
            "course_progress_percent": enrolment.progress_percent,
            "course_complete": enrolment.status == Enrolment.Status.COMPLETED,
        }
    )


@require_POST
def lesson_document_open(request, *, lesson: LessonPage, block_id: str):
    """Opening a required document goes through here, which records it, then to the file.
    Recording is a change, so the lesson page opens documents with a POST form."""
    documents = {
        activity_id: value
        for activity_id, block, value in lesson.activities()
        if isinstance(block, LessonDocumentBlock)
    }
    if block_id not in documents:
        raise Http404
    if not request.user.is_authenticated:
        return redirect_to_login(lesson.url)
    enrolment = enrolment_for_work_in(lesson=lesson, user=request.user)
    if enrolment is None:
        messages.info(request, _("Enrol in the course to open its lessons."))
        return redirect(lesson.course.url)
    activity_progress_record(enrolment=enrolment, lesson=lesson, block_id=block_id, state={"opened": True})
    return redirect(documents[block_id]["document"].url)
