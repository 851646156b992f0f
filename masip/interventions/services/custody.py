"""Recording a period in custody, locked it, and recording the release.

A release expected within the alert window is alerted to the victim's
advocate at once when the period is recorded or its date changes (the daily
run catches the rest), and a release recorded without an alert for its date
is told to them too (``masip.interventions.reminders``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from masip.access.actors import Actor
from masip.audit.events import EventType
from masip.cases.models import Case
from masip.core.versioning import apply_changes, ensure_current, save_new_version
from masip.interventions import reminders
from masip.interventions.models import Custody
from masip.interventions.services._common import (
    TEXT_MAX,
    InterventionRefused,
    acting_reach,
    clean_text,
    lock_for_change,
    record_event,
    require_perpetrator,
)
from masip.people.models import Person


def _check(
    *,
    kind: str,
    establishment: str,
    started_on: dt.date,
    expected_release_on: dt.date | None,
    today: dt.date,
) -> str:
    if kind not in Custody.Kind.values:
        raise InterventionRefused("Select the kind of custody.", field="kind")
    establishment = clean_text(
        establishment, field="establishment", label="The establishment", limit=TEXT_MAX
    )
    if not establishment:
        raise InterventionRefused(
            "Enter the prison or hospital.", field="establishment"
        )
    if started_on > today:
        raise InterventionRefused(
            "The date custody began must be today or in the past.", field="started_on"
        )
    if expected_release_on is not None and expected_release_on < started_on:
        raise InterventionRefused(
            "The expected release date must be on or after the date custody began.",
            field="expected_release_on",
        )
    return establishment


@transaction.atomic
def custody_record(
    *,
    actor: Actor,
    case: Case,
    subject: Person,
    kind: str,
    establishment: str,
    started_on: dt.date,
    expected_release_on: dt.date | None = None,
    today: dt.date | None = None,
) -> Custody:
    """Record a period in custody of a perpetrator on the case."""
    acting_reach(actor, case)
    today = today or timezone.localdate()
    require_perpetrator(case, subject)
    establishment = _check(
        kind=kind,
        establishment=establishment,
        started_on=started_on,
        expected_release_on=expected_release_on,
        today=today,
    )
    custody = Custody.objects.create(
        case=case,
        subject=subject,
        kind=kind,
        establishment=establishment,
        started_on=started_on,
        expected_release_on=expected_release_on,
        recorded_by=actor.user,
        recorded_by_agency=actor.membership.agency,
    )
    record_event(EventType.CUSTODY_RECORDED, actor=actor, record=custody)
    reminders.alert_release_if_due(custody, today=today)
    return custody


def custody_current_values(custody: Custody) -> dict[str, Any]:
    """The editable values as stored (for a conflict)."""
    return {
        "kind": custody.kind,
        "establishment": custody.establishment,
        "started_on": custody.started_on,
        "expected_release_on": custody.expected_release_on,
    }


def _require_in_custody(custody: Custody) -> None:
    if not custody.in_custody:
        raise InterventionRefused("The release from this custody is recorded.")


@transaction.atomic
def custody_update(
    *,
    actor: Actor,
    custody: Custody,
    version: int,
    kind: str,
    establishment: str,
    started_on: dt.date,
    expected_release_on: dt.date | None,
    today: dt.date | None = None,
) -> Custody:
    """Change a period still in custody; a new expected release date inside
    the alert window is alerted at once. ``StaleEditError`` if someone saved
    since ``version``."""
    locked = lock_for_change(custody, "case", "case__lead_agency")
    acting_reach(actor, locked.case)
    today = today or timezone.localdate()
    _require_in_custody(locked)
    ensure_current(locked, version=version, current_values=custody_current_values)
    establishment = _check(
        kind=kind,
        establishment=establishment,
        started_on=started_on,
        expected_release_on=expected_release_on,
        today=today,
    )
    changed = apply_changes(
        locked,
        {
            "kind": kind,
            "establishment": establishment,
            "started_on": started_on,
            "expected_release_on": expected_release_on,
        },
    )
    if not changed:
        return locked
    save_new_version(locked, update_fields=changed)
    record_event(
        EventType.CUSTODY_UPDATED, actor=actor, record=locked, changed_fields=changed
    )
    if "expected_release_on" in changed:
        reminders.alert_release_if_due(locked, today=today)
    return locked


@transaction.atomic
def custody_release(
    *,
    actor: Actor,
    custody: Custody,
    version: int,
    released_on: dt.date,
    release_kind: str,
    today: dt.date | None = None,
) -> Custody:
    """Record the release; no alert follows it. The advocate is told of it
    unless they were alerted for that date."""
    locked = lock_for_change(custody, "case", "case__lead_agency")
    acting_reach(actor, locked.case)
    today = today or timezone.localdate()
    _require_in_custody(locked)
    ensure_current(locked, version=version, current_values=custody_current_values)
    if release_kind not in Custody.ReleaseKind.values:
        raise InterventionRefused(
            "Select how the person was released.", field="release_kind"
        )
    if released_on > today:
        raise InterventionRefused(
            "The release date must be today or in the past: to record a release "
            "still to come, change the expected release date.",
            field="released_on",
        )
    if released_on < locked.started_on:
        raise InterventionRefused(
            "The release date must be on or after the date custody began.",
            field="released_on",
        )
    locked.released_on = released_on
    locked.release_kind = release_kind
    save_new_version(locked, update_fields=["released_on", "release_kind"])
    record_event(
        EventType.CUSTODY_UPDATED,
        actor=actor,
        record=locked,
        changed_fields=["released_on", "release_kind"],
    )
    reminders.alert_release_recorded(locked, today=today)
    return locked
