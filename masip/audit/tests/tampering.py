"""Helpers for tests that tamper with the audit table behind ``record()``'s back."""

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection

from masip.audit.events import EventType
from masip.audit.models import AuditEvent
from masip.audit.services import AuditActor, record

ACTOR = AuditActor(
    user_id=7,
    label="Test Tamperer <tamperer@example.test>",
    agency_id=3,
    agency_label="Police A",
    role="case_worker",
    ip_address="192.0.2.10",
    purpose="Preparing for the panel.",
)


def chain_of(count: int) -> list[AuditEvent]:
    """``count`` events written the proper way, through ``record()``."""
    return [
        record(
            EventType.CASE_VIEWED,
            actor=ACTOR,
            target_type="case",
            target_id=f"STK-{n:04d}",
            case_reference=f"STK-{n:04d}",
        )
        for n in range(1, count + 1)
    ]


@contextmanager
def append_only_lifted() -> Iterator[None]:
    """On PostgreSQL, switch the append-only triggers off for the block.

    The triggers refuse UPDATE, DELETE and TRUNCATE; a tamper test plays an
    attacker who has got round them (a superuser, or a restored backup).
    Elsewhere there is nothing to lift.
    """
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER USER")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            # Deleting events queues the deferred checks of foreign keys that
            # point at them (security alerts cite events); run them now, as
            # PostgreSQL refuses ALTER TABLE while any are pending.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER USER")
