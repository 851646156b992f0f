"""Importing message exports into the case timeline, and naming the perpetrator.

``evidence_import_start`` checks the item could be an export, records the
import as queued and queues ``tasks.run_evidence_import`` once the
transaction commits. The task calls ``evidence_import_run``, which:

* decrypts the original into an anonymous temporary file (never a named
  path), checking its SHA-256 against the one taken on arrival;
* tells the format from the content (``parsers.detect``) and streams the
  parser's entries in batches of ``BATCH_SIZE``;
* keeps only entries whose digest the case does not hold yet (so importing
  the same export twice adds nothing), each batch in its own short
  transaction that also writes the progress and counts the page shows;
* stores the parser's report sealed, and ends ``completed`` or ``failed``
  with a reason the user can act on. A failed import leaves no entries.

Running the task twice is safe: a finished import is left alone, and an
unfinished one starts again from nothing.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import tempfile
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from functools import partial
from typing import IO, Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from masip.access.actors import Actor
from masip.audit import services as audit
from masip.audit.events import EventType
from masip.audit.services import SYSTEM
from masip.cases.models import Case
from masip.core.errors import DomainError
from masip.crypto.keys import UnknownKeyError
from masip.evidence.content_types import Family
from masip.evidence.models import (
    EvidenceImport,
    EvidenceItem,
    ImportStatus,
    TimelineEntry,
)
from masip.evidence.parsers.base import (
    AmbiguousDateOrder,
    Digested,
    ParsedEntry,
    ParseError,
    ParseReport,
    digested,
)
from masip.evidence.parsers.csv_log import ColumnMapping
from masip.evidence.parsers.detect import HEAD, PARSERS, UNKNOWN, detect_format
from masip.evidence.storage import EvidenceIntegrityError, evidence_store

# What a CSV column can be mapped to: the roles of ColumnMapping.
MAPPABLE_ROLES = frozenset(
    f.name for f in dataclasses.fields(ColumnMapping) if f.name != "default_channel"
)

log = logging.getLogger(__name__)

BATCH_SIZE = 2000
# How many digests one query asks about (SQLite's limit on parameters).
DIGEST_QUERY_CHUNK = 500
DATE_ORDERS = ("dmy", "mdy")
PARTICIPANT_CHARS = 200
# How many of the parser's problems the stored report keeps.
REPORT_PROBLEMS = 20
IMPORTABLE_FAMILIES = frozenset({Family.TEXT, Family.XML, Family.ARCHIVE, Family.EMAIL})
FORMAT_LABELS = {
    "whatsapp_txt": "WhatsApp chat",
    "whatsapp_zip": "WhatsApp chat (zip)",
    "sms_xml": "SMS Backup & Restore messages",
    "calls_xml": "SMS Backup & Restore call log",
    "eml": "Email",
    "mbox": "Mailbox",
    "csv": "CSV log",
}
UNKNOWN_FORMAT = (
    "MASIP cannot tell what kind of export this file is. It can import WhatsApp "
    "chats (.txt or .zip), SMS Backup & Restore messages or call logs (XML), "
    "emails (.eml or .mbox) and CSV logs with a date column."
)
NO_TIME_COLUMN = (
    "MASIP cannot find a date or time column in this CSV file. Name the column "
    "'Date', 'Time' or 'Timestamp' in its first line and upload it again."
)
UNREADABLE = (
    "The stored file could not be read back. Do not rely on it; tell your "
    "administrator."
)
UNEXPECTED = (
    "The import stopped because of an unexpected error. Nothing was added to "
    "the timeline. Try again, or tell your administrator."
)
UNFINISHED = (ImportStatus.QUEUED, ImportStatus.RUNNING)


class ImportRefused(DomainError):
    """The import cannot start; the message says why, for the user."""


def importable(item: EvidenceItem) -> bool:
    """Whether the item's type (told from its content) could be an export."""
    return item.family in IMPORTABLE_FAMILIES


def participant_key(value: str) -> str:
    """A name or number without invisible marks or spaces, case-folded.

    Exports put U+200E/U+200F and other format marks around names, and
    numbers are written with or without spaces; this lets "07700 900123"
    name "07700900123" and "Bryn" name "\u200ebryn".
    """
    kept = (
        c
        for c in value
        if unicodedata.category(c) not in ("Cf", "Zs", "Zl", "Zp") and not c.isspace()
    )
    return "".join(kept).casefold()


class _Perpetrator:
    def __init__(self, participant: str) -> None:
        self.exact = participant
        self.key = participant_key(participant)

    def __call__(self, sender: str) -> bool:
        if not self.exact or not sender:
            return False
        return sender == self.exact or (
            bool(self.key) and participant_key(sender) == self.key
        )


# Starting ---------------------------------------------------------------------


