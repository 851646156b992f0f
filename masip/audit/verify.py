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
    """Walk every event in order, recomputing each hash and link.

    The head is read first: events appended while the walk runs (the service
    stays open during a check) are checked like the rest, rather than
    mistaken for a chain that ends past its head.
    """
    head = AuditChainHead.objects.filter(pk=1).first()
    expected_seq, expected_prev, checked = 1, GENESIS_HASH, 0
    hash_at_head = GENESIS_HASH
    for event in AuditEvent.objects.order_by("seq").iterator(chunk_size=chunk_size):
        problem = _problem(event, expected_seq, expected_prev)
        if problem:
            return ChainReport(False, checked, event.seq, problem)
        if head is not None and event.seq == head.last_seq:
            hash_at_head = event.hash
        expected_seq, expected_prev, checked = event.seq + 1, event.hash, checked + 1
    if head is None:
        return ChainReport(False, checked, checked + 1, "the chain head is missing")
    if checked < head.last_seq:
        return ChainReport(
            False,
            checked,
            checked + 1,
            "the chain ends before its recorded head: events were removed from the end",
        )
    if hash_at_head != head.last_hash:
        return ChainReport(
            False,
            checked,
            head.last_seq,
            "its hash is not the one the chain head recorded",
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
