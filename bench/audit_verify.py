"""Benchmark: appending audit events in bulk, and ``masip audit verify``.

Run from the repository root:

    .venv/bin/python bench/audit_verify.py                  # SQLite, 2,000,000 events
    .venv/bin/python bench/audit_verify.py --database-url postgres://postgres@127.0.0.1:5432/masip_bench_audit
    .venv/bin/python bench/audit_verify.py --events 200000  # a quick look

It makes a fresh database (a temporary SQLite file; with ``--database-url``
a PostgreSQL database whose name starts with ``masip_bench`` is dropped and
created again, any other must be empty), migrates it, and appends N
synthetic events with ``masip.audit.bulk.append_events`` (COPY on
PostgreSQL, ``executemany`` on SQLite). Then it times:

* append: ``append_events`` for the N events (50,000 a batch);
* verify, 1 worker: the ``masip audit verify`` command, ``--workers 1``;
* verify, N workers: the command with its default (one per CPU);
* alternative: the walk the command did before (model objects from
  ``.iterator()``, ``event_digest`` per event: kept below as
  ``model_object_walk``) over the first ``--alt-events`` events.

Seconds are wall time; CPU is this process and its worker processes (not the
PostgreSQL server, which shares the machine). docs/benchmarks.md records
runs.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import resource
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

from common import set_up_django

TARGET_PER_SECOND = 200_000


def parse_args() -> argparse.Namespace:
    number = lambda s: int(s.replace("_", "").replace(",", ""))  # noqa: E731
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url",
        default="",
        help="A PostgreSQL database to use instead of a temporary SQLite file.",
    )
    parser.add_argument(
        "--events", type=number, default=2_000_000, help="Events to append."
    )
    parser.add_argument(
        "--alt-events",
        type=number,
        default=200_000,
        help="Events the old model-object walk checks (it is slow).",
    )
    parser.add_argument("--batch", type=number, default=50_000, help="Rows a batch.")
    parser.add_argument("--seed", type=int, default=9, help="Random seed.")
    return parser.parse_args()


# --- data -------------------------------------------------------------------

EVENT_TYPES = (
    "case_viewed",
    "person_viewed",
    "incident_viewed",
    "incident_created",
    "note_created",
    "case_updated",
    "sign_in_succeeded",
)
ROLES = ("case_worker", "team_leader", "idva", "analyst")
FIELDS = ("status", "risk_level", "summary", "given_name", "date_of_birth")


def synthetic_events(count: int, seed: int) -> Iterator[Any]:
    """``count`` events over two years, from 5,000 staff in 40 agencies."""
    from masip.audit.bulk import EventRow

    rng = random.Random(seed)
    start = datetime(2024, 1, 1, tzinfo=UTC)
    step = timedelta(days=730) / max(count, 1)
    for n in range(count):
        staff = rng.randrange(1, 5001)
        agency = staff % 40 + 1
        case = rng.randrange(1, 500_001)
        event_type = rng.choice(EVENT_TYPES)
        changed = tuple(rng.sample(FIELDS, rng.randrange(0, 3)))
        yield EventRow(
            occurred_at=start + step * n + timedelta(microseconds=rng.randrange(10**6)),
            event_type=event_type,
            actor_id=staff,
            actor_label=f"Staff {staff} <staff{staff}@agency{agency}.example.org>",
            agency_id=agency,
            agency_label=f"Agency {agency}",
            role=rng.choice(ROLES),
            target_type="case",
            target_id=str(case),
            case_reference=f"STK-{case:06d}",
            changed_fields=changed if event_type.endswith("updated") else (),
            purpose="Preparing for the panel." if n % 4 == 0 else "",
            ip_address=f"10.{agency}.0.{staff % 50 + 1}",
        )


# --- the old walk (the alternative) -------------------------------------------


def model_object_walk(limit: int, chunk_size: int = 5000) -> int:
    """The check ``masip audit verify`` made before: one model object per
    event from ``.iterator()``, ``event_digest`` each (json.dumps + hmac.new).
    Checks sequence, link and hash of the first ``limit`` events."""
    from masip.audit.models import AuditEvent
    from masip.audit.services import GENESIS_HASH, event_digest

    expected_seq, expected_prev, checked = 1, GENESIS_HASH, 0
    events = AuditEvent.objects.order_by("seq")[:limit]
    for event in events.iterator(chunk_size=chunk_size):
        if (
            event.seq != expected_seq
            or event.prev_hash != expected_prev
            or event_digest(event) != event.hash
        ):
            raise SystemExit(f"the chain is broken at #{event.seq}")
        expected_seq, expected_prev, checked = event.seq + 1, event.hash, checked + 1
    return checked


# --- timing -----------------------------------------------------------------


class Clocked:
    """An iterator that keeps the time spent making its items, so the time to
    make synthetic events is left out of the time to append them."""

    def __init__(self, items: Iterator[Any]) -> None:
        self.items, self.wall, self.cpu = items, 0.0, 0.0

    def __iter__(self) -> Iterator[Any]:
        while True:
            started, used = time.perf_counter(), time.process_time()
            item = next(self.items, None)
            self.wall += time.perf_counter() - started
            self.cpu += time.process_time() - used
            if item is None:
                return
            yield item


def timed(fn: Callable[[], int]) -> tuple[int, float, float]:
    """Events, wall seconds and CPU seconds (this process and its children)."""

    def cpu() -> float:
        own = resource.getrusage(resource.RUSAGE_SELF)
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime

    wall, used = time.perf_counter(), cpu()
    events = fn()
    return events, time.perf_counter() - wall, cpu() - used


def verify_command(workers: int) -> Callable[[], int]:
    def run() -> int:
        from io import StringIO

        from django.core.management import call_command

        out = StringIO()
        call_command("audit", "verify", workers=workers, stdout=out)
        text = out.getvalue()
        if "intact" not in text:
            raise SystemExit(text)
        return int(text.split(": ")[1].split()[0])

    return run


def main() -> None:
    args = parse_args()
    with tempfile.TemporaryDirectory(prefix="masip-bench-audit-") as tmp:
        set_up_django(args.database_url, tmp)
        from django.db import connection

        from masip.audit.bulk import append_events
        from masip.audit.models import AuditEvent
        from masip.audit.verify import default_workers

        if AuditEvent.objects.exists():
            raise SystemExit(
                "The database already holds audit events: use an empty one."
            )
        workers = default_workers()
        rows: list[tuple[str, int, float, float]] = []

        def add(label: str, result: tuple[int, float, float]) -> None:
            rows.append((label, *result))
            events, seconds, _ = result
            print(f"  {label}: {events:,} events in {seconds:.1f} s", flush=True)

        print(f"Appending {args.events:,} events ({connection.vendor})...", flush=True)
        source = Clocked(synthetic_events(args.events, args.seed))
        events, seconds, cpu = timed(
            lambda: append_events(source, batch_size=args.batch)
        )
        # Making the synthetic rows is not appending them: leave it out.
        add("append_events (bulk)", (events, seconds - source.wall, cpu - source.cpu))
        add("verify, --workers 1", timed(verify_command(1)))
        add(f"verify, --workers {workers} (default)", timed(verify_command(workers)))
        add(
            "alternative: model-object walk",
            timed(lambda: model_object_walk(min(args.alt_events, args.events))),
        )
        report(rows, connection.vendor, workers)


def report(
    rows: list[tuple[str, int, float, float]], vendor: str, workers: int
) -> None:
    print()
    print(
        f"{vendor}, Python {platform.python_version()}, {os.cpu_count()} CPUs, "
        f"{workers} verify workers, load average {os.getloadavg()[0]:.1f}"
    )
    print()
    print("| step | events | seconds | events/s | CPU s (client) | events per CPU s |")
    print("|---|---:|---:|---:|---:|---:|")
    for label, events, seconds, cpu in rows:
        print(
            f"| {label} | {events:,} | {seconds:.1f} | {events / seconds:,.0f} "
            f"| {cpu:.1f} | {events / cpu:,.0f} |"
        )
    print()
    print(f"Target: verify >= {TARGET_PER_SECOND:,} events/s.")


if __name__ == "__main__":
    main()
