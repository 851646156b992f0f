"""How audit events read to people (for access logs and the audit trail)."""

from dataclasses import dataclass
from datetime import datetime

from masip.access.roles import RoleName
from masip.audit.events import EventType
from masip.audit.models import AuditEvent


@dataclass(frozen=True)
class EventRow:
    occurred_at: datetime
    who: str
    agency: str
    role: str
    what: str
    detail: str
    purpose: str


def present(event: AuditEvent) -> EventRow:
    what = (
        EventType(event.event_type).label
        if event.event_type in EventType.values
        else event.event_type
    )
    role = RoleName(event.role).label if event.role in RoleName.values else event.role
    detail = ""
    if event.changed_fields:
        names = (f.replace("_", " ") for f in event.changed_fields)
        detail = "Changed: " + ", ".join(names)
    elif event.event_type == EventType.CASE_PAGE_OPENED:
        # target_type holds the page's URL name, such as "incidents:incident-list".
        page = event.target_type.rpartition(":")[2].replace("-", " ")
        detail = f"Page: {page}"
    elif event.target_type and event.target_type != "case":
        detail = event.target_type.replace("_", " ").capitalize()
    return EventRow(
        occurred_at=event.occurred_at,
        who=event.actor_label,
        agency=event.agency_label,
        role=str(role),
        what=str(what),
        detail=detail,
        purpose=event.purpose,
    )
