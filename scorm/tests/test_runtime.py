"""What run-time data means: time formats both ways, statuses, scores and entry values."""

import pytest

from scorm.models import ScoAttempt
from scorm.runtime import (
    LaunchRules,
    attempt_ends_on_exit,
    cmi_flatten,
    cmi_read,
    entry_for_launch,
    iso_duration,
    scorm12_time,
    seconds_from_iso_duration,
    seconds_from_scorm12_time,
)


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("0000:00:00", 0), ("00:01:30.5", 90.5), ("0002:03:04.25", 7384.25), ("9999:59:59.99", 35999999.99)],
)
def test_scorm12_times_read(text, seconds):
    assert seconds_from_scorm12_time(text) == pytest.approx(seconds)


@pytest.mark.parametrize("text", ["", "1:2", "00:61:00", "abc", "PT5S"])
def test_scorm12_time_rejects_what_is_not_a_timespan(text):
    assert seconds_from_scorm12_time(text) is None


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("PT0S", 0), ("PT1H2M3.5S", 3723.5), ("P1DT1S", 86401), ("PT90S", 90), ("P0Y0M0DT0H5M", 300)],
)
def test_iso_durations_read(text, seconds):
    assert seconds_from_iso_duration(text) == pytest.approx(seconds)


@pytest.mark.parametrize("text", ["", "P", "PT", "1H", "PT-5S", "0000:00:05"])
def test_iso_duration_rejects_what_is_not_one(text):
    assert seconds_from_iso_duration(text) is None


@pytest.mark.parametrize("seconds", [0, 0.5, 59.99, 3723.5, 90061.25])
def test_times_written_read_back_the_same(seconds):
    assert seconds_from_scorm12_time(scorm12_time(seconds)) == pytest.approx(seconds)
    assert seconds_from_iso_duration(iso_duration(seconds)) == pytest.approx(seconds)


def test_written_forms_are_what_content_expects():
    assert scorm12_time(3723.5) == "0001:02:03.50"
    assert iso_duration(3723.5) == "PT1H2M3.5S"
    assert iso_duration(0) == "PT0S"


@pytest.mark.parametrize(
    ("status", "completion", "success"),
    [
        ("passed", "completed", "passed"),
        ("completed", "completed", "unknown"),
        ("failed", "incomplete", "failed"),
        ("incomplete", "incomplete", "unknown"),
        ("browsed", "incomplete", "unknown"),
        ("not attempted", "unknown", "unknown"),
    ],
)
def test_scorm12_status_maps_to_completion_and_success(status, completion, success):
    reading = cmi_read("1.2", {"core": {"lesson_status": status}}, LaunchRules())
    assert (reading.completion, reading.success) == (completion, success)


def test_scorm12_mastery_score_applies_only_with_credit():
    cmi = {"core": {"lesson_status": "completed", "score": {"raw": "79"}}}
    assert cmi_read("1.2", cmi, LaunchRules(mastery_score=80)).success == "failed"
    assert cmi_read("1.2", cmi, LaunchRules(mastery_score=80), credit=False).success == "unknown"


def test_scorm2004_is_unknown_until_set_and_suspend_data_absent_means_unchanged():
    reading = cmi_read("2004", {}, LaunchRules(completion_threshold=0.5, scaled_passing_score=0.5))
    assert (reading.completion, reading.success, reading.suspend_data) == ("unknown", "unknown", None)
    assert cmi_read("2004", {"suspend_data": ""}, LaunchRules()).suspend_data == ""


def test_exit_and_entry_rules():
    assert attempt_ends_on_exit("2004", "normal")
    assert attempt_ends_on_exit("2004", "")
    assert not attempt_ends_on_exit("2004", "suspend")
    assert not attempt_ends_on_exit("2004", "", "suspendAll")
    assert not attempt_ends_on_exit("1.2", "")
    assert entry_for_launch("1.2", has_data=False, last_exit="") == "ab-initio"
    assert entry_for_launch("1.2", has_data=True, last_exit="suspend") == "resume"
    assert entry_for_launch("2004", has_data=True, last_exit="logout") == ""


def test_collections_flatten_the_same_as_lists_or_indexed_objects():
    as_list = cmi_flatten({"interactions": [{"id": "Q1"}]})
    as_object = cmi_flatten({"interactions": {"0": {"id": "Q1"}}})
    assert as_list == as_object == {"cmi.interactions.0.id": "Q1"}


@pytest.mark.parametrize(
    ("fields", "percent"),
    [
        ({"score_scaled": 0.85}, 85.0),
        ({"score_raw": 17, "score_min": 0, "score_max": 20}, 85.0),
        ({"score_raw": 85}, 85.0),
        ({"score_raw": 5, "score_min": 10, "score_max": 10}, None),
        ({}, None),
    ],
)
def test_score_as_a_percentage(fields, percent):
    assert ScoAttempt(**fields).score_percent == percent
