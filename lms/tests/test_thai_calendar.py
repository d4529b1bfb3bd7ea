import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.utils import translation

from lms.thai_calendar import DateUnreadable, FiscalYear, date_parse, fiscal_year_of, format_date

UTC = dt.UTC
BANGKOK = ZoneInfo("Asia/Bangkok")


@pytest.mark.parametrize(
    ("value", "language", "expected"),
    [
        (dt.date(2026, 11, 20), "th", "20 พฤศจิกายน 2569"),
        (dt.date(2026, 11, 20), "en", "20 November 2026"),
        (dt.date(2027, 1, 1), "th", "1 มกราคม 2570"),  # the Buddhist-era year turns on 1 January
        (dt.date(2026, 12, 31), "th", "31 ธันวาคม 2569"),
        (dt.date(2024, 2, 29), "th", "29 กุมภาพันธ์ 2567"),
        (dt.date(2024, 2, 29), "en", "29 February 2024"),
    ],
)
def test_long_dates(value, language, expected):
    assert format_date(value, language) == expected


def test_short_dates():
    assert format_date(dt.date(2026, 11, 20), "th", style="short") == "20 พ.ย. 2569"
    assert format_date(dt.date(2026, 11, 20), "en", style="short") == "20 Nov 2026"


def test_datetimes_are_shown_in_bangkok_time_including_the_day():
    # 31 Dec 2026, 18:30 UTC is already 1 January 2570 in Bangkok.
    moment = dt.datetime(2026, 12, 31, 18, 30, tzinfo=UTC)

    assert format_date(moment, "th", with_time=True) == "1 มกราคม 2570 เวลา 01:30 น."
    assert format_date(moment, "en", with_time=True) == "1 January 2027, 01:30"


def test_language_defaults_to_the_active_one():
    with translation.override("en"):
        assert format_date(dt.date(2026, 11, 20)) == "20 November 2026"
    with translation.override("th"):
        assert format_date(dt.date(2026, 11, 20)) == "20 พฤศจิกายน 2569"


def test_nothing_to_show_for_no_date():
    assert format_date(None) == ""


@pytest.mark.parametrize(
    ("value", "fiscal_year"),
    [
        (dt.date(2026, 9, 30), 2569),  # last day of FY 2569
        (dt.date(2026, 10, 1), 2570),  # first day of FY 2570
        (dt.date(2027, 9, 30), 2570),
        (dt.date(2027, 10, 1), 2571),
        (dt.date(2027, 1, 1), 2570),
    ],
)
def test_fiscal_year_boundaries(value, fiscal_year):
    assert fiscal_year_of(value).year == fiscal_year


def test_fiscal_year_of_a_datetime_uses_bangkok_time():
    # 30 Sep 2026, 17:30 UTC is 1 Oct 2026, 00:30 in Bangkok: fiscal year 2570 has begun.
    assert fiscal_year_of(dt.datetime(2026, 9, 30, 17, 30, tzinfo=UTC)).year == 2570
    assert fiscal_year_of(dt.datetime(2026, 9, 30, 16, 59, tzinfo=UTC)).year == 2569


def test_fiscal_year_range_label_and_membership():
    year = FiscalYear(2570)

    assert (year.start, year.end) == (dt.date(2026, 10, 1), dt.date(2027, 9, 30))
    assert dt.date(2026, 10, 1) in year
    assert dt.date(2026, 9, 30) not in year
    assert year.previous() == FiscalYear(2569)
    assert year.label("th") == "ปีงบประมาณ 2570"
    assert year.label("en") == "Fiscal year 2027 (B.E. 2570)"


def test_template_filters_render_the_same_helpers():
    template = Template(
        '{% load thaksa %}{{ d|thai_date }} | {{ d|thai_date:"short" }} | {{ d|fiscal_year }}'
    )
    with translation.override("th"):
        rendered = template.render(Context({"d": dt.date(2026, 10, 1)}))
    assert rendered == "1 ตุลาคม 2569 | 1 ต.ค. 2569 | ปีงบประมาณ 2570"
    with translation.override("en"):
        rendered = template.render(Context({"d": dt.date(2026, 10, 1)}))
    assert rendered == "1 October 2026 | 1 Oct 2026 | Fiscal year 2027 (B.E. 2570)"


# Dates people type (date_parse) ------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "31/03/2569",
        "31/3/2569",
        "2569-03-31",
        "2569-3-31",
        "2026-03-31",
        "31/03/2026",
        "๓๑/๐๓/๒๕๖๙",
        " 2569-03-31 ",
    ],
)
def test_typed_dates_in_either_era_and_thai_digits_mean_the_same_day(text):
    assert date_parse(text) == dt.date(2026, 3, 31)


def test_a_buddhist_leap_day_is_the_common_era_leap_day():
    assert date_parse("29/02/2567") == dt.date(2024, 2, 29)


@pytest.mark.parametrize("text", ["31/02/2569", "29/02/2570", "2569-13-01", "00/01/2569"])
def test_days_that_do_not_exist_are_refused_as_such(text):
    with translation.override("en"), pytest.raises(DateUnreadable, match="not a day of the calendar"):
        date_parse(text)


@pytest.mark.parametrize("text", ["", "31.03.2569", "2569/03/31", "31 มีนาคม 2569", "03/31", "tomorrow"])
def test_other_formats_are_refused_with_the_accepted_ones(text):
    with translation.override("en"), pytest.raises(DateUnreadable) as unreadable:
        date_parse(text)
    assert "31/03/2569 or 2569-03-31" in str(unreadable.value)
