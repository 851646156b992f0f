"""Retention decisions on closed cases, and disposal with four eyes.

Every service takes the acting manager (``Actor``), checks that they act for
the case's lead agency with ``RETENTION_REVIEW``, writes the decision to the
review log and the audit trail in one transaction, and refuses decisions made
on a stale view of the case (``StaleEditError``).
"""

import datetime as dt
from collections import Counter
from functools import partial

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from masip.access.actors import Actor
from masip.access.permissions import Permission
from masip.audit import services as audit
from masip.audit.events import EventType
from masip.cases.models import Case, CaseStatus
from masip.core.errors import DomainError, StaleEditError
from masip.evidence.services import evidence_storage_keys, evidence_sweep
from masip.people.models import Person
from masip.retention import schedule
from masip.retention.models import (
    CaseRetention,
    Decision,
    DisposalRecord,
    RetentionDecision,
)

# How far ahead a manager may set the next review.
MAX_REVIEW_YEARS = 20


def _require_lead_reviewer(actor: Actor, case: Case) -> None:
    membership = actor.membership
    if Permission.RETENTION_REVIEW not in membership.role_def.permissions:
        raise PermissionDenied
    if membership.agency_id != case.lead_agency_id:
        raise PermissionDenied


def _locked(case: Case, *, version: int) -> tuple[Case, CaseRetention]:
    """The case and its retention row, locked; refused if closed no longer or stale."""
    locked = (
        Case.objects.select_for_update().select_related("lead_agency").get(pk=case.pk)
    )
    if locked.status != CaseStatus.CLOSED or locked.closed_on is None:
        raise DomainError("Only closed cases are reviewed for retention.")
    retention = CaseRetention.objects.select_for_update().filter(case=locked).first()
    current = retention.version if retention is not None else 0
    if current != version:
        raise StaleEditError(current={}, current_version=current)
    if retention is None:
        due = schedule.first_review_on(
            locked, schedule.schedule_for(locked, schedule.record_class_of(locked))
        )
        retention = CaseRetention(case=locked, next_review_on=due, version=0)
    return locked, retention


def _log(
    actor: Actor,
    case: Case,
    retention: CaseRetention,
    decision: Decision,
    *,
    reason: str,
    changed: list[str],
) -> CaseRetention:
    retention.version += 1
    retention.save()
    RetentionDecision.objects.create(
        case=case,
        case_reference=case.reference,
        agency=case.lead_agency,
        decision=decision,
        reason=reason,
        next_review_on=retention.next_review_on,
        decided_by=actor.user,
    )
    audit.record(
        EventType.RETENTION_REVIEWED,
        actor=actor.audit,
        target_type="retention",
        target_id=decision.value,
        case_reference=case.reference,
        changed_fields=changed,
    )
    return retention


