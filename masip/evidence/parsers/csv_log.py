"""Call logs and other CSV exports, read through a column mapping.

CSV exports differ in every column, so the user confirms which column is
which: :func:`read_header` gives the header, :func:`suggest_mapping` a first
guess from common English names, and :func:`parse` reads the rows with the
mapping the user confirmed.

How cells are read:

* Encoding: UTF-8, with or without a byte-order mark. A line that is not
  UTF-8 is read as Windows-1252 (Excel's default in the UK) and the report
  says so. Delimiter: comma, semicolon or tab, whichever the header line uses
  most (comma on a tie).
* Time: ``date_format`` (``strptime``) if given. Otherwise ISO 8601
  (``2024-03-31 14:05``, with or without an offset), epoch seconds or
  milliseconds, ``31 Mar 2024 14:05``, or numbers like ``13/02/2024 14:05``.
  For those, ``dayfirst`` says the order; if it is not given, the first date
  whose day is over 12 settles it (and the report says which), and if no date
  does, :class:`~masip.evidence.parsers.base.AmbiguousDateOrder` is raised:
  the parser never guesses. Rows are held back only until the order is
  known, so memory stays flat after that. An import must be all or nothing:
  that error can come after some entries were yielded.
  A time without a zone is the victim's local time in ``tz``; a time in the
  hour the clocks went back is read as the first of the two (and noted).
* Direction: ``in``/``incoming``/``received``..., ``out``/``outgoing``/
  ``sent``/``dialled``..., ``missed``, ``rejected``/``declined``/``blocked``.
* Who: ``sender`` and ``recipient`` columns as written; or a ``party``
  column (the other person's number or name), which is the recipient of
  outgoing items and the sender of all others, the phone's owner (``owner``)
  being the other side (left out when the direction is unknown). A cell is
  one recipient, never split.
* Duration: seconds, ``m:ss``, ``h:mm:ss`` or ``1h 2m 3s``.

A row that cannot be read is reported with its line number and skipped; a bad
duration is reported and the row kept without it.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import IO
from zoneinfo import ZoneInfo

from masip.evidence.parsers.base import (
    AmbiguousDateOrder,
    Channel,
    Direction,
    EntryKind,
    ParsedEntry,
    ParseError,
    ParseReport,
    count,
    number_repeats,
)

OWNER = "me"
DELIMITERS = (",", ";", "\t")
_BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True, slots=True)
class ColumnMapping:
    """Which header names hold what. ``time`` is required to parse."""

    time: str | None = None  # the date, or date and time
    clock: str | None = None  # time of day, when it has its own column
    sender: str | None = None
    recipient: str | None = None
    party: str | None = None  # the other person: sender if incoming, else recipient
    text: str | None = None
    direction: str | None = None
    duration: str | None = None
    channel: str | None = None
    default_channel: Channel = Channel.OTHER  # when there is no channel column


# Header names (normalised: lower case, units in brackets and punctuation
# dropped) for each field, most telling first.
_NAMES: dict[str, tuple[str, ...]] = {
    "time": (
        "timestamp",
        "date time",
        "datetime",
        "date and time",
        "sent at",
        "received at",
        "start time",
        "call date",
        "date",
        "time",
        "when",
    ),
    "clock": ("time", "call time", "time of day"),
    "sender": ("from", "sender", "sent by", "author", "caller"),
    "recipient": ("to", "recipient", "receiver", "called", "callee", "sent to"),
    "party": (
        "number",
        "phone number",
        "phone",
        "other party",
        "remote number",
        "caller id",
        "contact",
        "contact name",
        "name",
        "address",
    ),
    "text": ("message", "text", "body", "content", "message text", "msg", "sms"),
    "direction": ("direction", "call type", "type", "in out", "incoming outgoing"),
    "duration": ("duration", "call duration", "length", "seconds", "duration secs"),
    "channel": ("channel", "service", "medium", "message type", "kind"),
}


def _normalise(name: str) -> str:
    name = re.sub(r"\([^)]*\)", " ", name.lower())
    return " ".join(re.sub(r"[^a-z0-9]+", " ", name).split())


def suggest_mapping(header: list[str]) -> ColumnMapping:
    """Guess each column's role from its name; the user confirms or corrects."""
    by_name: dict[str, str] = {}
    for column in header:
        by_name.setdefault(_normalise(column), column)
    taken: set[str] = set()

    def pick(role: str) -> str | None:
        for name in _NAMES[role]:
            column = by_name.get(name)
            if column is not None and column not in taken:
                taken.add(column)
                return column
        return None

    time = pick("time")
    # a separate time-of-day column only goes with a column of dates
    clock = pick("clock") if time is not None and _normalise(time) == "date" else None
    roles = ("sender", "recipient", "party", "text", "direction", "duration", "channel")
    found = {role: pick(role) for role in roles}
    is_calls = found["duration"] is not None and found["text"] is None
    return ColumnMapping(
        time=time,
        clock=clock,
        **found,
        default_channel=Channel.CALL if is_calls else Channel.OTHER,
    )


