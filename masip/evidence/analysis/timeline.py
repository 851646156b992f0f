"""The columnar timeline an analysis reads, and the incidents beside it.

A :class:`Timeline` holds one list per column (times, who sent it, channel,
kind, sender, text) rather than one object per entry: a million entries
are a handful of lists, built straight from ``values_list`` rows or parser
output, and the analysis works a column at a time. Nothing here touches the
database.

Times are whole UTC epoch seconds, in time order (the constructor sorts them
if they are not). Who sent each entry is one character of ``roles``:
``P`` the perpetrator, ``V`` the victim, ``O`` anyone or anything else.
System lines ("Messages are end-to-end encrypted") count as ``O`` whoever
the export says sent them, so they are never counted as contact.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import compress, pairwise
from typing import Any, NamedTuple

PERPETRATOR = "P"
VICTIM = "V"
OTHER = "O"
SYSTEM_KIND = "system"

# Behaviours (masip.incidents.models.Behaviour values) that put the
# perpetrator physically near the victim or their property.
PHYSICAL_APPROACH_BEHAVIOURS = frozenset(
    {"following", "loitering", "watching", "property"}
)


@dataclass(frozen=True, slots=True)
class IncidentFact:
    """What the analysis needs of a recorded incident.

    ``threat`` is true when the incident's narrative was flagged as
    containing a threat (a practitioner's judgement, not the lexicon's).
    """

    occurred_at: datetime
    behaviours: tuple[str, ...] = ()
    channels: tuple[str, ...] = ()
    threat: bool = False

    @property
    def is_physical_approach(self) -> bool:
        return not PHYSICAL_APPROACH_BEHAVIOURS.isdisjoint(self.behaviours)


class TimelineEntry(NamedTuple):
    """One row of a timeline, for showing an entry a figure refers to."""

    position: int  # in the timeline
    occurred_at: datetime  # UTC
    role: str
    channel: str
    kind: str
    sender: str
    text: str


def _epoch_seconds(values: Sequence[datetime | float | int]) -> list[int]:
    if not values:
        return []
    if isinstance(values[0], datetime):
        if any(not isinstance(v, datetime) or v.tzinfo is None for v in values):
            raise ValueError("Every occurred_at must be a timezone-aware datetime.")
        return [math.floor(v.timestamp()) for v in values]  # type: ignore[union-attr]
    return list(map(math.floor, values))  # type: ignore[arg-type]


def _column(values: Sequence[str] | None, n: int, default: str, name: str) -> list[str]:
    if values is None:
        return [default] * n
    if len(values) != n:
        raise ValueError(f"The {name} column has {len(values)} values, not {n}.")
    return list(values)


class Timeline:
    """Entries of one chat, call log or mailbox, as columns in time order."""

    __slots__ = ("channels", "kinds", "roles", "senders", "texts", "times")

    def __init__(
        self,
        times: list[int],
        roles: str,
        channels: list[str],
        kinds: list[str],
        senders: list[str],
        texts: list[str],
    ) -> None:
        self.times = times
        self.roles = roles
        self.channels = channels
        self.kinds = kinds
        self.senders = senders
        self.texts = texts

    @classmethod
    def from_columns(
        cls,
        *,
        occurred_at: Sequence[datetime | float | int],
        from_perpetrator: Sequence[bool],
        from_victim: Sequence[bool] | None = None,
        channel: Sequence[str] | None = None,
        kind: Sequence[str] | None = None,
        sender: Sequence[str] | None = None,
        text: Sequence[str] | None = None,
    ) -> Timeline:
        """Build a timeline from parallel columns.

        ``occurred_at`` holds aware datetimes or UTC epoch seconds (fractions
        are dropped). When ``from_victim`` is left out, every entry not from
        the perpetrator is taken to be from the victim. ``kind`` defaults to
        ``"message"``; entries of kind ``"system"`` never count as contact.
        """
        n = len(occurred_at)
        times = _epoch_seconds(occurred_at)
        perpetrator = list(from_perpetrator)
        victim = (
            [not p for p in perpetrator] if from_victim is None else list(from_victim)
        )
        if len(perpetrator) != n or len(victim) != n:
            raise ValueError("Every column must have one value per entry.")
        kinds = _column(kind, n, "message", "kind")
        roles = "".join(
            [
                OTHER
                if k == SYSTEM_KIND
                else PERPETRATOR
                if p
                else VICTIM
                if v
                else OTHER
                for p, v, k in zip(perpetrator, victim, kinds, strict=True)
            ]
        )
        timeline = cls(
            times,
            roles,
            _column(channel, n, "other", "channel"),
            kinds,
            _column(sender, n, "", "sender"),
            _column(text, n, "", "text"),
        )
        return timeline._sorted()

    @classmethod
    def from_entries(
        cls,
        entries: Iterable[object],
        *,
        perpetrator: Collection[str],
        victim: Collection[str],
    ) -> Timeline:
        """Build a timeline from parser output (``ParsedEntry`` values).

        ``perpetrator`` and ``victim`` are the sender names, numbers or
        addresses that belong to each side (a perpetrator may use several).
        """
        rows = [
            (e.occurred_at, e.sender, str(e.channel), str(e.kind), e.text)  # type: ignore[attr-defined]
            for e in entries
        ]
        senders = [r[1] for r in rows]
        return cls.from_columns(
            occurred_at=[r[0] for r in rows],
            from_perpetrator=[s in perpetrator for s in senders],
            from_victim=[s in victim for s in senders],
            channel=[r[2] for r in rows],
            kind=[r[3] for r in rows],
            sender=senders,
            text=[r[4] for r in rows],
        )

    def _sorted(self) -> Timeline:
        times = self.times
        if all(a <= b for a, b in pairwise(times)):
            return self
        order = sorted(range(len(times)), key=times.__getitem__)

        def take(column: Sequence[Any]) -> list[Any]:
            return list(map(column.__getitem__, order))

        return Timeline(
            take(times),
            "".join(take(self.roles)),
            take(self.channels),
            take(self.kinds),
            take(self.senders),
            take(self.texts),
        )

    def __len__(self) -> int:
        return len(self.times)

    def indices(self, role: str) -> list[int]:
        """Positions of the entries of one role, in time order."""
        return list(compress(range(len(self.roles)), map(role.__eq__, self.roles)))

    def entry(self, index: int) -> TimelineEntry:
        return TimelineEntry(
            index,
            datetime.fromtimestamp(self.times[index], UTC),
            self.roles[index],
            self.channels[index],
            self.kinds[index],
            self.senders[index],
            self.texts[index],
        )