def _check_reason(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise DomainError("Enter the reason for the decision.")
    return reason


@transaction.atomic
def retention_retain(
    *,
    actor: Actor,
    case: Case,
    version: int,
    reason: str,
    next_review_on: dt.date | None = None,
) -> CaseRetention:
    """Keep the case until ``next_review_on`` (default: one review interval on)."""
    _require_lead_reviewer(actor, case)
    reason = _check_reason(reason)
    locked, retention = _locked(case, version=version)
    today = timezone.localdate()
    if next_review_on is None:
        interval = schedule.schedule_for(
            locked, schedule.record_class_of(locked)
        ).review_interval_years
        next_review_on = schedule.add_years(today, interval)
    if next_review_on <= today:
        raise DomainError("The next review date must be in the future.")
    if next_review_on > schedule.add_years(today, MAX_REVIEW_YEARS):
        raise DomainError(
            f"The next review must be within {MAX_REVIEW_YEARS} years of today."
        )
    retention.next_review_on = next_review_on
    _clear_proposal(retention)
    return _log(
        actor,
        locked,
        retention,
        Decision.RETAIN,
        reason=reason,
        changed=["next_review_on"],
    )


def _clear_proposal(retention: CaseRetention) -> None:
    retention.disposal_proposed_by = None
    retention.disposal_proposed_at = None
    retention.disposal_reason = ""


@transaction.atomic
def retention_hold(
    *, actor: Actor, case: Case, version: int, reason: str
) -> CaseRetention:
    """Legal hold: the case cannot be disposed of until the hold is lifted."""
    _require_lead_reviewer(actor, case)
    reason = _check_reason(reason)
    locked, retention = _locked(case, version=version)
    if retention.legal_hold:
        raise DomainError("The case is already on legal hold.")
    retention.legal_hold = True
    retention.hold_reason = reason
    _clear_proposal(retention)
    return _log(
        actor,
        locked,
        retention,
        Decision.LEGAL_HOLD,
        reason=reason,
        changed=["legal_hold"],
    )


@transaction.atomic
def retention_lift_hold(
    *, actor: Actor, case: Case, version: int, reason: str
) -> CaseRetention:
    _require_lead_reviewer(actor, case)
    reason = _check_reason(reason)
    locked, retention = _locked(case, version=version)
    if not retention.legal_hold:
        raise DomainError("The case is not on legal hold.")
    retention.legal_hold = False
    retention.hold_reason = ""
    return _log(
        actor,
        locked,
        retention,
        Decision.HOLD_LIFTED,
        reason=reason,
        changed=["legal_hold"],
    )


@transaction.atomic
def retention_propose_disposal(
    *, actor: Actor, case: Case, version: int, reason: str
) -> CaseRetention:
    """The first of two managers: the case is due and nothing needs it kept."""
    _require_lead_reviewer(actor, case)
    reason = _check_reason(reason)
    locked, retention = _locked(case, version=version)
    if retention.legal_hold:
        raise DomainError("The case is on legal hold. Lift the hold first.")
    if retention.disposal_proposed:
        raise DomainError("Disposal has already been proposed.")
    if retention.next_review_on > timezone.localdate():
        raise DomainError(
            "The case is not due for review yet, so it cannot be disposed of."
        )
    retention.disposal_proposed_by = actor.user
    retention.disposal_proposed_at = timezone.now()
    retention.disposal_reason = reason
    return _log(
        actor,
        locked,
        retention,
        Decision.DISPOSAL_PROPOSED,
        reason=reason,
        changed=["disposal_proposed"],
    )


@transaction.atomic
def retention_withdraw_proposal(
    *, actor: Actor, case: Case, version: int, reason: str
) -> CaseRetention:
    _require_lead_reviewer(actor, case)
    reason = _check_reason(reason)
    locked, retention = _locked(case, version=version)
    if not retention.disposal_proposed:
        raise DomainError("No disposal has been proposed.")
    _clear_proposal(retention)
    return _log(
        actor,
        locked,
        retention,
        Decision.DISPOSAL_WITHDRAWN,
        reason=reason,
        changed=["disposal_proposed"],
    )


def _only_here(case: Case) -> list[int]:
    """People on this case and no other: their records go with it."""
    return list(
        Person.objects.filter(pk__in=case.participants.values("person"))
        .annotate(cases=Count("participations__case", distinct=True))
        .filter(cases=1)
        .values_list("pk", flat=True)
    )


def _inventory(case: Case, people: list[int]) -> dict[str, int]:
    counts: Counter[str] = Counter(
        {
            "participants": case.participants.count(),
            "incidents": case.incidents.count(),
            "notes": case.notes.count(),
            "allocations": case.allocations.count(),
            "shares": case.shares.count(),
            "status_changes": case.status_changes.count(),
            "risk_changes": case.risk_changes.count(),
            "evidence_items": case.evidence_items.count(),
            "timeline_entries": case.timeline_entries.count(),
            "risk_assessments": case.assessments.count(),
            "orders": case.orders.count(),
            "interventions": case.interventions.count(),
            "custody_periods": case.custody_periods.count(),
            "safety_plans": case.safety_plans.count(),
            "victim_contacts": case.victim_contacts.count(),
            "people": len(people),
        }
    )
    return {name: counts[name] for name in sorted(counts)}


@transaction.atomic
def retention_dispose(
    *, actor: Actor, case: Case, version: int, reason: str
) -> DisposalRecord:
    """The second manager confirms: destroy the case, keep the stub and the audit."""
    _require_lead_reviewer(actor, case)
    reason = _check_reason(reason)
    locked, retention = _locked(case, version=version)
    if not retention.disposal_proposed or retention.disposal_proposed_by is None:
        raise DomainError("Disposal must be proposed before it is confirmed.")
    if retention.disposal_proposed_by_id == actor.user.pk:
        raise DomainError("Another manager must confirm disposal: you proposed it.")
    if retention.legal_hold:  # the database also refuses this combination
        raise DomainError("The case is on legal hold.")
    assert locked.closed_on is not None  # _locked refuses open cases
    people = _only_here(locked)
    record = DisposalRecord.objects.create(
        case_reference=locked.reference,
        lead_agency=locked.lead_agency,
        record_class=schedule.record_class_of(locked),
        closed_on=locked.closed_on,
        proposed_by=retention.disposal_proposed_by,
        confirmed_by=actor.user,
        reason=reason,
        destroyed=_inventory(locked, people),
    )
    RetentionDecision.objects.create(
        case=locked,
        case_reference=locked.reference,
        agency=locked.lead_agency,
        decision=Decision.DISPOSED,
        reason=reason,
        decided_by=actor.user,
    )
    audit.record(
        EventType.CASE_DISPOSED,
        actor=actor.audit,
        target_type="case",
        target_id=locked.reference,
        case_reference=locked.reference,
        changed_fields=sorted(record.destroyed),
    )
    stored = evidence_storage_keys(locked)
    locked.delete()
    Person.objects.filter(Q(pk__in=people)).delete()
    # The sealed evidence files go once the rows that name them are gone for
    # good; a file another case also holds stays.
    transaction.on_commit(partial(evidence_sweep, stored))
    return record