def sniff_delimiter(line: str) -> str:
    """The delimiter the header line uses most (outside quotes)."""
    unquoted = re.sub(r'"[^"]*"', "", line)
    counts = [(unquoted.count(d), -i, d) for i, d in enumerate(DELIMITERS)]
    return max(counts)[2]


def read_header(head: bytes) -> list[str]:
    """The column names of a CSV file, from its first bytes."""
    first = head.removeprefix(_BOM).split(b"\n", 1)[0].rstrip(b"\r")
    text = _decode(first)[0]
    return next(csv.reader([text], delimiter=sniff_delimiter(text)), [])


def _decode(raw: bytes) -> tuple[str, bool]:
    try:
        return raw.decode("utf-8"), False
    except UnicodeDecodeError:
        try:
            return raw.decode("cp1252"), True
        except UnicodeDecodeError:
            return raw.decode("latin-1"), True  # the five bytes cp1252 leaves out


# -- times -----------------------------------------------------------------

_NUMERIC = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})(?:[ T,]+(.+))?")
_YEAR_FIRST = re.compile(r"\d{4}[-/.]\d{1,2}[-/.]\d{1,2}(?:[ T].*)?")
_CLOCK = re.compile(
    r"(\d{1,2})[:.](\d{2})(?:[:.](\d{2})(?:\.\d+)?)?\s*([AaPp])?\.?[Mm]?\.?"
)
_EPOCH = re.compile(r"\d{10}(\d{3})?")
_WORDY = (
    "%d %b %Y %H:%M:%S",
    "%d %b %Y %H:%M",
    "%d %B %Y %H:%M:%S",
    "%d %B %Y %H:%M",
    "%b %d, %Y %I:%M:%S %p",
    "%b %d, %Y %I:%M %p",
    "%d %b %Y",
    "%d %B %Y",
)


class _Unreadable(ValueError):
    pass


def _clock(text: str | None) -> tuple[int, int, int]:
    if not text:
        return 0, 0, 0
    match = _CLOCK.fullmatch(text.strip())
    if match is None:
        raise _Unreadable(f"Unreadable time {text!r}")
    hour, minute = int(match[1]), int(match[2])
    second = int(match[3] or 0)
    if match[4]:
        if not 1 <= hour <= 12:
            raise _Unreadable(f"Unreadable time {text!r}")
        hour = hour % 12 + (12 if match[4] in "Pp" else 0)
    return hour, minute, second


def _order_evidence(value: str) -> str | None:
    """'dmy' or 'mdy' if this date settles the order, 'either' if it needs one."""
    match = _NUMERIC.fullmatch(value.strip())
    if match is None:
        return None
    first, second = int(match[1]), int(match[2])
    if first == second:
        return None  # 05/05/2024 reads the same either way
    if first > 12 >= second:
        return "dmy"
    if second > 12 >= first:
        return "mdy"
    return "either" if first <= 12 and second <= 12 else None


