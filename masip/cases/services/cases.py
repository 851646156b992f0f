"""Opening a case, editing its details, and moving its status and risk on."""

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from masip.access.actors import Actor
from masip.access.permissions import Permission
from masip.accounts.models import Agency
from masip.audit.events import EventType
from masip.cases.models import (
    STATUS_TRANSITIONS,
    Case,
    CaseAllocation,
    CaseStatus,
    RiskLevel,
    RiskLevelChange,
    StatusChange,
)
from masip.cases.services._common import lock_case, record_event, require
from masip.core.errors import DomainError
from masip.core.references import random_reference
from masip.core.versioning import apply_changes, ensure_current, save_new_version

# The details a case worker edits on the "Change case details" form.
EDITABLE_FIELDS = (
    "summary",
    "relationship_type",
    "referral_source",
    "referred_on",
    "behaviour_started_on",
    "first_reported_on",
    "review_due_on",
    "recorded_as",
)
REFERENCE_ATTEMPTS = 10


def case_reference_new() -> str:
    """A fresh reference (such as ``STK-7K3M-9QXR``) that no case holds yet."""
    for _ in range(REFERENCE_ATTEMPTS):
        reference = random_reference("STK")
        if not Case.objects.filter(reference=reference).exists():
            return reference
    raise DomainError("Could not create a case reference. Try again.")


@transaction.atomic
def case_create(
    *,
    actor: Actor,
    lead_agency: Agency,
    summary: str,
    relationship_type: str,
    referral_source: str,
    referred_on: dt.date,
    behaviour_started_on: dt.date | None = None,
    first_reported_on: dt.date | None = None,
    recorded_as: str = "",
) -> Case:
    """Open a case at ``referred``; a creator working for the lead is allocated."""
    require(actor, Permission.CASE_CREATE)
    case = Case.objects.create(
        reference=case_reference_new(),
        lead_agency=lead_agency,
        summary=summary,
        relationship_type=relationship_type,
        referral_source=referral_source,
        referred_on=referred_on,
        behaviour_started_on=behaviour_started_on,
        first_reported_on=first_reported_on,
        recorded_as=recorded_as,
        created_by=actor.user,
    )
    StatusChange.objects.create(
        case=case, from_status="", to_status=CaseStatus.REFERRED, changed_by=actor.user
    )
    if actor.membership.agency_id == lead_agency.pk:
        CaseAllocation.objects.create(
            case=case, user=actor.user, agency=lead_agency, allocated_by=actor.user
        )
    record_event(EventType.CASE_CREATED, actor=actor, case=case)
    return case


def case_current_values(case: Case) -> dict[str, Any]:
    return {name: getattr(case, name) for name in EDITABLE_FIELDS}


@transaction.atomic
def case_update(*, actor: Actor, case: Case, version: int, **values: Any) -> Case:
    """Change the details; ``StaleEditError`` if someone saved since ``version``."""
    require(actor, Permission.CASE_EDIT)
    unknown = set(values) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"Not editable here: {sorted(unknown)}")
    locked = lock_case(case)
    ensure_current(locked, version=version, current_values=case_current_values)
    changed = apply_changes(locked, values)
    if changed:
        save_new_version(locked, update_fields=changed)
        record_event(
            EventType.CASE_UPDATED, actor=actor, case=locked, changed_fields=changed
        )
    return locked


def _check_transition(case: Case, to_status: str, closure_reason: str) -> None:
    if to_status not in STATUS_TRANSITIONS[case.status]:
        current = CaseStatus(case.status).label
        target = CaseStatus(to_status).label
        raise DomainError(
            f"A case that is {current.lower()} cannot move to {target.lower()}."
        )
    if to_status == CaseStatus.CLOSED and not closure_reason:
        raise DomainError("Select why the case is being closed.")


def status_apply(
    *,
    actor: Actor,
    locked: Case,
    to_status: str,
    closure_reason: str = "",
    reason: str = "",
) -> Case:
    """Move a case the caller has locked (``lock_case``, in its transaction)
    along ``STATUS_TRANSITIONS``, keeping the change in the status history.

    The one place a case's status changes: ``case_change_status`` for the
    everyday moves, and the closure services (``services/closure.py``) to
    close a case on a manager's approval and to reopen it.
    """
    _check_transition(locked, to_status, closure_reason)
    closing = to_status == CaseStatus.CLOSED
    from_status = locked.status
    locked.status = to_status
    locked.closure_reason = closure_reason if closing else ""
    locked.closed_on = timezone.localdate() if closing else None
    locked.version += 1
    locked.save(
        update_fields=["status", "closure_reason", "closed_on", "version", "updated_at"]
    )
    StatusChange.objects.create(
        case=locked,
        from_status=from_status,
        to_status=to_status,
        reason=reason,
        changed_by=actor.user,
    )
    changed = ["status", "closure_reason", "closed_on"]
    if not closing and from_status != CaseStatus.CLOSED:
        changed = ["status"]
    record_event(
        EventType.CASE_STATUS_CHANGED, actor=actor, case=locked, changed_fields=changed
    )
    return locked


@transaction.atomic
def case_change_status(
    *,
    actor: Actor,
    case: Case,
    to_status: str,
    reason: str = "",
) -> Case:
    """Move an open case along ``STATUS_TRANSITIONS``, short of closing it.

    A case closes only when a team manager approves a closure request, and a
    closed case reopens only with a reason (``services/closure.py``).
    """
    require(actor, Permission.CASE_CHANGE_STATUS)
    if to_status == CaseStatus.CLOSED:
        raise DomainError(
            "A case closes when a team manager approves a request to close it. "
            "Use \u201cClose the case\u201d instead."
        )
    locked = lock_case(case)
    if locked.is_closed:
        raise DomainError(
            "The case is closed. Use \u201cReopen the case\u201d, giving the reason."
        )
    return status_apply(actor=actor, locked=locked, to_status=to_status, reason=reason)


@transaction.atomic
def case_change_risk(*, actor: Actor, case: Case, to_level: str, reason: str) -> Case:
    """Set the risk level, keeping the reason in the risk history."""
    require(actor, Permission.CASE_CHANGE_RISK)
    locked = lock_case(case)
    if locked.risk_level == to_level:
        label = RiskLevel(to_level).label
        raise DomainError(f"The risk level is already {label.lower()}.")
    if not reason.strip():
        raise DomainError("Enter why the risk level is changing.")
    RiskLevelChange.objects.create(
        case=locked,
        from_level=locked.risk_level,
        to_level=to_level,
        reason=reason,
        changed_by=actor.user,
    )
    locked.risk_level = to_level
    locked.version += 1
    locked.save(update_fields=["risk_level", "version", "updated_at"])
    record_event(
        EventType.CASE_RISK_CHANGED,
        actor=actor,
        case=locked,
        changed_fields=["risk_level"],
    )
    return locked
