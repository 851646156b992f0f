"""``chain_verify`` in ranges and in worker processes gives the one-walk report.

The walk is cut into ranges of sequence numbers (``segment_size``); each
range checks its own rows and links, and the ranges are joined in order.
Every tamper below is checked against the single walk over the whole chain
(``segment_size=None``), for ranges of one, two and three events, so breaks
inside a range, at its first row and at a join all give the same report.
"""

import copy
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection, connections
from django.db.models import F

from masip.audit.bulk import EventRow, append_events
from masip.audit.models import AuditChainHead, AuditEvent
from masip.audit.tests.tampering import append_only_lifted, chain_of
from masip.audit.verify import ChainReport, chain_verify

pytestmark = pytest.mark.django_db

START = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)


def rows(count: int) -> list[EventRow]:
    return [
        EventRow(
            occurred_at=START + timedelta(minutes=n, microseconds=(n % 3) * 250_000),
            event_type="case_viewed",
            actor_id=n,
            actor_label=f"Wörker {n}",
            changed_fields=("status",) if n % 2 else (),
            ip_address="2001:db8::7" if n % 2 else None,
        )
        for n in range(1, count + 1)
    ]


def _edit(seq: int) -> Callable[[], None]:
    def tamper() -> None:
        AuditEvent.objects.filter(seq=seq).update(purpose="edited")

    return tamper


def _delete(*seqs: int) -> Callable[[], None]:
    def tamper() -> None:
        AuditEvent.objects.filter(seq__in=seqs).delete()

    return tamper


def _swap(a: int, b: int) -> Callable[[], None]:
    def tamper() -> None:
        AuditEvent.objects.filter(seq=a).update(seq=1000)
        AuditEvent.objects.filter(seq=b).update(seq=a)
        AuditEvent.objects.filter(seq=1000).update(seq=b)

    return tamper


def _renumber_from(seq: int, by: int) -> Callable[[], None]:
    def tamper() -> None:
        AuditEvent.objects.filter(seq__gte=seq).update(seq=F("seq") + by)

    return tamper


def _relink(seq: int) -> Callable[[], None]:
    def tamper() -> None:
        AuditEvent.objects.filter(seq=seq).update(prev_hash="c" * 64)

    return tamper


def _head(last_seq: int, last_hash: str | None = None) -> Callable[[], None]:
    def tamper() -> None:
        hash_ = last_hash or AuditEvent.objects.get(seq=last_seq).hash
        AuditChainHead.objects.filter(pk=1).update(last_seq=last_seq, last_hash=hash_)

    return tamper


def _no_head() -> None:
    AuditChainHead.objects.all().delete()


def _nothing() -> None:
    pass


TAMPERS: dict[str, tuple[Callable[[], None], int | None]] = {
    "intact": (_nothing, None),
    "edited first event": (_edit(1), 1),
    "edited in the second range": (_edit(4), 4),
    "edited last event": (_edit(7), 7),
    "deleted in the middle": (_delete(4), 5),
    "deleted first event": (_delete(1), 2),
    "deleted two at a join": (_delete(3, 4), 5),
    "removed tail": (_delete(6, 7), 6),
    "swapped across a join": (_swap(2, 3), 2),
    "swapped within a range": (_swap(5, 6), 5),
    "link broken": (_relink(5), 5),
    "gap in numbering": (_renumber_from(5, 10), 15),
    "head behind (appended during the walk)": (_head(4), None),
    "head hash wrong": (_head(7, "d" * 64), 7),
    "head missing": (_no_head, 8),
}


@pytest.mark.parametrize("name", TAMPERS)
def test_chain_verify_in_ranges_gives_the_single_walk_report(name):
    tamper, bad_seq = TAMPERS[name]
    append_events(rows(7))
    with append_only_lifted():
        tamper()

    single = chain_verify()
    in_ranges = [chain_verify(segment_size=size) for size in (1, 2, 3)]

    assert single.first_bad_seq == bad_seq
    assert single.ok is (bad_seq is None)
    assert in_ranges == [single] * 3


def test_chain_verify_break_at_a_join_names_the_first_row_of_the_range():
    events = chain_of(6)
    with append_only_lifted():
        AuditEvent.objects.filter(seq=4).update(prev_hash=events[0].hash)

    report = chain_verify(segment_size=3)

    assert report == ChainReport(
        False, 3, 4, "its link to the previous event is broken"
    )


