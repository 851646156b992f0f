"""SMS Backup & Restore XML: messages, MMS, calls, emoji, damage and safety."""

import io
from datetime import UTC, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from masip.evidence.parsers import sms_xml
from masip.evidence.parsers.base import (
    Channel,
    Direction,
    EntryKind,
    ParsedEntry,
    ParseError,
    ParseReport,
)

FIXTURES = Path(__file__).parent / "fixtures" / "sms"
LONDON = ZoneInfo("Europe/London")


def read(data: bytes, **options: object) -> tuple[list[ParsedEntry], ParseReport]:
    report = ParseReport()
    entries = list(
        sms_xml.parse(io.BytesIO(data), report=report, tz=LONDON, **options)  # type: ignore[arg-type]
    )
    return entries, report


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def test_parse_sms_backup_gives_each_sent_or_received_item():
    entries, report = read(fixture("sms-backup.xml"))

    assert [(e.channel, e.direction, e.sender, e.recipients) for e in entries] == [
        (Channel.SMS, Direction.INCOMING, "07700 900123", ("me",)),
        (Channel.SMS, Direction.OUTGOING, "me", ("07700 900123",)),
        (Channel.SMS, Direction.INCOMING, "+447700900456", ("me",)),
        (Channel.SMS, Direction.INCOMING, "+447700900456", ("me",)),
        (Channel.SMS, Direction.OUTGOING, "me", ("07700 900123",)),  # failed
        (
            Channel.MMS,
            Direction.INCOMING,
            "07700 900123",
            ("07700 900111", "07700 900789"),
        ),
        (Channel.MMS, Direction.OUTGOING, "me", ("07700 900123",)),
    ]
    assert all(e.kind is EntryKind.MESSAGE for e in entries)
    assert report.format == "sms_xml"
    assert report.items_read == 7
    assert report.problem_count == 0


def test_parse_sms_keeps_text_exactly_with_emoji_rejoined():
    entries, _ = read(fixture("sms-backup.xml"))

    assert entries[0].text == "Saw you at the station \U0001f600"
    assert entries[1].text == "Please stop contacting me.\nI mean it."
    # hexadecimal halves, then a second pair straight after the first
    assert entries[2].text == "I know where you park \U0001f440\U0001f347"


def test_parse_sms_times_cross_both_clock_changes_in_london():
    entries, _ = read(fixture("sms-backup.xml"))

    # 31 March 2024: one minute apart in UTC, an hour and a minute on the clock
    spring = [entries[0].occurred_at, entries[1].occurred_at]
    assert [t.isoformat() for t in spring] == [
        "2024-03-31T00:59:30+00:00",
        "2024-03-31T02:00:30+01:00",
    ]
    # (same-zone subtraction in Python ignores the offsets: compare in UTC)
    assert spring[1].astimezone(UTC) - spring[0].astimezone(UTC) == timedelta(minutes=1)
    # 27 October 2024: 01:30 happens twice, an hour apart
    autumn = [entries[2].occurred_at, entries[3].occurred_at]
    assert [t.isoformat() for t in autumn] == [
        "2024-10-27T01:30:00+01:00",
        "2024-10-27T01:30:00+00:00",
    ]
    assert [t.fold for t in autumn] == [0, 1]
    assert autumn[1].astimezone(UTC) - autumn[0].astimezone(UTC) == timedelta(hours=1)
    assert all(e.occurred_at.tzinfo is LONDON for e in entries)


def test_parse_mms_joins_text_parts_and_names_attachments_without_data():
    entries, _ = read(fixture("sms-backup.xml"))
    mms = entries[5]

    assert mms.text == "Your car. Tonight. \U0001f697\nDon't tell anyone."
    assert mms.attachments == ("IMG_0412.jpg", "part 0 (text/x-vCard)")
    assert entries[6].text == "I have reported this to the police."
    assert entries[6].attachments == ()


def test_parse_mms_owner_numbers_become_the_owner_label():
    entries, _ = read(
        fixture("sms-backup.xml"), owner="Alex (victim)", owner_numbers={"07700 900111"}
    )

    assert entries[5].recipients == ("Alex (victim)", "07700 900789")
    assert entries[1].sender == "Alex (victim)"
    assert entries[0].recipients == ("Alex (victim)",)


def test_parse_sms_reports_drafts_unsent_and_contact_names():
    _, report = read(fixture("sms-backup.xml"))

    assert report.notes == [
        "1 draft left out: a draft was never sent.",
        "Outgoing messages the phone had not confirmed sent (1 failed) "
        "are included as outgoing.",
        "Names saved on the phone: 07700 900123 is 'Jordan Pike'.",
    ]


def test_parse_sms_records_line_and_byte_offset_of_each_item():
    data = fixture("sms-backup.xml")
    entries, _ = read(data)

    for entry in entries:
        assert entry.source_offset is not None
        assert data[entry.source_offset :].startswith((b"<sms ", b"<mms "))
        line = data.count(b"\n", 0, entry.source_offset) + 1
        assert entry.source_line == line


@pytest.mark.parametrize("chunk_size", [*range(1, 48), 997, 4096])
def test_parse_sms_gives_the_same_entries_whatever_the_chunk_size(chunk_size):
    data = fixture("sms-backup.xml")
    whole, _ = read(data)

    chunked, _ = read(data, chunk_size=chunk_size)

    assert chunked == whole


