"""Running the detectors: on each committed audit event, and over a past period.

``tasks.enqueue_committed`` is registered with
``masip.audit.services.on_recorded`` (see apps.py): after every audit write a
rule watches commits, it queues ``tasks.evaluate_event``, and the background
worker calls ``evaluate`` on it. ``scan`` replays a period in sequence order
through the same code (the catch-up path, for events whose task was lost);
findings already recorded (same rule, same event) are skipped, so a scan over a
period the worker already saw adds nothing, and a task run twice raises once.
"""

import datetime as dt
import logging
from dataclasses import dataclass

from masip.alerts import services
from masip.alerts.rules import RULES_BY_EVENT_TYPE, WATCHED_EVENT_TYPES, EventContext
from masip.alerts.rules.base import Finding
from masip.audit.models import AuditEvent

logger = logging.getLogger(__name__)
SCAN_CHUNK = 2000


def findings_for(event: AuditEvent) -> list[Finding]:
    """What the rules make of one event (no writes)."""
    rules = RULES_BY_EVENT_TYPE.get(event.event_type, ())
    if not rules or event.actor_id is None or event.agency_id is None:
        return []
    ctx = EventContext(event)
    return [f for rule in rules if (f := rule.evaluate(ctx)) is not None]


def evaluate(event: AuditEvent) -> int:
    """Run the rules over ``event`` and record what they find; alerts raised."""
    raised = 0
    for finding in findings_for(event):
        outcome = services.alert_record_finding(event=event, finding=finding)
        raised += outcome is services.Recorded.RAISED
    return raised


def evaluate_committed(event: AuditEvent) -> None:
    """Evaluate one event in the committing process, if a rule watches it.

    No longer the audit hook (that queues a task instead, see tasks.py); kept
    for the benchmark, which compares the two.
    """
    if event.event_type in WATCHED_EVENT_TYPES:
        evaluate(event)


@dataclass(frozen=True)
class ScanReport:
    events: int
    raised: int


def scan(*, since: dt.datetime, until: dt.datetime | None = None) -> ScanReport:
    """Replay the rules over every event from ``since`` (to ``until``)."""
    events = AuditEvent.objects.filter(
        occurred_at__gte=since, event_type__in=WATCHED_EVENT_TYPES
    )
    if until is not None:
        events = events.filter(occurred_at__lt=until)
    seen = raised = 0
    for event in events.order_by("seq").iterator(chunk_size=SCAN_CHUNK):
        seen += 1
        raised += evaluate(event)
    logger.info("Alert scan: %s events, %s alerts raised.", seen, raised)
    return ScanReport(events=seen, raised=raised)
