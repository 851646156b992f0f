"""Writing to the audit chain: ``record()``."""

import pytest
from django.db import transaction

from masip.accounts.models import Site
from masip.audit.events import EventType
from masip.audit.models import AuditChainHead, AuditEvent
from masip.audit.services import GENESIS_HASH, AuditActor, event_digest, record
from masip.audit.tests.tampering import ACTOR, chain_of
from masip.audit.verify import chain_verify

pytestmark = pytest.mark.django_db


def test_record_first_event_links_to_genesis():
    event = record(EventType.CASE_CREATED, actor=ACTOR, case_reference="STK-0001")

    assert event.seq == 1
    assert event.prev_hash == GENESIS_HASH
    assert event.hash == event_digest(event)


def test_record_chains_each_event_to_the_previous_one():
    first, second, third = chain_of(3)

    assert [first.seq, second.seq, third.seq] == [1, 2, 3]
    assert second.prev_hash == first.hash
    assert third.prev_hash == second.hash
    stored = AuditEvent.objects.get(seq=2)
    assert stored.hash == event_digest(stored)


def test_record_moves_the_chain_head():
    *_, last = chain_of(3)

    head = AuditChainHead.objects.get(pk=1)

    assert (head.last_seq, head.last_hash) == (3, last.hash)


def test_record_keeps_field_names_not_values():
    event = record(
        EventType.PERSON_UPDATED,
        actor=ACTOR,
        changed_fields=["given_name", "date_of_birth", "given_name"],
    )

    assert event.changed_fields == ["date_of_birth", "given_name"]


def test_record_rolled_back_with_its_transaction_leaves_no_trace():
    chain_of(2)

    with pytest.raises(RuntimeError, match="business write failed"):
        _create_site_then_fail()

    assert not Site.objects.filter(slug="rolled-back").exists()
    assert AuditEvent.objects.count() == 2
    assert AuditChainHead.objects.get(pk=1).last_seq == 2
    assert chain_verify().ok
    assert record(EventType.CASE_VIEWED, actor=ACTOR).seq == 3


@pytest.mark.parametrize(
    "address",
    [
        "2001:DB8:0:0:0:0:0:1",
        "2001:db8:0:0:1:0:0:1",
        "::ffff:192.0.2.1",
        "::1",
        "fe80::1%eth0",
        "192.0.2.1",
        "unknown",
    ],
)
def test_record_ip_address_as_stored_still_verifies(address):
    record(EventType.SIGN_IN_SUCCEEDED, actor=AuditActor(None, "x", ip_address=address))

    assert chain_verify().ok


def test_record_overlong_actor_label_is_clipped_and_verifies():
    actor = AuditActor(user_id=1, label="N" * 200 + " <" + "e" * 240 + "@example.test>")

    event = record(EventType.SIGN_IN_SUCCEEDED, actor=actor)

    assert len(AuditEvent.objects.get(pk=event.pk).actor_label) == 300
    assert chain_verify().ok


@transaction.atomic
def _create_site_then_fail() -> None:
    """A service that writes, records, then fails before committing."""
    Site.objects.create(name="Rolled back", slug="rolled-back")
    record(EventType.CASE_CREATED, actor=ACTOR, case_reference="STK-0003")
    raise RuntimeError("the business write failed")
