"""The WhatsApp export parser against fixtures of every layout it reads."""

import hashlib
import io
import json
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from masip.evidence.parsers import whatsapp
from masip.evidence.parsers.base import (
    AmbiguousDateOrder,
    Channel,
    Direction,
    EntryKind,
    ParsedEntry,
    ParseError,
    ParseReport,
    number_repeats,
)

FIXTURES = Path(__file__).parent / "fixtures" / "whatsapp"
LONDON = ZoneInfo("Europe/London")
LRM, RLM = "\u200e", "\u200f"


def read(name_or_bytes, tz=LONDON, **kwargs):
    data = (
        name_or_bytes
        if isinstance(name_or_bytes, bytes)
        else (FIXTURES / name_or_bytes).read_bytes()
    )
    report = ParseReport()
    entries = list(whatsapp.parse(io.BytesIO(data), report=report, tz=tz, **kwargs))
    return entries, report


def local(*fields, tz=LONDON):
    return datetime(*fields, tzinfo=tz)


# --- layouts ---------------------------------------------------------------


def test_android_uk_export_reads_messages_system_lines_and_markers():
    entries, report = read("android_uk.txt")

    kinds = [(e.kind, e.sender) for e in entries]
    assert kinds[:4] == [
        (EntryKind.SYSTEM, ""),
        (EntryKind.SYSTEM, ""),
        (EntryKind.SYSTEM, ""),
        (EntryKind.MESSAGE, "Bryn Talfryn"),
    ]
    assert entries[0].text.startswith("Messages and calls are end-to-end encrypted.")
    assert entries[2].text == "Ama Nwosu added Bryn Talfryn"
    assert (entries[-1].kind, entries[-1].text) == (
        EntryKind.SYSTEM,
        "Bryn Talfryn left",
    )
    assert entries[3].occurred_at == local(2024, 2, 12, 21, 4)
    assert entries[3].channel is Channel.WHATSAPP
    assert entries[3].recipients == ()
    assert entries[3].direction is Direction.UNKNOWN
    assert report.format == "whatsapp"
    assert report.items_read == 13
    assert report.problem_count == 0
    assert "dates read day first (13/02/2024, 07:15 occurs)" in report.notes


def test_android_multi_line_message_keeps_its_lines_byte_for_byte():
    entries, _ = read("android_uk.txt")

    message = entries[6]

    assert (
        message.text
        == "Please stop.\nI have asked you three times.\n\n  Leave me alone."
    )
    assert (message.source_line, entries[7].source_line) == (7, 11)


def test_android_markers_give_media_deleted_and_attachment_entries():
    entries, _ = read("android_uk.txt")
    by_line = {e.source_line: e for e in entries}

    assert by_line[11].kind is EntryKind.MEDIA_OMITTED
    assert by_line[11].text == "<Media omitted>"
    assert by_line[12].kind is EntryKind.DELETED
    assert (by_line[13].kind, by_line[13].sender) == (EntryKind.DELETED, "Ama Nwosu")
    assert by_line[14].kind is EntryKind.MESSAGE
    assert by_line[14].attachments == ("IMG-20240213-WA0003.jpg",)
    assert by_line[14].text.endswith("(file attached)\noutside your door")


def test_android_text_with_colons_splits_at_the_first_colon_after_the_sender():
    entries, _ = read("android_uk.txt")

    assert (entries[11].sender, entries[11].text) == (
        "Bryn Talfryn",
        "time: 07:19, place: your door 🚪",
    )


def test_source_offsets_point_at_each_header_line():
    data = (FIXTURES / "android_uk.txt").read_bytes()
    entries, _ = read("android_uk.txt")

    for entry in entries:
        line = data.splitlines()[entry.source_line - 1]
        assert data[entry.source_offset :].startswith(line)


def test_ios_export_reads_brackets_seconds_and_invisible_marks():
    entries, report = read("ios_uk.txt")

    assert report.problem_count == 0
    assert entries[2].occurred_at == local(2024, 2, 12, 21, 5, 1)
    assert (entries[2].sender, entries[2].text) == (
        "Corin Aldous",
        "I know where you are",
    )
    # Line 4 starts with U+200E before "[": the header still reads, and the
    # mark is not part of any text.
    attached = entries[3]
    assert attached.source_line == 4
    assert attached.attachments == ("00000012-PHOTO-2024-02-13-09-12-07.jpg",)
    assert attached.text == LRM + "<attached: 00000012-PHOTO-2024-02-13-09-12-07.jpg>"
    assert entries[4].kind is EntryKind.MEDIA_OMITTED
    assert entries[4].text == LRM + "image omitted"
    assert entries[5].kind is EntryKind.DELETED


