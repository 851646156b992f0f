"""SMS Backup & Restore (Android) exports: ``<smses>`` and ``<calls>`` XML.

The app writes one XML file for messages and another for the call log:

* ``<smses count="N">`` holds ``<sms>`` elements (everything in attributes:
  ``address``, ``date`` in UTC epoch milliseconds, ``type``, ``body``,
  ``contact_name``...) and ``<mms>`` elements (``msg_box``, ``date`` in
  milliseconds, then ``<parts><part ct= text= name= cl= data=/></parts>`` and
  ``<addrs><addr address= type=/></addrs>``);
* ``<calls count="N">`` holds ``<call number= duration= date= type=/>``.

What an entry holds:

* ``occurred_at`` is the ``date`` attribute (when the phone stored the item),
  an exact UTC instant converted to the victim's zone ``tz``, so the clocks
  going back or forward change nothing but the displayed offset.
* Who: the number exactly as the export gives it (``+447700900123`` and
  ``07700 900123`` are not merged). The phone's owner is ``owner`` ("me"
  unless the caller passes a label). Received SMS: sender is the number,
  recipient the owner; sent, the reverse. MMS use their ``<addr>`` list (137
  from, 151 to, 130 cc, 129 bcc); numbers in ``owner_numbers`` become
  ``owner``. Contact names are the victim's own labels, not part of the
  message, so they are not in the entry; the report's notes list them.
* Text: the SMS ``body`` exactly; for MMS the ``text/plain`` parts joined by a
  newline. MMS attachments are listed by name (``cl``, else ``name``, else
  ``fn``); their ``data`` is never kept.
* Drafts (SMS type 3, MMS box 3) were never sent, so they are not entries; the
  report notes how many were left out. Outbox, failed and queued messages are
  outgoing entries, and the report notes that they were not confirmed sent.
* Calls: 1 incoming, 2 outgoing, 3 missed, 4 voicemail (missed, text
  "voicemail"), 5 rejected, 6 refused list (rejected, text "blocked").

The file is read in chunks by expat (the standard library's pull parser)
through handlers that keep nothing but the element being read, so memory does
not grow with the file. defusedxml is not in the lock, so expat is hardened
here: a DOCTYPE, any entity declaration or external entity stops the parse,
and parameter entities are never read, so there is no entity expansion and no
XXE. Damaged or cut-short XML yields every item before the damage and reports
where it was (line and byte offset).

The app writes emoji as two character references, one per UTF-16 half
(``&#55357;&#56832;``), which XML forbids. :class:`SurrogateRejoiner` rewrites
each pair into one reference to the real code point, padded with leading
zeros to the same length (``&#0000000128512;``), so every byte offset and line
number still points into the original file. An unpaired half becomes U+FFFD
and is noted.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import IO, NoReturn
from xml.parsers import expat
from zoneinfo import ZoneInfo

from masip.evidence.parsers.base import (
    Channel,
    Direction,
    EntryKind,
    ParsedEntry,
    ParseError,
    ParseReport,
    count,
    number_repeats,
)

CHUNK_SIZE = 1 << 18
OWNER = "me"
WITHHELD = "(number withheld)"
# The longest surrogate reference the rejoiner recognises is 16 bytes, a pair
# 32: holding back 40 bytes at the end of a chunk never splits one.
_HOLD = 40
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_NAMES_SHOWN = 10
_NAMES_KEPT = 1000

_HIGH = (
    rb"0{0,8}(?:5529[6-9]|55[3-9][0-9]{2}|56[0-2][0-9]{2}|563[01][0-9])"
    rb"|[xX]0{0,8}[dD][89abAB][0-9a-fA-F]{2}"
)
_LOW = (
    rb"0{0,8}(?:563[2-9][0-9]|56[4-9][0-9]{2}|57[0-2][0-9]{2}|573[0-3][0-9]|5734[0-3])"
    rb"|[xX]0{0,8}[dD][c-fC-F][0-9a-fA-F]{2}"
)
_SURROGATE_REF = re.compile(
    rb"&#(?P<hi>" + _HIGH + rb");&#(?P<lo>" + _LOW + rb");"
    rb"|&#(?P<lone>" + _HIGH + rb"|" + _LOW + rb");"
)

_SMS_DIRECTION = {
    "1": Direction.INCOMING,
    "2": Direction.OUTGOING,
    "4": Direction.OUTGOING,  # outbox
    "5": Direction.OUTGOING,  # failed
    "6": Direction.OUTGOING,  # queued
}
_MMS_DIRECTION = {
    "1": Direction.INCOMING,
    "2": Direction.OUTGOING,
    "4": Direction.OUTGOING,
}
_UNCONFIRMED_SMS = {"4": "outbox", "5": "failed", "6": "queued"}
_CALL_TYPES: dict[str, tuple[Direction, str]] = {
    "1": (Direction.INCOMING, ""),
    "2": (Direction.OUTGOING, ""),
    "3": (Direction.MISSED, ""),
    "4": (Direction.MISSED, "voicemail"),
    "5": (Direction.REJECTED, ""),
    "6": (Direction.REJECTED, "blocked"),
}
_ADDR_FROM, _ADDR_TO, _ADDR_CC, _ADDR_BCC = "137", "151", "130", "129"
_NOT_CONTENT = {"application/smil", "text/plain"}


def _char_ref(code_point: int, length: int) -> bytes:
    digits = str(code_point).encode("ascii")
    return b"&#" + b"0" * (length - 3 - len(digits)) + digits + b";"


def _ref_value(text: bytes) -> int:
    if text[:1] in (b"x", b"X"):
        return int(text[1:], 16)
    return int(text)


class SurrogateRejoiner:
    """Rewrite UTF-16 surrogate character references in a byte stream.

    Feed chunks in order and ``final=True`` at the end; the output has the same
    length as the input, byte for byte, except inside rewritten references.
    A reference split across chunks is held back until it is whole.
    """

    def __init__(self) -> None:
        self._tail = b""
        self.pairs = 0
        self.lone = 0

    def feed(self, data: bytes, *, final: bool = False) -> bytes:
        buf = self._tail + data if self._tail else data
        limit = len(buf) if final else len(buf) - _HOLD
        if limit <= 0:
            self._tail = buf
            return b""
        out: list[bytes] = []
        pos = 0
        for match in _SURROGATE_REF.finditer(buf):
            if match.start() >= limit:
                break
            out.append(buf[pos : match.start()])
            out.append(self._replace(match))
            pos = match.end()
        cut = max(pos, limit)
        out.append(buf[pos:cut])
        self._tail = buf[cut:]
        return b"".join(out)

    def _replace(self, match: re.Match[bytes]) -> bytes:
        length = match.end() - match.start()
        if match["hi"] is not None:
            high, low = _ref_value(match["hi"]), _ref_value(match["lo"])
            self.pairs += 1
            code_point = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
            return _char_ref(code_point, length)
        self.lone += 1
        return _char_ref(0xFFFD, length)


class _Forbidden(Exception):
    """A DTD or entity declaration: refused before expat acts on it."""


def _forbid(*_args: object) -> NoReturn:
    raise _Forbidden


def _hardened_parser() -> expat.XMLParserType:
    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartDoctypeDeclHandler = _forbid
    parser.EntityDeclHandler = _forbid
    parser.UnparsedEntityDeclHandler = _forbid
    parser.ExternalEntityRefHandler = _forbid
    return parser


def _present(value: str | None) -> str:
    """The attribute, or "" where the app wrote a Java ``null``."""
    return "" if value is None or value == "null" else value


@dataclass(slots=True)
class _Mms:
    attrs: dict[str, str]
    line: int
    offset: int
    texts: list[str] = field(default_factory=list)
    attachments: list[str] = field(default_factory=list)
    addrs: list[tuple[str, str]] = field(default_factory=list)


class _Reader:
    """The expat handlers: turn each element into an entry as it closes."""

    def __init__(
        self,
        parser: expat.XMLParserType,
        report: ParseReport,
        tz: ZoneInfo,
        owner: str,
        owner_numbers: Collection[str],
    ) -> None:
        self.parser = parser
        self.report = report
        self.tz = tz
        self.owner = owner
        self.owner_numbers = frozenset(owner_numbers)
        self.pending: list[ParsedEntry] = []
        self.root: str | None = None
        self.declared: int | None = None
        self.seen = 0
        self.mms: _Mms | None = None
        self.drafts = 0
        self.unconfirmed: dict[str, int] = {}
        self.names: dict[str, str] = {}
        parser.StartElementHandler = self.start
        parser.EndElementHandler = self.end

    # -- expat callbacks ---------------------------------------------------

    def start(self, name: str, attrs: dict[str, str]) -> None:
        build: Callable[[dict[str, str]], None] | None = None
        if name == "sms" and self.root == "smses":
            build = self._sms
        elif name == "call" and self.root == "calls":
            build = self._call
        if build is not None:
            self.seen += 1
            try:
                build(attrs)
            except ValueError as error:
                line, offset = self._where()
                self.report.problem(str(error), line=line, offset=offset)
        elif self.root is None:
            self._root(name, attrs)
        elif name == "mms" and self.root == "smses":
            self.seen += 1
            self.mms = _Mms(attrs, *self._where())
        elif self.mms is not None and name == "part":
            self._part(self.mms, attrs)
        elif self.mms is not None and name == "addr":
            self.mms.addrs.append((attrs.get("address", ""), attrs.get("type", "")))

    def end(self, name: str) -> None:
        if name == "mms" and self.mms is not None:
            mms, self.mms = self.mms, None
            try:
                self._finish_mms(mms)
            except ValueError as error:
                self.report.problem(str(error), line=mms.line, offset=mms.offset)

    # -- elements ----------------------------------------------------------

    def _root(self, name: str, attrs: dict[str, str]) -> None:
        if name not in ("smses", "calls"):
            raise ParseError(
                f"This XML file is not an SMS Backup & Restore export "
                f"(it starts with <{name}>, not <smses> or <calls>)."
            )
        self.root = name
        self.report.format = "sms_xml" if name == "smses" else "calls_xml"
        declared = attrs.get("count", "")
        self.declared = int(declared) if declared.isdigit() else None

    def _where(self) -> tuple[int, int]:
        return self.parser.CurrentLineNumber, self.parser.CurrentByteIndex

    def _when(self, attrs: dict[str, str]) -> datetime:
        raw = attrs.get("date", "")
        try:
            seconds, millis = divmod(int(raw), 1000)
            when = datetime.fromtimestamp(seconds, self.tz)
        except (ValueError, OverflowError, OSError):
            raise ValueError(f"Unreadable date {raw!r}; item left out.") from None
        return when.replace(microsecond=millis * 1000) if millis else when

    def _party(self, number: str) -> str:
        if not number or number.startswith("-"):  # -1, -2: withheld, unknown
            return WITHHELD
        return self.owner if number in self.owner_numbers else number

    def _remember_name(self, number: str, attrs: dict[str, str]) -> None:
        name = _present(attrs.get("contact_name"))
        known = number in self.names or len(self.names) >= _NAMES_KEPT
        if name and name != "(Unknown)" and number != self.owner and not known:
            self.names[number] = name

    def _sms(self, attrs: dict[str, str]) -> None:
        kind = attrs.get("type", "")
        if kind == "3":
            self.drafts += 1
            return
        when = self._when(attrs)
        line, offset = self._where()
        number = self._party(attrs.get("address", ""))
        self._remember_name(number, attrs)
        direction = _SMS_DIRECTION.get(kind, Direction.UNKNOWN)
        if kind in _UNCONFIRMED_SMS:
            label = _UNCONFIRMED_SMS[kind]
            self.unconfirmed[label] = self.unconfirmed.get(label, 0) + 1
        elif direction is Direction.UNKNOWN:
            self.report.note(f"Some messages had an unknown type ({kind!r}).")
        outgoing = direction is Direction.OUTGOING
        self.pending.append(
            ParsedEntry(
                occurred_at=when,
                channel=Channel.SMS,
                kind=EntryKind.MESSAGE,
                sender=self.owner if outgoing else number,
                recipients=(number if outgoing else self.owner,),
                text=attrs.get("body", ""),
                direction=direction,
                source_line=line,
                source_offset=offset,
            )
        )

    def _call(self, attrs: dict[str, str]) -> None:
        when = self._when(attrs)
        line, offset = self._where()
        number = self._party(attrs.get("number", ""))
        self._remember_name(number, attrs)
        kind = attrs.get("type", "")
        direction, text = _CALL_TYPES.get(kind, (Direction.UNKNOWN, ""))
        if direction is Direction.UNKNOWN:
            self.report.note(f"Some calls had an unknown type ({kind!r}).")
        raw_duration = attrs.get("duration", "")
        duration = int(raw_duration) if raw_duration.isdigit() else None
        if raw_duration and duration is None:
            self.report.problem(
                f"Unreadable call duration {raw_duration!r}; call kept without it.",
                line=line,
                offset=offset,
            )
        outgoing = direction is Direction.OUTGOING
        self.pending.append(
            ParsedEntry(
                occurred_at=when,
                channel=Channel.CALL,
                kind=EntryKind.CALL,
                sender=self.owner if outgoing else number,
                recipients=(number if outgoing else self.owner,),
                text=text,
                direction=direction,
                duration_seconds=duration,
                source_line=line,
                source_offset=offset,
            )
        )

    def _part(self, mms: _Mms, attrs: dict[str, str]) -> None:
        given_type = attrs.get("ct", "")
        content_type = given_type.lower()
        if content_type == "text/plain":
            text = _present(attrs.get("text"))
            if text:
                mms.texts.append(text)
        if content_type in _NOT_CONTENT:
            return
        name = next(
            (
                _present(attrs.get(key))
                for key in ("cl", "name", "fn")
                if _present(attrs.get(key))
            ),
            "",
        )
        mms.attachments.append(
            name or f"part {attrs.get('seq', len(mms.attachments))} ({given_type})"
        )

    def _finish_mms(self, mms: _Mms) -> None:
        box = mms.attrs.get("msg_box", "")
        if box == "3":
            self.drafts += 1
            return
        when = self._when(mms.attrs)
        direction = _MMS_DIRECTION.get(box, Direction.UNKNOWN)
        if box == "4":
            self.unconfirmed["outbox"] = self.unconfirmed.get("outbox", 0) + 1
        by_type: dict[str, list[str]] = {}
        for address, kind in mms.addrs:
            if address and address != "insert-address-token":
                by_type.setdefault(kind, []).append(self._party(address))
        others = tuple(
            by_type.get(_ADDR_TO, [])
            + by_type.get(_ADDR_CC, [])
            + by_type.get(_ADDR_BCC, [])
        )
        if direction is Direction.OUTGOING:
            sender = self.owner
        else:
            sender = next(iter(by_type.get(_ADDR_FROM, [])), "") or self._party(
                mms.attrs.get("address", "")
            )
            others = others or (self.owner,)
        address = mms.attrs.get("address", "")
        if "~" not in address:  # one other party: the name is theirs
            self._remember_name(self._party(address), mms.attrs)
        self.pending.append(
            ParsedEntry(
                occurred_at=when,
                channel=Channel.MMS,
                kind=EntryKind.MESSAGE,
                sender=sender,
                recipients=others,
                text="\n".join(mms.texts),
                attachments=tuple(mms.attachments),
                direction=direction,
                source_line=mms.line,
                source_offset=mms.offset,
            )
        )

    # -- the end -----------------------------------------------------------

    def close(self, rejoiner: SurrogateRejoiner) -> None:
        report = self.report
        if self.mms is not None:
            report.problem(
                "An MMS was cut short by the end of the file; it was left out.",
                line=self.mms.line,
                offset=self.mms.offset,
            )
        if self.declared is not None and self.declared != self.seen:
            report.note(
                f"The backup says it holds {self.declared:,} items; "
                f"{self.seen:,} were found in the file."
            )
        if self.drafts:
            report.note(
                f"{self.drafts:,} draft{'s' if self.drafts != 1 else ''} left out: "
                "a draft was never sent."
            )
        if self.unconfirmed:
            kinds = ", ".join(f"{n:,} {k}" for k, n in sorted(self.unconfirmed.items()))
            report.note(
                f"Outgoing messages the phone had not confirmed sent ({kinds}) "
                "are included as outgoing."
            )
        if rejoiner.lone:
            report.note(
                f"{rejoiner.lone:,} broken emoji character"
                f"{'s' if rejoiner.lone != 1 else ''} (half a UTF-16 pair) "
                "shown as \ufffd."
            )
        if self.names:
            shown = "; ".join(
                f"{number} is {name!r}"
                for number, name in list(self.names.items())[:_NAMES_SHOWN]
            )
            more = len(self.names) - _NAMES_SHOWN
            report.note(
                f"Names saved on the phone: {shown}"
                + (f"; and {more:,} more" if more > 0 else "")
                + "."
            )


def parse(
    source: IO[bytes],
    *,
    report: ParseReport,
    tz: ZoneInfo,
    owner: str = OWNER,
    owner_numbers: Collection[str] = (),
    chunk_size: int = CHUNK_SIZE,
) -> Iterator[ParsedEntry]:
    """Yield the messages or calls of an SMS Backup & Restore XML file."""
    return count(
        number_repeats(_read(source, report, tz, owner, owner_numbers, chunk_size)),
        report,
    )


def _read(
    source: IO[bytes],
    report: ParseReport,
    tz: ZoneInfo,
    owner: str,
    owner_numbers: Collection[str],
    chunk_size: int,
) -> Iterator[ParsedEntry]:
    parser = _hardened_parser()
    reader = _Reader(parser, report, tz, owner, owner_numbers)
    rejoiner = SurrogateRejoiner()
    pending = reader.pending
    window = _Window()
    try:
        while True:
            chunk = source.read(chunk_size)
            data = rejoiner.feed(chunk, final=not chunk)
            window.push(data)
            parser.Parse(data, not chunk)
            yield from pending
            pending.clear()
            if not chunk:
                break
    except expat.ExpatError as error:
        yield from pending
        pending.clear()
        reason = expat.ErrorString(error.code) or "unreadable XML"
        if reader.root is None:
            raise ParseError(
                "This file is not an SMS Backup & Restore export: it is not "
                f"readable XML ({reason}, line {error.lineno})."
            ) from None
        offset = parser.ErrorByteIndex
        report.problem(
            f"The XML is damaged or cut short here ({reason}); "
            "items after this point could not be read.",
            line=error.lineno,
            offset=offset if offset >= 0 else None,
            text=window.around(offset),
        )
    except _Forbidden:
        raise ParseError(
            "This file declares a DTD or entities, which an SMS backup never "
            "does; it was not read, for safety."
        ) from None
    if reader.root is None:
        raise ParseError("This file is empty: it holds no SMS backup.")
    reader.close(rejoiner)


class _Window:
    """The last two chunks fed to expat, to quote where damage was found."""

    def __init__(self) -> None:
        self.start = 0
        self.previous = b""
        self.current = b""

    def push(self, data: bytes) -> None:
        self.start += len(self.previous)
        self.previous, self.current = self.current, data

    def around(self, offset: int) -> str:
        at = offset - self.start
        if offset < 0 or at < 0:
            return ""
        text = (self.previous + self.current)[max(at - 40, 0) : at + 80]
        return text.decode("utf-8", "replace")
