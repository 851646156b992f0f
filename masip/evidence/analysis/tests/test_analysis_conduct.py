"""Every figure of a course-of-conduct analysis, on timelines with known answers."""

from datetime import UTC, date, datetime

import pytest

from masip.evidence.analysis import IncidentFact, Timeline, analyse
from masip.evidence.analysis.tests.helpers import JANUARY, LONDON, P, V, local, timeline


@pytest.fixture
def report():
    incidents = [
        IncidentFact(local("2024-01-05 20:00"), ("contacting",)),
        IncidentFact(local("2024-01-06 18:00"), ("loitering",), threat=True),
        IncidentFact(local("2024-01-03 12:00"), ("monitoring",), threat=True),
    ]
    return analyse(timeline(JANUARY), tz=LONDON, incidents=incidents)


def test_daily_counts_every_local_day_of_the_period(report):
    daily = report.daily

    assert [(d.day.day, d.count) for d in daily.series] == [
        (1, 2), (2, 3), (3, 0), (4, 1), (5, 2), (6, 1),
    ]  # fmt: skip
    assert (daily.days_in_period, daily.days_with_contact) == (6, 5)
    assert (daily.maximum, daily.busiest_days, daily.median) == (
        3,
        [date(2024, 1, 2)],
        1.5,
    )
    assert daily.explanation == (
        "On 5 of the 6 days between 1 January and 6 January 2024 the perpetrator "
        "made contact; on the busiest day, 2 January 2024, 3 times. Counting "
        "every day, with contact or not, the median was 1.5 a day."
    )


def test_weekly_counts_weeks_of_seven_days_from_the_first_day(report):
    weekly = report.weekly

    assert [(wk.start, wk.days, wk.count) for wk in weekly.series] == [
        (date(2024, 1, 1), 6, 9)
    ]
    assert weekly.maximum == 9
    assert weekly.busiest_week == date(2024, 1, 1)


def test_channels_total_the_perpetrators_contacts(report):
    assert report.channels.totals == {"whatsapp": 4, "sms": 4, "call": 1}
    assert report.channels.explanation == (
        "Contact from the perpetrator by channel: WhatsApp 4 (44%), "
        "text message 4 (44%) and phone call 1 (11%)."
    )


def test_night_contact_counts_22_to_07_local(report):
    night = report.night

    assert (night.count, night.total) == (5, 9)
    assert night.share == pytest.approx(5 / 9)
    assert "between 22:00 and 07:00" in night.explanation


def test_longest_run_of_days_with_contact(report):
    run = report.longest_run

    assert (run.days, run.first, run.last) == (3, date(2024, 1, 4), date(2024, 1, 6))
    assert run.explanation == (
        "The longest run of consecutive days with contact was 3 days, "
        "from 4 January to 6 January 2024."
    )


def test_replies_count_both_sides_and_the_longest_unanswered_run(report):
    replies = report.replies

    assert (replies.perpetrator, replies.victim, replies.ratio) == (9, 3, 3.0)
    # The system line between two perpetrator contacts does not break a run;
    # the first of two runs of three is the one reported.
    assert replies.longest_unanswered == 3
    assert replies.unanswered_from == local("2024-01-02 23:00")
    assert replies.unanswered_to == local("2024-01-02 23:20")


def test_stop_requests_are_found_with_later_contact_listed(report):
    after = report.after_stop
    first, second = after.requests

    assert first.occurred_at == local("2024-01-04 08:00")
    assert first.words == ["Stop messaging me"]
    assert (first.is_block, first.contacts_after) == (False, 4)
    assert second.words == ["I\u2019ve blocked you"]
    assert (second.is_block, second.contacts_after) == (True, 3)
    assert after.count == 4
    assert (after.first, after.last) == (
        local("2024-01-04 08:30"),
        local("2024-01-06 10:00"),
    )
    assert [JANUARY[i][4] for i in after.entries] == [
        "no",
        "it's me, you'll regret this",
        "pick up",
        "hello",
    ]
    assert "the first on 4 January 2024 at 08:00" in after.explanation


def test_new_identities_after_the_victims_block_statement(report):
    found = report.new_identities

    assert found.source == "statement"
    assert found.blocked_at == local("2024-01-04 12:00")
    assert [(i.sender, i.first_seen, i.contacts) for i in found.identities] == [
        ("+44 7700 900111", local("2024-01-05 02:00"), 2)
    ]


@pytest.mark.parametrize(
    ("blocked", "expected"),
    [
        ("2024-01-05 01:00", ["+44 7700 900111"]),
        ("2024-01-05 03:00", []),
        ("2024-01-01 00:00", ["Jory", "+44 7700 900111"]),
    ],
)
def test_new_identities_after_a_given_block_date(blocked, expected):
    found = analyse(timeline(JANUARY), tz=LONDON, blocked_at=local(blocked))

    assert found.new_identities.source == "given"
    assert [i.sender for i in found.new_identities.identities] == expected


