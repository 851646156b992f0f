"""Reads of the audit trail."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from masip.access.permissions import Permission
from masip.access.policy import Access
from masip.audit.models import AuditEvent


@dataclass(frozen=True)
class EventFilters:
    """What an auditor narrowed the trail to; empty values filter nothing."""

    case_reference: str = ""
    actor: str = ""
    event_type: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None


def audit_event_list(*, access: Access, filters: EventFilters) -> QuerySet[AuditEvent]:
    """The whole trail, newest first, narrowed by ``filters``.

    Only a holder of ``AUDIT_VIEW`` reads the trail across cases.
    """
    access.require(Permission.AUDIT_VIEW)
    events = AuditEvent.objects.order_by("-seq")
    if filters.case_reference:
        events = events.filter(case_reference=filters.case_reference)
    if filters.actor:
        # The label is "Full Name <email>", so this matches the email address
        # (or the name) wherever the text occurs.
        events = events.filter(actor_label__icontains=filters.actor)
    if filters.event_type:
        events = events.filter(event_type=filters.event_type)
    if filters.date_from:
        events = events.filter(occurred_at__gte=_start_of(filters.date_from))
    if filters.date_to:
        next_day = filters.date_to + dt.timedelta(days=1)
        events = events.filter(occurred_at__lt=_start_of(next_day))
    return events


def _start_of(day: dt.date) -> dt.datetime:
    """Midnight at the start of ``day`` in UK time, so dates mean what people see."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))
