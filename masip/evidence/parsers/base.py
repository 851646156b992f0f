"""The one shape every evidence parser produces.

A parser reads an export (WhatsApp, SMS Backup & Restore XML, email, call
log, CSV) as a byte stream and yields :class:`ParsedEntry` values one at a
time, so that a file of a million messages never sits in memory. Lines it
cannot read go into the :class:`ParseReport` the caller passes in, never into
an exception: evidence is parsed as far as it can be. Only a file that cannot
be read at all (an unknown format, or dates whose order cannot be told and
were not given) raises :class:`ParseError`.

Parsers keep each message's text exactly as the export holds it: newlines are
kept, and nothing is normalised or trimmed beyond the separators of the
format itself. Times are always timezone-aware.
"""

from __future__ import annotations

import enum
import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import NamedTuple

# How many problems a report keeps word for word; the rest are only counted.
KEPT_PROBLEMS = 20
# How much of a bad line a problem quotes.
EXCERPT_CHARS = 120


class Channel(enum.StrEnum):
    WHATSAPP = "whatsapp"
    SMS = "sms"
    MMS = "mms"
    CALL = "call"
    EMAIL = "email"
    OTHER = "other"


class EntryKind(enum.StrEnum):
    MESSAGE = "message"
    SYSTEM = "system"  # "Messages are end-to-end encrypted", "X left", ...
    MEDIA_OMITTED = "media_omitted"  # "<Media omitted>", "image omitted"
    DELETED = "deleted"  # "This message was deleted"
    CALL = "call"


class Direction(enum.StrEnum):
    """Which way an item went, seen from the phone or mailbox it came from."""

    INCOMING = "incoming"
    OUTGOING = "outgoing"
    MISSED = "missed"
    REJECTED = "rejected"
    UNKNOWN = "unknown"


class ParsedEntry(NamedTuple):
    """One message, call or system line, as the export states it.

    A named tuple rather than a frozen dataclass: just as immutable, and
    several times cheaper to build, which matters a million times over.
    """

    occurred_at: datetime  # always timezone-aware
    channel: Channel
    kind: EntryKind
    sender: str
    text: str = ""
    recipients: tuple[str, ...] = ()
    attachments: tuple[str, ...] = ()
    direction: Direction = Direction.UNKNOWN
    duration_seconds: int | None = None  # calls only
    source_line: int | None = None  # 1-based line where the item starts
    source_offset: int | None = None  # byte offset where the item starts
    # Identical items in one export (two "ok"s in the same minute) are told
    # apart by their order among identical items, so a re-import matches
    # each to itself and a repeat is not taken for a duplicate.
    occurrence: int = 0

    def digest(self) -> str:
        """SHA-256 of what the item says, not of where the file put it.

        The same message read from two exports of the same chat has the same
        digest, which is how a re-import adds nothing twice.
        """
        return entry_digest(self)


# The UTC text of the last time digested. Parsers hand out one datetime per
# distinct timestamp and neighbouring items often share it, so this skips the
# conversion and formatting, the costliest part of a digest, for them. A
# tuple is swapped whole, so concurrent callers can only miss, never mismatch.
_last_when: tuple[datetime | None, str] = (None, "")


def entry_digest(entry: ParsedEntry) -> str:
    global _last_when
    occurred = entry.occurred_at
    last, when = _last_when
    if occurred is not last:
        when = occurred.astimezone(UTC).isoformat()
        _last_when = (occurred, when)
    # The enums are StrEnums: joined as themselves they give their values.
    parts = (
        entry.channel,
        entry.kind,
        when,
        entry.sender,
        "\x1e".join(entry.recipients),
        entry.text,
        "\x1e".join(entry.attachments),
        entry.direction,
        "" if entry.duration_seconds is None else str(entry.duration_seconds),
        str(entry.occurrence),
    )
    return hashlib.sha256(
        "\x1f".join(parts).encode("utf-8", "surrogatepass")
    ).hexdigest()


