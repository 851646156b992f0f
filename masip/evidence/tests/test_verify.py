"""Re-checking stored evidence: one changed byte is found and reported."""

import pytest
from django.core.management import CommandError, call_command

from masip.audit.events import EventType
from masip.audit.models import AuditEvent
from masip.evidence.models import EvidenceItem, Verification
from masip.evidence.services import evidence_verify_all
from masip.evidence.tests.vault_helpers import (
    PDF,
    TEXT,
    jpeg_with_gps,
    upload,
)

pytestmark = pytest.mark.usefixtures("evidence_root")


def _flip_one_byte(root, key: str, position: int = -5) -> None:
    path = root / key
    raw = bytearray(path.read_bytes())
    raw[position] ^= 0x01
    path.write_bytes(bytes(raw))


def test_verify_all_finds_every_intact_item_and_records_it(cast):
    items = [
        upload(cast.lead_worker, cast.case, PDF),
        upload(cast.lead_worker, cast.case, jpeg_with_gps(), "photo.jpg"),
    ]

    report = evidence_verify_all()

    assert (report.checked, report.intact, report.ok) == (2, 2, True)
    events = AuditEvent.objects.filter(event_type=EventType.EVIDENCE_VERIFIED)
    assert sorted(e.target_id for e in events) == sorted(
        str(i.public_id) for i in items
    )
    assert all(e.case_reference == cast.case.reference for e in events)
    assert set(EvidenceItem.objects.values_list("verification", flat=True)) == {
        Verification.INTACT
    }


def test_verify_all_reports_one_changed_byte_of_a_stored_file(cast, evidence_root):
    intact = upload(cast.lead_worker, cast.case, PDF)
    altered = upload(cast.lead_worker, cast.case, TEXT, "chat.txt")
    _flip_one_byte(evidence_root, altered.storage_key)

    report = evidence_verify_all()

    assert (report.checked, report.intact) == (2, 1)
    assert [m.public_id for m in report.mismatches] == [str(altered.public_id)]
    assert "original" in report.mismatches[0].reason
    failed = AuditEvent.objects.get(event_type=EventType.EVIDENCE_VERIFY_FAILED)
    assert failed.target_id == str(altered.public_id)
    altered.refresh_from_db()
    intact.refresh_from_db()
    assert altered.verification == Verification.MISMATCH
    assert intact.verification == Verification.INTACT


def test_verify_all_reports_a_changed_display_copy(cast, evidence_root):
    item = upload(cast.lead_worker, cast.case, jpeg_with_gps(), "photo.jpg")
    _flip_one_byte(evidence_root, item.display_storage_key)

    report = evidence_verify_all()

    assert "display copy" in report.mismatches[0].reason


def test_verify_all_reports_a_missing_file(cast, evidence_root):
    item = upload(cast.lead_worker, cast.case, PDF)
    (evidence_root / item.storage_key).unlink()

    report = evidence_verify_all()

    assert "missing" in report.mismatches[0].reason


def test_verify_command_prints_the_report_and_succeeds_when_intact(cast, capsys):
    upload(cast.lead_worker, cast.case, PDF)

    call_command("evidence", "verify")

    out = capsys.readouterr().out
    assert "Checked 1 evidence item: 1 intact, 0 not matching." in out
    assert "Files sealed under key dev: 1" in out


def test_verify_command_exits_non_zero_on_a_changed_byte(cast, evidence_root, capsys):
    item = upload(cast.lead_worker, cast.case, PDF)
    _flip_one_byte(evidence_root, item.storage_key, position=40)

    with pytest.raises(CommandError, match="1 evidence item does not match"):
        call_command("evidence", "verify")

    out = capsys.readouterr().out
    assert f"MISMATCH case {cast.case.reference} item {item.public_id}" in out


def test_verify_command_needs_a_subcommand():
    with pytest.raises(CommandError):
        call_command("evidence")
