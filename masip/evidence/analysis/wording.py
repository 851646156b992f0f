"""Dates, times and numbers in the words a report uses (British English)."""

from __future__ import annotations

from datetime import date, datetime

MONTHS = (
    "January", "February", "March", "April", "May", "June", "July",
    "August", "September", "October", "November", "December",
)  # fmt: skip
WEEKDAYS = (
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
)


def day(d: date, *, year: bool = True) -> str:
    """14 April 2024 (or 14 April)."""
    return f"{d.day} {MONTHS[d.month - 1]}" + (f" {d.year}" if year else "")


def moment(when: datetime) -> str:
    """14 April 2024 at 21:05 (in the datetime's own zone)."""
    return f"{day(when.date())} at {when:%H:%M}"


def span(first: date, last: date) -> str:
    """2 March and 3 May 2024, or 30 December 2023 and 3 January 2024."""
    return f"{day(first, year=first.year != last.year)} and {day(last)}"


def number(n: int) -> str:
    return f"{n:,}"


def count(n: int, singular: str, plural: str | None = None) -> str:
    """'1 day', '3 days', '1,204 contacts'."""
    return f"{n:,} {singular if n == 1 else plural or singular + 's'}"


def percent(part: int, whole: int) -> str:
    if not whole:
        return "0%"
    share = 100 * part / whole
    return f"{share:.0f}%" if share >= 1 or share == 0 else "under 1%"


def about(x: float) -> str:
    """A fitted value in words: whole numbers, never below nought."""
    return f"{max(round(x), 0):,}"


def listing(items: list[str]) -> str:
    if len(items) < 2:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]