def test_ios_group_events_are_system_entries_without_a_sender():
    entries, _ = read("ios_uk.txt")

    assert entries[1].kind is EntryKind.SYSTEM
    assert entries[1].sender == ""
    assert entries[1].text == "Flat 4: " + LRM + "Ama Nwosu added Corin Aldous"


def test_ios_right_to_left_mark_in_a_message_leaves_it_a_message():
    entries, _ = read("ios_uk.txt")

    last = entries[-1]

    assert (last.kind, last.sender) == (EntryKind.MESSAGE, "Ama Nwosu")
    assert last.text == RLM + "شكرا\nand a second line"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "us_12h.txt",
            [
                (2024, 2, 12, 21, 4),
                (2024, 2, 12, 21, 5),
                (2024, 2, 13, 0, 1),
                (2024, 2, 13, 12, 30),
            ],
        ),
        (
            "es_ampm.txt",
            [
                (2024, 2, 13, 9, 4),
                (2024, 2, 13, 21, 4),
                (2024, 2, 14, 10, 15),
                (2024, 2, 14, 12, 0),
            ],
        ),
        ("fi_klo.txt", [(2024, 2, 12, 21, 4), (2024, 2, 13, 7, 5)]),
        ("de_two_digit_year.txt", [(2024, 2, 12, 21, 4), (2024, 2, 28, 9, 30)]),
        ("nl_dashes.txt", [(2024, 2, 12, 21, 4), (2024, 2, 13, 8, 0)]),
        ("colon_separator.txt", [(2024, 2, 12, 21, 4), (2024, 2, 13, 8, 0)]),
        ("year_first.txt", [(2024, 2, 12, 21, 4), (2024, 2, 13, 8, 0)]),
    ],
)
def test_locale_layouts_read_their_dates_and_times(name, expected):
    entries, report = read(name)

    assert [e.occurred_at for e in entries] == [local(*f) for f in expected]
    assert all(e.sender and e.kind is EntryKind.MESSAGE for e in entries)
    assert report.problem_count == 0


def test_us_layout_reads_narrow_and_plain_no_break_spaces_before_pm():
    data = (FIXTURES / "us_12h.txt").read_bytes()
    entries, report = read("us_12h.txt")

    assert "\u202fPM".encode() in data
    assert "\u00a0PM".encode() in data
    assert [e.sender for e in entries] == ["Dara Quill"] * 3 + ["Ama Nwosu"]
    assert entries[1].text == "why are you ignoring me"
    assert "dates read month first (2/13/24, 12:01 occurs)" in report.notes


def test_ios_us_layout_reads_brackets_with_pm_and_seconds():
    data = (
        "[2/12/24, 9:04:33\u202fPM] Dara Quill: hi\n"
        "\u200e[2/13/24, 10:00:01\u202fAM] Dara Quill: \u200eimage omitted\n"
    ).encode()

    entries, report = read(data)

    assert [e.occurred_at for e in entries] == [
        local(2024, 2, 12, 21, 4, 33),
        local(2024, 2, 13, 10, 0, 1),
    ]
    assert entries[1].kind is EntryKind.MEDIA_OMITTED
    assert report.problem_count == 0


def test_crlf_export_keeps_inner_line_breaks_and_drops_the_final_one():
    entries, _ = read("crlf.txt")

    assert entries[0].text == "line one\r\nline two"
    assert entries[1].text == "last"
    assert entries[1].source_line == 3


# --- date order ------------------------------------------------------------


def test_ambiguous_dates_raise_with_examples():
    with pytest.raises(AmbiguousDateOrder) as error:
        read("ambiguous.txt")

    assert error.value.examples == ("01/02/2024", "03/04/2024", "05/06/2024")
    assert "day first or month first" in str(error.value)


@pytest.mark.parametrize(
    ("order", "first"), [("dmy", (2024, 2, 1, 21, 4)), ("mdy", (2024, 1, 2, 21, 4))]
)
def test_ambiguous_dates_read_in_the_order_the_user_gives(order, first):
    entries, report = read("ambiguous.txt", date_order=order)

    assert entries[0].occurred_at == local(*first)
    assert len(entries) == 3
    assert any("as the user said" in note for note in report.notes)


