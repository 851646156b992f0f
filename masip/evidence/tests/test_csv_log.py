"""CSV call logs and message exports, read through a confirmed mapping."""

import io
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from masip.evidence.parsers import csv_log
from masip.evidence.parsers.base import (
    AmbiguousDateOrder,
    Channel,
    Direction,
    EntryKind,
    ParsedEntry,
    ParseError,
    ParseReport,
)
from masip.evidence.parsers.csv_log import ColumnMapping

FIXTURES = Path(__file__).parent / "fixtures" / "csv"
LONDON = ZoneInfo("Europe/London")


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def read(
    data: bytes,
    mapping: ColumnMapping | None = None,
    *,
    date_format: str | None = None,
    dayfirst: bool | None = None,
) -> tuple[list[ParsedEntry], ParseReport]:
    mapping = mapping or csv_log.suggest_mapping(csv_log.read_header(data[:4096]))
    report = ParseReport()
    entries = list(
        csv_log.parse(
            io.BytesIO(data),
            report=report,
            tz=LONDON,
            mapping=mapping,
            date_format=date_format,
            dayfirst=dayfirst,
        )
    )
    return entries, report


def test_read_header_strips_the_bom_and_sniffs_semicolons():
    header = csv_log.read_header(fixture("calls-semicolon-bom.csv"))

    assert header == ["Date", "Time", "Number", "Type", "Duration (s)"]


def test_suggest_mapping_for_a_call_log_with_date_and_time_columns():
    mapping = csv_log.suggest_mapping(
        ["Date", "Time", "Number", "Type", "Duration (s)"]
    )

    assert mapping == ColumnMapping(
        time="Date",
        clock="Time",
        party="Number",
        direction="Type",
        duration="Duration (s)",
        default_channel=Channel.CALL,
    )


def test_suggest_mapping_for_messages_with_sender_and_recipient():
    mapping = csv_log.suggest_mapping(["Timestamp", "From", "To", "Message", "Channel"])

    assert mapping == ColumnMapping(
        time="Timestamp",
        sender="From",
        recipient="To",
        text="Message",
        channel="Channel",
    )


def test_suggest_mapping_leaves_unknown_columns_unmapped():
    assert csv_log.suggest_mapping(["Colour", "Shape"]) == ColumnMapping()


def test_sniff_delimiter_ignores_delimiters_inside_quotes():
    assert csv_log.sniff_delimiter('"a,b,c";"d,e";f\n') == ";"
    assert csv_log.sniff_delimiter("a\tb\tc\n") == "\t"
    assert csv_log.sniff_delimiter("single\n") == ","


def test_parse_call_log_gives_calls_with_directions_and_durations():
    entries, report = read(fixture("calls-semicolon-bom.csv"))

    assert [
        (e.direction, e.sender, e.recipients, e.duration_seconds) for e in entries
    ] == [
        (Direction.INCOMING, "07700 900123", ("me",), 12),
        (Direction.MISSED, "07700 900123", ("me",), 0),
        (Direction.OUTGOING, "me", ("07700 900123",), 35),
        (Direction.REJECTED, "07700 900456", ("me",), 0),
        (Direction.INCOMING, "07700 900456", ("me",), 3723),
        (Direction.REJECTED, "07700 900789", ("me",), None),
    ]
    assert {(e.channel, e.kind) for e in entries} == {(Channel.CALL, EntryKind.CALL)}
    assert report.items_read == 6
    assert report.notes[0] == (
        "Dates read day first (30/03/2024 on line 2 can only be read that way)."
    )


def test_parse_call_log_local_times_across_the_clock_changes():
    entries, report = read(fixture("calls-semicolon-bom.csv"))

    assert [e.occurred_at.isoformat() for e in entries] == [
        "2024-03-30T23:55:00+00:00",
        "2024-03-31T02:30:00+01:00",  # 01:30 never happened that night
        "2024-03-31T02:30:00+01:00",
        "2024-10-27T01:30:00+01:00",  # 01:30 happened twice: the first
        "2024-10-27T01:45:00+01:00",
        "2024-10-27T11:00:00+00:00",
    ]
    assert report.notes[1:] == [
        "Times that never happened (in the hour skipped when the clocks went "
        "forward) were read as an hour later (first on line 3).",
        "Times in the hour repeated when the clocks went back were read as the "
        "first of the two (first on line 5).",
    ]


