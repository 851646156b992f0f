"""Benchmark: seeding speed, and the case list query against naive alternatives.

Run from the repository root:

    .venv/bin/python bench/list_queries.py                 # 1k, 10k, 100k cases
    .venv/bin/python bench/list_queries.py --scales 1000,5000

It makes a temporary SQLite database (unless --database-url names an empty
one), migrates it, then grows it to each scale with ``masip seed`` and times,
for the demo's London police case worker:

* list:   the first page of the case list as the app builds it
          (``case_list_for(Access(user))`` if the selector exists, else
          ``Access(user).visible_cases()`` ordered), through Django's paginator
          (a COUNT and one page of 25);
* slice:  ``Access(user).visible_cases()`` ordered, first 25 rows plus a COUNT;
* python: every case and every active share loaded, filtered in Python per
          membership, then sliced (what one might write without the policy);
* n+1:    every case loaded, with one query per case not led by the user's
          agency to ask whether it is shared with it.

The timings are medians of several runs (one run for the slow variants from
10,000 cases). The N+1 variant is skipped above --n-plus-one-max cases
(default 10,000): at 100,000 cases it alone takes several minutes.
docs/benchmarks.md records a run.
"""

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from typing import Any

from common import set_up_django

PAGE_SIZE = 25
DEMO_WORKER = "police.worker@london.demo.example.org"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--scales",
        default="1000,10000,100000",
        help="Comma-separated case counts to measure at (default 1000,10000,100000).",
    )
    parser.add_argument("--seed", type=int, default=7, help="Seed for masip seed.")
    parser.add_argument(
        "--database-url",
        default="",
        help="An empty database to use instead of a temporary SQLite file.",
    )
    parser.add_argument(
        "--runs", type=int, default=5, help="Runs per fast measurement (median)."
    )
    parser.add_argument(
        "--n-plus-one-max",
        type=int,
        default=10_000,
        help="Largest scale at which to time the N+1 variant (default 10000).",
    )
    args = parser.parse_args()
    args.scales = sorted(int(s.replace("_", "")) for s in args.scales.split(","))
    return args


def timed(fn: Callable[[], Any], runs: int) -> tuple[float, float, int, Any]:
    """Median wall and CPU milliseconds of ``runs`` calls, queries per call, and
    the last result. CPU time (this process, SQLite included) is steadier than
    wall time on a busy machine."""
    from django.db import connection

    executed = 0

    def count(execute: Callable, sql: str, params: Any, many: bool, ctx: Any) -> Any:
        nonlocal executed
        executed += 1
        return execute(sql, params, many, ctx)

    walls, cpus, result = [], [], None
    with connection.execute_wrapper(count):
        for _ in range(runs):
            wall, cpu = time.perf_counter(), time.process_time()
            result = fn()
            cpus.append((time.process_time() - cpu) * 1000)
            walls.append((time.perf_counter() - wall) * 1000)
    return statistics.median(walls), statistics.median(cpus), executed // runs, result


def list_variants(user: Any) -> dict[str, Callable[[], Any]]:
    from django.core.paginator import Paginator

    from masip.access.policy import Access
    from masip.cases.models import Case, CaseShare

    try:
        from masip.cases.selectors import case_list_for
    except ImportError:
        case_list_for = None

    def app_list() -> tuple[int, list]:
        access = Access(user)
        cases = (
            case_list_for(access)
            if case_list_for
            else access.visible_cases().order_by("-referred_on", "-id")
        )
        page = Paginator(cases, PAGE_SIZE).page(1)
        return page.paginator.count, list(page.object_list)

    def plain_slice() -> tuple[int, list]:
        cases = Access(user).visible_cases().order_by("-referred_on", "-id")
        return cases.count(), list(cases[:PAGE_SIZE])

    def python_filter() -> tuple[int, list]:
        agencies = {m.agency_id for m in Access(user).memberships}
        shared = set(CaseShare.objects.active().values_list("case_id", "agency_id"))
        visible = [
            case
            for case in Case.objects.order_by("-referred_on", "-id")
            if case.lead_agency_id in agencies
            or any((case.pk, agency) in shared for agency in agencies)
        ]
        return len(visible), visible[:PAGE_SIZE]

    def n_plus_one() -> tuple[int, list]:
        agencies = {m.agency_id for m in Access(user).memberships}
        visible = [
            case
            for case in Case.objects.order_by("-referred_on", "-id")
            if case.lead_agency_id in agencies
            or case.shares.active().filter(agency_id__in=agencies).exists()
        ]
        return len(visible), visible[:PAGE_SIZE]

    return {
        "list": app_list,
        "slice": plain_slice,
        "python": python_filter,
        "n+1": n_plus_one,
    }


