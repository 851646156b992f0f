"""Importing message exports into the case timeline (services and task)."""

from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django_tasks_db.models import DBTaskResult

from masip.audit.events import EventType
from masip.audit.models import AuditEvent
from masip.core.errors import DomainError
from masip.evidence import imports, tasks
from masip.evidence.models import EvidenceImport, ImportStatus, TimelineEntry
from masip.evidence.parsers.base import ParseReport
from masip.evidence.parsers.email import parse as parse_email
from masip.evidence.parsers.whatsapp import parse as parse_whatsapp
from masip.evidence.tests.vault_helpers import PDF, upload
from masip.people.tests.factories import actor_for

pytestmark = pytest.mark.usefixtures("evidence_root")

FIXTURES = Path(__file__).parent / "fixtures"
TASK_PATH = "masip.evidence.tasks.run_evidence_import"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def start(cast, item, **options) -> EvidenceImport:
    return imports.evidence_import_start(
        actor=actor_for(cast.lead_worker), case=cast.case, evidence=item, **options
    )


def imported(cast, content: bytes, name: str, **options) -> EvidenceImport:
    """Upload ``content``, start its import and run the real task function."""
    item = upload(cast.lead_worker, cast.case, content, name)
    run = start(cast, item, **options)
    tasks.run_evidence_import.call(run.pk)
    run.refresh_from_db()
    return run


def parser_count(name: str, **options) -> int:
    with (FIXTURES / name).open("rb") as source:
        from zoneinfo import ZoneInfo

        report = ParseReport()
        return sum(
            1
            for _ in parse_whatsapp(
                source, report=report, tz=ZoneInfo("Europe/London"), **options
            )
        )


def test_import_whatsapp_adds_every_entry_the_parser_reads(cast):
    run = imported(cast, fixture("whatsapp/android_uk.txt"), "chat.txt")

    expected = parser_count("whatsapp/android_uk.txt")
    assert run.status == ImportStatus.COMPLETED, run.error
    assert run.format == "whatsapp_txt"
    assert run.progress == 100
    assert run.items_read == expected
    assert run.entries_added == expected
    assert run.duplicates == 0
    assert TimelineEntry.objects.filter(case=cast.case).count() == expected
    event = AuditEvent.objects.get(event_type=EventType.EVIDENCE_IMPORTED)
    assert "entries_added" in event.changed_fields
    assert not any(name[-1:].isdigit() for name in event.changed_fields)
    assert event.target_id == str(run.evidence.public_id)


def test_import_keeps_text_line_breaks_and_source_lines(cast):
    imported(cast, fixture("whatsapp/android_uk.txt"), "chat.txt")

    entries = [e for e in TimelineEntry.objects.all() if e.text.startswith("Please")]

    assert entries[0].text == (
        "Please stop.\nI have asked you three times.\n\n  Leave me alone."
    )
    assert entries[0].source_line == 7
    assert entries[0].sender == "Ama Nwosu"


def test_reimporting_the_same_export_adds_nothing(cast):
    first = imported(cast, fixture("whatsapp/android_uk.txt"), "chat.txt")

    second = imported(cast, fixture("whatsapp/android_uk.txt"), "chat again.txt")

    assert second.status == ImportStatus.COMPLETED
    assert second.entries_added == 0
    assert second.duplicates == first.entries_added
    assert TimelineEntry.objects.count() == first.entries_added


def test_import_flags_the_named_perpetrator_ignoring_case_and_marks(cast):
    run = imported(
        cast,
        fixture("whatsapp/android_uk.txt"),
        "chat.txt",
        perpetrator_participant=" \u200ebryn TALFRYN ",
    )

    flagged = {e.sender for e in TimelineEntry.objects.filter(is_perpetrator=True)}
    others = TimelineEntry.objects.filter(evidence_import=run, is_perpetrator=False)
    assert flagged == {"Bryn Talfryn"}
    assert "Bryn Talfryn" not in {e.sender for e in others}
    assert others.exists()


def test_import_stores_its_report_sealed(cast):
    run = imported(cast, fixture("whatsapp/android_uk.txt"), "chat.txt")

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT report, perpetrator_participant FROM evidence_evidenceimport "
            "WHERE id = %s",
            [run.pk],
        )
        raw_report = cursor.fetchone()[0]
        cursor.execute("SELECT sender, text FROM evidence_timelineentry")
        raw_entries = " ".join(" ".join(row) for row in cursor.fetchall())

    report = run.report_data
    assert report["participants"][0] == {"name": "Bryn Talfryn", "count": 7}
    assert "every line could be read" in report["summary"]
    assert "Bryn Talfryn" not in raw_report
    assert "Talfryn" not in raw_entries
    assert "are you home" not in raw_entries


