"""Background tasks of the alerts app (run by the worker, ADR 0011).

Every committed audit event a rule watches is queued here rather than judged
inside the request that wrote it: the request pays for one row in the task
queue, and the worker runs the rules. Evaluating an event is idempotent (a
finding already recorded for the same rule and event is skipped, see
``services.alert_record_finding``), so a task run twice, or a task and a
``masip alerts scan`` over the same period, raise one alert.
"""

from django.tasks import task

from masip.alerts import engine
from masip.alerts.rules import WATCHED_EVENT_TYPES
from masip.audit.models import AuditEvent


@task
def evaluate_event(event_id: int) -> int:
    """Run the rules over one audit event; the number of alerts raised."""
    event = AuditEvent.objects.filter(pk=event_id).first()
    if event is None:  # never committed, or a test database reset since
        return 0
    return engine.evaluate(event)


def enqueue_committed(event: AuditEvent) -> None:
    """The audit hook: queue a watched event for the worker once it commits.

    Events no rule watches, and events with no member of staff acting for an
    agency behind them, cost nothing. If the queue write fails after the event
    committed, the hook's error is logged (the write stands) and
    ``masip alerts scan`` catches the event up.
    """
    if (
        event.event_type in WATCHED_EVENT_TYPES
        and event.actor_id is not None
        and event.agency_id is not None
    ):
        evaluate_event.enqueue(event.pk)
