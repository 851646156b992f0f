"""Writes to cases: create, edit, status, risk, allocation, sharing, notes, access.

Every service takes the acting ``Actor``, runs in one transaction and records
its audit event inside it, so a change and its audit row stand or fall together.
"""

import dataclasses
import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from masip.access.actors import Actor
from masip.access.permissions import Compartment, Permission
from masip.access.policy import Access
from masip.accounts.models import Agency, Notification, User
from masip.audit import services as audit
from masip.audit.events import EventType
from masip.cases import selectors
from masip.cases.models import (
    STATUS_TRANSITIONS,
    BreakGlassGrant,
    Case,
    CaseAllocation,
    CaseNote,
    CaseShare,
    CaseStatus,
    RiskLevel,
    RiskLevelChange,
    StatusChange,
)
from masip.core.errors import DomainError, StaleEditError
from masip.core.references import random_reference

# The details a case worker edits on the "Change case details" form.
EDITABLE_FIELDS = (
    "summary",
    "relationship_type",
    "referral_source",
    "referred_on",
    "behaviour_started_on",
    "first_reported_on",
    "review_due_on",
)
REFERENCE_ATTEMPTS = 10
MAX_SHARE_DAYS = 365


def _record(
    event_type: EventType,
    *,
    actor: Actor,
    case: Case,
    target_type: str = "case",
    target_id: object = "",
    changed_fields: Iterable[str] = (),
) -> None:
    audit.record(
        event_type,
        actor=actor.audit,
        target_type=target_type,
        target_id=target_id or case.reference,
        case_reference=case.reference,
        changed_fields=changed_fields,
    )


def _require(actor: Actor, permission: Permission) -> None:
    """The acting membership must itself grant the verb (defence in depth)."""
    if permission not in actor.membership.role_def.permissions:
        raise PermissionDenied


def _notify(recipients: Iterable[User], *, kind: str, case: Case, message: str) -> None:
    Notification.objects.bulk_create(
        Notification(
            recipient=user, kind=kind, case_reference=case.reference, message=message
        )
        for user in recipients
    )


def _locked(case: Case) -> Case:
    return (
        Case.objects.select_for_update().select_related("lead_agency").get(pk=case.pk)
    )


# Creating and editing ----------------------------------------------------------


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
) -> Case:
    """Open a case at ``referred``; a creator working for the lead is allocated."""
    _require(actor, Permission.CASE_CREATE)
    case = Case.objects.create(
        reference=case_reference_new(),
        lead_agency=lead_agency,
        summary=summary,
        relationship_type=relationship_type,
        referral_source=referral_source,
        referred_on=referred_on,
        behaviour_started_on=behaviour_started_on,
        first_reported_on=first_reported_on,
        created_by=actor.user,
    )
    StatusChange.objects.create(
        case=case, from_status="", to_status=CaseStatus.REFERRED, changed_by=actor.user
    )
    if actor.membership.agency_id == lead_agency.pk:
        CaseAllocation.objects.create(
            case=case, user=actor.user, agency=lead_agency, allocated_by=actor.user
        )
    _record(EventType.CASE_CREATED, actor=actor, case=case)
    return case


def case_current_values(case: Case) -> dict[str, Any]:
    return {name: getattr(case, name) for name in EDITABLE_FIELDS}


@transaction.atomic
def case_update(*, actor: Actor, case: Case, version: int, **values: Any) -> Case:
    """Change the details; ``StaleEditError`` if someone saved since ``version``."""
    _require(actor, Permission.CASE_EDIT)
    unknown = set(values) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"Not editable here: {sorted(unknown)}")
    locked = _locked(case)
    if locked.version != version:
        raise StaleEditError(
            current=case_current_values(locked), current_version=locked.version
        )
    changed = [name for name, value in values.items() if getattr(locked, name) != value]
    if changed:
        for name in changed:
            setattr(locked, name, values[name])
        locked.version += 1
        locked.save(update_fields=[*changed, "version", "updated_at"])
        _record(
            EventType.CASE_UPDATED, actor=actor, case=locked, changed_fields=changed
        )
    return locked


# Status and risk ---------------------------------------------------------------