def test_rejoiner_rejoins_a_pair_split_at_every_point_across_chunks():
    text = b'<x a="ab&#55357;&#56832;cd"/>'
    start = text.index(b"&#")
    for cut in range(start, start + 17):
        rejoiner = sms_xml.SurrogateRejoiner()
        filler = b"." * 100  # longer than what the rejoiner holds back

        out = rejoiner.feed(filler + text[:cut]) + rejoiner.feed(text[cut:])
        out += rejoiner.feed(b"", final=True)

        assert out == filler + b'<x a="ab&#0000000128512;cd"/>', cut


def test_rejoiner_leaves_everything_else_byte_for_byte():
    data = b'<x a="&#10;&#65;&amp;&#55357;x &#128512; &#xD83D;"/>'
    rejoiner = sms_xml.SurrogateRejoiner()

    out = rejoiner.feed(data, final=True)

    assert out == b'<x a="&#10;&#65;&amp;&#65533;x &#128512; &#65533;"/>'
    assert len(out) == len(data)
    assert rejoiner.lone == 2


def test_parse_sms_unpaired_half_becomes_replacement_character_and_is_noted():
    data = (
        b'<smses count="1"><sms address="07700 900123" date="1711846770000" '
        b'type="1" body="cut &#55357;"/></smses>'
    )

    entries, report = read(data)

    assert entries[0].text == "cut \ufffd"
    assert (
        "1 broken emoji character (half a UTF-16 pair) shown as \ufffd." in report.notes
    )


def test_parse_calls_gives_every_call_type():
    entries, report = read(fixture("calls.xml"))

    assert [
        (e.direction, e.sender, e.recipients, e.text, e.duration_seconds)
        for e in entries
    ] == [
        (Direction.INCOMING, "07700 900123", ("me",), "", 95),
        (Direction.OUTGOING, "me", ("07700 900123",), "", 12),
        (Direction.MISSED, "07700 900123", ("me",), "", 0),
        (Direction.MISSED, "07700 900456", ("me",), "voicemail", 41),
        (Direction.REJECTED, "07700 900456", ("me",), "", 0),
        (Direction.REJECTED, "07700 900789", ("me",), "blocked", 0),
        (Direction.MISSED, "(number withheld)", ("me",), "", 0),
    ]
    assert {(e.channel, e.kind) for e in entries} == {(Channel.CALL, EntryKind.CALL)}
    assert report.format == "calls_xml"
    assert report.items_read == 7
    assert entries[1].occurred_at.isoformat() == "2024-03-31T02:00:30+01:00"


def test_parse_truncated_backup_yields_what_was_read_and_says_where_it_stopped():
    entries, report = read(fixture("truncated.xml"))

    assert [e.text for e in entries] == [
        "Saw you at the station \U0001f600",
        "Please stop contacting me.\nI mean it.",
        "I know where you park \U0001f440\U0001f347",
        "ok",
    ]
    assert report.problem_count == 1
    problem = report.problems[0]
    assert problem.line == 9
    # the offset of the item the file was cut in
    assert fixture("truncated.xml")[problem.offset :].startswith(b'<sms protocol="0"')
    assert "cut short" in problem.reason
    assert "The backup says it holds 8 items; 4 were found in the file." in report.notes


def test_parse_backup_cut_inside_an_mms_reports_the_mms():
    data = fixture("sms-backup.xml")
    cut = data.index(b"</parts>")

    entries, report = read(data[:cut])

    assert len(entries) == 5
    reasons = [(p.reason, p.line) for p in report.problems]
    assert (
        "An MMS was cut short by the end of the file; it was left out.",
        11,
    ) in reasons


def test_parse_malformed_backup_yields_items_before_the_damage():
    data = fixture("malformed.xml")

    entries, report = read(data)

    assert [e.text for e in entries][-1] == "Please stop contacting me.\nI mean it."
    assert len(entries) == 2
    problem = report.problems[0]
    assert problem.line == 7
    assert data[problem.offset :].startswith(b" chips")
    assert "chips" in problem.excerpt


def test_parse_refuses_entity_declarations_without_expanding_them():
    with pytest.raises(ParseError, match="declares a DTD or entities"):
        read(fixture("entities.xml"))


def test_parse_refuses_xml_that_is_not_a_backup():
    with pytest.raises(ParseError, match="starts with <html>"):
        read(b"<html><body/></html>")


def test_parse_refuses_text_that_is_not_xml():
    with pytest.raises(ParseError, match="not readable XML"):
        read(b"12/03/2024, 10:01 - Jordan: hello\n")


def test_parse_reports_an_unreadable_date_and_keeps_going():
    data = (
        b'<smses count="2">\n'
        b'<sms address="07700 900123" date="yesterday" type="1" body="a"/>\n'
        b'<sms address="07700 900123" date="1711846770000" type="1" body="b"/>\n'
        b"</smses>"
    )

    entries, report = read(data)

    assert [e.text for e in entries] == ["b"]
    assert report.problems[0].line == 2
    assert "Unreadable date 'yesterday'" in report.problems[0].reason


def test_parse_numbers_identical_messages_at_the_same_time():
    item = b'<sms address="07700 900123" date="1711846770000" type="1" body="ok"/>'
    entries, _ = read(b"<smses>" + item * 3 + b"</smses>")

    assert [e.occurrence for e in entries] == [0, 1, 2]
    assert len({e.digest() for e in entries}) == 3
