"""Reading the evidence vault: always within a case the caller has resolved."""

import uuid
from collections.abc import Iterator
from zoneinfo import ZoneInfo

from django.db.models import QuerySet
from django.http import Http404

from masip.audit.models import AuditEvent
from masip.cases.models import Case
from masip.evidence.analysis import ConductReport, IncidentFact, Timeline, analyse
from masip.evidence.models import EvidenceImport, EvidenceItem, TimelineEntry
from masip.evidence.parsers.csv_log import read_header
from masip.evidence.parsers.detect import HEAD, detect_format
from masip.evidence.storage import EvidenceIntegrityError, evidence_store
from masip.incidents.models import Incident

CUSTODY_TARGET = "evidence"


def evidence_list(*, case: Case) -> QuerySet[EvidenceItem]:
    """The case's evidence, newest first, with what the list shows."""
    return EvidenceItem.objects.filter(case=case).select_related(
        "uploaded_by", "uploaded_by_agency", "incident"
    )


def evidence_get_in_case(*, case: Case, public_id: uuid.UUID) -> EvidenceItem:
    """One item of ``case``; 404 when missing or another case's."""
    item = evidence_list(case=case).filter(public_id=public_id).first()
    if item is None:
        raise Http404("No evidence found.")
    return item


def evidence_custody(*, case: Case, item: EvidenceItem) -> QuerySet[AuditEvent]:
    """The item's chain of custody: every audit event about it, oldest first."""
    return AuditEvent.objects.filter(
        case_reference=case.reference,
        target_type=CUSTODY_TARGET,
        target_id=str(item.public_id),
    ).order_by("seq")


def evidence_incident_choices(*, case: Case) -> list[tuple[str, Incident]]:
    """The case's incidents an item may be attached to, newest first."""
    incidents = Incident.objects.filter(case=case).order_by("-occurred_at", "-id")
    return [(str(incident.public_id), incident) for incident in incidents]


def evidence_original_chunks(item: EvidenceItem) -> Iterator[bytes]:
    """The original file, decrypted chunk by chunk (callers audit the read)."""
    return evidence_store().chunks(item.storage_key)


def evidence_csv_columns(item: EvidenceItem) -> list[str]:
    """The header of a CSV log (empty for anything else, a WhatsApp chat
    with commas in it included): the columns the user maps before an import."""
    if item.content_type != "text/csv":
        return []
    try:
        head = next(evidence_original_chunks(item), b"")
    except (EvidenceIntegrityError, OSError):
        return []  # the import will say the file cannot be read
    if detect_format(head[:HEAD], item.original_name) != "csv":
        return []
    return [name for name in read_header(head) if name.strip()]


def evidence_display_bytes(item: EvidenceItem) -> bytes:
    """The display copy of an image (metadata removed), decrypted."""
    if not item.display_storage_key:
        raise Http404("This item has no display copy.")
    return evidence_store().read_all(item.display_storage_key)


# Imports and the timeline ----------------------------------------------------

LATEST_IMPORTS = 5


def evidence_imports(*, case: Case, item: EvidenceItem) -> list[EvidenceImport]:
    """The item's latest imports into the timeline, newest first."""
    return list(
        EvidenceImport.objects.filter(case=case, evidence=item).select_related(
            "started_by", "started_by_agency"
        )[:LATEST_IMPORTS]
    )


def evidence_import_get(
    *, case: Case, item: EvidenceItem, public_id: uuid.UUID
) -> EvidenceImport:
    """One import of ``item``; 404 when missing or another item's."""
    found = (
        EvidenceImport.objects.filter(case=case, evidence=item, public_id=public_id)
        .select_related("evidence")
        .first()
    )
    if found is None:
        raise Http404("No import found.")
    return found


def timeline_entries(
    *, case: Case, channel: str = "", perpetrator_only: bool = False
) -> QuerySet[TimelineEntry]:
    """The case's timeline, oldest first, with the item each entry came from."""
    entries = TimelineEntry.objects.filter(case=case).select_related("evidence")
    if channel:
        entries = entries.filter(channel=channel)
    if perpetrator_only:
        entries = entries.filter(is_perpetrator=True)
    return entries.order_by("occurred_at", "id")


def conduct_report(*, case: Case, tz: ZoneInfo) -> ConductReport | None:
    """The course-of-conduct figures of the case's timeline and incidents.

    ``None`` until something has been imported. Senders and texts are
    sealed, so each row is opened in Python (never filtered in SQL); the
    analysis itself is plain columns (masip/evidence/analysis).
    """
    rows = list(
        TimelineEntry.objects.filter(case=case)
        .only(
            "seal_id",
            "occurred_at",
            "is_perpetrator",
            "channel",
            "kind",
            "sender",
            "text",
        )
        .order_by("occurred_at", "id")
    )
    if not rows:
        return None
    timeline = Timeline.from_columns(
        occurred_at=[row.occurred_at for row in rows],
        from_perpetrator=[row.is_perpetrator for row in rows],
        channel=[row.channel for row in rows],
        kind=[row.kind for row in rows],
        sender=[row.sender for row in rows],
        text=[row.text for row in rows],
    )
    incidents = [
        IncidentFact(
            occurred_at=incident.occurred_at,
            behaviours=tuple(incident.behaviours),
            channels=tuple(incident.channels),
        )
        for incident in Incident.objects.filter(case=case).only(
            "occurred_at", "behaviours", "channels"
        )
    ]
    return analyse(timeline, tz=tz, incidents=incidents)