def _check_transition(case: Case, to_status: str, closure_reason: str) -> None:
    if to_status not in STATUS_TRANSITIONS[case.status]:
        current = CaseStatus(case.status).label
        target = CaseStatus(to_status).label
        raise DomainError(
            f"A case that is {current.lower()} cannot move to {target.lower()}."
        )
    if to_status == CaseStatus.CLOSED and not closure_reason:
        raise DomainError("Select why the case is being closed.")


@transaction.atomic
def case_change_status(
    *,
    actor: Actor,
    case: Case,
    to_status: str,
    closure_reason: str = "",
    reason: str = "",
) -> Case:
    """Move the case along ``STATUS_TRANSITIONS``; closing needs ``CASE_CLOSE``."""
    closing = to_status == CaseStatus.CLOSED
    _require(actor, Permission.CASE_CLOSE if closing else Permission.CASE_CHANGE_STATUS)
    locked = _locked(case)
    _check_transition(locked, to_status, closure_reason)
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
    _record(
        EventType.CASE_STATUS_CHANGED, actor=actor, case=locked, changed_fields=changed
    )
    return locked


@transaction.atomic
def case_change_risk(*, actor: Actor, case: Case, to_level: str, reason: str) -> Case:
    """Set the risk level, keeping the reason in the risk history."""
    _require(actor, Permission.CASE_CHANGE_RISK)
    locked = _locked(case)
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
    _record(
        EventType.CASE_RISK_CHANGED,
        actor=actor,
        case=locked,
        changed_fields=["risk_level"],
    )
    return locked


# Allocation --------------------------------------------------------------------


@transaction.atomic
def case_allocate(*, actor: Actor, case: Case, worker: User) -> CaseAllocation:
    """Allocate a worker of the lead agency or a sharing agency, and tell them."""
    _require(actor, Permission.CASE_ALLOCATE)
    _locked(case)
    agency = selectors.worker_agency(case, worker)
    if agency is None:
        raise DomainError("Select a worker from an agency working on this case.")
    if selectors.allocation_open_for(case, worker) is not None:
        raise DomainError(f"{worker.full_name} is already allocated to this case.")
    allocation = CaseAllocation.objects.create(
        case=case, user=worker, agency=agency, allocated_by=actor.user
    )
    _notify(
        [worker],
        kind=Notification.Kind.ALLOCATED,
        case=case,
        message=f"You have been allocated to case {case.reference}.",
    )
    _record(
        EventType.CASE_ALLOCATED,
        actor=actor,
        case=case,
        target_type="allocation",
        target_id=allocation.pk,
    )
    return allocation


@transaction.atomic
def allocation_end(*, actor: Actor, allocation: CaseAllocation) -> CaseAllocation:
    """Take a worker off a case (the allocation is kept, with its end time)."""
    _require(actor, Permission.CASE_ALLOCATE)
    updated = CaseAllocation.objects.filter(
        pk=allocation.pk, ended_at__isnull=True
    ).update(ended_at=timezone.now())
    if not updated:
        raise DomainError("That worker is no longer allocated to this case.")
    allocation.refresh_from_db()
    _record(
        EventType.CASE_DEALLOCATED,
        actor=actor,
        case=allocation.case,
        target_type="allocation",
        target_id=allocation.pk,
    )
    return allocation


# Sharing -----------------------------------------------------------------------


def share_expiry_problem(expires_on: dt.date) -> str:
    """Why an expiry date is refused, or an empty string."""
    today = timezone.localdate()
    if expires_on <= today:
        return "The expiry date must be in the future."
    if expires_on > today + dt.timedelta(days=MAX_SHARE_DAYS):
        return "The expiry date must be within one year from today."
    return ""


def _end_of_day(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.max))


def _sharer_compartments(actor: Actor, case: Case) -> frozenset[Compartment]:
    return Access(actor.user).case_access(case).compartments


def _check_share(
    actor: Actor, case: Case, agency: Agency, compartments: Iterable[Compartment]
) -> None:
    if not selectors.shareable_agencies(case).filter(pk=agency.pk).exists():
        raise DomainError("Select an agency the case is not already shared with.")
    if not set(compartments) <= _sharer_compartments(actor, case):
        raise PermissionDenied