def _read_time(value: str, order: str | None, date_format: str | None) -> datetime:
    """Naive (local) or aware datetime; raises _Unreadable."""
    value = value.strip()
    if date_format is not None:
        try:
            return datetime.strptime(value, date_format)  # noqa: DTZ007 zone added by caller
        except ValueError:
            raise _Unreadable(
                f"Date {value!r} does not match {date_format!r}"
            ) from None
    if _EPOCH.fullmatch(value):
        seconds = int(value) / (1000 if len(value) == 13 else 1)
        return datetime.fromtimestamp(seconds, tz=UTC)
    if _YEAR_FIRST.fullmatch(value):
        try:
            return datetime.fromisoformat(value.replace("/", "-").replace(".", "-", 2))
        except ValueError:
            raise _Unreadable(f"Unreadable date {value!r}") from None
    match = _NUMERIC.fullmatch(value)
    if match is not None:
        return _numeric(value, match, order)
    for pattern in _WORDY:
        try:
            return datetime.strptime(value, pattern)  # noqa: DTZ007 zone added by caller
        except ValueError:
            continue
    raise _Unreadable(f"Unreadable date {value!r}")


def _numeric(value: str, match: re.Match[str], order: str | None) -> datetime:
    first, second, year = int(match[1]), int(match[2]), int(match[3])
    if len(match[3]) == 2:
        year += 2000
    if order is None:  # this date needs no order, or cannot be read at all
        order = "mdy" if second > 12 else "dmy"
        if first != second and first <= 12 and second <= 12:
            raise AmbiguousDateOrder([value])
    day, month = (first, second) if order == "dmy" else (second, first)
    try:
        return datetime(year, month, day, *_clock(match[4]))  # noqa: DTZ001 zone added by caller
    except ValueError:
        first_part = "day" if order == "dmy" else "month"
        raise _Unreadable(
            f"{value!r} is not a date when read {first_part} first"
        ) from None


# -- other cells -----------------------------------------------------------

_DIRECTIONS = {
    Direction.INCOMING: {
        "in",
        "incoming",
        "inbound",
        "received",
        "receive",
        "recv",
        "inbox",
    },
    Direction.OUTGOING: {
        "out",
        "outgoing",
        "outbound",
        "sent",
        "send",
        "dialled",
        "dialed",
    },
    Direction.MISSED: {"missed", "missed call", "unanswered", "no answer"},
    Direction.REJECTED: {"rejected", "declined", "blocked", "refused"},
}
_DIRECTION_OF = {word: d for d, words in _DIRECTIONS.items() for word in words}
_CHANNEL_OF = {
    "sms": Channel.SMS,
    "text": Channel.SMS,
    "text message": Channel.SMS,
    "mms": Channel.MMS,
    "call": Channel.CALL,
    "voice": Channel.CALL,
    "phone call": Channel.CALL,
    "email": Channel.EMAIL,
    "e mail": Channel.EMAIL,
    "whatsapp": Channel.WHATSAPP,
}
_DURATION_UNITS = re.compile(
    r"(?:(\d+)\s*h\w*)?\s*(?:(\d+)\s*m\w*)?\s*(?:(\d+)\s*s\w*)?"
)


def read_duration(value: str) -> int | None:
    """Seconds in a duration cell; None if empty; raises ValueError if unreadable."""
    value = value.strip().lower()
    if not value:
        return None
    if value.isdigit():
        return int(value)
    if re.fullmatch(r"\d+(:\d{1,2}){1,2}", value):
        seconds = 0
        for part in value.split(":"):
            seconds = seconds * 60 + int(part)
        return seconds
    match = _DURATION_UNITS.fullmatch(value)
    if match is not None and any(match.groups()):
        hours, minutes, seconds = (int(g or 0) for g in match.groups())
        return hours * 3600 + minutes * 60 + seconds
    raise ValueError(value)


# -- the parser ------------------------------------------------------------


@dataclass(slots=True)
class _Row:
    line: int
    offset: int
    cells: list[str]


