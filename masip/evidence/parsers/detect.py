"""Tell an export's format from its first bytes, and find its parser.

:func:`detect_format` looks at the content: a victim's file is often renamed,
or saved by a phone with no extension. The file name only breaks a tie, when
the content fits two formats (a WhatsApp chat is plain text with commas in
it, so it can also pass for CSV). Give it the first few kilobytes (``HEAD``).

:data:`PARSERS` maps each format to its parser, imported only when asked
for, so the WhatsApp parser (written separately) is found by its dotted path.
Every parser is called ``parser(source, *, report, tz, **options)``.
"""

from __future__ import annotations

import csv
import importlib
import re
from collections.abc import Callable, Iterator, Mapping
from pathlib import PurePath

from masip.evidence.parsers.base import ParsedEntry

HEAD = 8192
UNKNOWN = "unknown"
FORMATS = (
    "whatsapp_txt",
    "whatsapp_zip",
    "sms_xml",
    "calls_xml",
    "eml",
    "mbox",
    "csv",
    UNKNOWN,
)

Parser = Callable[..., Iterator[ParsedEntry]]

_SUFFIXES = {
    ".txt": "whatsapp_txt",
    ".zip": "whatsapp_zip",
    ".eml": "eml",
    ".mbox": "mbox",
    ".mbx": "mbox",
    ".csv": "csv",
    ".tsv": "csv",
}
_ZIP_MAGIC = b"PK\x03\x04"
_XML_ROOT = re.compile(r"<(?![?!/])([A-Za-z_][\w:.-]*)")
_WHEN = (
    r"\d{1,4}[./-]\d{1,2}[./-]\d{1,4},?[ \u202f]\d{1,2}[:.]\d{2}(?:[:.]\d{2})?"
    r"(?:[ \u202f]?[AaPp]\.?[ \u202f]?[Mm]\.?)?"
)
_WHATSAPP_LINE = re.compile(rf"\u200e?(?:\[{_WHEN}\] |{_WHEN} [-\u2013] )\S")
_MBOX_SEPARATOR = re.compile(r"From \S*\s.*\d{1,2}:\d{2}")
_HEADER_LINE = re.compile(r"([!-9;-~]+):[ \t]?")
_MAIL_HEADERS = frozenset(
    {
        "from",
        "to",
        "subject",
        "date",
        "received",
        "message-id",
        "mime-version",
        "return-path",
        "delivered-to",
    }
)


def detect_format(head: bytes, filename: str = "") -> str:
    """One of :data:`FORMATS`, decided by ``head`` (the file's first bytes)."""
    candidates = _candidates(head)
    if not candidates:
        return UNKNOWN
    hinted = _SUFFIXES.get(PurePath(filename).suffix.lower())
    return hinted if hinted in candidates else candidates[0]


def _candidates(head: bytes) -> list[str]:
    if head.startswith(_ZIP_MAGIC):
        # a local file header names its entry: a chat export holds a .txt
        return ["whatsapp_zip"] if re.search(rb"\.txt", head) else []
    text = _text(head)
    if text is None:
        return []
    stripped = text.lstrip()
    if stripped.startswith("<"):
        return _xml(stripped)
    lines = text.splitlines()
    if len(lines) > 1 and not text.endswith(("\n", "\r")):
        lines = lines[:-1]  # the head may stop mid-line
    found = []
    if _whatsapp(lines):
        found.append("whatsapp_txt")
    if lines and _MBOX_SEPARATOR.match(lines[0]) and _is_headers(lines[1:]):
        found.append("mbox")
    elif _is_headers(lines):
        found.append("eml")
    if _csv(lines):
        found.append("csv")
    return found


def _text(head: bytes) -> str | None:
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return head.decode("utf-16", "ignore")
    head = head.removeprefix(b"\xef\xbb\xbf")
    if b"\x00" in head:
        return None  # binary
    try:
        return head.decode("utf-8")
    except UnicodeDecodeError as error:
        if error.start >= len(head) - 3:  # a character cut by the head's end
            return head[: error.start].decode("utf-8")
        return head.decode("cp1252", "replace")


def _xml(text: str) -> list[str]:
    root = _XML_ROOT.search(text)
    if root is None:
        return []
    return {"smses": ["sms_xml"], "calls": ["calls_xml"]}.get(root[1], [])


def _whatsapp(lines: list[str]) -> bool:
    sample = [line for line in lines[:10] if line.strip()]
    hits = sum(1 for line in sample if _WHATSAPP_LINE.match(line))
    return bool(sample) and hits * 2 >= min(len(sample), 4)


def _is_headers(lines: list[str]) -> bool:
    names: list[str] = []
    for line in lines:
        if not line.strip():
            break
        if line[0] in " \t" and names:
            continue  # a folded header goes on
        match = _HEADER_LINE.match(line)
        if match is None:
            return False
        names.append(match[1].lower())
    return len(names) >= 2 and bool(_MAIL_HEADERS.intersection(names))


def _csv(lines: list[str]) -> bool:
    if not lines:
        return False
    delimiter = _sniff(lines[0])
    rows = [row for row in csv.reader(lines[:50], delimiter=delimiter) if row]
    width = len(rows[0]) if rows else 0
    if width < 2:
        return False
    body = rows[1:]
    return not body or sum(len(row) == width for row in body) * 5 >= len(body) * 4


def _sniff(line: str) -> str:
    # the same rule as the CSV parser, without importing it
    unquoted = re.sub(r'"[^"]*"', "", line)
    return max((unquoted.count(d), -i, d) for i, d in enumerate((",", ";", "\t")))[2]


class _LazyParsers(Mapping[str, Parser]):
    """Format name to parser; each module is imported on first use."""

    def __init__(self, paths: dict[str, str]) -> None:
        self._paths = paths

    def __getitem__(self, key: str) -> Parser:
        module, _, name = self._paths[key].partition(":")
        parser: Parser = getattr(importlib.import_module(module), name)
        return parser

    def __iter__(self) -> Iterator[str]:
        return iter(self._paths)

    def __len__(self) -> int:
        return len(self._paths)

    def path(self, key: str) -> str:
        return self._paths[key]


PARSERS = _LazyParsers(
    {
        # parse(source, *, report, tz, date_order=None): reads .txt and .zip
        "whatsapp_txt": "masip.evidence.parsers.whatsapp:parse",
        "whatsapp_zip": "masip.evidence.parsers.whatsapp:parse",
        "sms_xml": "masip.evidence.parsers.sms_xml:parse",
        "calls_xml": "masip.evidence.parsers.sms_xml:parse",
        "eml": "masip.evidence.parsers.email:parse_eml",
        "mbox": "masip.evidence.parsers.email:parse_mbox",
        "csv": "masip.evidence.parsers.csv_log:parse",
    }
)