@transaction.atomic
def evidence_import_start(
    *,
    actor: Actor,
    case: Case,
    evidence: EvidenceItem,
    perpetrator_participant: str = "",
    date_order: str = "",
    column_mapping: Mapping[str, str] | None = None,
    enqueue: bool = True,
) -> EvidenceImport:
    """Queue an import of ``evidence`` into the case timeline.

    ``enqueue=False`` leaves the running to the caller (``masip evidence
    import`` runs it at once). Raises ``ImportRefused`` for an item that
    cannot be an export, or one whose import is already under way.
    """
    if evidence.case_id != case.pk:
        raise ImportRefused("Select evidence of this case.")
    if not importable(evidence):
        raise ImportRefused(
            "Only message exports can be imported into the timeline: WhatsApp "
            "chats, SMS backups, call logs, emails and CSV logs."
        )
    if date_order not in ("", *DATE_ORDERS):
        raise ImportRefused("Select the order of the dates in the file.")
    participant = perpetrator_participant.strip()
    if len(participant) > PARTICIPANT_CHARS:
        raise ImportRefused(
            f"The perpetrator's name must be {PARTICIPANT_CHARS} characters or fewer."
        )
    mapping = dict(column_mapping or {})
    if set(mapping) - MAPPABLE_ROLES:
        raise ImportRefused("Select what each column of the file holds.")
    if mapping and not mapping.get("time"):
        raise ImportRefused("Select the column that holds the date.")
    busy = EvidenceImport.objects.select_for_update().filter(
        evidence=evidence, status__in=UNFINISHED
    )
    if busy.exists():
        raise ImportRefused("An import of this file is already under way.")
    started = EvidenceImport.objects.create(
        case=case,
        evidence=evidence,
        perpetrator_participant=participant,
        date_order=date_order,
        column_mapping=mapping,
        started_by=actor.user,
        started_by_agency=actor.membership.agency,
    )
    audit.record(
        EventType.EVIDENCE_IMPORT_STARTED,
        actor=actor.audit,
        target_type="evidence",
        target_id=evidence.public_id,
        case_reference=case.reference,
        changed_fields=[
            "timeline",
            *(["perpetrator_participant"] if participant else []),
            *(["date_order"] if date_order else []),
            *(["column_mapping"] if mapping else []),
        ],
    )
    if enqueue:
        from masip.evidence import tasks

        transaction.on_commit(partial(tasks.run_evidence_import.enqueue, started.pk))
    return started


# Running ----------------------------------------------------------------------


def evidence_import_run(
    import_id: int, *, tz: ZoneInfo | None = None, batch_size: int = BATCH_SIZE
) -> EvidenceImport | None:
    """Run one import to its end; ``None`` when there is no such import.

    Never raises for a bad file: the import ends ``failed`` with the reason.
    """
    found = (
        EvidenceImport.objects.select_related("evidence", "case")
        .filter(pk=import_id)
        .first()
    )
    if found is None or found.status not in UNFINISHED:
        return found
    run = found
    _begin(run)
    report = ParseReport()
    try:
        with tempfile.TemporaryFile() as source:
            _decrypt_into(run.evidence, source)
            head = source.read(HEAD)
            source.seek(0)
            run.format = detect_format(head, run.evidence.original_name)
            pairs = _parse(run, source, head, report, tz or _zone())
            _store(run, pairs, source, report, batch_size)
    except AmbiguousDateOrder as exc:
        _fail(run, str(exc), report, needs_date_order=True)
    except ParseError as exc:
        _fail(run, str(exc), report)
    except (EvidenceIntegrityError, UnknownKeyError, OSError) as exc:
        log.error("Evidence %s cannot be imported: %s", run.evidence.public_id, exc)
        _fail(run, UNREADABLE, report)
    except Exception:
        log.exception("Import %s stopped", run.public_id)
        _fail(run, UNEXPECTED, report)
    else:
        _complete(run, report)
    return run


def _zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


@transaction.atomic
def _begin(run: EvidenceImport) -> None:
    # An earlier attempt that stopped half-way starts again from nothing.
    TimelineEntry.objects.filter(evidence_import=run).delete()
    run.status = ImportStatus.RUNNING
    run.started_at = timezone.now()
    run.progress = run.items_read = run.entries_added = 0
    run.duplicates = run.problems = 0
    run.error = ""
    EvidenceImport.objects.filter(pk=run.pk).update(
        status=run.status,
        started_at=run.started_at,
        progress=0,
        items_read=0,
        entries_added=0,
        duplicates=0,
        problems=0,
        error="",
    )


def _decrypt_into(item: EvidenceItem, out: IO[bytes]) -> None:
    digest = hashlib.sha256()
    for chunk in evidence_store().chunks(item.storage_key):
        digest.update(chunk)
        out.write(chunk)
    if digest.hexdigest() != item.sha256:
        raise EvidenceIntegrityError("the original does not match its SHA-256")
    out.seek(0)


