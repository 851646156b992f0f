"""Email: .eml and .mbox, read to entries one message at a time."""

import io
from pathlib import Path
from zoneinfo import ZoneInfo

from masip.evidence.parsers import email
from masip.evidence.parsers.base import (
    Channel,
    Direction,
    EntryKind,
    ParsedEntry,
    ParseReport,
)

FIXTURES = Path(__file__).parent / "fixtures" / "email"
LONDON = ZoneInfo("Europe/London")
ALEX = "alex.morgan@example.org"


def read(
    data: bytes, owner: tuple[str, ...] = (ALEX,)
) -> tuple[list[ParsedEntry], ParseReport]:
    report = ParseReport()
    entries = list(
        email.parse(io.BytesIO(data), report=report, tz=LONDON, owner_addresses=owner)
    )
    return entries, report


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def test_parse_eml_multipart_prefers_plain_text_and_lists_attachments():
    [entry], report = read(fixture("multipart.eml"))

    assert entry.channel is Channel.EMAIL
    assert entry.kind is EntryKind.MESSAGE
    assert entry.occurred_at.isoformat() == "2024-10-27T01:35:00+01:00"
    assert entry.sender == "Jordan Pike <jordan.pike@example.net>"
    assert entry.recipients == (
        "Alex Morgan <alex.morgan@example.org>",
        "sam.okafor@example.com",
        '"Okafor, Sam" <sam.work@example.com>',
    )
    # decoded from quoted-printable, otherwise exactly as sent: CRLF and the
    # trailing spaces kept
    assert entry.text == (
        "Subject: Photos from the caf\u00e9\n\n"
        "I saw you at the caf\u00e9 again.   \r\nNice coat."
    )
    assert entry.attachments == ("IMG_2231.jpg", "timetable.pdf")
    assert entry.direction is Direction.INCOMING
    assert (entry.source_line, entry.source_offset) == (1, 0)
    assert report.format == "eml"
    assert report.items_read == 1
    assert report.problem_count == 0


def test_parse_eml_html_only_gives_the_text_without_scripts_or_styles():
    [entry], report = read(fixture("html-only.eml"))

    assert (
        entry.text
        == "Subject: Watching\n\nI know your routine.\n\nEvery Tuesday & Thursday."
    )
    assert entry.attachments == ()
    assert (
        "Some messages had no plain text; the text of their HTML is shown."
        in report.notes
    )


def test_parse_eml_date_without_zone_is_read_as_utc_and_noted():
    [entry], report = read(fixture("html-only.eml"))

    assert entry.occurred_at.isoformat() == "2024-03-30T23:59:00+00:00"
    assert (
        "Some dates gave no time zone (-0000); they were read as UTC." in report.notes
    )


def test_parse_eml_malformed_headers_are_reported_not_fatal():
    [entry], report = read(fixture("bad-headers.eml"))

    assert entry.sender == "Jordan <<bad@@example"
    assert entry.text == "Subject: no date here\n\nBody survives.\n"
    # the folded Received header's date, in BST
    assert entry.occurred_at.isoformat() == "2024-03-31T02:15:00+01:00"
    assert [p.reason for p in report.problems] == [
        "Unreadable Date header '31 Febtober 2024 25:99'; "
        "the time the last server received it was used.",
        "Malformed From header 'Jordan <<bad@@example'; kept as written.",
    ]
    assert report.items_read == 1


def test_parse_eml_without_any_date_is_left_out_and_reported():
    data = b"From: a@example.com\nSubject: x\n\nbody\n"

    entries, report = read(data)

    assert entries == []
    assert report.problems[0].reason == (
        "No Date header; the message has no other date, so it was left out."
    )


def test_parse_mbox_gives_every_message_with_its_offset():
    data = fixture("mailbox.mbox")

    entries, report = read(data)

    assert report.format == "mbox"
    assert report.items_read == 4
    assert [e.source_line for e in entries] == [1, 11, 20, 29]
    for entry in entries:
        assert entry.source_offset is not None
        assert data[entry.source_offset :].startswith(b"From jordan.pike@") or data[
            entry.source_offset :
        ].startswith(b"From alex.morgan@")
    assert [e.direction for e in entries] == [
        Direction.INCOMING,
        Direction.OUTGOING,
        Direction.INCOMING,
        Direction.INCOMING,
    ]


def test_parse_mbox_keeps_escaped_and_unescaped_from_lines_in_the_body():
    entries, _ = read(fixture("mailbox.mbox"))

    assert (
        entries[0].text == "Subject: First\n\nLine one.\n>From the moment I saw you.\n"
    )
    # a body line "From the station..." holds no time, so it is no separator
    assert (
        entries[2].text == "Subject: no real date\n\nFrom the station I followed you.\n"
    )


def test_parse_mbox_times_cross_the_clock_change():
    entries, _ = read(fixture("mailbox.mbox"))

    assert [e.occurred_at.isoformat() for e in entries] == [
        "2024-03-30T23:50:00+00:00",
        "2024-03-31T02:10:00+01:00",
        "2024-03-31T10:00:00+01:00",  # from the separator line, 09:00 UTC
        "2024-10-27T01:30:00+00:00",
    ]


def test_parse_mbox_bad_date_falls_back_to_the_separator_and_is_reported():
    _, report = read(fixture("mailbox.mbox"))

    [problem] = report.problems
    assert problem.reason == (
        "Unreadable Date header 'yesterday-ish'; "
        "the mailbox's own date for it was used (read as UTC)."
    )
    assert (problem.line, problem.offset) == (20, 527)


def test_parse_mbox_decodes_subject_and_names_an_attached_email():
    entries, _ = read(fixture("mailbox.mbox"))

    assert entries[3].text == "Subject: \U0001f600\n\nSee attached."
    assert entries[3].attachments == ("attached email: Forwarded note",)


def test_parse_mbox_reads_one_message_at_a_time():
    one = fixture("mailbox.mbox").split(b"\n\nFrom alex")[0] + b"\n\n"
    stream = io.BytesIO(one * 200)
    report = ParseReport()

    entries = email.parse(stream, report=report, tz=LONDON)
    first = next(entries)

    assert first.text.startswith("Subject: First")
    assert stream.tell() < len(one) * 2
    assert sum(1 for _ in entries) == 199


def test_parse_mbox_reports_text_before_the_first_separator():
    data = b"\n" + fixture("mailbox.mbox")

    report = ParseReport()
    stream = io.BytesIO(b"garbage line\n" + data)
    entries = list(email.parse(stream, report=report, tz=LONDON, mbox=True))

    assert len(entries) == 4
    assert (
        report.problems[0].reason
        == "Text before the first message of the mailbox was skipped."
    )
    assert report.problems[0].line == 1


def test_parse_email_without_owner_addresses_leaves_direction_unknown():
    entries, _ = read(fixture("mailbox.mbox"), owner=())

    assert {e.direction for e in entries} == {Direction.UNKNOWN}


def test_html_to_text_drops_markup_and_unescapes():
    assert email.html_to_text("<p>a&lt;b</p><script>x()</script><br>c") == "a<b\n\nc"