class _Reader:
    def __init__(
        self,
        report: ParseReport,
        tz: ZoneInfo,
        mapping: ColumnMapping,
        header: list[str],
        owner: str,
        date_format: str | None,
        dayfirst: bool | None,
    ) -> None:
        self.report = report
        self.tz = tz
        self.mapping = mapping
        self.owner = owner
        self.date_format = date_format
        self.order = None if dayfirst is None else ("dmy" if dayfirst else "mdy")
        self.needs_order = date_format is None and dayfirst is None
        if mapping.time is None:
            raise ParseError("Say which column holds the date before importing.")
        self.columns = {
            role: self._index(header, name)
            for role, name in (
                ("time", mapping.time),
                ("clock", mapping.clock),
                ("sender", mapping.sender),
                ("recipient", mapping.recipient),
                ("party", mapping.party),
                ("text", mapping.text),
                ("direction", mapping.direction),
                ("duration", mapping.duration),
                ("channel", mapping.channel),
            )
            if name is not None
        }
        self.width = max(self.columns.values()) + 1
        self.noted: set[str] = set()
        self.delimiter = ","

    @staticmethod
    def _index(header: list[str], name: str) -> int:
        try:
            return header.index(name)
        except ValueError:
            raise ParseError(f"This file has no column called {name!r}.") from None

    def cell(self, row: _Row, role: str) -> str:
        index = self.columns.get(role)
        return "" if index is None else row.cells[index]

    def settle(self, row: _Row) -> bool:
        """Learn the date order from this row; True if the row needs it."""
        evidence = _order_evidence(self.cell(row, "time"))
        if evidence in ("dmy", "mdy") and self.order is None:
            self.order = evidence
            first = "day" if evidence == "dmy" else "month"
            self.report.note(
                f"Dates read {first} first ({self.cell(row, 'time').strip()} "
                f"on line {row.line} can only be read that way)."
            )
        return evidence == "either"

    def entry(self, row: _Row) -> ParsedEntry | None:
        if len(row.cells) < self.width:
            self._problem(
                row, f"The row has {len(row.cells)} columns, not {self.width}"
            )
            return None
        try:
            when = self._when(row)
        except _Unreadable as error:
            self._problem(row, str(error))
            return None
        direction = _DIRECTION_OF.get(
            _normalise(self.cell(row, "direction")), Direction.UNKNOWN
        )
        raw_direction = self.cell(row, "direction").strip()
        if raw_direction and direction is Direction.UNKNOWN:
            self.report.note(f"Direction {raw_direction!r} was not understood.")
        channel = _CHANNEL_OF.get(
            _normalise(self.cell(row, "channel")), self.mapping.default_channel
        )
        duration = None
        try:
            duration = read_duration(self.cell(row, "duration"))
        except ValueError:
            self._problem(
                row, f"Unreadable duration {self.cell(row, 'duration')!r}; row kept"
            )
        sender, recipients = self._who(row, direction)
        return ParsedEntry(
            occurred_at=when,
            channel=channel,
            kind=EntryKind.CALL if channel is Channel.CALL else EntryKind.MESSAGE,
            sender=sender,
            recipients=recipients,
            text=self.cell(row, "text"),
            direction=direction,
            duration_seconds=duration,
            source_line=row.line,
            source_offset=row.offset,
        )

    def _note_once(self, key: str, text: str) -> None:
        if key not in self.noted:
            self.noted.add(key)
            self.report.note(text)

    def _problem(self, row: _Row, reason: str) -> None:
        self.report.problem(
            f"Line {row.line}: {reason}.",
            line=row.line,
            offset=row.offset,
            text=self.delimiter.join(row.cells),
        )

    def _when(self, row: _Row) -> datetime:
        value = self.cell(row, "time")
        clock = self.cell(row, "clock").strip()
        if not value.strip():
            raise _Unreadable("No date")
        when = _read_time(
            f"{value.strip()} {clock}" if clock else value, self.order, self.date_format
        )
        if when.tzinfo is not None:
            return when.astimezone(self.tz)
        local = when.replace(tzinfo=self.tz)
        if local.utcoffset() != local.replace(fold=1).utcoffset():
            back = local.astimezone(UTC).astimezone(self.tz)
            if back.replace(tzinfo=None) == when:
                self._note_once(
                    "repeated",
                    "Times in the hour repeated when the clocks went back were "
                    f"read as the first of the two (first on line {row.line}).",
                )
            else:
                self._note_once(
                    "skipped",
                    "Times that never happened (in the hour skipped when the "
                    "clocks went forward) were read as an hour later "
                    f"(first on line {row.line}).",
                )
            return back
        return local

    def _who(self, row: _Row, direction: Direction) -> tuple[str, tuple[str, ...]]:
        sender = self.cell(row, "sender")
        recipient = self.cell(row, "recipient")
        party = self.cell(row, "party")
        outgoing = direction is Direction.OUTGOING
        if party and outgoing:
            recipient = recipient or party
        elif party:
            sender = sender or party
        if not sender and outgoing:
            sender = self.owner
        if not recipient and direction not in (Direction.OUTGOING, Direction.UNKNOWN):
            recipient = self.owner
        return sender, (recipient,) if recipient else ()


