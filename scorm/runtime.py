"""What SCORM run-time data means: time formats, statuses, scores and entry.

Pure functions over the CMI data model as scorm-again sends it (nested JSON). SCORM 1.2 and
2004 name things differently; everything here maps both onto one reading (`CmiReading`) so
the rest of the engine never branches on the version for meaning.
"""

import math
import re
from dataclasses import dataclass

from scorm.models import ScormVersion, Status

_SCORM12_TIME = re.compile(r"^(\d{2,4}):([0-5]?\d):([0-5]?\d)(?:\.(\d{1,2}))?$")
_ISO_DURATION = re.compile(
    r"^P(?:(?P<years>\d+(?:\.\d+)?)Y)?(?:(?P<months>\d+(?:\.\d+)?)M)?(?:(?P<days>\d+(?:\.\d+)?)D)?"
    r"(?:T(?:(?P<hours>\d+(?:\.\d+)?)H)?(?:(?P<minutes>\d+(?:\.\d+)?)M)?(?:(?P<seconds>\d+(?:\.\d+)?)S)?)?$"
)
# ISO 8601 leaves a year and a month inexact; SCORM content writes hours and seconds in
# practice. These lengths are only used if a package reports years or months at all.
_DURATION_UNITS = {
    "years": 365 * 86400,
    "months": 30 * 86400,
    "days": 86400,
    "hours": 3600,
    "minutes": 60,
    "seconds": 1,
}


def seconds_from_scorm12_time(text: str) -> float | None:
    """`HHHH:MM:SS.SS` (CMITimespan) to seconds; None if it is not one."""
    match = _SCORM12_TIME.match((text or "").strip())
    if not match:
        return None
    hours, minutes, seconds, fraction = match.groups()
    return (
        int(hours) * 3600
        + int(minutes) * 60
        + int(seconds)
        + (int(fraction) / 10 ** len(fraction) if fraction else 0)
    )


def seconds_from_iso_duration(text: str) -> float | None:
    """An ISO 8601 duration (`PT1H2M3.5S`, SCORM 2004 timeinterval) to seconds; None if invalid."""
    text = (text or "").strip()
    match = _ISO_DURATION.match(text)
    if not match or text in {"P", ""} or text.endswith("T"):
        return None
    seconds = sum(float(value) * _DURATION_UNITS[unit] for unit, value in match.groupdict().items() if value)
    return seconds if math.isfinite(seconds) else None


def scorm12_time(seconds: float) -> str:
    """Seconds to `HHHH:MM:SS.SS`, the form SCORM 1.2 content reads `cmi.core.total_time` in."""
    centiseconds = round(max(0.0, seconds) * 100)
    hours, rest = divmod(centiseconds, 360000)
    minutes, rest = divmod(rest, 6000)
    secs, cents = divmod(rest, 100)
    return f"{min(hours, 9999):04d}:{minutes:02d}:{secs:02d}.{cents:02d}"


def iso_duration(seconds: float) -> str:
    """Seconds to an ISO 8601 duration (`PT1H2M3.5S`), the SCORM 2004 form."""
    centiseconds = round(max(0.0, seconds) * 100)
    hours, rest = divmod(centiseconds, 360000)
    minutes, rest = divmod(rest, 6000)
    secs = rest / 100
    text = "PT"
    if hours:
        text += f"{hours}H"
    if minutes:
        text += f"{minutes}M"
    secs_text = f"{secs:.2f}".rstrip("0").rstrip(".")
    return text + f"{secs_text}S"


def cmi_flatten(value, prefix: str = "cmi") -> dict[str, str]:
    """Nested CMI JSON to dotted element names (`cmi.core.lesson_status`), strings only.

    scorm-again sends collections either as lists or as objects keyed "0", "1", …; both
    flatten to the same element names."""
    flat: dict[str, str] = {}
    items = (
        enumerate(value) if isinstance(value, list) else value.items() if isinstance(value, dict) else None
    )
    if items is None:
        flat[prefix] = "" if value is None else str(value)
        return flat
    for key, child in items:
        flat.update(cmi_flatten(child, f"{prefix}.{key}"))
    return flat


_INDEX = re.compile(r"^[0-9]{1,6}$")


def is_collection_index(key) -> bool:
    """A collection item's key as scorm-again writes it: "0", "1", … (ASCII digits only:
    `str.isdigit` also accepts "²", which `int` refuses)."""
    return bool(_INDEX.match(str(key)))


def collection(value) -> list[dict]:
    """A CMI collection (interactions, objectives, correct_responses) as a list, in index order."""
    if isinstance(value, list):
        return [item for item in value if isinstance(item, dict)]
    if isinstance(value, dict):
        indexed = [
            (int(key), item)
            for key, item in value.items()
            if is_collection_index(key) and isinstance(item, dict)
        ]
        return [item for _index, item in sorted(indexed)]
    return []


def number_or_none(value) -> float | None:
    """A finite number, or None: content sends numbers as text, and "NaN", "1e999" or an
    integer of a thousand digits must not reach a score."""
    if value in (None, "") or isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return number if math.isfinite(number) else None


@dataclass(frozen=True)
class LaunchRules:
    """What the manifest says about a SCO that changes how its data is read."""

    mastery_score: float | None = None  # SCORM 1.2, 0..100
    completion_threshold: float | None = None  # SCORM 2004, 0..1
    scaled_passing_score: float | None = None  # SCORM 2004, -1..1


