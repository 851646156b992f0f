"""``masip audit verify``: an intact chain passes, every kind of tampering fails.

Each tamper goes round ``record()`` with ``QuerySet.update``/``delete`` or raw
SQL, as someone with database access would.
"""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.models import F

from masip.audit.models import AuditChainHead, AuditEvent
from masip.audit.tests.tampering import append_only_lifted, chain_of
from masip.audit.verify import chain_verify

pytestmark = pytest.mark.django_db


def verify_fails_at(seq: int) -> str:
    """Run the command, expecting a break at ``seq``; return the message."""
    with pytest.raises(CommandError) as raised:
        call_command("audit", "verify")
    assert raised.value.returncode == 1
    message = str(raised.value)
    assert message.startswith(f"Audit chain broken at event #{seq}: ")
    return message


def test_verify_command_intact_chain_passes(capsys):
    chain_of(5)

    call_command("audit", "verify", chunk_size=2)

    assert capsys.readouterr().out == "Audit chain intact: 5 events checked.\n"


def test_verify_command_empty_chain_passes(capsys):
    call_command("audit", "verify")

    assert capsys.readouterr().out == "Audit chain intact: 0 events checked.\n"


def test_verify_command_chunk_size_on_the_command_line(capsys):
    chain_of(3)

    call_command("audit", "verify", "--chunk-size", "1")

    assert "3 events checked" in capsys.readouterr().out


def test_verify_command_without_subcommand_is_refused():
    with pytest.raises(CommandError):
        call_command("audit")


def test_verify_edited_middle_row_fails_at_that_row():
    chain_of(5)

    with append_only_lifted():
        AuditEvent.objects.filter(seq=3).update(purpose="Nothing to see here.")

    message = verify_fails_at(3)
    assert "does not match its hash" in message


def test_verify_edited_row_with_raw_sql_fails_at_that_row():
    chain_of(5)

    with append_only_lifted(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE audit_auditevent SET actor_label = %s WHERE seq = %s",
            ["Someone Else <someone@example.test>", 2],
        )

    verify_fails_at(2)


def test_verify_deleted_middle_row_fails_at_the_gap():
    chain_of(5)

    with append_only_lifted():
        AuditEvent.objects.filter(seq=3).delete()

    message = verify_fails_at(4)
    assert "expected event #3 here" in message


def test_verify_deleted_last_rows_fails_after_the_new_end():
    chain_of(5)

    with append_only_lifted():
        AuditEvent.objects.filter(seq__gte=4).delete()

    message = verify_fails_at(4)
    assert "events were removed from the end" in message


def test_verify_swapped_rows_fail_at_the_first_of_them():
    chain_of(5)

    with append_only_lifted():
        AuditEvent.objects.filter(seq=2).update(seq=1000)
        AuditEvent.objects.filter(seq=3).update(seq=2)
        AuditEvent.objects.filter(seq=1000).update(seq=3)

    message = verify_fails_at(2)
    assert "link to the previous event is broken" in message


def test_verify_forged_row_inserted_in_the_middle_fails_at_the_forgery():
    events = chain_of(5)
    with append_only_lifted():
        # Make room at #3 (in two steps: seq is unique row by row).
        AuditEvent.objects.filter(seq__gte=3).update(seq=F("seq") + 1000)
        AuditEvent.objects.filter(seq__gte=1003).update(seq=F("seq") - 999)
    forged = _copy_of(events[1], seq=3, prev_hash=events[1].hash)
    forged.purpose = "Forged after the event."
    forged.hash = "f" * 64
    AuditEvent.objects.bulk_create([forged])
    AuditChainHead.objects.filter(pk=1).update(last_seq=6)

    message = verify_fails_at(3)
    assert "does not match its hash" in message


def test_verify_forged_row_appended_with_a_wrong_hash_fails_at_the_forgery():
    events = chain_of(4)
    forged = _copy_of(events[-1], seq=5, prev_hash=events[-1].hash)
    forged.hash = "e" * 64
    AuditEvent.objects.bulk_create([forged])
    AuditChainHead.objects.filter(pk=1).update(last_seq=5, last_hash=forged.hash)

    message = verify_fails_at(5)
    assert "does not match its hash" in message


def test_verify_reports_only_the_first_break():
    chain_of(6)

    with append_only_lifted():
        AuditEvent.objects.filter(seq__in=[2, 5]).update(target_id="STK-9999")

    assert chain_verify(chunk_size=2).first_bad_seq == 2


def _copy_of(event: AuditEvent, *, seq: int, prev_hash: str) -> AuditEvent:
    return AuditEvent(
        seq=seq,
        occurred_at=event.occurred_at,
        actor_id=event.actor_id,
        actor_label=event.actor_label,
        agency_id=event.agency_id,
        agency_label=event.agency_label,
        role=event.role,
        event_type=event.event_type,
        target_type=event.target_type,
        target_id=event.target_id,
        case_reference=event.case_reference,
        changed_fields=event.changed_fields,
        purpose=event.purpose,
        ip_address=event.ip_address,
        prev_hash=prev_hash,
    )


def test_verify_events_appended_during_the_walk_are_not_a_removal():
    events = chain_of(5)
    # As if the head was read just before events #4 and #5 were appended.
    AuditChainHead.objects.filter(pk=1).update(last_seq=3, last_hash=events[2].hash)

    report = chain_verify()

    assert report.ok
    assert report.checked == 5


def test_verify_head_hash_that_matches_no_event_fails():
    chain_of(3)
    AuditChainHead.objects.filter(pk=1).update(last_hash="d" * 64)

    message = verify_fails_at(3)
    assert "chain head recorded" in message


def test_verify_missing_head_fails():
    chain_of(2)
    AuditChainHead.objects.all().delete()

    message = verify_fails_at(3)
    assert "head is missing" in message