def parse(
    source: IO[bytes],
    *,
    report: ParseReport,
    tz: ZoneInfo,
    mapping: ColumnMapping,
    date_format: str | None = None,
    dayfirst: bool | None = None,
    owner: str = OWNER,
) -> Iterator[ParsedEntry]:
    """Yield one entry per row of a CSV file, read through ``mapping``."""
    report.format = "csv"
    return count(
        number_repeats(
            _read(source, report, tz, mapping, date_format, dayfirst, owner)
        ),
        report,
    )


def _lines(
    source: IO[bytes], report: ParseReport, offsets: dict[int, int]
) -> Iterator[str]:
    """Decoded lines; ``offsets`` maps each line read to its byte offset."""
    offset = 0
    noted = False
    for number, raw in enumerate(source, start=1):
        offsets[number] = offset
        offset += len(raw)
        data = raw.removeprefix(_BOM) if number == 1 else raw
        text, fallback = _decode(data)
        if fallback and not noted:
            noted = True
            report.note(
                f"Some lines are not UTF-8 (first on line {number}); "
                "they were read as Windows-1252."
            )
        yield text


def _rows(
    source: IO[bytes], report: ParseReport
) -> tuple[list[str], str, Iterable[_Row]]:
    offsets: dict[int, int] = {}
    lines = _lines(source, report, offsets)
    first = next(lines, None)
    if first is None:
        raise ParseError("This file is empty.")
    delimiter = sniff_delimiter(first)
    reader = csv.reader(_chain(first, lines), delimiter=delimiter)
    header = next(reader)

    def rows() -> Iterator[_Row]:
        start = reader.line_num  # lines read so far
        for cells in reader:
            line = start + 1
            row_offset = offsets[line]
            for done in range(1, reader.line_num + 1):  # keep the dict small
                offsets.pop(done, None)
            start = reader.line_num
            if any(cell.strip() for cell in cells):
                yield _Row(line, row_offset, cells)

    return header, delimiter, rows()


def _chain(first: str, rest: Iterator[str]) -> Iterator[str]:
    yield first
    yield from rest


def _read(
    source: IO[bytes],
    report: ParseReport,
    tz: ZoneInfo,
    mapping: ColumnMapping,
    date_format: str | None,
    dayfirst: bool | None,
    owner: str,
) -> Iterator[ParsedEntry]:
    header, delimiter, rows = _rows(source, report)
    reader = _Reader(report, tz, mapping, header, owner, date_format, dayfirst)
    reader.delimiter = delimiter
    held: list[_Row] = []
    examples: list[str] = []
    for row in rows:
        if reader.needs_order and reader.order is None:
            if len(row.cells) >= reader.width and reader.settle(row):
                examples.append(reader.cell(row, "time").strip())
            if examples and reader.order is None:
                held.append(row)
                continue
        for waiting in [*held, row]:
            entry = reader.entry(waiting)
            if entry is not None:
                yield entry
        held.clear()
    if held:
        raise AmbiguousDateOrder(examples[:3])
