"""Local days and hours across the UK clock changes."""

from collections import Counter
from datetime import UTC, date, datetime

from masip.evidence.analysis import Timeline, analyse
from masip.evidence.analysis.localtime import hourly_counts, offsets
from masip.evidence.analysis.tests.helpers import LONDON


def utc(text: str) -> int:
    return int(datetime.fromisoformat(text).replace(tzinfo=UTC).timestamp())


def perpetrator_at(*times: str) -> Timeline:
    return Timeline.from_columns(
        occurred_at=[utc(t) for t in times], from_perpetrator=[True] * len(times)
    )


def test_offsets_find_the_uk_clock_changes_to_the_second():
    stretches = offsets(LONDON, utc("2024-03-30 00:00"), utc("2024-10-28 00:00"))

    assert stretches == [
        (utc("2024-03-30 00:00"), 0),
        (utc("2024-03-31 01:00"), 3600),
        (utc("2024-10-27 01:00"), 0),
    ]


def test_spring_forward_moves_night_and_day_boundaries():
    # 31 March 2024: the clocks go from 01:00 GMT to 02:00 BST.
    timeline = perpetrator_at(
        "2024-03-30 23:30",  # 23:30 GMT, Saturday 30 March: night
        "2024-03-31 06:30",  # 07:30 BST: not night, though 06:30 in UTC
        "2024-03-31 21:30",  # 22:30 BST: night, though 21:30 in UTC
        "2024-03-31 23:30",  # 00:30 BST on Monday 1 April, not 31 March
    )

    report = analyse(timeline, tz=LONDON)

    assert report.night.count == 3
    assert [(d.day, d.count) for d in report.daily.series] == [
        (date(2024, 3, 30), 1),
        (date(2024, 3, 31), 2),
        (date(2024, 4, 1), 1),
    ]
    matrix = report.charts.hour_by_weekday
    assert (matrix[5][23], matrix[6][7], matrix[6][22], matrix[0][0]) == (1, 1, 1, 1)


def test_fall_back_counts_both_passes_through_the_repeated_hour():
    # 27 October 2024: 02:00 BST becomes 01:00 GMT, so 01:xx happens twice.
    timeline = perpetrator_at(
        "2024-10-27 00:30",  # 01:30 BST
        "2024-10-27 01:30",  # 01:30 GMT
        "2024-10-27 06:30",  # 06:30 GMT: night (07:30 had it still been BST)
        "2024-10-27 07:30",  # 07:30 GMT: not night
    )

    report = analyse(timeline, tz=LONDON)

    assert report.charts.hour_by_weekday[6][1] == 2
    assert report.night.count == 3
    assert [(d.day, d.count) for d in report.daily.series] == [(date(2024, 10, 27), 4)]


def test_hourly_counts_match_a_datetime_per_time():
    times = list(range(utc("2024-03-29 00:00"), utc("2024-04-02 00:00"), 1234))
    expected = Counter(
        (t + int(datetime.fromtimestamp(t, LONDON).utcoffset().total_seconds())) // 3600
        for t in times
    )

    assert hourly_counts(times, LONDON) == expected
