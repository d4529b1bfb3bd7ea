"""The learner's side of SCORM: launch, the player page, the package files and commits.

`scorm_launch` and `scorm_preview` run on the app's origin with the signed-in person's
session and hand over to the content origin with a one-time launch grant; everything else
runs on the content origin (scorm.middleware), where no cookie arrives, and trusts only the
tokens of scorm.tokens, each bound to one launch (`ScoSession`) or one preview.
"""

import mimetypes
import posixpath
from functools import wraps

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponseForbidden, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from courses.models import LessonPage
from courses.selectors import enrolment_for_work_in
from scorm.blocks import ScormBlock
from scorm.commit_payload import CommitRefused, commit_payload_read
from scorm.models import PackageVersion, Sco, ScoSession
from scorm.selectors import package_can_preview
from scorm.services.attempts import Launch, launch_cmi, registration_for_launch, session_start
from scorm.services.commits import scorm_commit_apply
from scorm.services.sequencing import (
    navigation_request_parse,
    registration_contents,
    session_navigate,
    unsequenced_contents,
    unsequenced_target,
)
from scorm.tokens import (
    Grant,
    TokenRejected,
    commit_token,
    commit_token_read,
    content_token,
    content_token_read,
    launch_grant,
    launch_grant_redeem,
    navigation_token,
    navigation_token_redeem,
    session_open_for_content,
)

# Types the standard library may not know, or guesses differently across systems.
CONTENT_TYPES = {
    ".js": "text/javascript",
    ".mjs": "text/javascript",
    ".json": "application/json",
    ".css": "text/css",
    ".html": "text/html; charset=utf-8",
    ".htm": "text/html; charset=utf-8",
    ".xml": "application/xml",
    ".xsd": "application/xml",
    ".svg": "image/svg+xml",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".ttf": "font/ttf",
    ".mp4": "video/mp4",
    ".webm": "video/webm",
    ".mp3": "audio/mpeg",
    ".vtt": "text/vtt",
    ".swf": "application/x-shockwave-flash",
}


def content_origin_url(path: str) -> str:
    return f"{settings.SCORM_CONTENT_ORIGIN}{path}"


def _message_page(request, message: str, *, status: int):
    """What the learner reads in the lesson's frame instead of the package (on the content
    origin, scorm.middleware adds the headers that let the lesson frame it)."""
    return TemplateResponse(request, "scorm/message.html", {"message": message}, status=status)


def _content_origin_missing(request):
    return _message_page(
        request,
        _(
            "SCORM packages cannot be opened here yet: the site has no content address "
            "(SCORM_CONTENT_ORIGIN)."
        ),
        status=503,
    )


def from_this_site_only(view):
    """Refuse a launch or preview that a browser says another site asked for
    (`Sec-Fetch-Site`): the app's pages frame or link these addresses themselves, and a
    package must not open another lesson's player with the learner's cookie to read its
    tokens. Browsers that send no such header are let through."""

    @wraps(view)
    def guarded(request, *args, **kwargs):
        if request.headers.get("Sec-Fetch-Site", "same-origin") not in {"same-origin", "none"}:
            return _message_page(
                request, _("Open the lesson from the course page to start this package."), status=403
            )
        return view(request, *args, **kwargs)

    return guarded


@login_required
@require_POST
@from_this_site_only
def scorm_launch(request, lesson_id: int, block_id: str):
    """Open the learner's attempt at a SCORM activity of a lesson (inside the lesson's frame).

    A launch starts (or resumes) a registration and opens a session: a change, so a POST with
    the lesson page's CSRF token (the page's launch form, submitted into the frame by
    `scorm/launch.js`, or by the learner's click without JavaScript)."""
    if not settings.SCORM_CONTENT_ORIGIN:
        return _content_origin_missing(request)
    lesson = get_object_or_404(LessonPage.objects.live(), pk=lesson_id).specific
    value = next(
        (
            value
            for bid, block, value in lesson.activities()
            if bid == block_id and isinstance(block, ScormBlock)
        ),
        None,
    )
    if value is None:
        raise Http404
    enrolment = enrolment_for_work_in(lesson=lesson, user=request.user)
    if enrolment is None:
        return _message_page(
            request, _("Enrol in the course and open its lessons in order to start this package."), status=403
        )
    try:
        registration, mode = registration_for_launch(
            enrolment=enrolment,
            lesson=lesson,
            block_id=block_id,
            package=value["package"],
            retake=value["retake"],
            required_outcome=value["required_outcome"],
        )
        launch = session_start(registration=registration, mode=mode)
    except ValidationError as error:
        return _message_page(request, " ".join(error.messages), status=409)
    return _player_redirect(Grant.for_session(launch.session))


