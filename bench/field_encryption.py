"""Benchmark: the cost of sealing fields at rest (ADR 0012).

Run from the repository root:

    .venv/bin/python bench/field_encryption.py
    .venv/bin/python bench/field_encryption.py --addresses 1,10,100 --runs 200

It makes a temporary SQLite database, migrates it, and measures:

* per value: sealing (AES-256-GCM, fresh nonce, row-bound associated data),
  opening, and the postcode blind index (HMAC-SHA256), each over a typical
  address line;
* a person's addresses as their page reads them: one query for the person's
  addresses, then every line of every address read (``str(address)``), for
  people with N addresses, against a twin table with the same columns as
  plain ``CharField``s. Both tables hold the same rows.

Times are CPU time of this process (the database is SQLite, in process), so
they hold steady on a shared machine; page times are medians. The ratio is
sealed over plain. docs/benchmarks.md records
a run.
"""

import argparse
import os
import platform
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable
from typing import Any

from common import set_up_django


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--addresses",
        default="1,10,100",
        help="Comma-separated address counts per person (default 1,10,100).",
    )
    parser.add_argument(
        "--runs", type=int, default=100, help="Runs per page measurement (median)."
    )
    parser.add_argument(
        "--values", type=int, default=20000, help="Values per per-value measurement."
    )
    return parser.parse_args()


def per_value(count: int) -> list[tuple[str, float]]:
    """Microseconds per value for seal, open and the blind index."""
    from masip.crypto.blind import postcode_index
    from masip.crypto.cipher import associated_data, open_sealed, seal

    line, aad = (
        "Flat 4, 117 Larkspur Gardens",
        associated_data("people_address", "line_1", uuid.uuid4()),
    )
    token = seal(line, aad=aad)

    def timed(fn: Callable[[], Any]) -> float:
        start = time.process_time()
        for _ in range(count):
            fn()
        return (time.process_time() - start) / count * 1e6

    return [
        ("Seal (encrypt) one value", timed(lambda: seal(line, aad=aad))),
        (
            "Open (decrypt) one value",
            timed(lambda: open_sealed(token, aad=aad, where="bench")),
        ),
        ("Blind index of one postcode", timed(lambda: postcode_index("ZZ99 1AA"))),
    ]


def plain_twin() -> Any:
    """A table with Address's text columns as plain CharFields (created here)."""
    from django.db import connection, models

    class PlainAddress(models.Model):
        person = models.ForeignKey(
            "people.Person", on_delete=models.CASCADE, related_name="+"
        )
        line_1 = models.CharField(max_length=200)
        line_2 = models.CharField(max_length=200, blank=True)
        town = models.CharField(max_length=100)
        postcode = models.CharField(max_length=10, blank=True)
        is_current = models.BooleanField(default=True)
        created_at = models.DateTimeField(auto_now_add=True)

        class Meta:
            app_label = "people"
            db_table = "bench_plain_address"

        def __str__(self) -> str:
            parts = (self.line_1, self.line_2, self.town, self.postcode)
            return ", ".join(p for p in parts if p)

    with connection.schema_editor() as editor:
        editor.create_model(PlainAddress)
    return PlainAddress


def make_person(count: int, plain_model: Any) -> Any:
    from masip.accounts.models import Agency, User
    from masip.people.models import Address, Person

    user = User.objects.first() or User.objects.create_user(
        email=f"bench-{uuid.uuid4().hex[:8]}@example.org", password=None
    )
    agency = Agency.objects.first() or Agency.objects.create(name="Bench agency")
    person = Person.objects.create(
        given_name="Bench", created_by=user, created_by_agency=agency
    )
    rows = [
        {
            "line_1": f"Flat {n}, 117 Larkspur Gardens",
            "line_2": "Eastbrook",
            "town": "Exampleton",
            "postcode": "ZZ99 1AA",
        }
        for n in range(count)
    ]
    Address.objects.bulk_create(Address(person=person, **row) for row in rows)
    plain_model.objects.bulk_create(plain_model(person=person, **row) for row in rows)
    return person


def page_time(model: Any, person: Any, runs: int) -> float:
    """Median ms to load a person's addresses and read every line."""
    times = []
    for _ in range(runs):
        start = time.process_time()
        shown = [str(a) for a in model.objects.filter(person=person).order_by("id")]
        times.append((time.process_time() - start) * 1000)
        assert shown
    return statistics.median(times)


def main() -> None:
    args = parse_args()
    counts = [int(c) for c in args.addresses.split(",")]
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        set_up_django("", tmp)
        import django

        from masip.people.models import Address

        values = per_value(args.values)
        plain = plain_twin()
        pages = []
        for count in counts:
            person = make_person(count, plain)
            sealed_ms = page_time(Address, person, args.runs)
            plain_ms = page_time(plain, person, args.runs)
            pages.append((count, plain_ms, sealed_ms))

        print(
            f"Python {platform.python_version()}, Django {django.get_version()}, "
            f"SQLite, {os.cpu_count()} CPUs; {args.values} values, "
            f"{args.runs} page runs; total {time.perf_counter() - started:.1f} s"
        )
        print()
        print("| Per value | Microseconds |")
        print("|---|---:|")
        for label, micros in values:
            print(f"| {label} | {micros:.1f} |")
        print()
        print("| Addresses on the page | Plain ms | Sealed ms | Sealed / plain |")
        print("|---:|---:|---:|---:|")
        for count, plain_ms, sealed_ms in pages:
            print(
                f"| {count} | {plain_ms:.3f} | {sealed_ms:.3f} | "
                f"{sealed_ms / plain_ms:.2f}x |"
            )


if __name__ == "__main__":
    main()
