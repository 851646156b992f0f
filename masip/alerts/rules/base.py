"""What a detector is: a rule over one committed audit event.

A rule names the event types it listens to and, given an ``EventContext``,
returns a ``Finding`` or ``None``. The context fetches the facts rules share
(the acting user, the case's people, allocations, the user's recent events)
once per event and only when a rule asks, so an event no rule listens to costs
nothing and a normal page view costs one or two small queries.

Rules judge the event as of when it happened (``event.occurred_at``), never
"now", so a replay (``masip alerts scan``) decides exactly as real time did.

Adding a rule: write a class with ``code``, ``event_types`` and ``evaluate``,
add its code to ``models.RuleCode`` (a migration for the choices) and list it
in ``rules.RULES``. A rule that needs data the context does not offer adds a
cached accessor here (as ``home_address`` for the shared-address rule), so
every rule keeps one cheap way to each fact.
"""

import datetime as dt
from dataclasses import dataclass
from functools import cached_property
from typing import ClassVar, Protocol

from django.db.models import Q

from masip.accounts.models import Membership, StaffHomeAddress, User
from masip.alerts.models import RuleCode
from masip.audit.events import EventType
from masip.audit.models import AuditEvent
from masip.cases.models import CaseAllocation

# Events that mean "the user opened something inside a case".
CASE_OPENED = frozenset(
    {
        EventType.CASE_VIEWED,
        EventType.CASE_PAGE_OPENED,
        EventType.PERSON_VIEWED,
        EventType.INCIDENT_VIEWED,
    }
)
WINDOW_CHUNK = 200


@dataclass(frozen=True)
class Finding:
    """A rule fired: what to tell the managers, and the events behind it."""

    rule: RuleCode
    summary: str
    case_reference: str = ""
    # Ids of earlier events that make up the pattern (the trigger is implied).
    evidence: tuple[int, ...] = ()


class Rule(Protocol):
    code: ClassVar[RuleCode]
    event_types: ClassVar[frozenset[str]]

    def evaluate(self, ctx: "EventContext") -> Finding | None: ...


class EventContext:
    """One audit event and the facts the rules ask about it, each read once."""

    def __init__(self, event: AuditEvent) -> None:
        if event.actor_id is None or event.agency_id is None:
            raise ValueError("Rules judge what a member of staff did for an agency.")
        self.event = event
        self.user_id: int = event.actor_id
        self.agency_id: int = event.agency_id

    @property
    def at(self) -> dt.datetime:
        return self.event.occurred_at

    @cached_property
    def subject_name(self) -> str:
        """The user's full name as the event recorded it ("Name <email>")."""
        name, bracket, _ = self.event.actor_label.rpartition(" <")
        if bracket and name:
            return name
        user = User.objects.filter(pk=self.user_id).only("full_name").first()
        return user.full_name if user else ""

    @cached_property
    def home_address(self) -> StaffHomeAddress | None:
        """The user's recorded home address (sealed; opened only if a rule reads
        ``line_1``), or None. One query, whichever rules ask."""
        return (
            StaffHomeAddress.objects.filter(user_id=self.user_id)
            .only("seal_id", "line_1", "postcode_index")
            .first()
        )

    def allocated_references(self, references: set[str]) -> set[str]:
        """Those of ``references`` allocated to the user or their team at the time.

        One query: the team is the user's team in the acting agency, if any.
        """
        if not references:
            return set()
        teams = Membership.objects.filter(
            user_id=self.user_id, agency_id=self.agency_id, team__isnull=False
        ).values("team_id")
        teammates = Membership.objects.filter(team_id__in=teams, is_active=True).values(
            "user_id"
        )
        allocations = CaseAllocation.objects.filter(
            Q(ended_at__isnull=True) | Q(ended_at__gt=self.at),
            Q(user_id=self.user_id) | Q(user_id__in=teammates),
            case__reference__in=references,
            allocated_at__lte=self.at,
        )
        return set(allocations.values_list("case__reference", flat=True))

    def is_allocated(self, reference: str) -> bool:
        return bool(self.allocated_references({reference}))

    def recent(self, types: frozenset[str], minutes: int) -> list[AuditEvent]:
        """The user's events of ``types`` in the window ending with this event."""
        return [e for e in self._window(minutes) if e.event_type in types]

    def _window(self, minutes: int) -> list[AuditEvent]:
        """Every event of the user's in the last ``minutes``, oldest first.

        Read backwards along the ``(actor_id, -seq)`` index a chunk at a time,
        stopping at the first event older than the window: the trail has no
        index on time, and a filter on it would walk the user's whole history.
        """
        cache: dict[int, list[AuditEvent]] = self.__dict__.setdefault("_windows", {})
        if minutes in cache:
            return cache[minutes]
        since = self.at - dt.timedelta(minutes=minutes)
        found: list[AuditEvent] = []
        upper = self.event.seq + 1
        while True:
            chunk = list(
                AuditEvent.objects.filter(actor_id=self.user_id, seq__lt=upper)
                .order_by("-seq")
                .only("id", "seq", "occurred_at", "event_type", "case_reference")[
                    :WINDOW_CHUNK
                ]
            )
            fresh = [e for e in chunk if e.occurred_at > since]
            found.extend(fresh)
            if len(fresh) < WINDOW_CHUNK:
                break
            upper = chunk[-1].seq
        cache[minutes] = found[::-1]
        return cache[minutes]
