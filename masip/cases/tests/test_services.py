"""The case services: every write audited in its transaction, and the rules held."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from masip.access.actors import Actor
from masip.access.permissions import Compartment
from masip.access.policy import Access
from masip.access.roles import RoleName
from masip.accounts.models import Membership, Notification, User
from masip.accounts.tests.factories import MembershipFactory
from masip.audit.events import EventType
from masip.audit.models import AuditEvent
from masip.cases import services
from masip.cases.models import (
    BreakGlassGrant,
    Case,
    CaseAllocation,
    CaseNote,
    CaseShare,
    CaseStatus,
    ClosureReason,
    LawfulBasis,
    ReferralSource,
    RelationshipType,
    RiskLevel,
    StatusChange,
)
from masip.core.errors import DomainError, StaleEditError


def actor_for(user: User) -> Actor:
    membership = Membership.objects.select_related("agency").get(user=user)
    return Actor(user=user, membership=membership, ip_address="192.0.2.1")


def events(event_type: EventType) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(event_type=event_type))


def create_case(cast, user=None, **overrides) -> Case:
    user = user or cast.lead_worker
    values = {
        "lead_agency": cast.police_a,
        "summary": "Unwanted messages after the end of a relationship.",
        "relationship_type": RelationshipType.EX_PARTNER,
        "referral_source": ReferralSource.POLICE,
        "referred_on": timezone.localdate(),
        **overrides,
    }
    return services.case_create(actor=actor_for(user), **values)


# Creating ----------------------------------------------------------------------


def test_case_create_opens_referred_case_allocated_to_creator(cast):
    case = create_case(cast)

    assert case.reference.startswith("STK-")
    assert case.status == CaseStatus.REFERRED
    change = StatusChange.objects.get(case=case)
    assert (change.from_status, change.to_status) == ("", CaseStatus.REFERRED)
    assert CaseAllocation.objects.filter(case=case, user=cast.lead_worker).exists()
    [event] = events(EventType.CASE_CREATED)
    assert event.case_reference == case.reference
    assert event.agency_label == "Police A"


def test_case_create_by_helpline_is_not_allocated_to_the_adviser(cast):
    case = create_case(cast, user=cast.helpline_adviser)

    assert case.created_by == cast.helpline_adviser
    assert not case.allocations.exists()
    assert Access(cast.helpline_adviser).visible_cases().filter(pk=case.pk).exists()


def test_case_create_retries_when_reference_is_taken(cast, monkeypatch):
    references = iter([cast.case.reference, "STK-NEW0-0001"])
    monkeypatch.setattr(
        "masip.cases.services.cases.random_reference", lambda prefix: next(references)
    )

    case = create_case(cast)

    assert case.reference == "STK-NEW0-0001"


def test_case_create_rolls_back_when_audit_fails(cast, monkeypatch):
    before = Case.objects.count()

    def broken(*args, **kwargs):
        raise RuntimeError("audit store unavailable")

    monkeypatch.setattr("masip.audit.services.record", broken)

    with pytest.raises(RuntimeError):
        create_case(cast)
    assert Case.objects.count() == before
    assert not StatusChange.objects.exists()


def test_case_create_refused_without_create_verb(cast):
    with pytest.raises(PermissionDenied):
        create_case(cast, user=cast.auditor)


# Editing -----------------------------------------------------------------------


def test_case_update_saves_bumps_version_and_audits_field_names(cast):
    case = cast.case

    updated = services.case_update(
        actor=actor_for(cast.lead_worker),
        case=case,
        version=case.version,
        summary="New summary text.",
        review_due_on=dt.date(2030, 1, 1),
    )

    assert updated.version == case.version + 1
    case.refresh_from_db()
    assert case.summary == "New summary text."
    [event] = events(EventType.CASE_UPDATED)
    assert event.changed_fields == ["review_due_on", "summary"]
    assert "New summary" not in str(event.changed_fields)


def test_case_update_with_old_version_raises_stale_with_current_values(cast):
    case = cast.case
    actor = actor_for(cast.lead_worker)
    services.case_update(actor=actor, case=case, version=1, summary="Theirs.")

    with pytest.raises(StaleEditError) as caught:
        services.case_update(actor=actor, case=case, version=1, summary="Mine.")

    assert caught.value.current["summary"] == "Theirs."
    assert caught.value.current_version == 2
    case.refresh_from_db()
    assert case.summary == "Theirs."


def test_case_update_without_changes_writes_nothing(cast):
    case = cast.case

    services.case_update(
        actor=actor_for(cast.lead_worker), case=case, version=1, summary=case.summary
    )

    case.refresh_from_db()
    assert case.version == 1
    assert not events(EventType.CASE_UPDATED)


# Status and risk ---------------------------------------------------------------


def test_case_change_status_follows_transitions_and_bumps_version(cast):
    actor = actor_for(cast.lead_worker)

    case = services.case_change_status(
        actor=actor, case=cast.case, to_status=CaseStatus.SCREENING, reason="Triage."
    )

    assert case.status == CaseStatus.SCREENING
    assert case.version == 2
    change = case.status_changes.first()
    assert (change.from_status, change.to_status) == ("referred", "screening")
    [event] = events(EventType.CASE_STATUS_CHANGED)
    assert event.changed_fields == ["status"]


def test_case_change_status_refuses_a_skip(cast):
    with pytest.raises(DomainError, match="cannot move to active"):
        services.case_change_status(
            actor=actor_for(cast.lead_worker), case=cast.case, to_status="active"
        )
    assert not events(EventType.CASE_STATUS_CHANGED)


def test_case_change_status_refuses_to_close_even_for_a_manager(cast):
    # Closing goes through a request and a second manager's approval
    # (services/closure.py, tested in test_closure_services.py).
    with pytest.raises(DomainError, match="approves a request to close it"):
        services.case_change_status(
            actor=actor_for(cast.lead_manager),
            case=cast.case,
            to_status=CaseStatus.CLOSED,
        )
    assert not events(EventType.CASE_STATUS_CHANGED)


def test_status_apply_closing_needs_reason(cast):
    locked = Case.objects.select_for_update().get(pk=cast.case.pk)

    with pytest.raises(DomainError, match="why the case is being closed"):
        services.status_apply(
            actor=actor_for(cast.lead_manager), locked=locked, to_status="closed"
        )


def test_status_apply_close_then_reopen_sets_and_clears_closure(cast):
    actor = actor_for(cast.lead_manager)
    closed = services.status_apply(
        actor=actor,
        locked=cast.case,
        to_status=CaseStatus.CLOSED,
        closure_reason=ClosureReason.CUSTODY,
    )
    assert (closed.closure_reason, closed.closed_on) == (
        "custody",
        timezone.localdate(),
    )

    reopened = services.status_apply(
        actor=actor, locked=closed, to_status=CaseStatus.ACTIVE
    )

    assert reopened.status == CaseStatus.ACTIVE
    assert (reopened.closure_reason, reopened.closed_on) == ("", None)
    assert reopened.version == 3


def test_case_change_risk_records_history_and_audit(cast):
    case = services.case_change_risk(
        actor=actor_for(cast.lead_worker),
        case=cast.case,
        to_level=RiskLevel.HIGH,
        reason="S-DASH screening: high concern.",
    )

    assert case.risk_level == RiskLevel.HIGH
    assert case.version == 2
    change = case.risk_changes.get()
    assert (change.from_level, change.to_level) == ("not_assessed", "high")
    [event] = events(EventType.CASE_RISK_CHANGED)
    assert event.changed_fields == ["risk_level"]


def test_case_change_risk_refuses_the_same_level(cast):
    with pytest.raises(DomainError, match="already"):
        services.case_change_risk(
            actor=actor_for(cast.lead_worker),
            case=cast.case,
            to_level=RiskLevel.NOT_ASSESSED,
            reason="No change.",
        )


# Allocation --------------------------------------------------------------------


def test_case_allocate_notifies_worker_and_audits(cast):
    allocation = services.case_allocate(
        actor=actor_for(cast.lead_manager), case=cast.case, worker=cast.partner_worker
    )

    assert allocation.agency == cast.probation_a
    note = Notification.objects.get(recipient=cast.partner_worker)
    assert note.kind == Notification.Kind.ALLOCATED
    assert note.case_reference == cast.case.reference
    [event] = events(EventType.CASE_ALLOCATED)
    assert event.target_id == str(allocation.pk)


def test_case_allocate_refuses_worker_of_unrelated_agency(cast):
    with pytest.raises(DomainError):
        services.case_allocate(
            actor=actor_for(cast.lead_manager), case=cast.case, worker=cast.outsider
        )


def test_case_allocate_refuses_a_second_open_allocation(cast):
    with pytest.raises(DomainError, match="already allocated"):
        services.case_allocate(
            actor=actor_for(cast.lead_manager), case=cast.case, worker=cast.lead_worker
        )


def test_case_allocate_needs_allocate_verb(cast):
    with pytest.raises(PermissionDenied):
        services.case_allocate(
            actor=actor_for(cast.lead_worker), case=cast.case, worker=cast.lead_manager
        )


def test_allocation_end_closes_it_once(cast):
    allocation = cast.case.allocations.get()
    actor = actor_for(cast.lead_manager)

    services.allocation_end(actor=actor, allocation=allocation)

    assert allocation.ended_at is not None
    assert len(events(EventType.CASE_DEALLOCATED)) == 1
    with pytest.raises(DomainError):
        services.allocation_end(actor=actor, allocation=allocation)


# Sharing -----------------------------------------------------------------------


def share(cast, agency, compartments=(), **overrides):
    values = {
        "reason": "Perpetrator under supervision in this area.",
        "lawful_basis": LawfulBasis.PUBLIC_TASK,
        "compartments": compartments,
        "expires_on": timezone.localdate() + dt.timedelta(days=30),
        **overrides,
    }
    return services.case_share(
        actor=actor_for(cast.lead_manager), case=cast.case, agency=agency, **values
    )


def test_case_share_opens_case_and_notifies_agency_managers(cast):
    manager_b = cast.outsider_manager

    created = share(cast, cast.police_b, [Compartment.VICTIM_CONTACT])

    assert created.compartments == ["victim_contact"]
    assert Access(cast.outsider).visible_cases().filter(pk=cast.case.pk).exists()
    [note] = Notification.objects.filter(kind=Notification.Kind.SHARED)
    assert note.recipient == manager_b
    [event] = events(EventType.CASE_SHARED)
    assert event.target_id == str(created.pk)


def test_case_share_limits_compartments_to_what_the_sharer_sees(cast):
    # Police see victim contact and police intelligence, never health.
    with pytest.raises(PermissionDenied):
        share(cast, cast.police_b, [Compartment.HEALTH])
    assert not CaseShare.objects.filter(agency=cast.police_b).exists()


def test_case_share_refuses_lead_and_already_shared_agencies(cast):
    with pytest.raises(DomainError):
        share(cast, cast.police_a)
    with pytest.raises(DomainError):
        share(cast, cast.probation_a)


@pytest.mark.parametrize("days", [0, -1, 366])
def test_case_share_refuses_expiry_outside_a_year(cast, days):
    with pytest.raises(DomainError, match="expiry date"):
        share(cast, cast.police_b, expires_on=timezone.localdate() + dt.timedelta(days))


def test_share_revoke_removes_reach_at_once(cast):
    existing = CaseShare.objects.get(case=cast.case, agency=cast.probation_a)

    services.share_revoke(actor=actor_for(cast.lead_manager), share=existing)

    assert not Access(cast.partner_worker).visible_cases().filter(pk=cast.case.pk)
    assert existing.revoked_by == cast.lead_manager
    assert len(events(EventType.CASE_SHARE_REVOKED)) == 1


# Notes -------------------------------------------------------------------------


def test_note_add_sealed_kind_by_someone_seeing_it(cast):
    note = services.note_add(
        actor=actor_for(cast.clinician),
        case=cast.case,
        kind=CaseNote.Kind.HEALTH,
        text="Engaging with treatment.",
    )

    assert note.agency == cast.nhs_a
    [event] = events(EventType.NOTE_ADDED)
    assert event.target_id == str(note.pk)


def test_note_add_sealed_kind_refused_without_the_compartment(cast):
    with pytest.raises(PermissionDenied):
        services.note_add(
            actor=actor_for(cast.partner_worker),
            case=cast.case,
            kind=CaseNote.Kind.HEALTH,
            text="Should not be allowed.",
        )
    assert not events(EventType.NOTE_ADDED)


# Break-the-glass ---------------------------------------------------------------


def test_case_break_glass_grants_access_and_tells_lead_managers(cast, settings):
    settings.MASIP_BREAK_GLASS_HOURS = 2
    other_manager = MembershipFactory(agency=cast.police_a, role=RoleName.TEAM_MANAGER)

    grant = services.case_break_glass(
        actor=actor_for(cast.outsider_manager),
        case=cast.case,
        reason="Caller reports an immediate threat at the victim's home.",
    )

    remaining = grant.expires_at - timezone.now()
    assert dt.timedelta(hours=1, minutes=59) < remaining <= dt.timedelta(hours=2)
    assert Access(cast.outsider_manager).case_access(cast.case).via_break_glass
    notified = set(
        Notification.objects.filter(kind="break_glass").values_list(
            "recipient", flat=True
        )
    )
    assert notified == {cast.lead_manager.pk, other_manager.user.pk}
    [event] = events(EventType.CASE_BREAK_GLASS)
    assert event.purpose.startswith("Caller reports")
    assert BreakGlassGrant.objects.count() == 1


def test_case_break_glass_not_found_is_audited_with_typed_reference(cast):
    services.case_break_glass_not_found(
        actor=actor_for(cast.outsider_manager),
        reference="STK-ZZZZ-ZZZZ",
        reason="Caller reports an immediate threat.",
    )

    [event] = events(EventType.CASE_BREAK_GLASS_NOT_FOUND)
    assert event.target_id == "STK-ZZZZ-ZZZZ"
    assert event.purpose == "Caller reports an immediate threat."