def measure(
    scale: int, seed_per_k: tuple[float, float], args: argparse.Namespace
) -> dict[str, Any]:
    from masip.accounts.models import User

    user = User.objects.get(email=DEMO_WORKER)
    row: dict[str, Any] = {"scale": scale, "seed": seed_per_k}
    results = {}
    for name, fn in list_variants(user).items():
        slow = name in ("python", "n+1")
        if name == "n+1" and scale > args.n_plus_one_max:
            continue
        if not slow:
            fn()  # warm the caches once
        runs = (1 if scale >= 10_000 else 3) if slow else args.runs
        wall, cpu, queries, results[name] = timed(fn, runs)
        row[name], row[f"{name}_cpu"], row[f"{name}_queries"] = wall, cpu, queries
    counts = {name: count for name, (count, _) in results.items()}
    pages = {name: [c.pk for c in page] for name, (_, page) in results.items()}
    # The app's list sorts ties by reference, the others by id: compare pages
    # only among the same ordering, and counts among all.
    same_pages = {tuple(pages[n]) for n in ("slice", "python", "n+1") if n in pages}
    if len(set(counts.values())) != 1 or len(same_pages) != 1:
        raise SystemExit(f"The variants disagree at {scale:,} cases: {counts}")
    row["visible"] = counts["list"]
    return row


def seed_to(scale: int, have: int, seed: int) -> tuple[float, float]:
    """Grow the database to ``scale`` cases; wall and CPU seconds per 1,000 added."""
    from masip.demo.seed import seed_cases

    cpu = time.process_time()
    result = seed_cases(count=scale - have, seed=seed)
    added = (scale - have) / 1000
    return result.seconds / added, (time.process_time() - cpu) / added


def report(rows: list[dict[str, Any]]) -> None:
    from django.db import connection

    print()
    version = (
        connection.Database.sqlite_version
        if connection.vendor == "sqlite"
        else ".".join(map(str, divmod(connection.pg_version, 10000)))
    )
    print(
        f"Machine: {platform.platform()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}, {connection.vendor} {version}"
    )
    print("Command: .venv/bin/python bench/list_queries.py " + " ".join(sys.argv[1:]))
    print()
    basis = "CPU" if _in_process() else "wall"
    print(
        "Times in ms, wall (CPU of this process); medians; queries per call in "
        f"brackets. Ratios compare {basis} times."
    )
    print()
    print(
        "| Cases | Visible | Seed s per 1k | App list page | Plain slice "
        "| Python filter | N+1 | Python / list | N+1 / list |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(
            f"| {r['scale']:,} | {r['visible']:,} "
            f"| {r['seed'][0]:.2f} ({r['seed'][1]:.2f}) "
            + "".join(_cell(r, v) for v in ("list", "slice", "python", "n+1"))
            + _ratio(r, "python")
            + _ratio(r, "n+1")
            + "|"
        )


def _cell(row: dict[str, Any], variant: str) -> str:
    if variant not in row:
        return "| not run "
    wall, cpu, queries = row[variant], row[variant + "_cpu"], row[variant + "_queries"]
    digits = 0 if wall >= 100 else 1
    return f"| {wall:,.{digits}f} ({cpu:,.{digits}f}) [{queries:,}] "


def _ratio(row: dict[str, Any], variant: str) -> str:
    """How many times slower than the app's list page: by CPU time on SQLite
    (the database runs in this process), by wall time on a database server."""
    if variant not in row:
        return "| n/a "
    suffix = "_cpu" if _in_process() else ""
    return f"| {row[variant + suffix] / row['list' + suffix]:,.0f}x "


def _in_process() -> bool:
    from django.db import connection

    return connection.vendor == "sqlite"


def main() -> None:
    args = parse_args()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="masip-bench-") as tmp:
        set_up_django(args.database_url, tmp)
        from masip.cases.models import Case

        if Case.objects.exists():
            raise SystemExit("The database already holds cases; give an empty one.")
        rows, have = [], 0
        for scale in args.scales:
            per_k = seed_to(scale, have, args.seed)
            have = scale
            rows.append(measure(scale, per_k, args))
            print(f"  measured {scale:,} cases", flush=True)
        report(rows)
    print(f"\nTotal time {time.perf_counter() - started:.0f}s")


if __name__ == "__main__":
    main()