def test_ambiguous_dates_ask_for_the_order_and_a_restart_with_it_succeeds(cast):
    run = imported(cast, fixture("whatsapp/ambiguous.txt"), "chat.txt")

    assert run.status == ImportStatus.FAILED
    assert "day first or month first" in run.error
    assert run.report_data["needs_date_order"] is True
    assert not TimelineEntry.objects.exists()

    again = start(cast, run.evidence, date_order="dmy")
    tasks.run_evidence_import.call(again.pk)
    again.refresh_from_db()

    assert again.status == ImportStatus.COMPLETED
    assert again.entries_added == 3
    first = TimelineEntry.objects.order_by("occurred_at").first()
    assert (first.occurred_at.month, first.occurred_at.day) == (2, 1)


def test_unknown_format_fails_with_the_reason(cast):
    run = imported(cast, b"Just some notes\nabout nothing much\n", "notes.txt")

    assert run.status == ImportStatus.FAILED
    assert run.error == imports.UNKNOWN_FORMAT
    assert AuditEvent.objects.filter(
        event_type=EventType.EVIDENCE_IMPORT_FAILED
    ).exists()


# Like fixtures/whatsapp/malformed.txt, but valid UTF-8 (the vault takes a
# file as text only when it reads as text): a preamble, an impossible time
# and a header cut short.
MALFORMED = (
    b"Exported by a helper app\n"
    b"\n"
    b"12/02/2024, 21:04 - Ama Nwosu: first\n"
    b"13/02/2024, 25:99 - Bryn Talfryn: impossible time\n"
    b"with a second line\n"
    b"14/02/2024, 09:00 - Ama Nwosu: I wrote\n"
    b"15/02/2024, 10:00 - Bryn Talfryn: last\n"
)


def test_malformed_file_completes_with_its_problems_and_line_numbers(cast):
    run = imported(cast, MALFORMED, "chat.txt")

    report = run.report_data
    assert run.status == ImportStatus.COMPLETED, run.error
    assert run.problems == report["problem_count"] > 0
    assert run.entries_added == 3
    lines = [p["line"] for p in report["problems"]]
    assert 1 in lines
    assert 4 in lines
    assert "could not be read (first at line" in report["summary"]


def test_an_export_with_a_stray_bad_byte_is_taken_and_imported(cast):
    run = imported(cast, fixture("whatsapp/malformed.txt"), "chat.txt")

    assert run.status == ImportStatus.COMPLETED, run.error
    assert run.entries_added > 0
    assert run.problems > 0
    texts = [e.text for e in TimelineEntry.objects.filter(evidence_import=run)]
    assert any("\ufffd" in text for text in texts)


def test_text_the_sealing_cannot_encode_is_stored_with_replacements():
    assert imports._storable("bad byte \udcff here") == "bad byte \ufffd here"
    assert imports._storable("fine \U0001f6aa") == "fine \U0001f6aa"


def test_sms_xml_import_flags_the_other_partys_number(cast):
    run = imported(
        cast,
        fixture("sms/sms-backup.xml"),
        "sms.xml",
        perpetrator_participant="07700900123",
    )

    entries = list(TimelineEntry.objects.filter(evidence_import=run))
    assert run.status == ImportStatus.COMPLETED, run.error
    assert run.format == "sms_xml"
    assert run.entries_added == len(entries) > 0
    flagged = [e for e in entries if e.is_perpetrator]
    assert flagged
    assert {e.sender for e in flagged} == {"07700 900123"}
    assert {e.channel for e in entries} <= {"sms", "mms"}


def test_calls_xml_import_reads_the_call_log(cast):
    run = imported(cast, fixture("sms/calls.xml"), "calls.xml")

    assert run.status == ImportStatus.COMPLETED, run.error
    assert run.format == "calls_xml"
    assert TimelineEntry.objects.filter(channel="call").count() == run.entries_added


def test_progress_and_counts_are_written_every_batch(cast, monkeypatch):
    item = upload(
        cast.lead_worker, cast.case, fixture("whatsapp/android_uk.txt"), "chat.txt"
    )
    run = start(cast, item)
    seen: list[tuple[int, int, str]] = []
    write = imports._write_batch

    def spy(run_, batch, *args):
        write(run_, batch, *args)
        row = EvidenceImport.objects.get(pk=run_.pk)
        seen.append((row.items_read, row.progress, row.status))

    monkeypatch.setattr(imports, "_write_batch", spy)

    imports.evidence_import_run(run.pk, batch_size=4)

    counts = [items for items, _, _ in seen]
    assert counts == sorted(counts)
    assert counts[0] == 4
    assert len(seen) >= 3
    assert all(status == ImportStatus.RUNNING for _, _, status in seen)
    assert all(0 <= progress <= 99 for _, progress, _ in seen)


