"""Reveals of sealed victim details: who may, for how long, and what ends one."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.utils import timezone

from masip.access import reveal
from masip.access.models import SealedReveal
from masip.access.policy import Access
from masip.access.tests.factories import reveal_for
from masip.accounts.sessions import sessions_end_everywhere
from masip.audit.events import EventType
from masip.audit.models import AuditEvent
from masip.cases.tests.factories import CaseFactory
from masip.people.tests.factories import actor_for


def _state(cast, user, case=None):
    return reveal.victim_contact(Access(user), case or cast.case)


def _start(cast, user, **overrides):
    values = {
        "reason": "safety_planning",
        "detail": "Updating the safety plan with the victim.",
        **overrides,
    }
    return reveal.reveal_start(
        actor=actor_for(user), access=Access(user), case=cast.case, **values
    )


def test_without_the_compartment_details_are_withheld(cast, django_assert_num_queries):
    access = Access(cast.partner_worker)
    access.case_access(cast.case)

    with django_assert_num_queries(0):
        state = reveal.victim_contact(access, cast.case)

    assert state.withheld
    assert not state.masked
    assert not state.shown
    assert state.until is None


def test_with_the_compartment_details_are_masked_until_revealed(cast):
    state = _state(cast, cast.advocate)

    assert state.masked
    assert not state.withheld
    assert not state.shown


def test_a_reveal_shows_them_until_it_expires(cast):
    row = _start(cast, cast.advocate)

    state = _state(cast, cast.advocate)

    assert state.shown
    assert not state.masked
    assert state.until == row.expires_at
    assert row.expires_at - row.revealed_at == dt.timedelta(minutes=15)
    assert str(row) == f"Reveal of case {cast.case.pk} by user {cast.advocate.pk}"


def test_reveal_start_is_audited_without_the_reason(cast):
    row = _start(cast, cast.advocate)

    event = AuditEvent.objects.get(event_type=EventType.SEALED_REVEALED)
    assert event.target_type == "sealed_reveal"
    assert event.target_id == str(row.pk)
    assert event.case_reference == cast.case.reference
    assert event.agency_label == "Advocacy A"
    assert list(event.changed_fields) == []


def test_reveal_start_refused_without_the_compartment(cast):
    with pytest.raises(PermissionDenied):
        _start(cast, cast.partner_worker)

    assert not SealedReveal.objects.exists()
    assert not AuditEvent.objects.filter(event_type=EventType.SEALED_REVEALED)


def test_reveal_start_refuses_an_unknown_reason(cast):
    with pytest.raises(ValueError, match="curiosity"):
        _start(cast, cast.advocate, reason="curiosity")


def test_an_expired_reveal_does_not_count(cast):
    row = reveal_for(cast.advocate, cast.case)
    past = timezone.now() - dt.timedelta(seconds=1)
    SealedReveal.objects.filter(pk=row.pk).update(
        revealed_at=past - dt.timedelta(minutes=15), expires_at=past
    )

    assert _state(cast, cast.advocate).masked


def test_only_the_users_own_reveal_of_this_case_counts(cast):
    other_case = CaseFactory(lead_agency=cast.police_a, created_by=cast.lead_worker)
    reveal_for(cast.lead_worker, cast.case)
    reveal_for(cast.advocate, other_case)

    assert _state(cast, cast.advocate).masked
    assert _state(cast, cast.lead_worker).shown
    assert _state(cast, cast.lead_worker, other_case).masked


def test_a_reveal_without_the_compartment_any_longer_does_not_count(cast):
    reveal_for(cast.advocate, cast.case)
    cast.case.shares.filter(agency=cast.advocacy_a).update(compartments=[])

    assert _state(cast, cast.advocate).withheld


def test_ending_every_session_ends_the_reveal(cast):
    reveal_for(cast.advocate, cast.case)

    sessions_end_everywhere(cast.advocate)

    assert _state(cast, cast.advocate).masked


def test_reveal_end_ends_only_the_users_reveal_and_is_audited(cast):
    reveal_for(cast.advocate, cast.case)
    reveal_for(cast.lead_worker, cast.case)

    ended = reveal.reveal_end(actor=actor_for(cast.advocate), case=cast.case)
    again = reveal.reveal_end(actor=actor_for(cast.advocate), case=cast.case)

    assert (ended, again) == (1, 0)
    assert _state(cast, cast.advocate).masked
    assert _state(cast, cast.lead_worker).shown
    assert (
        AuditEvent.objects.filter(
            event_type=EventType.SEALED_REVEAL_ENDED, case_reference=cast.case.reference
        ).count()
        == 1
    )


def test_revealing_again_ends_the_previous_reveal(cast):
    first = _start(cast, cast.advocate)
    second = _start(cast, cast.advocate)

    first.refresh_from_db()
    assert first.ended_at is not None
    assert second.ended_at is None
    assert _state(cast, cast.advocate).until == second.expires_at


def test_a_reveal_must_end_after_it_starts(cast):
    now = timezone.now()

    with pytest.raises(IntegrityError):
        SealedReveal.objects.create(
            user=cast.advocate,
            case=cast.case,
            agency=cast.advocacy_a,
            reason="other",
            detail="x",
            session_epoch=0,
            revealed_at=now,
            expires_at=now,
        )