def test_unknown_date_order_is_refused():
    with pytest.raises(ValueError, match="date_order"):
        read("ambiguous.txt", date_order="ydm")


def test_contradicting_dates_follow_the_majority_and_report_the_rest():
    entries, report = read("contradiction.txt")

    assert [e.text for e in entries] == ["one", "two", "four"]
    assert report.problem_count == 1
    problem = report.problems[0]
    assert problem.line == 3
    assert "impossible" in problem.reason
    assert "1 line(s) after it" in problem.reason
    assert any("1 headers can only be read month first" in n for n in report.notes)


# --- time zones ------------------------------------------------------------


def test_times_are_localised_across_daylight_saving_changes():
    entries, report = read("dst_london.txt")

    utc = [e.occurred_at.astimezone(UTC) for e in entries]
    assert utc[0] == datetime(2024, 3, 31, 0, 59, tzinfo=UTC)
    assert utc[2] == datetime(2024, 3, 31, 1, 0, tzinfo=UTC)  # 02:00 BST
    # The repeated 01:30 on 27 October is read as the first (BST) one.
    assert entries[3].occurred_at.fold == 0
    assert utc[3] == datetime(2024, 10, 27, 0, 30, tzinfo=UTC)
    assert utc[4] == datetime(2024, 10, 27, 2, 30, tzinfo=UTC)
    assert any("2024-10-27" in n and "occur twice" in n for n in report.notes)
    assert any("2024-03-31" in n and "do not exist" in n for n in report.notes)


def test_times_use_the_zone_given():
    entries, _ = read("android_uk.txt", tz=ZoneInfo("America/New_York"))

    assert entries[3].occurred_at.utcoffset() == timedelta(hours=-5)
    assert all(e.occurred_at.tzinfo is not None for e in entries)


# --- damaged input ---------------------------------------------------------


def test_malformed_export_is_read_as_far_as_possible():
    entries, report = read("malformed.txt")

    assert [e.source_line for e in entries] == [3, 6, 7, 9]
    assert entries[-1].text == "truncated mess"
    assert [(p.line, p.reason.split(";")[0]) for p in report.problems] == [
        (1, "this line comes before the first message header"),
        (4, "the date or time of this header is impossible"),
        (8, "this line starts like a message header but is not one"),
    ]
    assert report.summary().startswith("4 items read; 3 lines could not be read")


def test_malformed_export_keeps_a_header_like_line_in_the_message_text():
    entries, _ = read("malformed.txt")

    assert entries[2].text == "I wrote\n14/02/2024, 09:0 and then stopped"


def test_bom_is_skipped_but_counted_in_offsets():
    entries, report = read("malformed.txt")

    assert entries[0].source_offset == 29
    assert "the file starts with a UTF-8 byte-order mark" in report.notes


def test_invalid_utf8_is_kept_recoverably_and_noted():
    entries, report = read("malformed.txt")

    text = entries[1].text
    assert text == "bad byte \udcff here"
    assert text.encode("utf-8", "surrogateescape") == b"bad byte \xff here"
    assert len(entries[1].digest()) == 64
    assert any("not UTF-8 (at line 6)" in n for n in report.notes)


def test_text_is_not_normalised():
    decomposed = "Zoe\u0308"  # e + combining diaeresis, not the single ë
    data = f"13/02/2024, 08:00 - Ama Nwosu: {decomposed}\n".encode()

    entries, _ = read(data)

    assert entries[0].text == decomposed


def test_file_without_headers_is_refused():
    with pytest.raises(ParseError, match="does not look like a WhatsApp"):
        read(b"just some notes\nabout nothing\n")


def test_utf16_file_is_refused_with_a_reason():
    with pytest.raises(ParseError, match="UTF-16"):
        read("13/02/2024, 08:00 - Ama Nwosu: hi\n".encode("utf-16"))


def test_messages_across_chunk_boundaries_are_whole(monkeypatch):
    monkeypatch.setattr(whatsapp, "CHUNK", 64)
    expected, _ = read("android_uk.txt")
    monkeypatch.setattr(whatsapp, "CHUNK", 7)

    entries, report = read("android_uk.txt")

    assert entries == expected
    assert report.problem_count == 0


