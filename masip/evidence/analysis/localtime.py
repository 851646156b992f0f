"""UTC epoch seconds to the victim's local clock, a column at a time.

Calling ``datetime.fromtimestamp`` a million times is slow. A time zone's
offset from UTC only changes at its transitions (twice a year for the UK),
so the offset is looked up once per stretch between transitions and added to
every time in it. "Local seconds" are epoch seconds shifted by the offset, so
``local // 86400`` is the local day number (day 0 is 1 January 1970) and
``local % 86400 // 3600`` the local hour, on either side of a clock change.
"""

from __future__ import annotations

from bisect import bisect_left
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

DAY = 86400
HOUR = 3600
EPOCH_ORDINAL = date(1970, 1, 1).toordinal()


def offset_at(tz: ZoneInfo, t: int) -> int:
    offset = datetime.fromtimestamp(t, tz).utcoffset()
    return int(offset.total_seconds()) if offset is not None else 0


def offsets(tz: ZoneInfo, start: int, end: int) -> list[tuple[int, int]]:
    """(from this time, offset in seconds) for every stretch in [start, end].

    The offset is sampled every hour and, where it changes, the change is
    found to the second. No zone changes its clocks twice within an hour.
    """
    current = offset_at(tz, start)
    stretches = [(start, current)]
    t = start
    while t < end:
        step = min(t + HOUR, end)
        offset = offset_at(tz, step)
        if offset != current:
            low, high = t, step
            while high - low > 1:
                middle = (low + high) // 2
                if offset_at(tz, middle) == current:
                    low = middle
                else:
                    high = middle
            current = offset_at(tz, high)
            stretches.append((high, current))
        t = step
    return stretches


def local_seconds(times: list[int], tz: ZoneInfo) -> list[int]:
    """Each (sorted) UTC time shifted to the local clock of ``tz``."""
    if not times:
        return []
    stretches = offsets(tz, times[0], times[-1])
    local: list[int] = []
    bounds = [bisect_left(times, start) for start, _ in stretches[1:]] + [len(times)]
    begin = 0
    for (_, offset), end in zip(stretches, bounds, strict=True):
        local.extend([t + offset for t in times[begin:end]])
        begin = end
    return local


def local_day(t: int, tz: ZoneInfo) -> int:
    return (t + offset_at(tz, t)) // DAY


def day_date(day: int) -> date:
    return date.fromordinal(day + EPOCH_ORDINAL)


def local_datetime(t: int, tz: ZoneInfo) -> datetime:
    return datetime.fromtimestamp(t, tz)


def date_day(d: date) -> int:
    return d.toordinal() - EPOCH_ORDINAL


def week_of(day: int, first_day: int) -> int:
    return (day - first_day) // 7


ONE_DAY = timedelta(days=1)
