"""Writing incidents: recording them and changing them, each audited."""

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction

from masip.access.actors import Actor
from masip.audit import services as audit
from masip.audit.events import EventType
from masip.cases.models import Case
from masip.core.errors import DomainError
from masip.core.versioning import apply_changes, ensure_current, save_new_version
from masip.incidents.models import Behaviour, Escalation, Incident, TimePrecision
from masip.orders.services import review_incident
from masip.people.models import Channel, Confidentiality
from masip.risk.triggers import incident_recorded

INCIDENT_EDITABLE_FIELDS = (
    "occurred_at",
    "occurred_until",
    "time_precision",
    "behaviours",
    "channels",
    "escalations",
    "location",
    "location_confidentiality",
    "narrative",
    "impact",
    "reported_to_police",
    "crime_reference",
)

# A change to any of these may make the incident breach another order.
REVIEWED_FIELDS = frozenset({"occurred_at", "occurred_until", "behaviours", "channels"})


def _check(values: dict[str, Any]) -> dict[str, Any]:
    """Refuse an incident the forms would never produce; tidy the rest."""
    precision = TimePrecision(values["time_precision"])
    values["time_precision"] = precision
    if precision != TimePrecision.RANGE:
        values["occurred_until"] = None
    elif values.get("occurred_until") is None:
        raise DomainError("Enter when the incident ended.")
    elif values["occurred_until"] < values["occurred_at"]:
        raise DomainError("The end must be after the start.")
    values["behaviours"] = _codes(values["behaviours"], Behaviour.values, "behaviour")
    values["channels"] = _codes(values["channels"], Channel.values, "channel")
    values["escalations"] = _codes(
        values.get("escalations", ()), Escalation.values, "escalation", required=False
    )
    if not str(values.get("narrative", "")).strip():
        raise DomainError("Enter what happened.")
    if values.get("reported_to_police"):
        if not values.get("crime_reference", "").strip():
            raise DomainError("Enter the crime reference, or answer no.")
    else:
        values["crime_reference"] = ""
    if "location_confidentiality" in values:
        values["location_confidentiality"] = Confidentiality(
            values["location_confidentiality"]
        )
    return values


def _codes(
    values: Iterable[str], allowed: list[str], noun: str, *, required: bool = True
) -> list[str]:
    chosen = set(values)
    if not chosen and required:
        raise DomainError(f"Select at least one {noun}.")
    if chosen - set(allowed):
        raise DomainError(f"Unknown {noun}.")
    return [code for code in allowed if code in chosen]


def _audit(
    event_type: EventType,
    *,
    actor: Actor,
    case: Case,
    incident: Incident,
    changed_fields: Iterable[str] = (),
) -> None:
    audit.record(
        event_type,
        actor=actor.audit,
        target_type="incident",
        target_id=incident.public_id,
        case_reference=case.reference,
        changed_fields=changed_fields,
    )


@transaction.atomic
def incident_record(
    *,
    actor: Actor,
    case: Case,
    occurred_at: dt.datetime,
    behaviours: Iterable[str],
    channels: Iterable[str],
    narrative: str,
    escalations: Iterable[str] = (),
    time_precision: str = TimePrecision.EXACT,
    occurred_until: dt.datetime | None = None,
    location: str = "",
    location_confidentiality: str = Confidentiality.RESTRICTED,
    impact: str = "",
    reported_to_police: bool = False,
    crime_reference: str = "",
) -> Incident:
    """Record one incident in the case's course of conduct."""
    values = _check(
        {
            "occurred_at": occurred_at,
            "occurred_until": occurred_until,
            "time_precision": time_precision,
            "behaviours": behaviours,
            "channels": channels,
            "escalations": escalations,
            "location": location,
            "location_confidentiality": location_confidentiality,
            "narrative": narrative,
            "impact": impact,
            "reported_to_police": reported_to_police,
            "crime_reference": crime_reference,
        }
    )
    incident = Incident.objects.create(
        case=case,
        recorded_by=actor.user,
        recorded_by_agency=actor.membership.agency,
        **values,
    )
    _audit(EventType.INCIDENT_RECORDED, actor=actor, case=case, incident=incident)
    incident_recorded(case=case, incident=incident)
    # An order in force then may be breached: open a review for the police.
    review_incident(actor=actor, case=case, incident=incident)
    return incident


def incident_current_values(incident: Incident) -> dict[str, Any]:
    """The editable values as stored, keyed by field name (for conflicts)."""
    return {name: getattr(incident, name) for name in INCIDENT_EDITABLE_FIELDS}


@transaction.atomic
def incident_update(
    *, actor: Actor, case: Case, incident: Incident, version: int, **fields: Any
) -> Incident:
    """Change an incident. Fields left out (such as a location the user may
    not see) are kept as they are.

    ``version`` is the one the user's form was opened with; if the stored one
    differs, ``StaleEditError`` carries the stored values and nothing is saved.
    """
    unknown = set(fields) - set(INCIDENT_EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"Not editable: {', '.join(sorted(unknown))}")
    locked = Incident.objects.select_for_update().get(pk=incident.pk, case=case)
    ensure_current(locked, version=version, current_values=incident_current_values)
    changed = apply_changes(
        locked, _check({**incident_current_values(locked), **fields})
    )
    if changed:
        save_new_version(locked)
        _audit(
            EventType.INCIDENT_UPDATED,
            actor=actor,
            case=case,
            incident=locked,
            changed_fields=changed,
        )
        if "escalations" in changed:
            incident_recorded(case=case, incident=locked)
        if REVIEWED_FIELDS & set(changed):
            review_incident(actor=actor, case=case, incident=locked)
    return locked
