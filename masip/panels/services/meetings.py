"""A meeting's diary entry and its course: scheduled, changed, cancelled,
held, and its minutes issued."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from masip.access.actors import Actor
from masip.accounts.models import Notification
from masip.accounts.notices import notify
from masip.audit.events import EventType
from masip.core.errors import DomainError
from masip.core.templatetags.govuk import govuk_date
from masip.core.versioning import apply_changes, ensure_current, save_new_version
from masip.panels import selectors
from masip.panels.models import Meeting, Panel
from masip.panels.services._common import (
    input_error,
    locked_meeting,
    record_event,
    require_site,
)

MEETING_FIELDS = ("kind", "held_on", "starts_at", "location")


def meeting_date_problem(kind: str, held_on: dt.date, today: dt.date) -> str:
    """Why the date will not do, or ``""``: only emergencies go in the past."""
    if kind == Meeting.Kind.SCHEDULED and held_on < today:
        return (
            "The date of a scheduled meeting must be today or in the future. "
            "Choose emergency meeting to record one already held."
        )
    return ""


def meeting_current_values(meeting: Meeting) -> dict[str, Any]:
    return {name: getattr(meeting, name) for name in MEETING_FIELDS}


def _meeting_link(meeting: Meeting) -> str:
    return reverse("panels:meeting-detail", kwargs={"public_id": meeting.public_id})


def _tell_members(meeting: Meeting, message: str) -> None:
    notify(
        selectors.meeting_notice_recipients(meeting.panel),
        kind=Notification.Kind.MEETING_SCHEDULED,
        message=message,
        link=_meeting_link(meeting),
    )


def _what(meeting: Meeting) -> str:
    if meeting.kind == Meeting.Kind.EMERGENCY:
        return "An emergency panel meeting"
    return "A panel meeting"


def _record_meeting(actor: Actor, meeting: Meeting, fields: Iterable[str]) -> None:
    """Audit a change to the meeting: the names of the fields, never values."""
    record_event(
        EventType.MEETING_UPDATED,
        actor=actor,
        target_type="meeting",
        target_id=meeting.public_id,
        changed_fields=fields,
    )


@transaction.atomic
def meeting_schedule(
    *,
    actor: Actor,
    panel: Panel,
    kind: str,
    held_on: dt.date,
    starts_at: dt.time | None,
    location: str,
    today: dt.date | None = None,
) -> Meeting:
    """Put a meeting in the panel's diary and tell the member agencies."""
    require_site(actor, panel.site_id)
    if kind not in Meeting.Kind.values:
        raise input_error("kind", "Select the kind of meeting.")
    problem = meeting_date_problem(kind, held_on, today or timezone.localdate())
    if problem:
        raise input_error("held_on", problem)
    meeting = Meeting.objects.create(
        panel=panel,
        kind=kind,
        held_on=held_on,
        starts_at=starts_at,
        location=location.strip(),
        created_by=actor.user,
    )
    record_event(
        EventType.MEETING_SCHEDULED,
        actor=actor,
        target_type="meeting",
        target_id=meeting.public_id,
    )
    _tell_members(
        meeting, f"{_what(meeting)} is scheduled for {govuk_date(meeting.held_on)}."
    )
    return meeting


@transaction.atomic
def meeting_update(
    *,
    actor: Actor,
    meeting: Meeting,
    version: int,
    today: dt.date | None = None,
    **values: Any,
) -> Meeting:
    """Change a planned meeting; ``StaleEditError`` if saved since ``version``."""
    unknown = set(values) - set(MEETING_FIELDS)
    if unknown:
        raise ValueError(f"Not editable here: {sorted(unknown)}")
    locked = locked_meeting(actor, meeting)
    ensure_current(locked, version=version, current_values=meeting_current_values)
    if locked.status != Meeting.Status.PLANNED:
        raise DomainError("Only a planned meeting can be changed.")
    if "location" in values:
        values["location"] = values["location"].strip()
    old_day = locked.held_on
    changed = apply_changes(locked, values)
    if {"kind", "held_on"} & set(changed):
        problem = meeting_date_problem(
            locked.kind, locked.held_on, today or timezone.localdate()
        )
        if problem:
            raise input_error("held_on", problem)
    if not changed:
        return locked
    save_new_version(locked, update_fields=changed)
    _record_meeting(actor, locked, changed)
    if "held_on" in changed:
        _tell_members(
            locked,
            f"The panel meeting on {govuk_date(old_day)} has moved to "
            f"{govuk_date(locked.held_on)}.",
        )
    return locked


def _status_version(meeting: Meeting) -> dict[str, Any]:
    return {"status": meeting.status}


def _locked_at(actor: Actor, meeting: Meeting, version: int) -> Meeting:
    """The meeting, locked, unless saved since ``version`` (``StaleEditError``
    naming its status)."""
    locked = locked_meeting(actor, meeting)
    ensure_current(locked, version=version, current_values=_status_version)
    return locked


@transaction.atomic
def meeting_cancel(*, actor: Actor, meeting: Meeting, version: int) -> Meeting:
    """Call off a planned meeting and tell the member agencies."""
    locked = _locked_at(actor, meeting, version)
    if locked.status != Meeting.Status.PLANNED:
        raise DomainError("Only a planned meeting can be cancelled.")
    locked.status = Meeting.Status.CANCELLED
    save_new_version(locked, update_fields=["status"])
    _record_meeting(actor, locked, ["status"])
    _tell_members(
        locked, f"The panel meeting on {govuk_date(locked.held_on)} is cancelled."
    )
    return locked


@transaction.atomic
def meeting_mark_held(
    *, actor: Actor, meeting: Meeting, version: int, today: dt.date | None = None
) -> Meeting:
    """Record that the meeting took place (on or after its date)."""
    locked = _locked_at(actor, meeting, version)
    if locked.status != Meeting.Status.PLANNED:
        raise DomainError("Only a planned meeting can be marked as held.")
    if locked.held_on > (today or timezone.localdate()):
        raise DomainError(
            "A meeting can be marked as held on or after its date, "
            f"{govuk_date(locked.held_on)}."
        )
    locked.status = Meeting.Status.HELD
    save_new_version(locked, update_fields=["status"])
    _record_meeting(actor, locked, ["status"])
    return locked


@transaction.atomic
def minutes_issue(*, actor: Actor, meeting: Meeting, version: int) -> Meeting:
    """Make the meeting's records final: held, and every item settled."""
    locked = _locked_at(actor, meeting, version)
    if locked.minutes_issued_at is not None:
        raise DomainError("The minutes of this meeting are already issued.")
    if locked.status != Meeting.Status.HELD:
        raise DomainError("Mark the meeting as held before issuing the minutes.")
    waiting = selectors.unsettled_items(locked)
    if waiting:
        references = ", ".join(item.case.reference for item in waiting)
        raise DomainError(
            "Record the discussion of each case, or mark it as not discussed "
            f"with a reason, before issuing the minutes: {references}."
        )
    locked.minutes_issued_at = timezone.now()
    save_new_version(locked, update_fields=["minutes_issued_at"])
    _record_meeting(actor, locked, ["minutes_issued_at"])
    return locked
