"""The agenda: listing cases (one or all suggested), taking them off, and
their order."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from masip.access.actors import Actor
from masip.accounts.models import Agency
from masip.audit.events import EventType
from masip.cases.models import Case, CaseStatus
from masip.core.errors import DomainError
from masip.panels.models import AgendaItem, Meeting
from masip.panels.services._common import (
    input_error,
    item_of,
    open_meeting,
    record_event,
)
from masip.risk.models import PanelQueueEntry

if TYPE_CHECKING:
    from masip.panels.agenda import Suggestion


def _agenda_changed(actor: Actor, meeting: Meeting, case: Case, change: str) -> None:
    record_event(
        EventType.AGENDA_CHANGED,
        actor=actor,
        target_type="meeting",
        target_id=meeting.public_id,
        case_reference=case.reference,
        changed_fields=[change],
    )


def _add(
    actor: Actor, meeting: Meeting, case: Case, reason: str, detail: str
) -> AgendaItem:
    if reason not in AgendaItem.Reason.values:
        raise input_error("reason", "Select why the case is listed.")
    detail = detail.strip()
    if reason == AgendaItem.Reason.ADDED and not detail:
        raise input_error(
            "reason_detail", "Enter why the panel should discuss the case."
        )
    if len(detail) > 300:
        raise input_error(
            "reason_detail",
            "Why the panel should discuss it must be 300 characters or fewer.",
        )
    lead = Agency.objects.filter(pk=case.lead_agency_id).values("site_id").first()
    if lead is None or lead["site_id"] != meeting.panel.site_id:
        raise input_error(
            "reference", "Enter the reference of a case led in this site."
        )
    if case.status == CaseStatus.CLOSED:
        raise input_error(
            "reference", f"{case.reference} is closed: it cannot be listed."
        )
    if AgendaItem.objects.filter(meeting=meeting, case=case).exists():
        raise input_error("reference", f"{case.reference} is already on the agenda.")
    last = AgendaItem.objects.filter(meeting=meeting).aggregate(n=Max("position"))["n"]
    item = AgendaItem.objects.create(
        meeting=meeting,
        case=case,
        reason=reason,
        reason_detail=detail,
        position=(last or 0) + 1,
    )
    # Listed: the case leaves the risk queue for the panel.
    PanelQueueEntry.objects.filter(case=case, taken_at__isnull=True).update(
        taken_at=timezone.now()
    )
    _agenda_changed(actor, meeting, case, "added")
    return item


@transaction.atomic
def agenda_add(
    *,
    actor: Actor,
    meeting: Meeting,
    case: Case,
    reason: str,
    reason_detail: str = "",
) -> AgendaItem:
    """List a case on the agenda, last; a case waiting in the panel queue is
    taken from it."""
    locked = open_meeting(actor, meeting)
    return _add(actor, locked, case, reason, reason_detail)


@transaction.atomic
def agenda_add_all(
    *, actor: Actor, meeting: Meeting, suggestions: Iterable[Suggestion]
) -> list[AgendaItem]:
    """List every suggested case, in the order suggested."""
    locked = open_meeting(actor, meeting)
    return [_add(actor, locked, s.case, s.reason, s.detail) for s in suggestions]


def _renumber(meeting: Meeting, items: list[AgendaItem]) -> None:
    for position, item in enumerate(items, start=1):
        item.position = position
    AgendaItem.objects.bulk_update(items, ["position"])


@transaction.atomic
def agenda_remove(*, actor: Actor, meeting: Meeting, item: AgendaItem) -> None:
    """Take a case off the agenda, unless the meeting has recorded anything
    about it; a case listed from the panel queue goes back to the queue."""
    locked = open_meeting(actor, meeting)
    row = item_of(locked, item)
    if row.settled or row.shares.exists() or row.actions.exists():
        raise DomainError(
            f"{item.case.reference} has records from this meeting, so it stays "
            "on the agenda. Mark it as not discussed instead."
        )
    case = row.case
    row.delete()
    if (
        row.reason == AgendaItem.Reason.QUEUED
        and not PanelQueueEntry.objects.filter(
            case=case, taken_at__isnull=True
        ).exists()
    ):
        entry = (
            PanelQueueEntry.objects.filter(case=case, taken_at__isnull=False)
            .order_by("-taken_at", "-id")
            .first()
        )
        if entry is not None:
            entry.taken_at = None
            entry.save(update_fields=["taken_at"])
    _renumber(locked, list(AgendaItem.objects.filter(meeting=locked)))
    _agenda_changed(actor, locked, case, "removed")


@transaction.atomic
def agenda_move(*, actor: Actor, meeting: Meeting, item: AgendaItem, up: bool) -> None:
    """Move a case one place up or down the agenda."""
    locked = open_meeting(actor, meeting)
    row = item_of(locked, item)
    items = list(
        AgendaItem.objects.filter(meeting=locked)
        .select_related("case")
        .order_by("position", "id")
    )
    index = next(i for i, it in enumerate(items) if it.pk == row.pk)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(items):
        return
    items[index], items[other] = items[other], items[index]
    _renumber(locked, items)
    _agenda_changed(actor, locked, items[other].case, "position")