@login_required
@require_GET
@from_this_site_only
def scorm_preview(request, version_id: int):
    """An author's look at a package version: it runs in full, and nothing is recorded."""
    if not settings.SCORM_CONTENT_ORIGIN:
        return _content_origin_missing(request)
    version = get_object_or_404(PackageVersion, pk=version_id, status=PackageVersion.Status.READY)
    if not package_can_preview(request.user, version):
        raise PermissionDenied
    sco = version.scos.filter(is_visible=True).first() or version.scos.first()
    return _player_redirect(Grant.for_preview(version_id=version.pk, sco_id=sco.pk))


def _player_redirect(grant: Grant) -> HttpResponseRedirect:
    """To the player on the content origin, with a one-time grant for this launch."""
    response = HttpResponseRedirect(content_origin_url(reverse("scorm:player", args=[launch_grant(grant)])))
    response["Cache-Control"] = "no-store"
    return response


class LinkRefused(Exception):
    """A player or file link that no longer opens, with what the learner should do."""


def _link_expired() -> LinkRefused:
    return LinkRefused(_("This link has expired. Open the lesson again from the course page."))


def _link_invalid() -> LinkRefused:
    return LinkRefused(_("This link is not valid. Open the lesson again from the course page."))


def _grant_from(token: str, *, reader) -> Grant:
    try:
        return reader(token)
    except TokenRejected as rejected:
        raise (_link_expired() if rejected.expired else _link_invalid()) from rejected


def _session_for(grant: Grant) -> ScoSession:
    """The launch a token names: its primary key and its random key must both match."""
    session = (
        ScoSession.objects.select_related(
            "attempt__sco", "attempt__registration__version", "attempt__registration__enrolment__user"
        )
        .filter(pk=grant.session_id, key=grant.session_key)
        .first()
    )
    if session is None:
        raise _link_invalid()
    if not session.attempt.registration.enrolment.is_open_for_learning:
        raise LinkRefused(
            _("You are no longer enrolled in this course. Enrol again from the course page to continue.")
        )
    return session


@csrf_exempt  # no cookie reaches the content origin; the single-use navigation token is the proof
@require_http_methods(["GET", "POST"])
def scorm_player(request, token: str):
    """The page that hosts scorm-again and the SCO in a frame (on the content origin).

    A GET opens it with the launch's one-time grant: a fresh API instance with the stored data
    loaded before `Initialize`. A move is a POST of `nav=<request>` (continue, previous,
    `{target=ID}choice`, exit, exitAll, suspendAll…) to the navigation token of the page it
    leaves, since it ends the launch and may start another: the server's sequencer decides
    what follows (scorm.services.sequencing), and the player goes to that part's new launch,
    or shows the contents to choose from. A GET never moves."""
    try:
        return _player_response(request, token)
    except LinkRefused as refused:
        return _message_page(request, str(refused), status=403)


def _player_response(request, token: str):
    requested = request.POST.get("nav", "") if request.method == "POST" else None
    grant = _grant_from(token, reader=launch_grant_redeem if requested is None else navigation_token_redeem)
    if grant.is_preview:
        version = get_object_or_404(PackageVersion, pk=grant.preview_version_id)
        sco = get_object_or_404(version.scos, pk=grant.preview_sco_id)
        if requested is not None:
            nav_request, target_id = navigation_request_parse(requested[:4200])
            target = unsequenced_target(version=version, current=sco, request=nav_request, target=target_id)
            if target is not None:
                return _player_redirect(Grant.for_preview(version_id=version.pk, sco_id=target.pk))
            return _player_page(
                request, _preview_context(version=version, sco=sco, grant=grant, playing=False)
            )
        return _player_page(request, _preview_context(version=version, sco=sco, grant=grant, playing=True))
    session = _session_for(grant)
    registration = session.attempt.registration
    if requested == CONTINUE_WHERE_ALLOWED:
        return _continue_where_allowed(session)
    if requested is not None:
        with transaction.atomic():
            delivery = session_navigate(session=session, request_text=requested[:4200])
            if delivery.repeated and delivery.sco is not None:
                # This launch already moved on: a replayed link starts nothing new.
                raise _link_expired()
            if delivery.sco is not None:
                launch = session_start(
                    registration=registration,
                    sco=delivery.sco,
                    mode=session.mode,
                    new_attempt=delivery.new_attempt,
                )
        if delivery.sco is not None:
            return _player_redirect(Grant.for_session(launch.session))
        return _player_page(request, _session_context(session=session, grant=grant, delivery=delivery))
    return _player_page(request, _session_context(session=session, grant=grant, delivery=None))