def _parse(
    run: EvidenceImport,
    source: IO[bytes],
    head: bytes,
    report: ParseReport,
    tz: ZoneInfo,
) -> Iterator[Digested]:
    """The entries of the file, each with its digest first."""
    fmt = run.format
    if fmt == UNKNOWN or fmt not in PARSERS:
        raise ParseError(UNKNOWN_FORMAT)
    options: dict[str, Any] = {}
    if fmt.startswith("whatsapp"):
        from masip.evidence.parsers.whatsapp import parse_digested

        # Its compiled scanner digests each message as it reads it.
        return parse_digested(
            source, report=report, tz=tz, date_order=run.date_order or None
        )
    elif fmt == "csv":
        from masip.evidence.parsers.csv_log import read_header, suggest_mapping

        # The columns the user confirmed; MASIP's own guess only when the
        # import was started without (from the command line).
        mapping = (
            ColumnMapping(**run.column_mapping)
            if run.column_mapping
            else suggest_mapping(read_header(head))
        )
        if mapping.time is None:
            raise ParseError(NO_TIME_COLUMN)
        options["mapping"] = mapping
        if run.date_order:
            options["dayfirst"] = run.date_order == "dmy"
    return digested(PARSERS[fmt](source, report=report, tz=tz, **options))


def _store(
    run: EvidenceImport,
    pairs: Iterable[Digested],
    source: IO[bytes],
    report: ParseReport,
    batch_size: int,
) -> None:
    is_perpetrator = _Perpetrator(run.perpetrator_participant)
    batch: list[Digested] = []
    for pair in pairs:
        batch.append(pair)
        if len(batch) >= batch_size:
            _write_batch(run, batch, is_perpetrator, _progress(run, source), report)
            batch = []
    _write_batch(run, batch, is_perpetrator, _progress(run, source), report)


