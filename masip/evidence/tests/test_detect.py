"""Format detection by content, and the parser registry."""

import io
import zipfile
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from masip.evidence.parsers import detect
from masip.evidence.parsers.base import ParseReport
from masip.evidence.parsers.csv_log import ColumnMapping

FIXTURES = Path(__file__).parent / "fixtures"
ANDROID_CHAT = (
    b"12/03/2024, 21:04 - Messages and calls are end-to-end encrypted.\n"
    b"12/03/2024, 21:05 - Jordan Pike: Where are you, I'm outside\n"
    b"12/03/2024, 21:06 - Alex: Go away\n"
)
# one comma on every line: fits CSV (two columns) as well as WhatsApp
TIE_CHAT = (
    b"12/03/2024, 21:05 - Jordan Pike: Where are you\n12/03/2024, 21:06 - Alex: No\n"
)
IOS_CHAT = (
    "\ufeff[12/03/2024, 21:05:11] Jordan Pike: Where are you\n"
    "[12/03/2024, 21:06:40] Alex: Go away\n"
).encode()
US_CHAT = (
    "3/12/24, 9:05\u202fPM - Jordan Pike: hey\n3/12/24, 9:06\u202fPM - Alex: no\n"
).encode()


def head(relative: str) -> bytes:
    return (FIXTURES / relative).read_bytes()[: detect.HEAD]


def chat_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("_chat.txt", IOS_CHAT)
        archive.writestr("00000012-PHOTO-2024-03-12.jpg", b"\xff\xd8synthetic")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("relative", "expected"),
    [
        ("sms/sms-backup.xml", "sms_xml"),
        ("sms/truncated.xml", "sms_xml"),
        ("sms/calls.xml", "calls_xml"),
        ("email/multipart.eml", "eml"),
        ("email/html-only.eml", "eml"),
        ("email/bad-headers.eml", "eml"),
        ("email/mailbox.mbox", "mbox"),
        ("csv/calls-semicolon-bom.csv", "csv"),
        ("csv/messages-ambiguous.csv", "csv"),
        ("csv/messages-cp1252.tsv", "csv"),
    ],
)
def test_detect_format_reads_each_fixture_whatever_it_is_called(relative, expected):
    data = head(relative)

    assert detect.detect_format(data, relative) == expected
    assert detect.detect_format(data, "upload.bin") == expected
    assert detect.detect_format(data, "misleading.zip") == expected


@pytest.mark.parametrize("chat", [ANDROID_CHAT, IOS_CHAT, US_CHAT])
def test_detect_format_knows_whatsapp_text(chat):
    assert detect.detect_format(chat, "export.bin") == "whatsapp_txt"


def test_detect_format_lets_the_name_break_a_tie_between_chat_and_csv():
    assert detect.detect_format(TIE_CHAT, "") == "whatsapp_txt"
    assert detect.detect_format(TIE_CHAT, "chat.csv") == "csv"
    assert detect.detect_format(TIE_CHAT, "WhatsApp Chat with Jordan.txt") == (
        "whatsapp_txt"
    )
    # a comma in one message breaks the columns: the name no longer matters
    assert detect.detect_format(ANDROID_CHAT, "chat.csv") == "whatsapp_txt"


def test_detect_format_knows_a_whatsapp_zip():
    assert detect.detect_format(chat_zip()[: detect.HEAD], "x") == "whatsapp_zip"


def test_detect_format_does_not_take_any_zip_for_a_chat():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("report.docx", b"synthetic")

    assert detect.detect_format(buffer.getvalue(), "chat.zip") == "unknown"


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        b"<html><body>hi</body></html>",
        b"Just a note I wrote.\nNothing else here.\n",
        b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n",
    ],
)
def test_detect_format_says_unknown_whatever_the_name(data):
    assert detect.detect_format(data, "messages.csv") == "unknown"


def test_detect_format_copes_with_a_head_cut_mid_character():
    data = "Date,Text\n01/02/2024,caf\u00e9 \U0001f600\n".encode()

    assert detect.detect_format(data[:-3], "") == "csv"


def test_parsers_cover_every_known_format():
    assert set(detect.PARSERS) == set(detect.FORMATS) - {"unknown"}
    assert (
        detect.PARSERS.path("whatsapp_txt") == "masip.evidence.parsers.whatsapp:parse"
    )


@pytest.mark.parametrize(
    ("relative", "options", "items"),
    [
        ("sms/sms-backup.xml", {}, 7),
        ("sms/calls.xml", {}, 7),
        ("email/multipart.eml", {}, 1),
        ("email/mailbox.mbox", {}, 4),
        ("csv/messages-cp1252.tsv", {"mapping": ColumnMapping(time="Sent at")}, 3),
    ],
)
def test_parsers_read_what_detect_format_names(relative, options, items):
    data = (FIXTURES / relative).read_bytes()
    parser = detect.PARSERS[detect.detect_format(data[: detect.HEAD], relative)]
    report = ParseReport()

    entries = list(
        parser(io.BytesIO(data), report=report, tz=ZoneInfo("Europe/London"), **options)
    )

    assert len(entries) == items
    assert report.items_read == items
