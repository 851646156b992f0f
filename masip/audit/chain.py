"""The audit chain's arithmetic without Django: hashing events and walking
a stretch of the chain.

``ChainHasher`` gives ``services.event_digest``'s bytes several times faster
(masip/audit/tests/test_fast_digest.py proves the equality on random events).
``walk`` checks one range of sequence numbers, row by row, from plain
database rows. ``masip audit verify`` runs it in this process or in worker
processes started with "spawn" (``start_worker``/``walk_in_worker``); this
module imports nothing from Django, so a worker starts in a fraction of a
second, connects with the parent's connection parameters and needs no
settings.
"""

import hashlib
import json
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from typing import Any

# ``event_digest``'s canonical JSON (``json.dumps`` with sorted keys, no
# spaces, ASCII escapes) written out in its keys' sorted order.
_CANONICAL = (
    '{"actor_id":%s,"actor_label":%s,"agency_id":%s,"agency_label":%s,'
    '"case_reference":%s,"changed_fields":%s,"event_type":%s,"ip_address":%s,'
    '"occurred_at":"%s","prev_hash":%s,"purpose":%s,"role":%s,"seq":%s,'
    '"target_id":%s,"target_type":%s}'
)
_string = json.encoder.encode_basestring_ascii  # json.dumps's own C escaper
_int = int.__repr__  # json.dumps's form of an int; TypeError for anything else
_SEQUENCES = (list, tuple)
_BLOCK = hashlib.sha256().block_size
_INNER_PAD = bytes(byte ^ 0x36 for byte in range(256))
_OUTER_PAD = bytes(byte ^ 0x5C for byte in range(256))

EXPECTED = "expected event #{seq} here: an event was removed or inserted"
LINK_BROKEN = "its link to the previous event is broken"
EDITED = "its content does not match its hash: the row was edited"


class ChainHasher:
    """``event_digest`` for many events: the same bytes, several times faster.

    HMAC-SHA256 (RFC 2104) with the key's inner and outer states hashed
    once, and the canonical JSON written out rather than built as a dict. A
    value of a type the columns never give back falls back to ``json.dumps``
    of the whole content, so the bytes are the same whatever the values.
    """

    __slots__ = ("_inner", "_outer")

    def __init__(self, key: bytes) -> None:
        if len(key) > _BLOCK:
            key = hashlib.sha256(key).digest()
        key = key.ljust(_BLOCK, b"\0")
        self._inner = hashlib.sha256(key.translate(_INNER_PAD))
        self._outer = hashlib.sha256(key.translate(_OUTER_PAD))

    def digest(
        self,
        seq: int,
        occurred_at: datetime,
        actor_id: int | None,
        actor_label: str,
        agency_id: int | None,
        agency_label: str,
        role: str,
        event_type: str,
        target_type: str,
        target_id: str,
        case_reference: str,
        changed_fields: Iterable[object],
        purpose: str,
        ip_address: str | None,
        prev_hash: str,
    ) -> str:
        """The hash ``event_digest`` gives an event with these values."""
        return self.digest_iso(
            seq, occurred_at.astimezone(UTC).isoformat(), actor_id, actor_label,
            agency_id, agency_label, role, event_type, target_type, target_id,
            case_reference, changed_fields, purpose, ip_address, prev_hash,
        )  # fmt: skip

    def digest_iso(
        self,
        seq: int,
        occurred_iso: str,
        actor_id: int | None,
        actor_label: str,
        agency_id: int | None,
        agency_label: str,
        role: str,
        event_type: str,
        target_type: str,
        target_id: str,
        case_reference: str,
        changed_fields: Iterable[object],
        purpose: str,
        ip_address: str | None,
        prev_hash: str,
    ) -> str:
        """``digest`` with the time already as ``astimezone(UTC).isoformat()``."""
        if changed_fields.__class__ not in _SEQUENCES:
            changed_fields = list(changed_fields)  # as event_digest lists it
        try:
            if bool in (seq.__class__, actor_id.__class__, agency_id.__class__):
                raise TypeError("json.dumps writes a bool as true or false")
            message = _CANONICAL % (
                "null" if actor_id is None else _int(actor_id),
                _string(actor_label),
                "null" if agency_id is None else _int(agency_id),
                _string(agency_label),
                _string(case_reference),
                "[" + ",".join(map(_string, changed_fields)) + "]",
                _string(event_type),
                "null" if ip_address is None else _string(ip_address),
                occurred_iso,
                _string(prev_hash),
                _string(purpose),
                _string(role),
                _int(seq),
                _string(target_id),
                _string(target_type),
            )
        except TypeError:
            message = _general_json(
                seq, occurred_iso, actor_id, actor_label, agency_id, agency_label,
                role, event_type, target_type, target_id, case_reference,
                changed_fields, purpose, ip_address, prev_hash,
            )  # fmt: skip
        inner = self._inner.copy()
        inner.update(message.encode())
        outer = self._outer.copy()
        outer.update(inner.digest())
        return outer.hexdigest()


