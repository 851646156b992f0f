"""Working hours in UK local time: weekdays, not bank holidays, within the day.

Bank holidays for England and Wales are computed (New Year's Day, Good Friday,
Easter Monday, the early May, spring and summer Mondays, Christmas Day and
Boxing Day, with the substitute weekdays when they fall at a weekend). One-off
holidays (a coronation, a jubilee) are added with MASIP_ALERT_EXTRA_HOLIDAYS.
Scotland and Northern Ireland keep other days; list them there too if needed.
"""

import datetime as dt
from functools import cache
from zoneinfo import ZoneInfo

from django.conf import settings

UK = ZoneInfo("Europe/London")
SATURDAY = 5


def easter_sunday(year: int) -> dt.date:
    """Western Easter (the anonymous Gregorian computus)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    lw = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * lw) // 451
    month, day = divmod(h + lw - 7 * m + 114, 31)
    return dt.date(year, month, day + 1)


def _first_monday(year: int, month: int) -> dt.date:
    first = dt.date(year, month, 1)
    return first + dt.timedelta(days=(7 - first.weekday()) % 7)


def _last_monday(year: int, month: int) -> dt.date:
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    last = following - dt.timedelta(days=1)
    return last - dt.timedelta(days=last.weekday())


def _substituted(days: list[dt.date]) -> set[dt.date]:
    """Fixed-date holidays, each moved to the next free weekday if at a weekend."""
    taken: set[dt.date] = set()
    for day in days:
        while day.weekday() >= SATURDAY or day in taken:
            day += dt.timedelta(days=1)
        taken.add(day)
    return taken


@cache
def bank_holidays(year: int) -> frozenset[dt.date]:
    """England and Wales bank holidays in ``year``."""
    easter = easter_sunday(year)
    days = {
        easter - dt.timedelta(days=2),
        easter + dt.timedelta(days=1),
        _first_monday(year, 5),
        _last_monday(year, 5),
        _last_monday(year, 8),
    }
    days |= _substituted([dt.date(year, 1, 1)])
    days |= _substituted([dt.date(year, 12, 25), dt.date(year, 12, 26)])
    return frozenset(days)


def _clock(value: str) -> dt.time:
    return dt.time.fromisoformat(value)


def is_working_time(moment: dt.datetime) -> bool:
    """Whether ``moment`` falls in working hours on a working day, UK time."""
    local = moment.astimezone(UK)
    day = local.date()
    if day.weekday() >= SATURDAY or day in bank_holidays(day.year):
        return False
    if day.isoformat() in settings.MASIP_ALERT_EXTRA_HOLIDAYS:
        return False
    start = _clock(settings.MASIP_ALERT_WORKDAY_START)
    end = _clock(settings.MASIP_ALERT_WORKDAY_END)
    return start <= local.time() < end