def test_language_flags_show_words_and_positions_for_review(report):
    flags = report.language.flags

    assert [
        (f.text, [(m.words, m.start, m.end) for m in f.matches]) for f in flags
    ] == [
        ("I know where you live", [("I know where you live", 0, 21)]),
        ("it's me, you'll regret this", [("you'll regret", 9, 22)]),
    ]
    assert flags[0].categories == ["intimidation"]
    assert report.language.status == "flagged for review"
    assert "not a finding" in report.language.explanation


def test_escalation_dates_the_first_approach_and_threat_from_incidents(report):
    escalation = report.escalation

    assert escalation.first_physical_approach == local("2024-01-06 18:00")
    assert escalation.first_threat_incident == local("2024-01-03 12:00")
    assert escalation.first_threat_message is None  # intimidation only
    assert escalation.trend == "unknown"  # no complete week


def _weekly(counts: list[int]) -> Timeline:
    """Perpetrator contacts at noon on the first day of successive weeks."""
    start = int(datetime(2024, 1, 1, 12, tzinfo=UTC).timestamp())
    times = [
        start + week * 7 * 86400 for week, n in enumerate(counts) for _ in range(n)
    ]
    times.append(start + len(counts) * 7 * 86400 - 86400)  # closes the last week
    return Timeline.from_columns(
        occurred_at=times, from_perpetrator=[True] * len(times)
    )


def test_escalation_fits_a_straight_line_to_weekly_counts():
    # The closing contact makes the last week 5 + 1.
    escalation = analyse(_weekly([5, 10, 15, 20, 25, 30, 35, 39]), tz=LONDON).escalation

    assert escalation.trend == "rising"
    assert escalation.weeks_fitted == 8
    assert escalation.slope_per_week == pytest.approx(34.75 / 7, rel=0.02)
    assert escalation.explanation.startswith(
        "Weekly contact rose from about 5 to about 40 over 8 weeks"
    )


@pytest.mark.parametrize(
    ("counts", "trend"),
    [([20, 21, 19, 20], "level"), ([40, 30, 20, 9], "falling"), ([3, 2], "unknown")],
)
def test_escalation_trend_words(counts, trend):
    assert analyse(_weekly(counts), tz=LONDON).escalation.trend == trend


def test_first_threat_message_is_a_flagged_threat():
    rows = [("2024-02-01 10:00", P, "sms", "Jory", "I will hurt you")]

    escalation = analyse(timeline(rows), tz=LONDON).escalation

    assert escalation.first_threat_message == local("2024-02-01 10:00")
    assert "flagged for possible threatening words" in escalation.explanation


def test_empty_timeline_gives_empty_figures_without_error():
    report = analyse(
        Timeline.from_columns(occurred_at=[], from_perpetrator=[]), tz=LONDON
    )

    assert report.period_start is None
    assert report.daily.series == []
    assert report.daily.explanation == "The timeline is empty."
    assert (report.night.count, report.longest_run.days) == (0, 0)
    assert report.replies.ratio is None
    assert report.after_stop.requests == []
    assert report.charts.hour_by_weekday == [[0] * 24 for _ in range(7)]
    assert all(report.explanations())


def test_no_victim_messages_means_no_ratio_and_no_stop_requests():
    rows = [r for r in JANUARY if r[1] == P]

    report = analyse(timeline(rows), tz=LONDON)

    assert (report.replies.victim, report.replies.ratio) == (0, None)
    assert report.replies.longest_unanswered == 9
    assert "the victim sent nothing back" in report.replies.explanation
    assert report.after_stop.requests == []
    assert "should still be read" in report.after_stop.explanation
    assert report.new_identities.identities == []
    assert report.new_identities.source == ""


def test_timeline_sorts_entries_given_out_of_order():
    rows = [JANUARY[3], JANUARY[0], JANUARY[2]]

    built = timeline(rows)

    assert [built.entry(i).text for i in range(3)] == [
        "morning",
        "I'm at work",
        "why are you ignoring me",
    ]
    assert built.roles == "PVP"


def test_system_lines_never_count_as_contact():
    built = timeline(JANUARY)

    assert built.roles.count("O") == 1
    assert built.entry(8).kind == "system"


def test_timeline_refuses_naive_times_and_ragged_columns():
    with pytest.raises(ValueError, match="timezone-aware"):
        Timeline.from_columns(
            occurred_at=[datetime(2024, 1, 1)],  # noqa: DTZ001
            from_perpetrator=[True],
        )
    with pytest.raises(ValueError, match="one value per entry"):
        Timeline.from_columns(occurred_at=[0, 1], from_perpetrator=[True])


def test_victim_side_defaults_to_everyone_but_the_perpetrator():
    built = Timeline.from_columns(occurred_at=[1, 2], from_perpetrator=[True, False])

    assert built.roles == "PV"


def test_chart_data_is_the_daily_series_and_the_week_matrix(report):
    matrix = report.charts.hour_by_weekday

    assert report.charts.daily == report.daily.series
    assert matrix[0][9] == 2  # Monday 1 January, 09:00 and 09:05
    assert matrix[1][23] == 3  # Tuesday 2 January
    assert sum(map(sum, matrix)) == 9
    assert V not in report.charts.daily  # a plain data structure
