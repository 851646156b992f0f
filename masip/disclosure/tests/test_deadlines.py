import datetime as dt

import pytest

from masip.disclosure.deadlines import add_months, due_date, next_working_day


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (dt.date(2025, 3, 3), 1, dt.date(2025, 4, 3)),
        (dt.date(2025, 1, 31), 1, dt.date(2025, 2, 28)),  # no 31 February
        (dt.date(2024, 1, 31), 1, dt.date(2024, 2, 29)),  # leap year
        (dt.date(2025, 12, 15), 1, dt.date(2026, 1, 15)),  # over the year end
        (dt.date(2025, 11, 30), 3, dt.date(2026, 2, 28)),
    ],
)
def test_add_months_takes_the_corresponding_date_or_the_months_last_day(
    start, months, expected
):
    assert add_months(start, months) == expected


def test_next_working_day_moves_a_weekend_to_monday():
    assert next_working_day(dt.date(2025, 5, 3)) == dt.date(2025, 5, 5)  # Saturday
    assert next_working_day(dt.date(2025, 5, 4)) == dt.date(2025, 5, 5)  # Sunday
    assert next_working_day(dt.date(2025, 5, 6)) == dt.date(2025, 5, 6)


def test_due_date_is_one_month_and_three_when_extended():
    start = dt.date(2025, 2, 5)

    assert due_date(start) == dt.date(2025, 3, 5)
    assert due_date(start, extended=True) == dt.date(2025, 5, 5)
    # 5 April 2025 is a Saturday: the Monday after.
    assert due_date(dt.date(2025, 3, 5)) == dt.date(2025, 4, 7)
