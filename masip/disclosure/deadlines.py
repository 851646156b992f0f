"""When a subject access request must be answered.

UK GDPR Art 12(3) and DPA 2018 s.54 give one month from the day the clock
starts. The ICO's way of counting: the corresponding calendar date in the
next month; the last day of that month when it has no such date; and the next
working day when the date falls on a weekend. (Bank holidays are not known to
MASIP: the officer moves a deadline that lands on one by hand, by answering
early.) Only UK GDPR lets the controller extend, by two further months, for a
complex request or many requests (Art 12(3)); DPA 2018 Part 3 has no extension.
"""

import calendar
import datetime as dt

RESPONSE_MONTHS = 1
EXTENDED_MONTHS = 3


def add_months(start: dt.date, months: int) -> dt.date:
    """The same day ``months`` later, or the month's last day if it is shorter."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    day = min(start.day, calendar.monthrange(year, month)[1])
    return dt.date(year, month, day)


def next_working_day(day: dt.date) -> dt.date:
    """The day itself, or the Monday after when it is a Saturday or Sunday."""
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


def due_date(clock_start: dt.date, *, extended: bool = False) -> dt.date:
    months = EXTENDED_MONTHS if extended else RESPONSE_MONTHS
    return next_working_day(add_months(clock_start, months))