def test_a_long_export_streams_in_chunks(monkeypatch):
    monkeypatch.setattr(whatsapp, "CHUNK", 4096)
    line = "13/02/2024, 08:{:02d} - Ama Nwosu: message {}\nsecond line\n"
    data = "".join(line.format(i % 60, i) for i in range(3000)).encode()

    entries, report = read(data)

    assert len(entries) == 3000
    assert entries[2999].text == "message 2999\nsecond line"
    assert entries[2999].source_line == 5999
    assert report.problem_count == 0


# --- identity --------------------------------------------------------------


def test_repeats_in_one_minute_are_numbered_as_number_repeats_does():
    entries, _ = read("android_uk.txt")

    unnumbered = [e._replace(occurrence=0) for e in entries]
    assert entries == list(number_repeats(unnumbered))
    assert [e.occurrence for e in entries if e.text == "ok"] == [0, 1]


def test_reparsing_gives_the_same_digests():
    first, _ = read("android_uk.txt")
    second, _ = read("android_uk.txt")

    digests = [e.digest() for e in first]
    assert digests == [e.digest() for e in second]
    assert len(set(digests)) == len(digests)


def test_entries_are_immutable_parsed_entries():
    entries, _ = read("android_uk.txt")
    entry = entries[3]

    rebuilt = ParsedEntry(
        entry.occurred_at,
        entry.channel,
        entry.kind,
        entry.sender,
        entry.text,
        source_line=entry.source_line,
        source_offset=entry.source_offset,
    )
    assert type(entry) is ParsedEntry
    assert entry == rebuilt
    assert hash(entry) == hash(rebuilt)
    assert entry.digest() == rebuilt.digest()
    with pytest.raises(AttributeError):
        entry.text = "changed"  # type: ignore[misc]


def test_report_counts_participants():
    _, report = read("android_uk.txt")

    assert report.participants == {"": 4, "Bryn Talfryn": 7, "Ama Nwosu": 2}


# --- the shared public fixtures ---------------------------------------------

SHARED = Path(
    os.environ.get(
        "MASIP_SHARED_FIXTURES",
        Path(__file__).resolve().parents[3] / ".." / "shared" / "fixtures",
    )
)
CHAT_MINER = SHARED / "chat-miner" / "test" / "whatsapp"


@pytest.mark.skipif(
    not (CHAT_MINER / "target.json").exists(),
    reason=f"shared fixtures not present at {CHAT_MINER} (set MASIP_SHARED_FIXTURES)",
)
@pytest.mark.parametrize(
    "name",
    sorted(p.name for p in CHAT_MINER.glob("*.txt")) or ["(fixtures absent)"],
)
def test_shared_chat_miner_exports_give_the_expected_messages(name):
    target = json.loads((CHAT_MINER / "target.json").read_text(encoding="utf-8"))
    expected = sorted((t["timestamp"], t["author"], t["message"]) for t in target)

    entries, report = read((CHAT_MINER / name).read_bytes(), tz=UTC)

    messages = [e for e in entries if e.kind is EntryKind.MESSAGE]
    # target.json joins a message's lines with a space; the parser keeps the
    # export's line break, so the comparison makes the same join.
    got = sorted(
        (
            e.occurred_at.replace(tzinfo=None).isoformat(),
            e.sender,
            e.text.replace("\n", " "),
        )
        for e in messages
    )
    assert got == expected
    assert any("amet,\nconsectetur" in e.text for e in messages)
    # What target.json leaves out: the system lines and "John Doe:.".
    others = [(e.kind, e.text) for e in entries if e.kind is not EntryKind.MESSAGE]
    assert (EntryKind.SYSTEM, "You were added") in others
    assert (EntryKind.SYSTEM, "John Doe:.") in others
    assert report.problem_count == 0


def reference_digest(entry):
    """entry_digest as first written, without its shortcuts."""
    parts = (
        entry.channel.value,
        entry.kind.value,
        entry.occurred_at.astimezone(UTC).isoformat(),
        entry.sender,
        "\x1e".join(entry.recipients),
        entry.text,
        "\x1e".join(entry.attachments),
        entry.direction.value,
        "" if entry.duration_seconds is None else str(entry.duration_seconds),
        str(entry.occurrence),
    )
    data = "\x1f".join(parts).encode("utf-8", "surrogatepass")
    return hashlib.sha256(data).hexdigest()


@pytest.mark.parametrize("name", ["android_uk.txt", "dst_london.txt", "malformed.txt"])
def test_digests_match_the_reference_formula(name):
    entries, _ = read(name)

    # Twice over, so that the remembered UTC text is both missed and hit.
    for entry in entries + entries:
        assert entry.digest() == reference_digest(entry)
