"""Dates as Thai readers expect them, and the Thai government's fiscal year.

Every date shown to a person goes through `format_date`: in Thai it uses the Buddhist era
(พ.ศ. = ค.ศ. + 543) and Thai month names ("20 พฤศจิกายน 2569"); in English the Gregorian
year and English month names ("20 November 2026").

The fiscal year runs from 1 October to 30 September and is named by the Buddhist-era year
in which it ends: ปีงบประมาณ 2570 is 1 October 2026 – 30 September 2027.

Every date people type into an imported file is read by `date_parse` (see there for the
formats).
"""

import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from lms.thai_text import thai_digits_to_arabic

BUDDHIST_ERA_OFFSET = 543

THAI_MONTHS = (
    "มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
    "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม",
)  # fmt: skip
THAI_MONTHS_SHORT = (
    "ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.",
    "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.",
)  # fmt: skip
ENGLISH_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip

Style = Literal["long", "short"]

# A year from here on is Buddhist era (2400 BE is 1857 CE): no date in Thaksa's files is
# that old, and no Common-era date reaches it.
BUDDHIST_YEAR_FROM = 2400
_ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")
_THAI_DATE = re.compile(r"([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})")


def buddhist_year(year: int) -> int:
    return year + BUDDHIST_ERA_OFFSET


def _local_date_and_time(value: dt.date | dt.datetime) -> tuple[dt.date, dt.time | None]:
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)  # Asia/Bangkok
        return value.date(), value.time()
    return value, None


def format_date(
    value: dt.date | dt.datetime | None,
    language: str | None = None,
    *,
    style: Style = "long",
    with_time: bool = False,
) -> str:
    """Format a date (or datetime, shown in Bangkok time) for a reader of `language`.

    th, long:  20 พฤศจิกายน 2569        (with_time: 20 พฤศจิกายน 2569 เวลา 14:05 น.)
    th, short: 20 พ.ย. 2569
    en, long:  20 November 2026         (with_time: 20 November 2026, 14:05)
    en, short: 20 Nov 2026
    """
    if value is None:
        return ""
    language = (language or translation.get_language() or "th")[:2]
    date, time = _local_date_and_time(value)
    if language == "th":
        months = THAI_MONTHS if style == "long" else THAI_MONTHS_SHORT
        text = f"{date.day} {months[date.month - 1]} {buddhist_year(date.year)}"
        if with_time and time is not None:
            text += f" เวลา {time:%H:%M} น."
        return text
    month = ENGLISH_MONTHS[date.month - 1]
    text = f"{date.day} {month if style == 'long' else month[:3]} {date.year}"
    if with_time and time is not None:
        text += f", {time:%H:%M}"
    return text


@dataclass(frozen=True)
class FiscalYear:
    """A Thai government fiscal year, named by the Buddhist-era year in which it ends."""

    year: int  # Buddhist era, e.g. 2570

    @property
    def start(self) -> dt.date:
        return dt.date(self.year - BUDDHIST_ERA_OFFSET - 1, 10, 1)

    @property
    def end(self) -> dt.date:
        return dt.date(self.year - BUDDHIST_ERA_OFFSET, 9, 30)

    def __contains__(self, value: dt.date | dt.datetime) -> bool:
        date, _ = _local_date_and_time(value)
        return self.start <= date <= self.end

    def previous(self) -> "FiscalYear":
        return FiscalYear(self.year - 1)

    def label(self, language: str | None = None) -> str:
        """ "ปีงบประมาณ 2570" in Thai; "Fiscal year 2027 (B.E. 2570)" in English."""
        language = (language or translation.get_language() or "th")[:2]
        if language == "th":
            return f"ปีงบประมาณ {self.year}"
        return f"Fiscal year {self.year - BUDDHIST_ERA_OFFSET} (B.E. {self.year})"


def fiscal_year_of(value: dt.date | dt.datetime) -> FiscalYear:
    """The fiscal year a date (or a datetime, taken in Bangkok time) falls in."""
    date, _ = _local_date_and_time(value)
    ends_in = date.year + 1 if date.month >= 10 else date.year
    return FiscalYear(buddhist_year(ends_in))


def current_fiscal_year() -> FiscalYear:
    return fiscal_year_of(timezone.localdate())


class DateUnreadable(ValueError):
    """A typed date that is not in an accepted format, or not on the calendar; the message
    (translated) says what to write."""


def date_parse(text: str) -> dt.date:
    """A date as people type it in a spreadsheet:

    - year-month-day: 2569-03-31 (how Thaksa writes dates, and how an Excel date cell reads);
    - day/month/year: 31/03/2569 or 31/3/2569 (how Excel shows dates in Thai);
    - in Thai digits too (๓๑/๐๓/๒๕๖๙);
    - the year in the Buddhist era, or in the Common era when it is below 2400
      (2569-03-31 and 2026-03-31 are the same day).

    Anything else, or a day that does not exist (31/02/2569), raises DateUnreadable.
    """
    written = text.strip()
    digits = thai_digits_to_arabic(written)
    if match := _ISO_DATE.fullmatch(digits):
        year, month, day = (int(part) for part in match.groups())
    elif match := _THAI_DATE.fullmatch(digits):
        day, month, year = (int(part) for part in match.groups())
    else:
        raise DateUnreadable(
            _(
                "“%(text)s” is not a date. Write it as day/month/year or year-month-day, in the "
                "Buddhist or the Common era: 31/03/2569 or 2569-03-31."
            )
            % {"text": written}
        )
    if year >= BUDDHIST_YEAR_FROM:
        year -= BUDDHIST_ERA_OFFSET
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise DateUnreadable(
            _("“%(text)s” is not a day of the calendar. Check the day and the month.") % {"text": written}
        ) from None