def _general_json(
    seq: object,
    occurred_iso: str,
    actor_id: object,
    actor_label: object,
    agency_id: object,
    agency_label: object,
    role: object,
    event_type: object,
    target_type: object,
    target_id: object,
    case_reference: object,
    changed_fields: Iterable[object],
    purpose: object,
    ip_address: object,
    prev_hash: object,
) -> str:
    """The canonical JSON exactly as ``event_digest`` builds it."""
    content = {
        "seq": seq,
        "occurred_at": occurred_iso,
        "actor_id": actor_id,
        "actor_label": actor_label,
        "agency_id": agency_id,
        "agency_label": agency_label,
        "role": role,
        "event_type": event_type,
        "target_type": target_type,
        "target_id": target_id,
        "case_reference": case_reference,
        "changed_fields": list(changed_fields),
        "purpose": purpose,
        "ip_address": ip_address,
        "prev_hash": prev_hash,
    }
    return json.dumps(content, sort_keys=True, separators=(",", ":"))


# --- walking a range of the chain -------------------------------------------

# A row as verify's query gives it: seq, the time as its canonical ISO text
# (or "!" and the stored text when the database could not write it so),
# actor_id, actor_label, agency_id, agency_label, role, event_type,
# target_type, target_id, case_reference, changed_fields as JSON text,
# purpose, ip_address, prev_hash, hash.
type Row = Sequence[Any]
# The next rows with seq above the argument, in seq order; none at the end.
type Fetch = Callable[[int], Sequence[Row]]


@dataclass(frozen=True, slots=True)
class Segment:
    """What a walk over one range of sequence numbers found.

    Its first row's sequence number and link can only be checked against
    the range before it, so the walk reports them (``first``) and the caller
    checks them; every other row is checked here. ``checked`` counts the rows
    that passed before the first problem.
    """

    checked: int = 0
    first: tuple[int, str] | None = None  # seq and prev_hash of the first row
    last: tuple[int, str] | None = None  # seq and hash of the last row passed
    bad_seq: int | None = None
    problem: str = ""
    head_hash: str | None = None  # hash of the row at the head's seq, if passed


def walk(
    fetch: Fetch,
    *,
    after: int,
    hasher: ChainHasher,
    head_seq: int | None,
    local_tz: tzinfo = UTC,
) -> Segment:
    """Check every row ``fetch`` gives after ``after``, until it runs out."""
    digest = hasher.digest_iso
    names = _FieldNames()
    checked, first, prev_seq, prev_hash, head_hash = 0, None, 0, "", None
    while rows := fetch(after):
        for (
            seq, when, actor_id, actor_label, agency_id, agency_label, role,
            event_type, target_type, target_id, case_reference, changed,
            purpose, ip_address, link, hash_,
        ) in rows:  # fmt: skip
            if first is None:
                first = (seq, link)
            elif seq != prev_seq + 1:
                bad = EXPECTED.format(seq=prev_seq + 1)
                return Segment(checked, first, (prev_seq, prev_hash), seq, bad)
            elif link != prev_hash:
                return Segment(checked, first, (prev_seq, prev_hash), seq, LINK_BROKEN)
            try:
                if when[0] == "!":
                    when = _iso_from_stored(when[1:], local_tz)
                intact = hash_ == digest(
                    seq, when, actor_id, actor_label, agency_id, agency_label,
                    role, event_type, target_type, target_id, case_reference,
                    names.decoded(changed), purpose, ip_address, link,
                )  # fmt: skip
            except (TypeError, ValueError, AttributeError):
                intact = False  # a value no intact row holds
            if not intact:
                last = (prev_seq, prev_hash) if checked else None
                return Segment(checked, first, last, seq, EDITED)
            if seq == head_seq:
                head_hash = hash_
            checked, prev_seq, prev_hash = checked + 1, seq, hash_
        after = prev_seq
    last = (prev_seq, prev_hash) if checked else None
    return Segment(checked, first, last, head_hash=head_hash)


