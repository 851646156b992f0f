"""``masip evidence import``: store an export and read it into the timeline."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from masip.evidence.models import EvidenceImport, EvidenceItem, TimelineEntry

pytestmark = pytest.mark.usefixtures("evidence_root")

FIXTURES = Path(__file__).parent / "fixtures"
CHAT = FIXTURES / "whatsapp" / "android_uk.txt"


def run(*args: str) -> str:
    out = StringIO()
    call_command("evidence", "import", *args, stdout=out)
    return out.getvalue()


def test_import_command_prints_the_counts_and_a_second_run_the_duplicates(cast):
    who = ["--case", cast.case.reference, "--as", cast.lead_worker.email]

    first = run(str(CHAT), *who, "--perpetrator", "Bryn Talfryn")
    second = run(str(CHAT), *who)

    added = TimelineEntry.objects.count()
    assert added > 0
    assert "Format: WhatsApp chat" in first
    assert f"Items read: {added}" in first
    assert f"Entries added: {added}" in first
    assert "Duplicates (already in the timeline): 0" in first
    assert "Lines that could not be read: 0" in first
    assert "Entries added: 0" in second
    assert f"Duplicates (already in the timeline): {added}" in second
    assert TimelineEntry.objects.filter(is_perpetrator=True).exists()
    assert EvidenceItem.objects.filter(case=cast.case).count() == 2
    item = EvidenceItem.objects.first()
    assert item.uploaded_by == cast.lead_worker


def test_import_command_lists_the_first_unreadable_lines(cast, tmp_path):
    chat = tmp_path / "chat.txt"
    chat.write_text(
        "Exported by a helper app\n"
        "12/02/2024, 21:04 - Ama Nwosu: first\n"
        "13/02/2024, 25:99 - Bryn Talfryn: impossible time\n"
        "14/02/2024, 09:00 - Ama Nwosu: last\n"
    )

    out = run(str(chat), "--case", cast.case.reference, "--as", cast.lead_worker.email)

    assert "Lines that could not be read: 2 (first at line 1, 3)" in out


def test_import_command_asks_for_the_date_order_and_takes_it(cast):
    ambiguous = str(FIXTURES / "whatsapp" / "ambiguous.txt")
    who = ["--case", cast.case.reference, "--as", cast.lead_worker.email]

    with pytest.raises(CommandError, match="day first or month first"):
        run(ambiguous, *who)
    out = run(ambiguous, *who, "--date-order", "mdy")

    assert "Entries added: 3" in out


def test_import_command_fails_for_an_unknown_format(cast, tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("Just some notes\nabout nothing much\n")

    with pytest.raises(CommandError, match="cannot tell what kind of export"):
        run(str(notes), "--case", cast.case.reference, "--as", cast.lead_worker.email)

    assert EvidenceImport.objects.get().status == "failed"


def test_import_command_fails_for_a_missing_or_refused_file(cast, tmp_path):
    who = ["--case", cast.case.reference, "--as", cast.lead_worker.email]
    binary = tmp_path / "program.exe"
    binary.write_bytes(b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 120)

    with pytest.raises(CommandError, match="Cannot read"):
        run(str(tmp_path / "missing.txt"), *who)
    with pytest.raises(CommandError, match="was not stored"):
        run(str(binary), *who)

    assert not EvidenceItem.objects.exists()


def test_import_command_refuses_staff_without_reach(cast):
    with pytest.raises(CommandError, match="cannot reach"):
        run(str(CHAT), "--case", cast.case.reference, "--as", cast.outsider.email)
    with pytest.raises(CommandError, match="No active member of staff"):
        run(str(CHAT), "--case", cast.case.reference, "--as", "nobody@example.org")

    assert not EvidenceItem.objects.exists()