def _progress(run: EvidenceImport, source: IO[bytes]) -> int:
    # Bytes consumed of the file; 100 only once the import has finished.
    return min(99, source.tell() * 100 // max(run.evidence.size, 1))


def _storable(text: str) -> str:
    """Text the sealing can encode: bytes that were not UTF-8 (kept by the
    parser as lone surrogates) become U+FFFD. The original keeps them."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return "".join("\ufffd" if "\ud800" <= c <= "\udfff" else c for c in text)
    return text


def _row(
    run: EvidenceImport, digest: str, entry: ParsedEntry, perpetrator: bool
) -> TimelineEntry:
    row = TimelineEntry(
        case_id=run.case_id,
        evidence_id=run.evidence_id,
        evidence_import=run,
        occurred_at=entry.occurred_at,
        channel=entry.channel.value,
        kind=entry.kind.value,
        direction=entry.direction.value,
        duration_seconds=entry.duration_seconds,
        sender=_storable(entry.sender),
        text=_storable(entry.text),
        source_line=entry.source_line,
        source_offset=entry.source_offset,
        digest=digest,
        is_perpetrator=perpetrator,
    )
    row.recipient_list = [_storable(r) for r in entry.recipients]
    row.attachment_list = [_storable(a) for a in entry.attachments]
    return row


def _existing(case_id: int, digests: list[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(digests), DIGEST_QUERY_CHUNK):
        found.update(
            TimelineEntry.objects.filter(
                case_id=case_id, digest__in=digests[start : start + DIGEST_QUERY_CHUNK]
            ).values_list("digest", flat=True)
        )
    return found


def _added(run: EvidenceImport, digests: list[str]) -> int:
    added = 0
    for start in range(0, len(digests), DIGEST_QUERY_CHUNK):
        added += TimelineEntry.objects.filter(
            evidence_import=run, digest__in=digests[start : start + DIGEST_QUERY_CHUNK]
        ).count()
    return added


def _write_batch(
    run: EvidenceImport,
    batch: list[Digested],
    is_perpetrator: _Perpetrator,
    progress: int,
    report: ParseReport,
) -> None:
    unique: dict[str, ParsedEntry] = {}
    for digest, entry in batch:
        unique.setdefault(digest, entry)
    with transaction.atomic():
        existing = _existing(run.case_id, list(unique))
        rows = [
            _row(run, digest, entry, is_perpetrator(entry.sender))
            for digest, entry in unique.items()
            if digest not in existing
        ]
        # Another import of the same case may have added some since the
        # query: the unique constraint skips those, and they are counted
        # as duplicates below.
        TimelineEntry.objects.bulk_create(rows, ignore_conflicts=True)
        added = _added(run, [row.digest for row in rows]) if rows else 0
        run.items_read += len(batch)
        run.entries_added += added
        run.duplicates += len(batch) - added
        run.problems = report.problem_count
        run.progress = max(run.progress, progress)
        EvidenceImport.objects.filter(pk=run.pk).update(
            items_read=run.items_read,
            entries_added=run.entries_added,
            duplicates=run.duplicates,
            problems=run.problems,
            progress=run.progress,
        )


def report_for(
    report: ParseReport, *, needs_date_order: bool = False
) -> dict[str, Any]:
    """What the import page shows of the parser's report (stored sealed)."""
    participants = sorted(
        ((name, n) for name, n in report.participants.items() if name),
        key=lambda pair: (-pair[1], pair[0]),
    )
    return {
        "format": report.format,
        "summary": report.summary(),
        "problem_count": report.problem_count,
        "problems": [
            {"reason": p.reason, "line": p.line, "excerpt": p.excerpt}
            for p in report.problems[:REPORT_PROBLEMS]
        ],
        "notes": list(report.notes),
        "participants": [{"name": name, "count": n} for name, n in participants],
        "needs_date_order": needs_date_order,
    }


def _complete(run: EvidenceImport, report: ParseReport) -> None:
    with transaction.atomic():
        run.status = ImportStatus.COMPLETED
        run.progress = 100
        run.items_read = max(run.items_read, report.items_read)
        run.problems = report.problem_count
        run.finished_at = timezone.now()
        run.report_data = report_for(report)
        run.save(
            update_fields=[
                "format",
                "status",
                "progress",
                "items_read",
                "problems",
                "finished_at",
                "report",
                "updated_at",
            ]
        )
        audit.record(
            EventType.EVIDENCE_IMPORTED,
            actor=SYSTEM,
            target_type="evidence",
            target_id=run.evidence.public_id,
            case_reference=run.case.reference,
            # Names only, as everywhere in the trail; the counts themselves
            # are on the import, which the event names.
            changed_fields=[
                "timeline",
                "items_read",
                "entries_added",
                "duplicates",
                "problems",
            ],
        )


def _fail(
    run: EvidenceImport,
    reason: str,
    report: ParseReport,
    *,
    needs_date_order: bool = False,
) -> None:
    with transaction.atomic():
        # All or nothing: a file that fails part-way adds no entries.
        TimelineEntry.objects.filter(evidence_import=run).delete()
        run.status = ImportStatus.FAILED
        run.error = reason
        run.entries_added = run.duplicates = 0
        run.problems = report.problem_count
        run.finished_at = timezone.now()
        run.report_data = report_for(report, needs_date_order=needs_date_order)
        run.save(
            update_fields=[
                "format",
                "status",
                "error",
                "entries_added",
                "duplicates",
                "problems",
                "finished_at",
                "report",
                "updated_at",
            ]
        )
        audit.record(
            EventType.EVIDENCE_IMPORT_FAILED,
            actor=SYSTEM,
            target_type="evidence",
            target_id=run.evidence.public_id,
            case_reference=run.case.reference,
            changed_fields=["timeline"],
        )


# Naming the perpetrator ---------------------------------------------------------


@transaction.atomic
def timeline_set_perpetrator(
    *,
    actor: Actor,
    case: Case,
    evidence_import: EvidenceImport,
    participant: str,
) -> int:
    """Mark the entries of one import sent by ``participant`` as the
    perpetrator's (and no others); the number of entries marked.

    Senders are sealed, so they are opened and compared here, never in SQL.
    """
    if evidence_import.case_id != case.pk:
        raise ImportRefused("Select an import of this case.")
    if evidence_import.status != ImportStatus.COMPLETED:
        raise ImportRefused("Wait for the import to finish before naming anyone.")
    participant = participant.strip()
    if not participant or len(participant) > PARTICIPANT_CHARS:
        raise ImportRefused("Select who the perpetrator is.")
    is_perpetrator = _Perpetrator(participant)
    marked: list[int] = []
    unmarked: list[int] = []
    entries = TimelineEntry.objects.filter(evidence_import=evidence_import).only(
        "pk", "seal_id", "sender"
    )
    for entry in entries.iterator(chunk_size=BATCH_SIZE):
        (marked if is_perpetrator(entry.sender) else unmarked).append(entry.pk)
    for ids, flag in ((marked, True), (unmarked, False)):
        for start in range(0, len(ids), DIGEST_QUERY_CHUNK):
            TimelineEntry.objects.filter(
                pk__in=ids[start : start + DIGEST_QUERY_CHUNK]
            ).update(is_perpetrator=flag)
    evidence_import.perpetrator_participant = participant
    evidence_import.save(update_fields=["perpetrator_participant", "updated_at"])
    audit.record(
        EventType.TIMELINE_PERPETRATOR_SET,
        actor=actor.audit,
        target_type="evidence",
        target_id=evidence_import.evidence.public_id,
        case_reference=case.reference,
        changed_fields=["perpetrator_participant", "is_perpetrator"],
    )
    return len(marked)