@transaction.atomic
def case_share(
    *,
    actor: Actor,
    case: Case,
    agency: Agency,
    reason: str,
    lawful_basis: str,
    compartments: Iterable[Compartment],
    expires_on: dt.date,
) -> CaseShare:
    """Open the case to another agency until ``expires_on``, and tell its managers."""
    _require(actor, Permission.CASE_SHARE)
    compartments = sorted({Compartment(c) for c in compartments})
    _locked(case)
    _check_share(actor, case, agency, compartments)
    problem = share_expiry_problem(expires_on)
    if problem:
        raise DomainError(problem)
    share = CaseShare.objects.create(
        case=case,
        agency=agency,
        granted_by=actor.user,
        reason=reason,
        lawful_basis=lawful_basis,
        compartments=[c.value for c in compartments],
        expires_at=_end_of_day(expires_on),
    )
    _notify(
        selectors.agency_team_managers(agency),
        kind=Notification.Kind.SHARED,
        case=case,
        message=f"Case {case.reference} has been shared with {agency.name}.",
    )
    _record(
        EventType.CASE_SHARED,
        actor=actor,
        case=case,
        target_type="share",
        target_id=share.pk,
    )
    return share


@transaction.atomic
def share_revoke(*, actor: Actor, share: CaseShare) -> CaseShare:
    """Stop sharing now; the agency loses its reach at once."""
    _require(actor, Permission.CASE_SHARE)
    updated = CaseShare.objects.filter(pk=share.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_by=actor.user
    )
    if not updated:
        raise DomainError("That share has already been stopped.")
    share.refresh_from_db()
    _record(
        EventType.CASE_SHARE_REVOKED,
        actor=actor,
        case=share.case,
        target_type="share",
        target_id=share.pk,
    )
    return share


# Notes -------------------------------------------------------------------------


@transaction.atomic
def note_add(*, actor: Actor, case: Case, kind: str, text: str) -> CaseNote:
    """Add a note; a sealed kind needs the author to see that compartment."""
    _require(actor, Permission.NOTE_ADD)
    if kind not in CaseNote.Kind.values:
        raise DomainError("Select what kind of note this is.")
    compartment = CaseNote(kind=kind).compartment
    if compartment and compartment not in _sharer_compartments(actor, case):
        raise PermissionDenied
    if not text.strip():
        raise DomainError("Enter the note.")
    note = CaseNote.objects.create(
        case=case,
        kind=kind,
        text=text,
        author=actor.user,
        agency=actor.membership.agency,
    )
    _record(
        EventType.NOTE_ADDED,
        actor=actor,
        case=case,
        target_type="note",
        target_id=note.pk,
    )
    return note


# Purpose of access and break-the-glass -----------------------------------------


@transaction.atomic
def case_purpose_give(*, actor: Actor, case: Case, purpose: str) -> None:
    """Record why a user who must give a purpose is opening the case."""
    actor = dataclasses.replace(actor, purpose=purpose)
    _record(EventType.CASE_PURPOSE_GIVEN, actor=actor, case=case)


@transaction.atomic
def case_break_glass(*, actor: Actor, case: Case, reason: str) -> BreakGlassGrant:
    """Grant time-limited emergency access and tell the lead agency's managers."""
    _require(actor, Permission.CASE_BREAK_GLASS)
    hours = settings.MASIP_BREAK_GLASS_HOURS
    grant = BreakGlassGrant.objects.create(
        case=case,
        user=actor.user,
        agency=actor.membership.agency,
        reason=reason,
        expires_at=timezone.now() + dt.timedelta(hours=hours),
    )
    _notify(
        selectors.agency_team_managers(case.lead_agency),
        kind=Notification.Kind.BREAK_GLASS,
        case=case,
        message=(
            f"{actor.user.full_name} ({actor.membership.agency.name}) broke the glass "
            f"to open case {case.reference} for {hours} hours. Check the access log."
        ),
    )
    _record(
        EventType.CASE_BREAK_GLASS,
        actor=dataclasses.replace(actor, purpose=reason),
        case=case,
        target_type="break_glass",
        target_id=grant.pk,
    )
    return grant


@transaction.atomic
def case_break_glass_not_found(*, actor: Actor, reference: str, reason: str) -> None:
    """Audit an emergency-access attempt on a reference no case holds."""
    _require(actor, Permission.CASE_BREAK_GLASS)
    audit.record(
        EventType.CASE_BREAK_GLASS_NOT_FOUND,
        actor=dataclasses.replace(actor, purpose=reason).audit,
        target_type="case",
        target_id=reference[:64],
    )