def test_parse_call_log_reports_bad_rows_with_line_numbers_and_offsets():
    data = fixture("calls-semicolon-bom.csv")

    entries, report = read(data)

    assert [(p.line, p.reason) for p in report.problems] == [
        (7, "Line 7: '32/10/2024 09:00' is not a date when read day first."),
        (8, "Line 8: The row has 3 columns, not 5."),
        (9, "Line 9: Unreadable duration 'about a minute'; row kept."),
    ]
    assert report.problems[1].excerpt == "27/10/2024;10:00;07700 900456"
    for problem in report.problems:
        assert problem.offset is not None
        assert data[problem.offset :].startswith(
            b"32/10" if problem.line == 7 else b"27/10"
        )
    assert [e.source_line for e in entries] == [2, 3, 4, 5, 6, 9]
    assert data[entries[0].source_offset or 0 :].startswith(b"30/03/2024;23:55")


def test_parse_ambiguous_dates_raise_rather_than_guess():
    with pytest.raises(AmbiguousDateOrder) as raised:
        read(fixture("messages-ambiguous.csv"))

    assert raised.value.examples == ("01/02/2024 10:00", "03/02/2024 10:05")


@pytest.mark.parametrize(
    ("dayfirst", "months"), [(True, [2, 2, 5]), (False, [1, 3, 5])]
)
def test_parse_ambiguous_dates_read_in_the_order_the_user_gives(dayfirst, months):
    entries, report = read(fixture("messages-ambiguous.csv"), dayfirst=dayfirst)

    assert [e.occurred_at.month for e in entries] == months
    assert [e.text for e in entries] == ["Morning, I'm outside", "Answer me", "Stop"]
    assert [(e.sender, e.recipients) for e in entries] == [
        ("07700 900123", ("me",)),
        ("07700 900123", ("me",)),
        ("me", ("07700 900123",)),
    ]
    assert report.problem_count == 0


def test_parse_ambiguous_dates_read_with_an_explicit_format():
    entries, _ = read(fixture("messages-ambiguous.csv"), date_format="%m/%d/%Y %H:%M")

    assert entries[0].occurred_at.isoformat() == "2024-01-02T10:00:00+00:00"


def test_parse_holds_ambiguous_rows_until_a_later_date_settles_the_order():
    data = (
        fixture("messages-ambiguous.csv") + b'25/12/2024 09:00,07700 900123,me,"Xmas"\n'
    )

    entries, report = read(data)

    assert [e.occurred_at.date().isoformat() for e in entries] == [
        "2024-02-01",
        "2024-02-03",
        "2024-05-05",
        "2024-12-25",
    ]
    assert report.notes == [
        "Dates read day first (25/12/2024 09:00 on line 5 can only be read that way)."
    ]


def test_parse_cp1252_tab_separated_with_offsets_and_multiline_text():
    entries, report = read(fixture("messages-cp1252.tsv"))

    assert [(e.channel, e.direction, e.text) for e in entries] == [
        (Channel.SMS, Direction.INCOMING, "You owe me \u00a350.\nPay up."),
        (Channel.SMS, Direction.OUTGOING, "Caf\u00e9 is closed"),
        (Channel.WHATSAPP, Direction.INCOMING, "ok"),
    ]
    assert [e.occurred_at.isoformat() for e in entries] == [
        "2024-10-27T01:30:00+01:00",
        "2024-10-27T01:30:00+00:00",
        "2024-10-27T02:15:00+00:00",
    ]
    assert [e.source_line for e in entries] == [2, 4, 5]
    assert report.notes == [
        "Some lines are not UTF-8 (first on line 2); they were read as Windows-1252."
    ]


def test_parse_refuses_a_mapping_naming_a_missing_column():
    mapping = ColumnMapping(time="When it happened")

    with pytest.raises(ParseError, match="no column called 'When it happened'"):
        read(fixture("messages-ambiguous.csv"), mapping)


def test_parse_refuses_a_mapping_without_a_time_column():
    with pytest.raises(ParseError, match="which column holds the date"):
        read(fixture("messages-ambiguous.csv"), ColumnMapping(text="Message"))


@pytest.mark.parametrize(
    ("value", "seconds"),
    [("45", 45), ("0:35", 35), ("1:02:03", 3723), ("1h 2m 3s", 3723), ("2 min", 120)],
)
def test_read_duration_understands_common_forms(value, seconds):
    assert csv_log.read_duration(value) == seconds


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1711846770", "2024-03-31T00:59:30+00:00"),
        ("1711846770000", "2024-03-31T00:59:30+00:00"),
        ("2024-03-31T00:59:30Z", "2024-03-31T00:59:30+00:00"),
        ("31 Mar 2024 14:05", "2024-03-31T14:05:00+01:00"),
        ("12/12/2024 2:05 PM", "2024-12-12T14:05:00+00:00"),
    ],
)
def test_parse_reads_common_time_forms_without_asking(value, expected):
    data = f"Time,Text\n{value},x\n".encode()

    [entry], _ = read(data, ColumnMapping(time="Time", text="Text"))

    assert entry.occurred_at.isoformat() == expected
