"""Checking the audit chain end to end (``masip audit verify``).

The chain is cut into ranges of sequence numbers. Each range is walked by
``chain.walk`` from plain rows (no model objects; the time formatted by the
database, the hash with ``ChainHasher``), in this process or, with
``workers`` above 1, in worker processes started with "spawn" that connect
with this connection's parameters. Each walk checks its rows and the links
between them; the ranges are then joined here in order (each range's first
row against the last row of the one before), so the report is the one a
single walk from the first event would give: the first bad event, and the
same problems.
"""

import math
import multiprocessing
import os
from collections.abc import Generator, Iterable
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC

from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Field, Max

from masip.audit.chain import (
    EXPECTED,
    LINK_BROKEN,
    ChainHasher,
    Segment,
    Source,
    fetcher,
    start_worker,
    walk,
    walk_in_worker,
)
from masip.audit.models import AuditChainHead, AuditEvent
from masip.audit.services import GENESIS_HASH, audit_key

# The largest sequence number the column holds: the last range is open-ended,
# so events appended during the walk are checked like the rest.
TOP = 2**63 - 1
# Ranges are at least this long when the work is shared between processes.
MIN_SEGMENT = 100_000


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    checked: int
    first_bad_seq: int | None = None
    problem: str = ""


def chain_verify(
    *,
    chunk_size: int = 5000,
    workers: int = 1,
    segment_size: int | None = None,
    using: str = "default",
) -> ChainReport:
    """Walk every event in order, recomputing each hash and link.

    The head is read first: events appended while the walk runs (the service
    stays open during a check) are checked like the rest, rather than
    mistaken for a chain that ends past its head. ``workers`` above 1 shares
    the ranges (``segment_size`` events each; by default a few per worker)
    between processes, which read what is committed: inside a transaction,
    or on an in-memory SQLite database, the walk stays in this process.
    """
    head = AuditChainHead.objects.using(using).filter(pk=1).first()
    last_seq = AuditEvent.objects.using(using).aggregate(top=Max("seq"))["top"] or 0
    bounds = _ranges(last_seq, workers=workers, segment_size=segment_size)
    source = _source(
        connections[using], head=head, chunk_size=chunk_size, key=audit_key()
    )
    if workers > 1 and len(bounds) > 1 and _shareable(connections[using]):
        segments = _in_workers(source, bounds, workers)
    else:
        segments = _here(connections[using], source, bounds)
    with closing(segments):  # stops the walks (and workers) at the first break
        return _joined(segments, head)


def default_workers() -> int:
    return os.cpu_count() or 1


def _ranges(
    last_seq: int, *, workers: int, segment_size: int | None
) -> list[tuple[int, int]]:
    """(after, up_to] ranges covering every sequence number, the last open."""
    if segment_size is None:
        if workers <= 1:
            return [(-1, TOP)]
        segment_size = max(MIN_SEGMENT, math.ceil(last_seq / (workers * 4)))
    cuts = list(range(segment_size, last_seq, segment_size))
    starts = [-1, *cuts]
    return list(zip(starts, [*cuts, TOP], strict=True))


def _joined(segments: Iterable[Segment], head: AuditChainHead | None) -> ChainReport:
    """Join the ranges' walks in order, as one walk from the first event."""
    expected_seq, expected_prev, checked = 1, GENESIS_HASH, 0
    hash_at_head = GENESIS_HASH
    for segment in segments:
        if segment.first is None:
            continue  # no events in this range
        seq, link = segment.first
        if seq != expected_seq:
            return ChainReport(False, checked, seq, EXPECTED.format(seq=expected_seq))
        if link != expected_prev:
            return ChainReport(False, checked, seq, LINK_BROKEN)
        if segment.bad_seq is not None:
            return ChainReport(
                False, checked + segment.checked, segment.bad_seq, segment.problem
            )
        assert segment.last is not None
        checked += segment.checked
        expected_seq, expected_prev = segment.last[0] + 1, segment.last[1]
        if segment.head_hash is not None:
            hash_at_head = segment.head_hash
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


def _here(
    connection: BaseDatabaseWrapper, source: Source, bounds: list[tuple[int, int]]
) -> Generator[Segment]:
    """Walk the ranges one after another on this process's connection."""
    connection.ensure_connection()
    cursor = connection.connection.cursor()
    hasher = ChainHasher(source.key)
    try:
        for after, up_to in bounds:
            yield walk(
                fetcher(cursor, source, up_to=up_to),
                after=after,
                hasher=hasher,
                head_seq=source.head_seq,
                local_tz=source.local_tz,
            )
    finally:
        cursor.close()


