"""UTC epoch seconds to the victim's local clock, a column at a time.

Calling ``datetime.fromtimestamp`` a million times is slow. A time zone's
offset from UTC only changes at its transitions (twice a year for the UK),
so the offset is looked up once per stretch between transitions and added to
every time in it. "Local seconds" are epoch seconds shifted by the offset, so
``local // 3600`` numbers the local hour, ``local // 86400`` the local day
(day 0 is 1 January 1970), on either side of a clock change; counting per
local hour then needs one binary search per hour, not a step per time.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from datetime import date, datetime
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


def hourly_counts(times: list[int], tz: ZoneInfo) -> Counter[int]:
    """How many of the (sorted) UTC ``times`` fall in each local hour.

    Keys are local hour numbers (``local seconds // 3600``): ``h // 24`` is
    the local day and ``h % 24`` the hour on the clock. An hour the clocks
    go through twice (01:00 on the last Sunday in October in the UK) counts
    the times of both; the hour they skip has none. Each hour is found by
    binary search, so the cost grows with the hours spanned, not the times.
    """
    counts: Counter[int] = Counter()
    if not times:
        return counts
    stretches = offsets(tz, times[0], times[-1])
    bounds = [bisect_left(times, start) for start, _ in stretches[1:]] + [len(times)]
    low = 0
    for (_, offset), high in zip(stretches, bounds, strict=True):
        if high > low:
            first = (times[low] + offset) // HOUR
            last = (times[high - 1] + offset) // HOUR
            begin = low
            for hour in range(first, last + 1):
                end = bisect_left(times, (hour + 1) * HOUR - offset, begin, high)
                if end > begin:
                    counts[hour] += end - begin
                begin = end
        low = high
    return counts


def local_day(t: int, tz: ZoneInfo) -> int:
    return (t + offset_at(tz, t)) // DAY


def day_date(day: int) -> date:
    return date.fromordinal(day + EPOCH_ORDINAL)


def local_datetime(t: int, tz: ZoneInfo) -> datetime:
    return datetime.fromtimestamp(t, tz)


def date_day(d: date) -> int:
    return d.toordinal() - EPOCH_ORDINAL
