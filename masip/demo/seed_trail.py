"""The audit trail a seeded case leaves behind, as rows for ``append_events``.

A real case collects an event for everything done on it and every page opened
on it: at national scale that is most of the audit table, and the case's
access log and ``masip audit verify`` must be measured against it. ``Trail``
writes the events the services and views would have written (the same types,
targets and labels), in time order within each case.
"""

import datetime as dt
import random
import uuid
from dataclasses import dataclass

from masip.accounts.models import Agency, User
from masip.audit.bulk import EventRow
from masip.audit.events import EventType

# Pages of a case that are opened most, by URL name (as the views record them).
CASE_PAGES = (
    "incidents:incident-list",
    "cases:note-list",
    "risk:case-risk",
    "cases:access-log",
)
VIEWS_PER_CASE = (10, 41)  # pages and records opened after the case is made
WORKDAY_HOURS = (8, 18)


@dataclass(frozen=True, slots=True)
class Who:
    """A member of staff acting for an agency, as the audit trail names them."""

    user_id: int
    label: str
    agency_id: int
    agency_label: str
    role: str
    ip_address: str

    @classmethod
    def of(cls, user: User, agency: Agency, role: str) -> "Who":
        return cls(
            user_id=user.pk,
            label=f"{user.full_name} <{user.email}>",
            agency_id=agency.pk,
            agency_label=agency.name,
            role=role,
            # Each member of staff works from one address of a private range.
            ip_address=f"10.20.{user.pk // 250 % 256}.{user.pk % 250 + 1}",
        )


class Trail:
    """Collects one case's events at a time; ``take`` hands a chunk's over."""

    def __init__(self, rng: random.Random, *, now: dt.datetime) -> None:
        self.rng = rng
        self.now = now
        self._case: list[EventRow] = []
        self._done: list[EventRow] = []
        self._opened = now
        self._targets: list[tuple[str, str]] = []

    def _add(
        self,
        when: dt.datetime,
        event_type: EventType,
        who: Who,
        reference: str,
        target: tuple[str, object],
    ) -> None:
        self._case.append(
            EventRow(
                occurred_at=min(when, self.now),
                event_type=event_type.value,
                actor_id=who.user_id,
                actor_label=who.label,
                agency_id=who.agency_id,
                agency_label=who.agency_label,
                role=who.role,
                target_type=target[0],
                target_id=str(target[1]),
                case_reference=reference,
                ip_address=who.ip_address,
            )
        )

    def opened(self, reference: str, who: Who, case_id: int, when: dt.datetime) -> None:
        self._opened = when
        self._targets = []
        self._add(when, EventType.CASE_CREATED, who, reference, ("case", case_id))

    def allocated(
        self, reference: str, who: Who, allocation_id: int, when: dt.datetime
    ) -> None:
        target = ("allocation", allocation_id)
        self._add(when, EventType.CASE_ALLOCATED, who, reference, target)

    def shared(
        self, reference: str, who: Who, share_id: int, when: dt.datetime
    ) -> None:
        self._add(when, EventType.CASE_SHARED, who, reference, ("share", share_id))

    def person_added(
        self, reference: str, who: Who, public_id: uuid.UUID, when: dt.datetime
    ) -> None:
        target = ("person", str(public_id))
        self._targets.append(target)
        self._add(when, EventType.PERSON_ADDED, who, reference, target)

    def incident(
        self, reference: str, who: Who, public_id: uuid.UUID, at: dt.datetime
    ) -> None:
        """An incident is recorded when it is told, never before the case."""
        target = ("incident", str(public_id))
        self._targets.append(target)
        when = max(at, self._opened)
        self._add(when, EventType.INCIDENT_RECORDED, who, reference, target)

    def views(
        self, reference: str, readers: list[Who], start: dt.date, end: dt.date
    ) -> None:
        """Pages and records of the case opened by its readers over its life."""
        rng = self.rng
        days = max(0, (end - start).days)
        for _ in range(rng.randint(*VIEWS_PER_CASE)):
            day = start + dt.timedelta(days=rng.randint(0, days))
            when = dt.datetime.combine(
                day,
                dt.time(rng.randint(*WORKDAY_HOURS), rng.randrange(60)),
                tzinfo=self._opened.tzinfo,
            )
            who = readers[0] if len(readers) == 1 else rng.choice(readers)
            roll = rng.random()
            if roll < 0.5:
                event, target = EventType.CASE_VIEWED, ("case", reference)
            elif roll < 0.75:
                event, target = EventType.CASE_PAGE_OPENED, (rng.choice(CASE_PAGES), "")
            else:
                target = rng.choice(self._targets)
                event = (
                    EventType.PERSON_VIEWED
                    if target[0] == "person"
                    else EventType.INCIDENT_VIEWED
                )
            self._add(max(when, self._opened), event, who, reference, target)

    def close_case(self) -> None:
        """File the case's events in time order (the sort is stable)."""
        self._case.sort(key=_when)
        self._done.extend(self._case)
        self._case = []

    def take(self) -> list[EventRow]:
        done, self._done = self._done, []
        return done


def _when(row: EventRow) -> dt.datetime:
    return row.occurred_at
