"""What a commit from the player may be: its syntax, its shape and its size.

Everything here runs before a commit takes a lock, so a hostile or broken body costs the
service one parse and one walk over it, and is refused whole: nothing of it is stored.

* **Syntax** (`commit_payload_read`, in the view): at most `body_bytes` bytes (413), UTF-8,
  JSON without `NaN`/`Infinity` or numbers too large for a float, nested at most `depth`
  levels, an object (400). A body that is not a commit at all answers SCORM error 391
  (General Commit Failure).
* **Shape and limits** (`commit_payload_check`, in the service, which knows the SCORM
  version): a positive sequence number below 2**31; `cmi`, `core`, `score`, the
  preferences and every collection item are objects; values the engine reads are single
  values; collections and strings within the limits below. A wrong type answers 406 (2004,
  Data Model Element Type Mismatch) or 405 (1.2, Incorrect Data Type). Beyond a limit,
  SCORM 2004 answers 351 (General Set Failure: the "SPM exceeded" condition); SCORM 1.2
  answers 405 for a string too long (its CMIString types include their length) and 201
  (Invalid Argument) for a collection index beyond what is kept.

The limits (settings `SCORM_COMMIT_LIMITS`, table in docs/architecture.md) are SCORM 2004's
smallest permitted maximums (RTE book, section 4), except `suspend_data`, which is 2004 4th
edition's 64 000 characters for both versions (real 1.2 content exceeds 1.2's 4 096).
"""

import json
import math
from dataclasses import dataclass, fields

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.utils.translation import gettext as _

from scorm.models import ScormVersion
from scorm.runtime import is_collection_index

# SCORM error codes a refused commit carries in `errorCode` (RTE book, "API error codes").
GENERAL_COMMIT_FAILURE = 391
SCORM2004_GENERAL_SET_FAILURE = 351
SCORM2004_TYPE_MISMATCH = 406
SCORM12_INVALID_ARGUMENT = 201
SCORM12_INCORRECT_DATA_TYPE = 405

# Element names the engine reads as single values, and those that must be objects.
_VALUES = frozenset(
    {
        "lesson_status",
        "lesson_location",
        "exit",
        "session_time",
        "completion_status",
        "success_status",
        "progress_measure",
        "location",
        "suspend_data",
        "raw",
        "min",
        "max",
        "scaled",
        "id",
        "type",
        "result",
        "latency",
        "learner_response",
        "student_response",
        "description",
        "weighting",
        "timestamp",
        "time",
        "pattern",
        "status",
        "comment",
    }
)
_OBJECTS = frozenset({"core", "score", "student_data", "student_preference", "learner_preference"})
_COLLECTIONS = frozenset(
    {"interactions", "objectives", "correct_responses", "comments_from_learner", "comments_from_lms"}
)
_SCORM2004_ONLY_COLLECTIONS = frozenset({"comments_from_learner", "comments_from_lms"})


@dataclass(frozen=True)
class CommitLimits:
    """How much one commit may carry; see the module docstring and docs/architecture.md."""

    body_bytes: int = 2 * 1024 * 1024
    depth: int = 16
    sequence: int = 2**31 - 1
    suspend_data_chars: int = 64_000
    location_chars: int = 1000
    interactions: int = 250
    objectives: int = 100
    correct_responses: int = 10  # per interaction: the largest SPM, choice's
    interaction_objectives: int = 10
    comments: int = 250
    identifier_chars: int = 4000  # interaction and objective ids
    description_chars: int = 250
    learner_response_chars: int = 4000  # long-fill-in and other; also each correct response
    comment_chars: int = 4000
    element_chars: int = 4096  # any other value: SCORM 1.2's CMIString4096, the largest

    @classmethod
    def from_settings(cls) -> "CommitLimits":
        configured = getattr(settings, "SCORM_COMMIT_LIMITS", {})
        return cls(**{f.name: int(configured[f.name]) for f in fields(cls) if f.name in configured})

    def chars_for(self, path: tuple[str, ...]) -> tuple[int, str]:
        """The longest string kept at a CMI path (keys below `cmi`), and what it is called."""
        name = path[-1] if path else ""
        if path == ("suspend_data",):
            return self.suspend_data_chars, "cmi.suspend_data"
        if path in {("location",), ("core", "lesson_location")}:
            return self.location_chars, "cmi." + ".".join(path)
        if len(path) >= 3 and path[0] in {"interactions", "objectives"}:
            if name == "id":
                return self.identifier_chars, f"cmi.{path[0]}.n.id"
            if name == "description":
                return self.description_chars, f"cmi.{path[0]}.n.description"
            if name in {"learner_response", "student_response", "pattern"}:
                return self.learner_response_chars, f"cmi.interactions.n.{name}"
        if path[:1] == ("comments_from_learner",) and name == "comment":
            return self.comment_chars, "cmi.comments_from_learner.n.comment"
        return self.element_chars, "cmi." + ".".join(part if not part.isdigit() else "n" for part in path)


