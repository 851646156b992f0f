"""WhatsApp exports in ZIP archives, and the refusal of hostile archives."""

import io
import zipfile
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from masip.evidence.parsers import whatsapp
from masip.evidence.parsers.archive import Limits, unsafe_name_reason
from masip.evidence.parsers.base import EntryKind, ParseError, ParseReport

FIXTURES = Path(__file__).parent / "fixtures" / "whatsapp"
LONDON = ZoneInfo("Europe/London")
CHAT = (FIXTURES / "android_uk.txt").read_bytes()


def make_zip(members, compression=zipfile.ZIP_DEFLATED):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in members:
            archive.writestr(name, data)
    return buffer.getvalue()


def read(data, **kwargs):
    report = ParseReport()
    entries = list(whatsapp.parse(io.BytesIO(data), report=report, tz=LONDON, **kwargs))
    return entries, report


def test_ios_zip_export_reads_the_chat_and_lists_its_media():
    entries, report = read((FIXTURES / "ios_export.zip").read_bytes())
    plain, _ = read((FIXTURES / "ios_uk.txt").read_bytes())

    assert entries == plain
    assert entries[3].attachments == ("00000012-PHOTO-2024-02-13-09-12-07.jpg",)
    assert "chat read from '_chat.txt' in the archive" in report.notes
    assert "1 file(s) in the archive are not named in the chat" in report.notes
    assert report.items_read == 7


def test_android_zip_export_notes_attachments_missing_from_the_archive():
    data = make_zip(
        [("WhatsApp Chat with Bryn Talfryn.txt", CHAT), ("notes.txt", b"x")]
    )

    entries, report = read(data)

    assert len(entries) == 13
    assert entries[10].kind is EntryKind.MESSAGE
    assert (
        "attachments named in the chat but not in the archive: "
        "IMG-20240213-WA0003.jpg" in report.notes
    )


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("../../etc/passwd", "climbs out of the archive"),
        ("media/../../x.jpg", "climbs out of the archive"),
        ("/etc/passwd", "absolute path"),
        ("C:/Windows/x.txt", "absolute path"),
        ("media\\..\\x.jpg", "backslashes"),
    ],
)
def test_unsafe_member_names_are_refused(name, words):
    data = make_zip([("_chat.txt", CHAT), (name, b"x")])

    with pytest.raises(ParseError, match=words):
        read(data)


def test_safe_member_names_pass():
    assert unsafe_name_reason("media/IMG-20240213-WA0003.jpg") is None
    assert unsafe_name_reason("_chat.txt") is None
    assert unsafe_name_reason("a..b.txt") is None


@pytest.mark.parametrize("name", ["more.zip", "media/old.ZIP", "x.tar.gz", "y.7z"])
def test_nested_archives_are_refused(name):
    data = make_zip([("_chat.txt", CHAT), (name, b"PK\x03\x04")])

    with pytest.raises(ParseError, match="nested archives"):
        read(data)


def test_a_chat_that_is_itself_an_archive_is_refused():
    inner = make_zip([("_chat.txt", CHAT)])
    data = make_zip([("_chat.txt", inner)])

    with pytest.raises(ParseError, match="itself an archive"):
        read(data)


def test_too_many_members_are_refused():
    data = make_zip([("_chat.txt", CHAT)] + [(f"{i}.jpg", b"x") for i in range(5)])

    with pytest.raises(ParseError, match="6 members; at most 3"):
        read(data, limits=Limits(members=3))


def test_archive_unpacking_past_the_total_limit_is_refused():
    data = make_zip([("_chat.txt", CHAT), ("big.jpg", b"\x00" * 5000)])

    with pytest.raises(ParseError, match="possible zip bomb"):
        read(data, limits=Limits(total_bytes=4000))


def test_member_inflating_past_the_ratio_is_refused():
    # 8 MiB of zeros deflate to about 8 KiB: a ratio near 1,000.
    data = make_zip([("_chat.txt", CHAT), ("bomb.jpg", b"\x00" * (8 * 1024 * 1024))])

    assert len(data) < 64 * 1024
    with pytest.raises(ParseError, match="inflate more than 100 times"):
        read(data)


def test_encrypted_members_are_refused():
    data = bytearray(make_zip([("_chat.txt", CHAT)]))
    # Set the "encrypted" flag bit in the local and the central header.
    data[data.index(b"PK\x03\x04") + 6] |= 0x1
    data[data.index(b"PK\x01\x02") + 8] |= 0x1

    with pytest.raises(ParseError, match="encrypted"):
        read(bytes(data))


def test_damaged_member_is_reported_as_a_parse_error():
    data = bytearray(make_zip([("_chat.txt", CHAT * 20)]))
    start = data.index(b"_chat.txt") + len("_chat.txt") + 40
    data[start : start + 8] = b"\x00" * 8

    with pytest.raises(ParseError):
        read(bytes(data))


@pytest.mark.parametrize(
    ("members", "words"),
    [
        ([("photo.jpg", b"x")], "no chat"),
        ([("a.txt", CHAT), ("b.txt", CHAT)], "several text files"),
    ],
)
def test_archive_without_one_chat_is_refused(members, words):
    with pytest.raises(ParseError, match=words):
        read(make_zip(members))


def test_not_an_archive_after_its_magic_is_refused():
    with pytest.raises(ParseError, match="archive cannot be opened"):
        read(b"PK\x03\x04 not really a zip")