@dataclass(frozen=True)
class CmiReading:
    """One commit's data, read the same way for SCORM 1.2 and 2004."""

    completion: str
    success: str
    score_raw: float | None
    score_min: float | None
    score_max: float | None
    score_scaled: float | None
    progress_measure: float | None
    location: str
    exit: str
    session_seconds: float | None
    suspend_data: str | None  # None when the commit left it out (unchanged)
    interactions: list[dict]
    objectives: list[dict]


def cmi_read(version: str, cmi: dict, rules: LaunchRules, *, credit: bool = True) -> CmiReading:
    """Read completion, success and score as the specification defines them.

    SCORM 1.2: completed when `lesson_status` is completed or passed; passed/failed from the
    status, except that with a mastery score in credit mode the LMS decides passed/failed
    from raw ≥ mastery (and a pass is also a completion). SCORM 2004: completion and success
    are independent; a completion threshold judges `progress_measure`, a scaled passing
    score judges `score.scaled`; each is "unknown" until set."""
    if version == ScormVersion.SCORM_12:
        return _read_scorm12(cmi, rules, credit=credit)
    return _read_scorm2004(cmi, rules)


def _read_scorm12(cmi: dict, rules: LaunchRules, *, credit: bool) -> CmiReading:
    core = cmi.get("core") or {}
    score = core.get("score") or {}
    status = str(core.get("lesson_status") or "").strip()
    completion = {
        "completed": Status.COMPLETED,
        "passed": Status.COMPLETED,
        "failed": Status.INCOMPLETE,
        "incomplete": Status.INCOMPLETE,
        "browsed": Status.INCOMPLETE,
    }.get(status, Status.UNKNOWN)
    success = {"passed": Status.PASSED, "failed": Status.FAILED}.get(status, Status.UNKNOWN)
    raw = number_or_none(score.get("raw"))
    if credit and rules.mastery_score is not None and raw is not None:
        success = Status.PASSED if raw >= rules.mastery_score else Status.FAILED
        if success == Status.PASSED:
            completion = Status.COMPLETED
    return CmiReading(
        completion=completion,
        success=success,
        score_raw=raw,
        score_min=number_or_none(score.get("min")),
        score_max=number_or_none(score.get("max")),
        score_scaled=None,
        progress_measure=None,
        location=str(core.get("lesson_location") or ""),
        exit=str(core.get("exit") or ""),
        session_seconds=seconds_from_scorm12_time(str(core.get("session_time") or "")),
        suspend_data=str(cmi["suspend_data"]) if "suspend_data" in cmi else None,
        interactions=collection(cmi.get("interactions")),
        objectives=collection(cmi.get("objectives")),
    )


def _read_scorm2004(cmi: dict, rules: LaunchRules) -> CmiReading:
    score = cmi.get("score") or {}
    progress = number_or_none(cmi.get("progress_measure"))
    scaled = number_or_none(score.get("scaled"))
    completion = {
        "completed": Status.COMPLETED,
        "incomplete": Status.INCOMPLETE,
        "not attempted": Status.INCOMPLETE,
    }.get(str(cmi.get("completion_status") or ""), Status.UNKNOWN)
    if rules.completion_threshold is not None and progress is not None:
        completion = Status.COMPLETED if progress >= rules.completion_threshold else Status.INCOMPLETE
    success = {"passed": Status.PASSED, "failed": Status.FAILED}.get(
        str(cmi.get("success_status") or ""), Status.UNKNOWN
    )
    if rules.scaled_passing_score is not None and scaled is not None:
        success = Status.PASSED if scaled >= rules.scaled_passing_score else Status.FAILED
    return CmiReading(
        completion=completion,
        success=success,
        score_raw=number_or_none(score.get("raw")),
        score_min=number_or_none(score.get("min")),
        score_max=number_or_none(score.get("max")),
        score_scaled=scaled,
        progress_measure=progress,
        location=str(cmi.get("location") or ""),
        exit=str(cmi.get("exit") or ""),
        session_seconds=seconds_from_iso_duration(str(cmi.get("session_time") or "")),
        suspend_data=str(cmi["suspend_data"]) if "suspend_data" in cmi else None,
        interactions=collection(cmi.get("interactions")),
        objectives=collection(cmi.get("objectives")),
    )


def attempt_ends_on_exit(version: str, exit_value: str, navigation_request: str = "") -> bool:
    """Whether leaving a SCO this way ends its attempt (SCORM 2004 only).

    In SCORM 2004 a normal, empty, logout or time-out exit ends the attempt, so the next
    launch starts ab-initio with fresh data, unless the learner suspended (the SCO's exit,
    or the whole activity tree with suspendAll). SCORM 1.2 has no such rule: its data stays,
    and only a suspend exit makes the next launch a resume."""
    if version != ScormVersion.SCORM_2004:
        return False
    return exit_value != "suspend" and "suspendAll" not in navigation_request


def entry_for_launch(version: str, *, has_data: bool, last_exit: str) -> str:
    """The read-only `entry` value of a launch: ab-initio the first time, resume after a
    suspend (the common bug is to answer ab-initio there), otherwise empty."""
    if not has_data:
        return "ab-initio"
    if last_exit == "suspend":
        return "resume"
    return ""