def _in_workers(
    source: Source, bounds: list[tuple[int, int]], workers: int
) -> Generator[Segment]:
    """Walk the ranges in worker processes, yielding their results in order.

    Leaving early (at the first break) terminates the workers.
    """
    context = multiprocessing.get_context("spawn")
    processes = min(workers, len(bounds))
    with context.Pool(processes, initializer=start_worker, initargs=(source,)) as pool:
        yield from pool.imap(walk_in_worker, bounds)


def _shareable(connection: BaseDatabaseWrapper) -> bool:
    """Whether other processes would see what this connection sees."""
    if connection.in_atomic_block:
        return False
    if connection.vendor == "sqlite":
        return not connection.is_in_memory_db()  # type: ignore[attr-defined]
    return connection.vendor == "postgresql"


def _source(
    connection: BaseDatabaseWrapper,
    *,
    head: AuditChainHead | None,
    chunk_size: int,
    key: bytes,
) -> Source:
    params = connection.get_connection_params()
    # Django's own cursor class and type adapters stay here; the worker
    # registers the two loaders that matter (chain.connect).
    for name in ("context", "cursor_factory", "detect_types"):
        params.pop(name, None)
    return Source(
        vendor=connection.vendor,
        params=params,
        sql=_walk_sql(connection),
        next_sql=_next_sql(connection),
        key=key,
        head_seq=head.last_seq if head is not None else None,
        chunk_size=chunk_size,
        local_tz=connection.timezone or UTC,
    )


# The time as ``astimezone(UTC).isoformat()`` writes it, formatted by the
# database. PostgreSQL: from the timestamp itself. SQLite: from the text
# Django stores (naive UTC, ``str(datetime)``) when it has exactly that form;
# any other text is marked "!" and read in Python as Django reads it.
_PG_TIME = (
    "replace(to_char({col} AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US'),"
    " '.000000', '') || '+00:00'"
)
_DIGITS = "[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9]"
_SQLITE_TIME = (
    "CASE WHEN {col} GLOB '" + _DIGITS + "' OR ({col} GLOB '" + _DIGITS
    + "[.][0-9][0-9][0-9][0-9][0-9][0-9]' AND substr({col}, 21) <> '000000')"
    " THEN substr({col}, 1, 10) || 'T' || substr({col}, 12) || '+00:00'"
    " ELSE '!' || {col} END"
)  # fmt: skip
_COLUMNS = (
    "seq", "occurred_at", "actor_id", "actor_label", "agency_id", "agency_label",
    "role", "event_type", "target_type", "target_id", "case_reference",
    "changed_fields", "purpose", "ip_address", "prev_hash", "hash",
)  # fmt: skip


def _column(name: str) -> str:
    field = AuditEvent._meta.get_field(name)
    assert isinstance(field, Field)
    assert field.column is not None
    return field.column


def _walk_sql(connection: BaseDatabaseWrapper) -> str:
    """The query a walk pages with: rows with after < seq <= up_to, in order."""
    quote = connection.ops.quote_name
    names = {name: quote(_column(name)) for name in _COLUMNS}
    postgres = connection.vendor == "postgresql"
    time = (_PG_TIME if postgres else _SQLITE_TIME).format(col=names["occurred_at"])
    columns = [time if name == "occurred_at" else names[name] for name in _COLUMNS]
    placeholder = "%s" if postgres else "?"
    seq = names["seq"]
    return (
        f"SELECT {', '.join(columns)} FROM {quote(AuditEvent._meta.db_table)}"  # noqa: S608  # nosec B608
        f" WHERE {seq} > {placeholder} AND {seq} <= {placeholder} ORDER BY {seq}"
    )


def _next_sql(connection: BaseDatabaseWrapper) -> str:
    """The lowest sequence number with after < seq <= up_to (past a gap)."""
    quote = connection.ops.quote_name
    seq, table = quote(_column("seq")), quote(AuditEvent._meta.db_table)
    placeholder = "%s" if connection.vendor == "postgresql" else "?"
    return (
        f"SELECT MIN({seq}) FROM {table}"  # noqa: S608  # nosec B608
        f" WHERE {seq} > {placeholder} AND {seq} <= {placeholder}"
    )
