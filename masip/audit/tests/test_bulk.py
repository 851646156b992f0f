"""``append_events``: many events chained as ``record`` chains them."""

from datetime import UTC, datetime, timedelta, timezone
from itertools import pairwise

import pytest

from masip.audit.bulk import EventRow, append_events
from masip.audit.events import EventType
from masip.audit.models import AuditChainHead, AuditEvent
from masip.audit.services import GENESIS_HASH, event_digest, record
from masip.audit.tests.tampering import ACTOR, append_only_lifted, chain_of
from masip.audit.verify import chain_verify

pytestmark = pytest.mark.django_db

START = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)


def rows(count: int, **values: object) -> list[EventRow]:
    return [
        EventRow(
            occurred_at=START + timedelta(seconds=n, microseconds=n * 7),
            event_type=EventType.CASE_VIEWED,
            actor_id=n,
            actor_label=f"Worker {n} <w{n}@example.test>",
            target_type="case",
            target_id=f"STK-{n:04d}",
            case_reference=f"STK-{n:04d}",
            **values,  # type: ignore[arg-type]
        )
        for n in range(1, count + 1)
    ]


def test_append_events_chains_from_genesis_and_verifies():
    appended = append_events(rows(7), batch_size=3)

    events = list(AuditEvent.objects.order_by("seq"))
    assert appended == 7
    assert [event.seq for event in events] == list(range(1, 8))
    assert events[0].prev_hash == GENESIS_HASH
    assert all(b.prev_hash == a.hash for a, b in pairwise(events))
    assert all(event.hash == event_digest(event) for event in events)
    head = AuditChainHead.objects.get(pk=1)
    assert (head.last_seq, head.last_hash) == (7, events[-1].hash)
    assert chain_verify() == chain_verify(workers=1, segment_size=2)
    assert chain_verify().ok


def test_append_events_continues_after_record_and_record_after_it():
    chain_of(2)

    append_events(rows(3))
    last = record(EventType.CASE_VIEWED, actor=ACTOR)

    assert last.seq == 6
    assert AuditEvent.objects.get(seq=3).prev_hash == AuditEvent.objects.get(seq=2).hash
    assert chain_verify().ok


def test_append_events_stores_values_as_record_would():
    row = EventRow(
        occurred_at=datetime(2026, 3, 1, 10, 0, 0, tzinfo=timezone(timedelta(hours=2))),
        event_type=EventType.PERSON_UPDATED,
        actor_label="Ł" * 400,
        agency_label="Agency " * 50,
        changed_fields=("surname", "given_name", "surname"),
        purpose='Zoë\'s panel: "urgent" \\ review\n',
        ip_address="2001:DB8:0:0:0:0:0:1",
    )

    append_events([row, EventRow(occurred_at=START, event_type="x", ip_address="bad")])

    first, second = AuditEvent.objects.order_by("seq")
    assert first.actor_label == "Ł" * 300
    assert len(first.agency_label) == 200
    assert first.changed_fields == ["given_name", "surname"]
    assert first.ip_address == "2001:db8::1"
    assert first.occurred_at == datetime(2026, 3, 1, 8, 0, tzinfo=UTC)
    assert second.ip_address is None
    assert first.hash == event_digest(first)
    assert chain_verify().ok


def test_append_events_whole_seconds_and_early_years_verify():
    append_events(
        [
            EventRow(occurred_at=datetime(2026, 1, 1, tzinfo=UTC), event_type="a"),
            EventRow(
                occurred_at=datetime(999, 5, 6, 7, 8, 9, tzinfo=UTC), event_type="b"
            ),
            EventRow(
                occurred_at=datetime(2026, 1, 1, 0, 0, 0, 500000, tzinfo=UTC),
                event_type="c",
            ),
        ]
    )

    assert chain_verify().ok
    assert chain_verify(workers=1, segment_size=1).ok


def test_append_events_refuses_a_naive_time():
    naive = EventRow(occurred_at=datetime(2026, 1, 1), event_type="x")  # noqa: DTZ001

    with pytest.raises(ValueError, match="timezone-aware"):
        append_events([naive])

    assert not AuditEvent.objects.exists()


def test_append_events_refuses_a_batch_size_below_one():
    with pytest.raises(ValueError, match="batch_size"):
        append_events(rows(1), batch_size=0)


def test_append_events_nothing_to_append_leaves_the_head():
    assert append_events([]) == 0

    assert AuditChainHead.objects.get(pk=1).last_seq == 0


def test_append_events_rows_edited_afterwards_fail_verify():
    append_events(rows(5), batch_size=2)

    with append_only_lifted():
        AuditEvent.objects.filter(seq=4).update(case_reference="STK-9999")

    report = chain_verify()
    assert (report.ok, report.first_bad_seq, report.checked) == (False, 4, 3)
