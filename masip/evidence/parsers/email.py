"""Email: one message (.eml) or a mailbox of many (.mbox), read as bytes.

A mailbox is split on its ``From `` separator lines as it is read, one line
at a time, and each message is parsed on its own with the standard library
(``BytesParser``, ``policy.default``), so only one message is ever in memory.
A separator is a line starting ``From `` that holds a time (``From sender
Mon Jan  8 12:08:34 2024``) and is the first line or follows a blank line. A
body line the mailbox writer escaped as ``>From `` is left as it is: in the
common mboxo layout a ``>`` the author typed cannot be told from one the
writer added, so nothing is unescaped.

What an entry holds:

* ``occurred_at``: the ``Date`` header, converted to ``tz``. If it is missing
  or unreadable, the time the last server received it (the first
  ``Received`` header), and failing that the mailbox separator line (read as
  UTC); each fallback is reported as a problem. A date with ``-0000`` (zone
  unknown) is read as UTC and noted.
* ``sender``: the ``From`` address as written (``Jordan Pike
  <jordan.pike@example.net>``); the display name is part of what the sender
  sent, so it is kept. ``recipients``: ``To``, then ``Cc``, then ``Bcc``.
  A header the library cannot read cleanly is kept as its raw text instead,
  and reported.
* ``text``: ``Subject: <subject>``, a blank line, then the body; just the
  body if there is no Subject header. The body is the message's main
  ``text/plain`` part, decoded from its transfer encoding and charset but
  otherwise exactly as sent (line endings and trailing spaces kept). A
  message with only HTML gets the text of its HTML (tags dropped, scripts
  and styles left out, nothing fetched or run), and the report says so; the
  original bytes stay in the evidence file at ``source_offset``.
* ``attachments``: file names (or ``unnamed image/png``, ``attached email:
  <subject>``); the content is not kept.
* ``direction``: outgoing if ``From`` is one of ``owner_addresses``,
  incoming if one of them is a recipient, otherwise unknown.
* ``source_offset``: byte offset of the message (its ``From `` line in a
  mailbox); ``source_line`` likewise.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator
from datetime import UTC, datetime
from email import errors, policy
from email.message import EmailMessage, Message, MIMEPart
from email.parser import BytesParser
from email.utils import parsedate_to_datetime
from html.parser import HTMLParser
from typing import IO, cast
from zoneinfo import ZoneInfo

from masip.evidence.parsers.base import (
    Channel,
    Direction,
    EntryKind,
    ParsedEntry,
    ParseReport,
    count,
    number_repeats,
)

NO_SENDER = "(no sender)"
_FROM_LINE = re.compile(rb"From \S*\s.*\d{1,2}:\d{2}")
_FROM_LINE_DATE = re.compile(rb"\w{3} (\w{3}) +(\d{1,2}) (\d{1,2}:\d{2}:\d{2}) (\d{4})")
_BLANK = (b"\n", b"\r\n")
_ADDRESS_HEADERS = ("To", "Cc", "Bcc")


def parse(
    source: IO[bytes],
    *,
    report: ParseReport,
    tz: ZoneInfo,
    owner_addresses: Collection[str] = (),
    mbox: bool | None = None,
) -> Iterator[ParsedEntry]:
    """Yield the messages of an .eml or .mbox file.

    ``mbox`` says which it is; by default a file starting ``From `` is a
    mailbox and anything else one message.
    """
    reader = _Reader(report, tz, owner_addresses)
    if mbox is None:
        mbox = _peek(source).startswith(b"From ")
    if mbox:
        report.format = "mbox"
        messages = _split_mbox(source, report)
    else:
        report.format = "eml"
        messages = iter([(1, 0, b"", source.read())])
    entries = (reader.entry(*message) for message in messages)
    return count(number_repeats(e for e in entries if e is not None), report)


def parse_eml(
    source: IO[bytes],
    *,
    report: ParseReport,
    tz: ZoneInfo,
    owner_addresses: Collection[str] = (),
) -> Iterator[ParsedEntry]:
    """Yield the one message of an .eml file."""
    return parse(
        source, report=report, tz=tz, owner_addresses=owner_addresses, mbox=False
    )


def parse_mbox(
    source: IO[bytes],
    *,
    report: ParseReport,
    tz: ZoneInfo,
    owner_addresses: Collection[str] = (),
) -> Iterator[ParsedEntry]:
    """Yield the messages of an .mbox file."""
    return parse(
        source, report=report, tz=tz, owner_addresses=owner_addresses, mbox=True
    )


def _peek(source: IO[bytes]) -> bytes:
    peek = getattr(source, "peek", None)
    if peek is not None:
        return cast(bytes, peek(5))[:5]
    position = source.tell()
    head = source.read(5)
    source.seek(position)
    return head


def _split_mbox(
    source: IO[bytes], report: ParseReport
) -> Iterator[tuple[int, int, bytes, bytes]]:
    """Yield (line, offset, separator line, message bytes) for each message."""
    offset = 0
    start: tuple[int, int, bytes] | None = None
    lines: list[bytes] = []
    previous_blank = True
    for line, raw in enumerate(source, start=1):
        if previous_blank and raw.startswith(b"From ") and _FROM_LINE.match(raw):
            if start is not None:
                yield (*start, _without_separator(lines))
            start, lines = (line, offset, raw), []
        elif start is None:
            if raw not in _BLANK and not lines:
                report.problem(
                    "Text before the first message of the mailbox was skipped.",
                    line=line,
                    offset=offset,
                    text=raw.decode("utf-8", "replace"),
                )
                lines.append(raw)  # report once
        else:
            lines.append(raw)
        previous_blank = raw in _BLANK
        offset += len(raw)
    if start is not None:
        yield (*start, _without_separator(lines))


def _without_separator(lines: list[bytes]) -> bytes:
    """The message without the blank line the mailbox puts after it."""
    if lines and lines[-1] in _BLANK:
        lines = lines[:-1]
    return b"".join(lines)


class _Text(HTMLParser):
    """The readable text of HTML: no tags, scripts, styles or head."""

    _SKIP = frozenset({"script", "style", "head", "title", "template"})
    _BREAK = frozenset(
        {"br", "p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table"}
    )

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: object) -> None:
        if tag in self._SKIP:
            self.skipping += 1
        elif tag in self._BREAK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIP:
            self.skipping = max(self.skipping - 1, 0)
        elif tag in self._BREAK and tag != "br":
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(re.sub(r"\s+", " ", data))

    def text(self) -> str:
        joined = "".join(self.parts)
        lines = (line.strip() for line in joined.split("\n"))
        return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def html_to_text(html: str) -> str:
    """The text a reader sees in an HTML body, without running or fetching."""
    parser = _Text()
    parser.feed(html)
    parser.close()
    return parser.text()


class _Reader:
    def __init__(
        self, report: ParseReport, tz: ZoneInfo, owner_addresses: Collection[str]
    ) -> None:
        self.report = report
        self.tz = tz
        self.owners = {address.lower() for address in owner_addresses}
        self.parser = BytesParser(policy=policy.default)
        self.html_only = 0

    def entry(
        self, line: int, offset: int, separator: bytes, raw: bytes
    ) -> ParsedEntry | None:
        message = self.parser.parsebytes(raw)
        problems: list[str] = []
        when = self._when(message, separator, problems)
        sender, sender_keys = self._addresses(message, ("From",), problems)
        recipients, recipient_keys = self._addresses(
            message, _ADDRESS_HEADERS, problems
        )
        text = self._text(message, problems)
        attachments = tuple(_attachments(message, message.get_body(("plain", "html"))))
        self._defects(message, problems)
        for reason in problems:
            self.report.problem(reason, line=line, offset=offset)
        if when is None:
            return None
        direction = Direction.UNKNOWN
        if self.owners & sender_keys:
            direction = Direction.OUTGOING
        elif self.owners & recipient_keys:
            direction = Direction.INCOMING
        return ParsedEntry(
            occurred_at=when.astimezone(self.tz),
            channel=Channel.EMAIL,
            kind=EntryKind.MESSAGE,
            sender=sender[0] if sender else NO_SENDER,
            recipients=tuple(recipients),
            text=text,
            attachments=attachments,
            direction=direction,
            source_line=line,
            source_offset=offset,
        )

    # -- headers -----------------------------------------------------------

    def _when(
        self, message: EmailMessage, separator: bytes, problems: list[str]
    ) -> datetime | None:
        raw = _raw(message, "Date")
        when = None
        try:
            header = message["Date"]
            when = None if header is None else header.datetime
        except (errors.HeaderParseError, ValueError, IndexError, TypeError):
            when = None
        if when is not None:
            return self._aware(when)
        problems.append(f"Unreadable Date header {raw!r}" if raw else "No Date header")
        when = _received(message)
        if when is not None:
            problems[-1] += "; the time the last server received it was used."
            return self._aware(when)
        when = _separator_date(separator)
        if when is not None:
            problems[-1] += "; the mailbox's own date for it was used (read as UTC)."
            return when
        problems[-1] += "; the message has no other date, so it was left out."
        return None

    def _aware(self, when: datetime) -> datetime:
        if when.tzinfo is None:
            self.report.note(
                "Some dates gave no time zone (-0000); they were read as UTC."
            )
            return when.replace(tzinfo=UTC)
        return when

    def _addresses(
        self, message: EmailMessage, names: tuple[str, ...], problems: list[str]
    ) -> tuple[list[str], set[str]]:
        shown: list[str] = []
        keys: set[str] = set()
        for name in names:
            for raw in _raw_all(message, name):
                try:
                    header = policy.default.header_factory(name, raw)
                    bad = [d for d in header.defects if not _harmless(d)]
                    addresses = header.addresses
                except (errors.HeaderParseError, ValueError, IndexError, TypeError):
                    bad, addresses = [errors.InvalidHeaderDefect("unreadable")], ()
                if bad:
                    problems.append(
                        f"Malformed {name} header {raw!r}; kept as written."
                    )
                    shown.append(_unfold(raw))
                    continue
                for address in addresses:
                    shown.append(str(address))
                    keys.add(address.addr_spec.lower())
        return shown, keys

    def _defects(self, message: EmailMessage, problems: list[str]) -> None:
        found = {type(d).__name__ for d in message.defects if not _harmless(d)}
        if found:
            problems.append(f"The message is malformed ({', '.join(sorted(found))}).")

    # -- body --------------------------------------------------------------

    def _text(self, message: EmailMessage, problems: list[str]) -> str:
        body_part = message.get_body(("plain", "html"))
        body = ""
        if body_part is not None:
            body = _content(body_part, problems)
            if body_part.get_content_subtype() == "html":
                body = html_to_text(body)
                self.report.note(
                    "Some messages had no plain text; the text of their HTML is shown."
                )
        subject = _raw(message, "Subject")
        if subject is None:
            return body
        try:
            subject = str(message["Subject"])
        except (errors.HeaderParseError, ValueError, IndexError, TypeError):
            subject = _unfold(subject)
        return f"Subject: {subject}\n\n{body}"


def _content(part: MIMEPart, problems: list[str]) -> str:
    try:
        return cast(str, part.get_content())
    except (LookupError, ValueError, AssertionError):
        payload = part.get_payload(decode=True)
        problems.append("The body's character set is unknown; read as UTF-8.")
        return payload.decode("utf-8", "replace") if isinstance(payload, bytes) else ""


def _attachments(
    part: Message, body: Message | None, top: bool = True
) -> Iterator[str]:
    if part.get_content_type() == "message/rfc822" and not top:
        inner = part.get_payload()
        subject = ""
        if isinstance(inner, list) and inner and isinstance(inner[0], Message):
            subject = str(inner[0].get("Subject", ""))
        yield part.get_filename() or f"attached email: {subject}".rstrip(": ")
        return
    if part.is_multipart():
        for sub in cast(list[Message], part.get_payload()):
            yield from _attachments(sub, body, top=False)
        return
    if part is body:
        return
    filename = part.get_filename()
    is_text = part.get_content_maintype() == "text"
    if filename or part.get_content_disposition() == "attachment" or not is_text:
        yield filename or f"unnamed {part.get_content_type()}"


def _harmless(defect: object) -> bool:
    return isinstance(defect, errors.ObsoleteHeaderDefect)


def _raw_all(message: Message, name: str) -> list[str]:
    wanted = name.lower()
    return [str(value) for key, value in message.raw_items() if key.lower() == wanted]


def _raw(message: Message, name: str) -> str | None:
    values = _raw_all(message, name)
    return values[0] if values else None


def _unfold(value: str) -> str:
    return re.sub(r"\r?\n[ \t]", " ", value).strip()


def _received(message: Message) -> datetime | None:
    received = _raw(message, "Received")
    if received is None or ";" not in received:
        return None
    try:
        return parsedate_to_datetime(_unfold(received.rsplit(";", 1)[1]))
    except (ValueError, TypeError, IndexError):
        return None


def _separator_date(separator: bytes) -> datetime | None:
    match = _FROM_LINE_DATE.search(separator)
    if match is None:
        return None
    month, day, clock, year = (g.decode("ascii") for g in match.groups())
    try:
        return datetime.strptime(
            f"{day} {month} {year} {clock}", "%d %b %Y %H:%M:%S"
        ).replace(tzinfo=UTC)
    except ValueError:
        return None