class CommitRefused(Exception):
    """A commit that is not applied; `status` is the HTTP status the player receives and
    `error_code` the SCORM error code its answer carries."""

    def __init__(self, *, status: int, reason: str, message: str, error_code: int = GENERAL_COMMIT_FAILURE):
        super().__init__(message)
        self.status, self.reason, self.message, self.error_code = status, reason, message, error_code


def _malformed(message: str) -> CommitRefused:
    return CommitRefused(status=400, reason="malformed", message=message)


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(text)
    return value


def _no_constant(name: str):
    raise ValueError(name)


def commit_payload_read(request, *, limits: CommitLimits | None = None) -> dict:
    """The commit object in a request body, or `CommitRefused` saying what is wrong with it.

    The declared length is checked before the body is read, and the body's own length after
    (a chunked request declares none)."""
    limits = limits or CommitLimits.from_settings()
    too_large = CommitRefused(
        status=413,
        reason="too-large",
        message=_("This save is larger than %(limit)s bytes and was not stored.")
        % {"limit": limits.body_bytes},
    )
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > limits.body_bytes:
        raise too_large
    try:
        body = request.body
    except RequestDataTooBig:
        raise too_large from None
    if len(body) > limits.body_bytes:
        raise too_large
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise _malformed(_("The commit is not valid UTF-8 text.")) from None
    try:
        payload = json.loads(text, parse_constant=_no_constant, parse_float=_finite_float)
    except RecursionError:
        raise _malformed(_("The commit is nested too deeply.")) from None
    except ValueError:  # also numbers beyond a float, or integers of thousands of digits
        raise _malformed(_("The commit is not valid JSON.")) from None
    if not isinstance(payload, dict):
        raise _malformed(_("The commit must be a JSON object."))
    return payload


def commit_payload_check(
    *, payload: dict, version: str, limits: CommitLimits | None = None
) -> tuple[int, dict]:
    """The commit's sequence number and CMI data, once its shape and size are within the
    rules of the module docstring; otherwise `CommitRefused`, with the SCORM error code
    for `version`."""
    limits = limits or CommitLimits.from_settings()
    is_2004 = version == ScormVersion.SCORM_2004
    if not isinstance(payload, dict):
        raise _malformed(_("The commit must be a JSON object."))
    _depth_check(payload, limits.depth)
    sequence = payload.get("commitSequence")
    if not isinstance(sequence, int) or isinstance(sequence, bool) or not 1 <= sequence <= limits.sequence:
        raise _malformed(_("The commit has no valid sequence number (commitSequence)."))
    runtime = payload.get("runtimeData", payload)
    cmi = runtime.get("cmi") if isinstance(runtime, dict) else None
    if not isinstance(cmi, dict):
        raise _malformed(_('The commit has no CMI data (expected a "cmi" object).'))
    if not isinstance(payload.get("navRequest") or "", str):
        raise _malformed(_("The navigation request of the commit (navRequest) must be text."))
    if "\x00" in (payload.get("navRequest") or ""):
        raise _malformed(_("The commit contains a NUL character, which no SCORM value may hold."))
    _cmi_check(cmi, limits, is_2004)
    return sequence, cmi


def _depth_check(payload: dict, depth: int) -> None:
    """Refuse nesting deeper than `depth`, without recursion (so any depth is safe to check)."""
    stack = [(payload, 1)]
    while stack:
        value, level = stack.pop()
        if level > depth:
            raise _malformed(_("The commit is nested more than %(depth)s levels deep.") % {"depth": depth})
        children = value.values() if isinstance(value, dict) else value
        stack.extend((child, level + 1) for child in children if isinstance(child, (dict, list)))