# Not a SCORM request: the contents page's way on, the same as opening the lesson again.
CONTINUE_WHERE_ALLOWED = "_continue_"


def _continue_where_allowed(session: ScoSession):
    """From the contents shown after a launch ended with nothing delivered: where the package
    rules let the learner go on (the part left, a suspended one, or the next), as a launch
    from the lesson would."""
    if not session.sequencing_outcome:
        raise _link_invalid()
    launch = session_start(registration=session.attempt.registration, mode=session.mode)
    return _player_redirect(Grant.for_session(launch.session))


def _player_page(request, context: dict):
    response = TemplateResponse(request, "scorm/player.html", context)
    response["Cache-Control"] = "no-store"
    return response


def _preview_cmi(version: PackageVersion) -> dict:
    """An author's preview: a first launch in browse mode, without credit."""
    if version.scorm_version == "1.2":
        return {"core": {"entry": "ab-initio", "lesson_mode": "browse", "credit": "no-credit"}}
    return {"entry": "ab-initio", "mode": "browse", "credit": "no-credit"}


def _contents_line(*, identifier, title, depth=0, is_leaf=True, selectable=True, current=False, done=None):
    return {
        "identifier": identifier,
        "title": title,
        "depth": depth,
        "is_leaf": is_leaf,
        "selectable": selectable,
        "current": current,
        "done": done,
        "request": f"{{target={identifier}}}choice",
    }


def _free_contents(free) -> list[dict]:
    return [
        _contents_line(identifier=item.identifier, title=item.title, current=item.pk == free.current.pk)
        for item in free.parts
    ]


def _preview_context(*, version: PackageVersion, sco: Sco, grant: Grant, playing: bool) -> dict:
    free = unsequenced_contents(version=version, current=sco)
    return _player_context(
        version=version,
        sco=sco if playing else None,
        grant=grant,
        cmi=_preview_cmi(version),
        mode="browse",
        contents=_free_contents(free),
        can_continue=free.can_continue,
        can_previous=free.can_previous,
        message="",
    )


def _session_context(*, session: ScoSession, grant: Grant, delivery) -> dict:
    """The player for a launch: its SCO, or (after `?nav=` delivered nothing) the contents."""
    registration = session.attempt.registration
    playing = delivery is None
    if session.mode != "normal":
        free = unsequenced_contents(version=registration.version, current=session.attempt.sco)
        contents, can_continue, can_previous = _free_contents(free), free.can_continue, free.can_previous
    else:
        entries, can_continue, can_previous = registration_contents(registration=registration)
        contents = [
            _contents_line(
                identifier=entry.identifier,
                title=entry.title,
                depth=entry.depth,
                is_leaf=entry.is_leaf,
                selectable=entry.selectable and entry.is_leaf,
                # With nothing delivered the learner is on no part: the one just left is a
                # link if the rules let it be chosen again, locked if not (attempts used up).
                current=entry.is_current and playing,
                done=entry.satisfied if entry.satisfied is not None else (entry.completed or None),
            )
            for entry in entries
            if not entry.hidden
        ]
    return _player_context(
        version=registration.version,
        sco=session.attempt.sco if playing else None,
        grant=grant,
        cmi=launch_cmi(Launch(session=session, mode=session.mode), user=registration.enrolment.user)
        if playing
        else {},
        mode=session.mode,
        contents=contents,
        can_continue=can_continue,
        can_previous=can_previous,
        message="" if playing else _delivery_message(delivery),
        can_go_on=not playing and session.mode == "normal" and not delivery.ended,
    )


def _delivery_message(delivery) -> str:
    if delivery.ended:
        return _("You have finished this package. Go back to the lesson to continue the course.")
    if delivery.refused:
        return _(
            "The package's rules do not allow that step now. Choose an available part from the "
            "contents, or go back to the lesson."
        )
    return _("You have left this part of the package. Choose a part to continue, or go back to the lesson.")


