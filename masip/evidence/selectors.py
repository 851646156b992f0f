"""Reading the evidence vault: always within a case the caller has resolved."""

import uuid
from collections.abc import Iterator

from django.db.models import QuerySet
from django.http import Http404

from masip.audit.models import AuditEvent
from masip.cases.models import Case
from masip.evidence.models import EvidenceItem
from masip.evidence.storage import evidence_store
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


def evidence_display_bytes(item: EvidenceItem) -> bytes:
    """The display copy of an image (metadata removed), decrypted."""
    if not item.display_storage_key:
        raise Http404("This item has no display copy.")
    return evidence_store().read_all(item.display_storage_key)