@dataclass(frozen=True, slots=True)
class ParseProblem:
    """A line (or record) that could not be read, and why."""

    reason: str
    line: int | None = None
    offset: int | None = None
    excerpt: str = ""


@dataclass(slots=True)
class ParseReport:
    """What a parser read: counts, the first problems, and what it assumed."""

    format: str = ""
    items_read: int = 0
    problem_count: int = 0
    problems: list[ParseProblem] = field(default_factory=list)
    # Plain-words notes on what the parser had to decide, e.g. "dates read
    # day first (13/02/2024 occurs)"; shown to the user beside the counts.
    notes: list[str] = field(default_factory=list)
    participants: dict[str, int] = field(default_factory=dict)

    def problem(
        self,
        reason: str,
        *,
        line: int | None = None,
        offset: int | None = None,
        text: str = "",
    ) -> None:
        self.problem_count += 1
        if len(self.problems) < KEPT_PROBLEMS:
            excerpt = text[:EXCERPT_CHARS] + ("…" if len(text) > EXCERPT_CHARS else "")
            self.problems.append(ParseProblem(reason, line, offset, excerpt))

    def note(self, text: str) -> None:
        if text not in self.notes:
            self.notes.append(text)

    def summary(self) -> str:
        """One sentence a user can read: how many items, how many bad lines."""
        items = f"{self.items_read:,} item{'s' if self.items_read != 1 else ''} read"
        if not self.problem_count:
            return f"{items}; every line could be read."
        lines = ", ".join(str(p.line) for p in self.problems[:5] if p.line is not None)
        where = (
            f" (first at line{'s' if ',' in lines else ''} {lines})" if lines else ""
        )
        plural = "s" if self.problem_count != 1 else ""
        return f"{items}; {self.problem_count:,} line{plural} could not be read{where}."


class ParseError(Exception):
    """The file cannot be read at all; ``str(error)`` is shown to the user."""


class AmbiguousDateOrder(ParseError):
    """Every date in the file fits both day-first and month-first.

    The user must say which; the parser never guesses silently. Pass
    ``date_order="dmy"`` or ``"mdy"`` to the parser once they have.
    """

    def __init__(self, examples: Iterable[str] = ()) -> None:
        self.examples = tuple(examples)
        shown = ", ".join(self.examples[:3])
        super().__init__(
            "Every date in this file could be read day first or month first"
            + (f" (for example {shown})" if shown else "")
            + ". Say which order the phone used before importing."
        )


Digested = tuple[str, ParsedEntry]


def digested(entries: Iterable[ParsedEntry]) -> Iterator[Digested]:
    """Each entry with its digest first; a parser that computes digests as
    it reads (the compiled WhatsApp scanner) gives such pairs itself."""
    for entry in entries:
        yield entry.digest(), entry


def count(entries: Iterable[ParsedEntry], report: ParseReport) -> Iterator[ParsedEntry]:
    """Pass entries through, counting them and their senders in ``report``."""
    seen = report.participants
    n = 0
    for entry in entries:
        n += 1
        seen[entry.sender] = seen.get(entry.sender, 0) + 1
        yield entry
    report.items_read += n


def number_repeats(entries: Iterable[ParsedEntry]) -> Iterator[ParsedEntry]:
    """Give identical items at the same time their order among themselves.

    Only items with the same time can be identical, and exports are in time
    order, so only the current time's items are remembered: memory stays flat
    however long the export is.
    """
    current: datetime | None = None
    seen: dict[tuple[object, ...], int] = {}
    for entry in entries:
        if entry.occurred_at != current:
            current = entry.occurred_at
            seen.clear()
        key = (
            entry.channel,
            entry.kind,
            entry.sender,
            entry.text,
            entry.recipients,
            entry.attachments,
            entry.direction,
            entry.duration_seconds,
        )
        n = seen.get(key, 0)
        seen[key] = n + 1
        yield entry if n == 0 else entry._replace(occurrence=n)
