"""Checking the audit chain end to end (``masip audit verify``)."""

from dataclasses import dataclass

from masip.audit.models import AuditChainHead, AuditEvent
from masip.audit.services import GENESIS_HASH, event_digest


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    checked: int
    first_bad_seq: int | None = None
    problem: str = ""


def chain_verify(*, chunk_size: int = 5000) -> ChainReport:
    """Walk every event in order, recomputing each hash and link."""
    expected_seq, expected_prev, checked = 1, GENESIS_HASH, 0
    for event in AuditEvent.objects.order_by("seq").iterator(chunk_size=chunk_size):
        problem = _problem(event, expected_seq, expected_prev)
        if problem:
            return ChainReport(False, checked, event.seq, problem)
        expected_seq, expected_prev, checked = event.seq + 1, event.hash, checked + 1
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is None or head.last_seq != checked or head.last_hash != expected_prev:
        return ChainReport(
            False, checked, checked + 1,
            "the chain ends before its recorded head: events were removed from the end",
        )
    return ChainReport(True, checked)


def _problem(event: AuditEvent, expected_seq: int, expected_prev: str) -> str:
    if event.seq != expected_seq:
        return f"expected event #{expected_seq} here: an event was removed or inserted"
    if event.prev_hash != expected_prev:
        return "its link to the previous event is broken"
    if event_digest(event) != event.hash:
        return "its content does not match its hash: the row was edited"
    return ""