def _player_context(
    *,
    version: PackageVersion,
    sco: Sco | None,
    grant: Grant,
    cmi: dict,
    mode: str,
    contents: list[dict],
    can_continue: bool,
    can_previous: bool,
    message: str,
    can_go_on: bool = False,
) -> dict:
    content_base = reverse("scorm:content", args=[content_token(grant), "_"])[:-1]
    navigate_url = reverse("scorm:player", args=[navigation_token(grant)])
    launch = {
        "version": version.scorm_version,
        "mode": mode,
        "preview": grant.is_preview,
        "cmi": cmi,
        "commitUrl": reverse("scorm:commit", args=[commit_token(grant)]),
        # The move to another part (`?nav=<request>`): works once, without cookies; the
        # server's sequencer decides where it leads.
        "navigateUrl": navigate_url,
        "autocommitSeconds": settings.SCORM_AUTOCOMMIT_SECONDS,
        "scoUrl": content_base + sco.launch_url if sco else None,
        "scoIdentifier": sco.identifier if sco else None,
        "message": message,
        "messages": {
            "finished": _(
                "You have left this part of the package. Choose a part to continue, or go back to the lesson."
            ),
            "saveFailed": _(
                "Your progress could not be saved. Check your connection; it will be tried again."
            ),
        },
    }
    return {
        "launch": launch,
        "version": version,
        "sco": sco,
        "contents": contents,
        "show_contents": len([line for line in contents if line["is_leaf"]]) > 1 or sco is None,
        "can_continue": can_continue,
        "can_previous": can_previous,
        "can_go_on": can_go_on,
        "continue_request": CONTINUE_WHERE_ALLOWED,
        "mode": mode,
    }


def _storage_path(version: PackageVersion, path: str) -> str:
    normalised = posixpath.normpath(path)
    if not path or normalised.startswith(("../", "/")) or normalised in {"..", "."} or "\\" in path:
        raise Http404
    return version.content_prefix + normalised


@require_GET
def scorm_content(request, token: str, path: str):
    """A file of a package, to the launch or preview the token was given to, while it runs."""
    try:
        grant = _grant_from(token, reader=content_token_read)
        if grant.is_preview:
            version = get_object_or_404(PackageVersion, pk=grant.preview_version_id)
        else:
            session = _session_for(grant)
            if not session_open_for_content(session):
                raise _link_expired()
            version = session.attempt.registration.version
    except LinkRefused as refused:
        return HttpResponseForbidden(str(refused), content_type="text/plain; charset=utf-8")
    stored = _storage_path(version, path)
    if not version.content_prefix or not default_storage.exists(stored):
        raise Http404
    extension = posixpath.splitext(stored)[1].lower()
    content_type = (
        CONTENT_TYPES.get(extension) or mimetypes.guess_type(stored)[0] or "application/octet-stream"
    )
    response = FileResponse(default_storage.open(stored, "rb"), content_type=content_type)
    # A version's files never change (a new upload is a new folder), but the URL carries a
    # learner's token: cache in the learner's browser only.
    response["Cache-Control"] = "private, max-age=86400, immutable"
    return response


def _commit_refused(*, status: int, reason: str, message: str, error_code: int = 391) -> JsonResponse:
    return JsonResponse(
        {"result": False, "errorCode": error_code, "reason": reason, "error": message}, status=status
    )


@csrf_exempt  # sendBeacon cannot send a CSRF header; the signed token in the URL authenticates
@require_POST
def scorm_commit(request, token: str):
    """Store a commit from scorm-again: JSON, or JSON sent as text/plain by `sendBeacon`."""
    try:
        grant = commit_token_read(token)
        if (
            not grant.is_preview
            and not ScoSession.objects.filter(pk=grant.session_id, key=grant.session_key).exists()
        ):
            raise TokenRejected(expired=False)
    except TokenRejected as rejected:
        if rejected.expired:
            return _commit_refused(
                status=401,
                reason="expired",
                message=_("The session has expired. Open the lesson again to continue."),
            )
        return _commit_refused(
            status=403, reason="forged", message=_("This commit is not signed for this session.")
        )
    content_type = request.content_type or ""
    if content_type not in {"application/json", "text/plain"}:
        return _commit_refused(
            status=415,
            reason="content-type",
            message=_("Commits must be JSON (application/json or text/plain)."),
        )
    try:
        payload = commit_payload_read(request)
    except CommitRefused as refused:
        return _commit_refused(
            status=refused.status,
            reason=refused.reason,
            message=refused.message,
            error_code=refused.error_code,
        )
    if grant.is_preview:
        return JsonResponse({"result": True, "errorCode": 0, "preview": True})
    try:
        outcome = scorm_commit_apply(session_id=grant.session_id, payload=payload)
    except CommitRefused as refused:
        return _commit_refused(
            status=refused.status,
            reason=refused.reason,
            message=refused.message,
            error_code=refused.error_code,
        )
    return JsonResponse(
        {
            "result": True,
            "errorCode": 0,
            "duplicate": outcome.duplicate,
            # A fresh token with every accepted commit: a long session never outlives its token.
            "commitUrl": reverse("scorm:commit", args=[commit_token(grant)]),
            # Next/Previous as the rules allow them after this commit (the player's buttons).
            "flow": outcome.flow,
        }
    )
