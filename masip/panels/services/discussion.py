"""What the panel discussed of each case listed, the risk level it agreed,
or why it did not reach the case."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from masip.access.actors import Actor
from masip.audit.events import EventType
from masip.cases.models import Case, CaseStatus, RiskLevel, RiskLevelChange
from masip.cases.services import status_apply
from masip.core.errors import DomainError
from masip.core.templatetags.govuk import govuk_date
from masip.core.versioning import save_new_version
from masip.panels.models import AgendaItem, Meeting
from masip.panels.services._common import (
    PanelInputError,
    ensure_open,
    ensure_started,
    input_error,
    item_of,
    open_meeting,
    record_event,
)

# The levels a panel may agree (not "not yet assessed").
AGREED_LEVELS = (RiskLevel.STANDARD, RiskLevel.MEDIUM, RiskLevel.HIGH)


@transaction.atomic
def discussion_record(
    *,
    actor: Actor,
    meeting: Meeting,
    item: AgendaItem,
    summary: str,
    victim_voice: str,
    decisions: str,
    agreed_risk_level: str,
    today: dt.date | None = None,
) -> AgendaItem:
    """Record the panel's discussion of a case and the risk level it agreed;
    a level other than the case's becomes the case's level, with the reason
    "Agreed at the panel meeting on <date>"."""
    locked = open_meeting(actor, meeting)
    ensure_started(locked, today or timezone.localdate())
    errors = {}
    values = {
        "summary": summary.strip(),
        "victim_voice": victim_voice.strip(),
        "decisions": decisions.strip(),
    }
    messages = {
        "summary": "Enter a summary of the discussion.",
        "victim_voice": "Enter what the advocate reported of the victim's views.",
        "decisions": "Enter the panel's decisions.",
    }
    for name, value in values.items():
        if not value:
            errors[name] = messages[name]
    if agreed_risk_level not in AGREED_LEVELS:
        errors["agreed_risk_level"] = "Select the risk level the panel agreed."
    if errors:
        raise PanelInputError(errors)
    row = item_of(locked, item)
    changed = [name for name, value in values.items() if getattr(row, name) != value]
    if row.agreed_risk_level != agreed_risk_level:
        changed.append("agreed_risk_level")
    if not row.discussed:
        changed.append("discussed")
    for name, value in values.items():
        setattr(row, name, value)
    row.agreed_risk_level = agreed_risk_level
    row.discussed = True
    row.not_discussed_reason = ""
    row.recorded_by = actor.user
    row.recorded_at = timezone.now()
    row.save()
    case = Case.objects.select_for_update().get(pk=row.case_id)
    record_event(
        EventType.DISCUSSION_RECORDED,
        actor=actor,
        target_type="agenda_item",
        target_id=row.public_id,
        case_reference=case.reference,
        changed_fields=changed,
    )
    if case.risk_level != agreed_risk_level:
        RiskLevelChange.objects.create(
            case=case,
            from_level=case.risk_level,
            to_level=agreed_risk_level,
            reason=f"Agreed at the panel meeting on {govuk_date(locked.held_on)}",
            changed_by=actor.user,
        )
        case.risk_level = agreed_risk_level
        save_new_version(case, update_fields=["risk_level"])
        record_event(
            EventType.CASE_RISK_CHANGED,
            actor=actor,
            target_type="case",
            target_id=case.reference,
            case_reference=case.reference,
            changed_fields=["risk_level"],
        )
    _start_panel_management(actor, case, locked.held_on)
    return row


def _start_panel_management(actor: Actor, case: Case, held_on: dt.date) -> None:
    """A case accepted from a referral is under panel management, so active,
    once the panel has discussed it (the caller holds the case's lock)."""
    if case.status != CaseStatus.ACCEPTED:
        return
    status_apply(
        actor=actor,
        locked=case,
        to_status=CaseStatus.ACTIVE,
        reason=f"Discussed at the panel meeting on {govuk_date(held_on)}",
    )


@transaction.atomic
def item_mark_not_discussed(
    *, actor: Actor, meeting: Meeting, item: AgendaItem, reason: str
) -> AgendaItem:
    """Settle an item the panel did not reach, with the reason."""
    locked = open_meeting(actor, meeting)
    reason = reason.strip()
    if not reason:
        raise input_error("reason", "Enter why the panel did not discuss the case.")
    row = item_of(locked, item)
    if row.discussed:
        raise DomainError(
            "The panel's discussion of this case is recorded, so it cannot be "
            "marked as not discussed."
        )
    row.not_discussed_reason = reason
    row.recorded_by = actor.user
    row.recorded_at = timezone.now()
    row.save(update_fields=["not_discussed_reason", "recorded_by", "recorded_at"])
    record_event(
        EventType.DISCUSSION_RECORDED,
        actor=actor,
        target_type="agenda_item",
        target_id=row.public_id,
        case_reference=item.case.reference,
        changed_fields=["not_discussed_reason"],
    )
    return row


def ensure_records_open(meeting: Meeting, *, today: dt.date | None = None) -> None:
    """``DomainError`` unless the meeting's records may be added to now (for
    the action form, whose service lives in ``action_services``)."""
    ensure_open(meeting)
    ensure_started(meeting, today or timezone.localdate())
