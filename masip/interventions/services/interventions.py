"""Recording an intervention, locked it, its sessions, and ending it.

Anyone holding INTERVENTION_RECORD on the case records and changes them.
For psychological and psychiatric treatment, the health details (the
practitioner, engagement, sessions and the outcome) are written only by
staff who see health information; others may record that the treatment
exists and keep its provider, dates and status current.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from masip.access.actors import Actor
from masip.accounts.models import Agency
from masip.audit.events import EventType
from masip.cases.models import Case
from masip.core.versioning import apply_changes, ensure_current, save_new_version
from masip.interventions.models import Intervention, InterventionSession
from masip.interventions.services._common import (
    NOTE_MAX,
    TEXT_MAX,
    InterventionRefused,
    acting_reach,
    clean_text,
    lock_for_change,
    record_event,
    require_health,
    require_perpetrator,
    require_provider,
    sees_health,
)
from masip.people.models import Person


def _check_dates(
    *, status: str, started_on: dt.date, planned_end_on: dt.date | None, today: dt.date
) -> None:
    if status not in Intervention.OPEN:
        raise InterventionRefused("Select planned or active.", field="status")
    if status == Intervention.Status.ACTIVE and started_on > today:
        raise InterventionRefused(
            "An active intervention has started: enter a start date today or "
            "earlier, or select planned.",
            field="started_on",
        )
    if planned_end_on is not None and planned_end_on < started_on:
        raise InterventionRefused(
            "The planned end date must be on or after the start date.",
            field="planned_end_on",
        )


@transaction.atomic
def intervention_record(
    *,
    actor: Actor,
    case: Case,
    subject: Person,
    kind: str,
    provider_agency: Agency,
    started_on: dt.date,
    status: str = Intervention.Status.PLANNED,
    planned_end_on: dt.date | None = None,
    practitioner: str = "",
    today: dt.date | None = None,
) -> Intervention:
    """Record an intervention for a perpetrator on the case; its engagement
    is not yet known."""
    reach = acting_reach(actor, case)
    today = today or timezone.localdate()
    if kind not in Intervention.Kind.values:
        raise InterventionRefused("Select the kind of intervention.", field="kind")
    require_perpetrator(case, subject)
    require_provider(case, provider_agency)
    _check_dates(
        status=status, started_on=started_on, planned_end_on=planned_end_on, today=today
    )
    practitioner = clean_text(
        practitioner, field="practitioner", label="The practitioner", limit=TEXT_MAX
    )
    if practitioner and kind in Intervention.TREATMENT_KINDS and not sees_health(reach):
        raise InterventionRefused(
            "Leave the practitioner empty: for psychological or psychiatric "
            "treatment it is health information your agency does not see.",
            field="practitioner",
        )
    intervention = Intervention.objects.create(
        case=case,
        subject=subject,
        kind=kind,
        provider_agency=provider_agency,
        practitioner=practitioner,
        started_on=started_on,
        planned_end_on=planned_end_on,
        status=status,
        recorded_by=actor.user,
        recorded_by_agency=actor.membership.agency,
    )
    record_event(EventType.INTERVENTION_RECORDED, actor=actor, record=intervention)
    return intervention


def intervention_current_values(intervention: Intervention) -> dict[str, Any]:
    """The editable values as stored (for a conflict)."""
    return {
        "provider_agency": intervention.provider_agency_id,
        "status": intervention.status,
        "started_on": intervention.started_on,
        "planned_end_on": intervention.planned_end_on,
        "practitioner": intervention.practitioner,
        "engagement": intervention.engagement,
    }


def _require_open(intervention: Intervention) -> None:
    if not intervention.is_open:
        raise InterventionRefused("This intervention has ended.")


@transaction.atomic
def intervention_update(
    *,
    actor: Actor,
    intervention: Intervention,
    version: int,
    provider_agency: Agency,
    status: str,
    started_on: dt.date,
    planned_end_on: dt.date | None,
    practitioner: str | None = None,
    engagement: str | None = None,
    today: dt.date | None = None,
) -> Intervention:
    """Change an open intervention. ``practitioner`` and ``engagement`` are
    left as they are when ``None`` (the form of a reader who may not see a
    treatment's health details has neither). A new engagement rating is
    dated ``today``. ``StaleEditError`` if someone saved since ``version``."""
    locked = lock_for_change(intervention, "case", "provider_agency")
    reach = acting_reach(actor, locked.case)
    today = today or timezone.localdate()
    _require_open(locked)
    ensure_current(locked, version=version, current_values=intervention_current_values)
    if locked.is_treatment and (practitioner is not None or engagement is not None):
        require_health(reach, doing="record the practitioner or engagement")
    if provider_agency.pk != locked.provider_agency_id:
        require_provider(locked.case, provider_agency)
    _check_dates(
        status=status, started_on=started_on, planned_end_on=planned_end_on, today=today
    )
    values: dict[str, Any] = {
        "provider_agency_id": provider_agency.pk,
        "status": status,
        "started_on": started_on,
        "planned_end_on": planned_end_on,
    }
    if practitioner is not None:
        values["practitioner"] = clean_text(
            practitioner, field="practitioner", label="The practitioner", limit=TEXT_MAX
        )
    if engagement is not None:
        if engagement not in Intervention.Engagement.values:
            raise InterventionRefused(
                "Select how the person is engaging.", field="engagement"
            )
        values["engagement"] = engagement
    changed = apply_changes(locked, values)
    if not changed:
        return locked
    if "engagement" in changed:
        locked.engagement_rated_on = today
        changed.append("engagement_rated_on")
    save_new_version(locked, update_fields=changed)
    names = ["provider_agency" if n == "provider_agency_id" else n for n in changed]
    record_event(
        EventType.INTERVENTION_UPDATED,
        actor=actor,
        record=locked,
        changed_fields=names,
    )
    return locked


@transaction.atomic
def intervention_end(
    *,
    actor: Actor,
    intervention: Intervention,
    version: int,
    ended_on: dt.date,
    outcome: str,
    outcome_note: str = "",
    today: dt.date | None = None,
) -> Intervention:
    """End an open intervention with its outcome. The status follows the
    outcome: completed (or partly) is *completed*, declined is *declined*,
    any other *ended early*."""
    locked = lock_for_change(intervention, "case", "provider_agency")
    reach = acting_reach(actor, locked.case)
    today = today or timezone.localdate()
    _require_open(locked)
    if locked.is_treatment:
        require_health(reach, doing="record the outcome")
    ensure_current(locked, version=version, current_values=intervention_current_values)
    if outcome not in Intervention.Outcome.values:
        raise InterventionRefused("Select the outcome.", field="outcome")
    if ended_on > today:
        raise InterventionRefused(
            "The end date must be today or in the past.", field="ended_on"
        )
    if ended_on < locked.started_on:
        raise InterventionRefused(
            "The end date must be on or after the start date.", field="ended_on"
        )
    locked.outcome_note = clean_text(
        outcome_note, field="outcome_note", label="The note", limit=NOTE_MAX
    )
    locked.outcome = outcome
    locked.ended_on = ended_on
    locked.status = Intervention.STATUS_FOR_OUTCOME.get(
        Intervention.Outcome(outcome), Intervention.Status.ENDED_EARLY
    )
    save_new_version(locked)
    record_event(
        EventType.INTERVENTION_UPDATED,
        actor=actor,
        record=locked,
        changed_fields=["status", "ended_on", "outcome", "outcome_note"],
    )
    return locked


@transaction.atomic
def session_record(
    *,
    actor: Actor,
    intervention: Intervention,
    on: dt.date,
    attendance: str,
    note: str = "",
    today: dt.date | None = None,
) -> InterventionSession:
    """Record one session of the intervention and whether the person came.
    The session falls between the start and today (or the end)."""
    locked = lock_for_change(intervention, "case", "provider_agency")
    reach = acting_reach(actor, locked.case)
    today = today or timezone.localdate()
    if locked.is_treatment:
        require_health(reach, doing="record sessions")
    if attendance not in InterventionSession.Attendance.values:
        raise InterventionRefused("Select whether the person came.", field="attendance")
    last = min(today, locked.ended_on) if locked.ended_on else today
    if on > last:
        raise InterventionRefused(
            "The session date must be today or in the past, and not after the "
            "intervention ended.",
            field="on",
        )
    if on < locked.started_on:
        raise InterventionRefused(
            "The session date must be on or after the intervention started.",
            field="on",
        )
    session = InterventionSession.objects.create(
        intervention=locked,
        on=on,
        attendance=attendance,
        note=clean_text(note, field="note", label="The note", limit=NOTE_MAX),
        recorded_by=actor.user,
    )
    record_event(
        EventType.INTERVENTION_SESSION_RECORDED,
        actor=actor,
        record=locked,
        changed_fields=["sessions"],
    )
    return session