def _type_mismatch(element: str, expected: str, is_2004: bool) -> CommitRefused:
    return CommitRefused(
        status=400,
        reason="type-mismatch",
        message=_("%(element)s must be %(expected)s; nothing from this save was stored.")
        % {"element": element, "expected": expected},
        error_code=SCORM2004_TYPE_MISMATCH if is_2004 else SCORM12_INCORRECT_DATA_TYPE,
    )


def _over_limit(element: str, size: int, limit: int, *, is_2004: bool, is_collection: bool) -> CommitRefused:
    if is_2004:
        code = SCORM2004_GENERAL_SET_FAILURE
    else:
        code = SCORM12_INVALID_ARGUMENT if is_collection else SCORM12_INCORRECT_DATA_TYPE
    message = (
        _(
            "This lesson tried to save %(size)s entries in %(element)s; the platform keeps at most "
            "%(limit)s. Nothing from this save was stored. Please tell the course team."
        )
        if is_collection
        else _(
            "This lesson tried to save %(size)s characters in %(element)s; the platform keeps at most "
            "%(limit)s. Nothing from this save was stored. Please tell the course team."
        )
    )
    return CommitRefused(
        status=400,
        reason="limit",
        message=message % {"size": size, "element": element, "limit": limit},
        error_code=code,
    )


def _collection_items(value, element: str, is_2004: bool) -> list[tuple[str, dict]]:
    """A collection's items with their index, as a list or an object keyed "0", "1", …
    (other keys, such as `_count`, are not items)."""
    if isinstance(value, list):
        indexed = [(str(index), item) for index, item in enumerate(value)]
    elif isinstance(value, dict):
        indexed = [(key, item) for key, item in value.items() if is_collection_index(key)]
    else:
        raise _type_mismatch(element, _("a list of objects"), is_2004)
    for _index, item in indexed:
        if not isinstance(item, dict):
            raise _type_mismatch(f"{element}.n", _("an object"), is_2004)
    return indexed


def _cmi_check(cmi: dict, limits: CommitLimits, is_2004: bool) -> None:
    counts = {
        "interactions": limits.interactions,
        "objectives": limits.objectives,
        "correct_responses": limits.correct_responses,
        "comments_from_learner": limits.comments,
        "comments_from_lms": limits.comments,
    }
    stack: list[tuple[tuple[str, ...], object]] = [((), cmi)]
    while stack:
        path, value = stack.pop()
        name = path[-1] if path else ""
        element = "cmi." + ".".join("n" if part.isdigit() else part for part in path)
        # SCORM 1.2's cmi.comments and cmi.comments_from_lms are strings, not collections.
        if name in _COLLECTIONS and (is_2004 or name not in _SCORM2004_ONLY_COLLECTIONS):
            items = _collection_items(value, element, is_2004)
            limit = counts[name]
            if name == "objectives" and len(path) > 1:  # cmi.interactions.n.objectives
                limit = limits.interaction_objectives
            if len(items) > limit:
                raise _over_limit(element, len(items), limit, is_2004=is_2004, is_collection=True)
            stack.extend(((*path, key), item) for key, item in items)
        elif isinstance(value, dict):
            if any("\x00" in str(key) for key in value):
                raise _malformed(_("The commit contains a NUL character, which no SCORM value may hold."))
            if name in _VALUES:
                raise _type_mismatch(element, _("a single value"), is_2004)
            stack.extend(((*path, str(key)), child) for key, child in value.items())
        elif name in _OBJECTS and value is not None:
            raise _type_mismatch(element, _("an object"), is_2004)
        elif isinstance(value, list):
            if name in _VALUES:
                raise _type_mismatch(element, _("a single value"), is_2004)
            stack.extend(((*path, str(index)), child) for index, child in enumerate(value))
        elif isinstance(value, str):
            if "\x00" in value or "\x00" in name:
                raise _malformed(_("The commit contains a NUL character, which no SCORM value may hold."))
            limit, shown = limits.chars_for(path)
            if len(value) > limit:
                raise _over_limit(shown, len(value), limit, is_2004=is_2004, is_collection=False)