def test_a_finished_import_run_twice_changes_nothing(cast):
    run = imported(cast, fixture("whatsapp/android_uk.txt"), "chat.txt")

    tasks.run_evidence_import.call(run.pk)

    again = EvidenceImport.objects.get(pk=run.pk)
    assert again.entries_added == run.entries_added
    assert (
        AuditEvent.objects.filter(event_type=EventType.EVIDENCE_IMPORTED).count() == 1
    )


def test_start_queues_the_task_on_commit_and_audits(
    cast, django_capture_on_commit_callbacks
):
    item = upload(
        cast.lead_worker, cast.case, fixture("whatsapp/android_uk.txt"), "chat.txt"
    )

    with django_capture_on_commit_callbacks(execute=True):
        run = start(cast, item, perpetrator_participant="Bryn Talfryn")

    queued = DBTaskResult.objects.get(task_path=TASK_PATH)
    assert queued.args_kwargs["args"] == [run.pk]
    assert run.status == ImportStatus.QUEUED
    event = AuditEvent.objects.get(event_type=EventType.EVIDENCE_IMPORT_STARTED)
    assert event.changed_fields == ["perpetrator_participant", "timeline"]
    assert event.actor_id == cast.lead_worker.pk


def test_start_refuses_a_file_that_cannot_be_an_export(cast):
    item = upload(cast.lead_worker, cast.case, PDF, "statement.pdf")

    with pytest.raises(DomainError, match="Only message exports"):
        start(cast, item)

    assert not EvidenceImport.objects.exists()


def test_start_refuses_a_second_import_while_one_is_waiting(cast):
    item = upload(
        cast.lead_worker, cast.case, fixture("whatsapp/android_uk.txt"), "chat.txt"
    )
    start(cast, item)

    with pytest.raises(DomainError, match="already under way"):
        start(cast, item)


def test_start_refuses_another_cases_item(cast):
    item = upload(
        cast.lead_worker, cast.case, fixture("whatsapp/android_uk.txt"), "chat.txt"
    )

    with pytest.raises(DomainError):
        imports.evidence_import_start(
            actor=actor_for(cast.lead_worker), case=cast.other_case, evidence=item
        )


def test_set_perpetrator_after_import_marks_only_their_entries(cast):
    run = imported(cast, fixture("whatsapp/android_uk.txt"), "chat.txt")

    marked = imports.timeline_set_perpetrator(
        actor=actor_for(cast.lead_worker),
        case=cast.case,
        evidence_import=run,
        participant="Ama Nwosu",
    )

    flagged = TimelineEntry.objects.filter(is_perpetrator=True)
    assert marked == flagged.count() > 0
    assert {e.sender for e in flagged} == {"Ama Nwosu"}
    run.refresh_from_db()
    assert run.perpetrator_participant == "Ama Nwosu"
    assert AuditEvent.objects.filter(
        event_type=EventType.TIMELINE_PERPETRATOR_SET
    ).exists()


def test_set_perpetrator_can_change_its_mind(cast):
    run = imported(
        cast,
        fixture("whatsapp/android_uk.txt"),
        "chat.txt",
        perpetrator_participant="Ama Nwosu",
    )

    imports.timeline_set_perpetrator(
        actor=actor_for(cast.lead_worker),
        case=cast.case,
        evidence_import=run,
        participant="Bryn Talfryn",
    )

    flagged = {e.sender for e in TimelineEntry.objects.filter(is_perpetrator=True)}
    assert flagged == {"Bryn Talfryn"}


def test_participant_key_ignores_marks_spaces_and_case():
    assert imports.participant_key("\u200e07700 900123\u202f") == "07700900123"
    assert imports.participant_key("Bryn TALFRYN") == "bryntalfryn"


LONDON = ZoneInfo("Europe/London")


@pytest.mark.parametrize(
    ("name", "fmt"),
    [("email/mailbox.mbox", "mbox"), ("email/multipart.eml", "eml")],
    ids=["mbox", "eml"],
)
def test_email_imports_read_every_message_into_the_timeline(cast, name, fmt):
    run = imported(cast, fixture(name), name.rsplit("/", 1)[-1])

    entries = TimelineEntry.objects.filter(evidence_import=run)
    assert run.status == ImportStatus.COMPLETED, run.error
    assert run.format == fmt
    with (FIXTURES / name).open("rb") as source:
        read = list(parse_email(source, report=ParseReport(), tz=LONDON))
    assert run.entries_added == len(read) == entries.count() > 0
    assert {e.channel for e in entries} == {"email"}
    assert all(e.text.startswith("Subject: ") for e in entries)