class _FieldNames:
    """``changed_fields`` JSON text as Django's JSONField reads it, each
    distinct text decoded once (a chain repeats a few hundred lists)."""

    def __init__(self) -> None:
        self._decoded: dict[str, object] = {"[]": ()}

    def decoded(self, text: str) -> Any:
        value = self._decoded.get(text)
        if value is None:
            try:
                value = json.loads(text)
            except json.JSONDecodeError:
                value = text  # JSONField.from_db_value gives the text back
            if len(self._decoded) < 100_000:
                self._decoded[text] = value
        return value


def _iso_from_stored(text: str, local_tz: tzinfo) -> str:
    """A stored SQLite time in another form than Django writes, read as
    Django reads it (``parse_datetime``, then aware in the connection's zone)."""
    from django.utils.dateparse import parse_datetime

    value = parse_datetime(text)
    if value is None:
        raise ValueError(f"not a time: {text!r}")
    if value.utcoffset() is None:
        value = value.replace(tzinfo=local_tz)
    return value.astimezone(UTC).isoformat()


# --- worker processes --------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Source:
    """How a worker reaches the chain: the parent's connection parameters."""

    vendor: str  # "postgresql" or "sqlite"
    params: dict[str, Any]
    sql: str  # rows with after < seq <= up_to, in seq order: (after, up_to)
    next_sql: str  # the lowest seq with after < seq <= up_to: (after, up_to)
    key: bytes
    head_seq: int | None
    chunk_size: int
    local_tz: tzinfo


_worker: dict[str, Any] = {}


def start_worker(source: Source) -> None:
    """Pool initializer: connect once per worker process."""
    _worker["source"] = source
    _worker["connection"] = connect(source)
    _worker["hasher"] = ChainHasher(source.key)


def walk_in_worker(bounds: tuple[int, int]) -> Segment:
    """Walk the rows with ``bounds[0] < seq <= bounds[1]`` in a worker."""
    source: Source = _worker["source"]
    cursor = _worker["connection"].cursor()
    return walk(
        fetcher(cursor, source, up_to=bounds[1]),
        after=bounds[0],
        hasher=_worker["hasher"],
        head_seq=source.head_seq,
        local_tz=source.local_tz,
    )


def fetcher(cursor: Any, source: Source, *, up_to: int) -> Fetch:
    """Pages of rows in windows of ``chunk_size`` sequence numbers.

    A window, unlike ``LIMIT``, reads at most ``chunk_size`` rows whatever
    plan the database picks (a table that has just grown by millions may
    have statistics that make ``ORDER BY ... LIMIT`` sort the whole rest of
    the table for every page). An empty window is a gap: the next page
    starts at the next sequence number there is, if any.
    """

    def rows_in(after: int) -> Sequence[Row]:
        cursor.execute(source.sql, (after, min(after + source.chunk_size, up_to)))
        rows: Sequence[Row] = cursor.fetchall()
        return rows

    def fetch(after: int) -> Sequence[Row]:
        if after >= up_to:
            return []
        if rows := rows_in(after):
            return rows
        cursor.execute(source.next_sql, (after, up_to))
        found = cursor.fetchone()
        return [] if found is None or found[0] is None else rows_in(found[0] - 1)

    return fetch


def connect(source: Source) -> Any:
    """A plain DB-API connection with the parent's parameters, reading JSON
    and addresses as text as Django's connections do."""
    if source.vendor == "postgresql":
        import psycopg
        from psycopg.types.string import TextLoader

        connection = psycopg.connect(**source.params, autocommit=True)
        for type_name in ("jsonb", "inet"):
            connection.adapters.register_loader(type_name, TextLoader)
        return connection
    connection = sqlite3.connect(**source.params)
    connection.execute("PRAGMA query_only = ON")
    return connection