def test_chain_verify_stored_time_in_another_form_still_verifies():
    append_events(rows(3))
    moment = AuditEvent.objects.get(seq=2).occurred_at
    # Django writes "YYYY-MM-DD HH:MM:SS.ffffff" (UTC) on SQLite; ISO text with
    # another offset is the same instant, and reads back as it.
    same_instant = moment.astimezone(timezone(timedelta(hours=-2))).isoformat()
    with append_only_lifted(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE audit_auditevent SET occurred_at = %s WHERE seq = 2",
            [same_instant],
        )

    assert chain_verify() == ChainReport(True, 3)


def test_chain_verify_stored_time_moved_is_an_edit():
    append_events(rows(3))
    moment = AuditEvent.objects.get(seq=2).occurred_at + timedelta(microseconds=1)
    with append_only_lifted(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE audit_auditevent SET occurred_at = %s WHERE seq = 2",
            [moment.isoformat()],
        )

    report = chain_verify()

    assert (report.ok, report.first_bad_seq) == (False, 2)


def test_chain_verify_unreadable_changed_fields_is_an_edit():
    append_events(rows(3))
    with append_only_lifted(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE audit_auditevent SET changed_fields = %s WHERE seq = 3", ["7"]
        )

    report = chain_verify()

    assert (report.ok, report.first_bad_seq) == (False, 3)
    assert "does not match its hash" in report.problem


def test_verify_command_workers_on_the_command_line(capsys):
    chain_of(3)

    call_command("audit", "verify", "--workers", "2")

    assert capsys.readouterr().out == "Audit chain intact: 3 events checked.\n"


# --- in worker processes -----------------------------------------------------


@pytest.fixture
def committed_db(tmp_path: Path, django_db_blocker) -> Iterator[str]:
    """A database alias beside the test database whose writes commit, so
    worker processes see them: a SQLite file, or a schema of its own in the
    PostgreSQL test database. It holds the two audit tables only."""
    alias = f"audit_{uuid.uuid4().hex[:8]}"
    settings_dict = copy.deepcopy(connection.settings_dict)
    postgres = connection.vendor == "postgresql"
    if postgres:
        settings_dict["OPTIONS"] = {
            **settings_dict["OPTIONS"],
            "options": f"-c search_path={alias}",
        }
    else:
        settings_dict["NAME"] = str(tmp_path / "audit.sqlite3")
        settings_dict["TEST"] = {**settings_dict.get("TEST", {}), "NAME": None}
    connections.settings[alias] = settings_dict
    other = connections[alias]
    with django_db_blocker.unblock():
        if postgres:
            with other.cursor() as cursor:
                cursor.execute(f"CREATE SCHEMA {alias}")
        with other.schema_editor() as editor:
            editor.create_model(AuditEvent)
            editor.create_model(AuditChainHead)
        AuditChainHead.objects.using(alias).create(pk=1)
        try:
            yield alias
        finally:
            if postgres:
                with other.cursor() as cursor:
                    cursor.execute(f"DROP SCHEMA {alias} CASCADE")
            other.close()
            del connections[alias]
            del connections.settings[alias]


def test_chain_verify_in_worker_processes(committed_db):
    append_events(rows(9), using=committed_db)
    events = AuditEvent.objects.using(committed_db)

    intact = chain_verify(workers=2, segment_size=3, using=committed_db)
    events.filter(seq=7).update(target_id="STK-0000")
    edited = chain_verify(workers=2, segment_size=3, using=committed_db)
    edited_single = chain_verify(using=committed_db)
    with connections[committed_db].cursor() as cursor:  # only the audit tables
        cursor.execute("DELETE FROM audit_auditevent WHERE seq = 4")
    deleted_at_join = chain_verify(workers=2, segment_size=3, using=committed_db)

    assert intact == ChainReport(True, 9)
    assert edited == edited_single
    assert (edited.first_bad_seq, edited.checked) == (7, 6)
    assert deleted_at_join == chain_verify(using=committed_db)
    assert (deleted_at_join.first_bad_seq, deleted_at_join.checked) == (5, 3)
    assert "expected event #4 here" in deleted_at_join.problem
