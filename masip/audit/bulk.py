"""Appending many audit events at once (``masip seed`` at national scale).

``append_events`` chains each row exactly as ``services.record`` would: the
same stored forms (labels clipped to their columns, addresses as the column
keeps them, changed field names sorted and unique), the next sequence
number, the previous hash and the same canonical digest. It writes a batch
with ``COPY`` on PostgreSQL and ``executemany`` on SQLite, each batch in its
own transaction with the chain head locked and moved, so the chain is whole
(and ``masip audit verify`` passes) after every batch, and an event
``record`` appends between two batches simply takes its place in the chain.
"""

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from itertools import batched
from typing import Any

from django.db import connections, models, transaction
from django.db.backends.base.base import BaseDatabaseWrapper

from masip.audit.chain import ChainHasher
from masip.audit.models import AuditChainHead, AuditEvent
from masip.audit.services import _stored_ip, chain_hasher


@dataclass(frozen=True, slots=True)
class EventRow:
    occurred_at: datetime  # aware
    event_type: str
    actor_id: int | None = None
    actor_label: str = ""
    agency_id: int | None = None
    agency_label: str = ""
    role: str = ""
    target_type: str = ""
    target_id: str = ""
    case_reference: str = ""
    changed_fields: tuple[str, ...] = ()
    purpose: str = ""
    ip_address: str | None = None


# Appending at least this many events refreshes PostgreSQL's statistics.
ANALYZE_FROM = 100_000

# The columns written, in the order of each stored tuple.
COLUMNS = (
    "seq",
    "occurred_at",
    "actor_id",
    "actor_label",
    "agency_id",
    "agency_label",
    "role",
    "event_type",
    "target_type",
    "target_id",
    "case_reference",
    "changed_fields",
    "purpose",
    "ip_address",
    "prev_hash",
    "hash",
)

type StoredRow = tuple[
    int, datetime, int | None, str, int | None, str, str, str, str, str, str,
    list[str], str, str | None, str, str,
]  # fmt: skip


def append_events(
    rows: Iterable[EventRow], *, using: str = "default", batch_size: int = 50_000
) -> int:
    """Append rows to the chain after the current head, in the given order;
    returns count."""
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    hasher = chain_hasher()
    appended = 0
    for batch in batched(rows, batch_size):
        appended += _append_batch(batch, hasher=hasher, using=using)
    if appended >= ANALYZE_FROM and connections[using].vendor == "postgresql":
        # Fresh planner statistics, or verify's paged reads of a table that
        # just grew by millions are planned as for an empty one.
        with connections[using].cursor() as cursor:
            cursor.execute(f"ANALYZE {AuditEvent._meta.db_table}")
    return appended


def _append_batch(batch: Sequence[EventRow], *, hasher: ChainHasher, using: str) -> int:
    connection = connections[using]
    with transaction.atomic(using=using):
        head = _locked_head(using)
        seq, prev_hash = head.last_seq, head.last_hash
        stored: list[StoredRow] = []
        for row in batch:
            seq += 1
            event = _stored(row, seq, prev_hash, hasher)
            stored.append(event)
            prev_hash = event[-1]
        _write(connection, stored)
        AuditChainHead.objects.using(using).filter(pk=1).update(
            last_seq=seq, last_hash=prev_hash
        )
    return len(batch)


def _locked_head(using: str) -> AuditChainHead:
    """The chain head, locked for this transaction (as ``services.record`` takes it)."""
    heads = AuditChainHead.objects.using(using)
    head = heads.select_for_update().filter(pk=1).first()
    if head is None:
        heads.get_or_create(pk=1)
        head = heads.select_for_update().get(pk=1)
    return head


def _max_length(name: str) -> int | None:
    field = AuditEvent._meta.get_field(name)
    assert isinstance(field, models.CharField)
    return field.max_length


_ACTOR_LABEL_MAX = _max_length("actor_label")
_AGENCY_LABEL_MAX = _max_length("agency_label")
# Seeded events come from a handful of addresses: normalise each once.
_ip = lru_cache(maxsize=4096)(_stored_ip)


def _stored(row: EventRow, seq: int, prev_hash: str, hasher: ChainHasher) -> StoredRow:
    """The row as ``record`` would store it, chained after ``prev_hash``."""
    if row.occurred_at.utcoffset() is None:
        raise ValueError(f"occurred_at must be timezone-aware, not {row.occurred_at!r}")
    occurred_at = row.occurred_at.astimezone(UTC)
    actor_label = row.actor_label[:_ACTOR_LABEL_MAX]
    agency_label = row.agency_label[:_AGENCY_LABEL_MAX]
    target_id = str(row.target_id)
    changed_fields = sorted(set(row.changed_fields))
    ip_address = _ip(row.ip_address)
    digest = hasher.digest(
        seq, occurred_at, row.actor_id, actor_label, row.agency_id,
        agency_label, row.role, row.event_type, row.target_type, target_id,
        row.case_reference, changed_fields, row.purpose, ip_address, prev_hash,
    )  # fmt: skip
    return (
        seq, occurred_at, row.actor_id, actor_label, row.agency_id, agency_label,
        row.role, row.event_type, row.target_type, target_id, row.case_reference,
        changed_fields, row.purpose, ip_address, prev_hash, digest,
    )  # fmt: skip


_CHANGED_FIELDS = COLUMNS.index("changed_fields")
_OCCURRED_AT = COLUMNS.index("occurred_at")


def _write(connection: BaseDatabaseWrapper, stored: list[StoredRow]) -> None:
    table = connection.ops.quote_name(AuditEvent._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(_column(name)) for name in COLUMNS)
    if connection.vendor == "postgresql":
        _copy(connection, f"COPY {table} ({columns}) FROM STDIN", stored)
    else:
        placeholders = ", ".join(["%s"] * len(COLUMNS))
        # Names from the model's meta, quoted by the backend: no user input.
        sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"  # noqa: S608  # nosec B608
        with connection.cursor() as cursor:
            cursor.executemany(sql, [_adapted(connection, row) for row in stored])


def _column(name: str) -> str:
    field = AuditEvent._meta.get_field(name)
    assert isinstance(field, models.Field)
    assert field.column is not None
    return field.column


def _copy(connection: BaseDatabaseWrapper, sql: str, stored: list[StoredRow]) -> None:
    """``COPY ... FROM STDIN`` through psycopg 3 (JSON as text for ``jsonb``)."""
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for row in stored:
            values = list(row)
            values[_CHANGED_FIELDS] = json.dumps(row[_CHANGED_FIELDS])
            copy.write_row(values)


def _adapted(connection: BaseDatabaseWrapper, row: StoredRow) -> list[Any]:
    """The row in the forms the ORM would send (datetime and JSON as text)."""
    values: list[Any] = list(row)
    values[_OCCURRED_AT] = connection.ops.adapt_datetimefield_value(row[1])
    values[_CHANGED_FIELDS] = json.dumps(row[_CHANGED_FIELDS])
    return values
