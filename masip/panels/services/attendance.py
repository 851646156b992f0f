"""Which member agencies attended a meeting, and who came."""

from __future__ import annotations

from collections.abc import Mapping

from django.db import transaction

from masip.access.actors import Actor
from masip.audit.events import EventType
from masip.panels import selectors
from masip.panels.models import Attendance, Meeting
from masip.panels.services._common import PanelInputError, open_meeting, record_event


@transaction.atomic
def attendance_record(
    *,
    actor: Actor,
    meeting: Meeting,
    entries: Mapping[int, tuple[str, str]],
) -> list[Attendance]:
    """Set each member agency's attendance: agency id -> (status, who came)."""
    locked = open_meeting(actor, meeting)
    members = {a.pk: a for a in selectors.member_agencies(locked.panel)}
    errors: dict[str, str] = {}
    for agency_id, (status, attendees) in entries.items():
        agency = members.get(agency_id)
        if agency is None:
            errors[""] = "Record attendance for the panel's member agencies only."
        elif status not in Attendance.Status.values:
            errors[f"status_{agency_id}"] = f"Select whether {agency.name} attended."
        elif status == Attendance.Status.PRESENT and not attendees.strip():
            errors[f"attendees_{agency_id}"] = (
                f"Enter who attended for {agency.name}, with their roles."
            )
    if errors:
        raise PanelInputError(errors)
    rows = []
    for agency_id, (status, attendees) in entries.items():
        row, _ = Attendance.objects.update_or_create(
            meeting=locked,
            agency=members[agency_id],
            defaults={
                "status": status,
                "attendees": attendees.strip()
                if status == Attendance.Status.PRESENT
                else "",
            },
        )
        rows.append(row)
    record_event(
        EventType.ATTENDANCE_RECORDED,
        actor=actor,
        target_type="meeting",
        target_id=locked.public_id,
        changed_fields=["attendance"],
    )
    return rows
