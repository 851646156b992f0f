"""Benchmark: searching people and cases by name, alias or identifier.

Run from the repository root:

    .venv/bin/python bench/search.py                       # 100k cases, SQLite
    .venv/bin/python bench/search.py --database-url postgres://.../db --scale 100000

It migrates the database (a temporary SQLite file unless --database-url names
one), grows it to --scale cases with ``seed_cases(seed=7)`` inside
``system_work()`` (a database already at or above the scale is used as it
is), gives one person in ten an alias and one perpetrator in ten a vehicle
registration (standard confidentiality), then times, for the demo's London
police case worker:

* person search (``person_search_visible``, the "add an existing person"
  search) against the plain ``icontains`` filter it replaced;
* the case list's first page with a search (``case_list_for(q=...)`` through
  the paginator: a COUNT and 25 rows) against the old ``icontains`` search;

for a family name, a given and family name, a three-letter fragment, an alias
fragment, a victim's phone number (restricted: found through the victim
contact compartment) and a vehicle registration. Each kind is a dozen distinct
queries, each run --runs times; p50 and p95 are over all those calls, wall
time in ms, with the queries per call. ADR 0033 records a run.
"""

import argparse
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from typing import Any

from common import set_up_django

DEMO_WORKER = "police.worker@london.demo.example.org"
PAGE_SIZE = 25
QUERIES_PER_KIND = 12
EVERY_NTH = 10  # one person in ten gets an alias, one perpetrator a registration


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, default=100_000, help="Cases to seed.")
    parser.add_argument("--database-url", default="", help="Database to use.")
    parser.add_argument("--runs", type=int, default=3, help="Runs per query.")
    parser.add_argument(
        "--skip-old", action="store_true", help="Do not time the old filters."
    )
    return parser.parse_args()


# Filling ------------------------------------------------------------------


def fill(scale: int) -> float:
    """Seed up to ``scale`` cases, add aliases and registrations; seconds taken."""
    from masip.cases.models import Case
    from masip.demo.seed import seed_cases
    from masip.isolation.context import system_work

    started = time.perf_counter()
    with system_work():
        have = Case.objects.count()
        if have < scale:
            print(f"  seeding {scale - have:,} cases", flush=True)
            seed_cases(count=scale - have, seed=7)
        _add_aliases_and_registrations()
    return time.perf_counter() - started


def _add_aliases_and_registrations() -> None:
    from django.db import transaction

    from masip.cases.models import CaseParticipant, ParticipantRole
    from masip.people.models import (
        Confidentiality,
        Person,
        PersonAlias,
        PersonIdentifier,
    )

    if PersonAlias.objects.exists():
        return
    rng = random.Random(7)
    people = Person.objects.order_by("id").values_list("id", "given_name")
    aliases = [
        PersonAlias(person_id=pid, name=f"{given[:3]}{_nickname(rng)}")
        for pid, given in people[::EVERY_NTH]
    ]
    perpetrators = (
        CaseParticipant.objects.filter(role=ParticipantRole.PERPETRATOR)
        .order_by("person_id")
        .values_list("person_id", flat=True)
        .distinct()
    )
    plates = [
        PersonIdentifier(
            person_id=pid,
            kind=PersonIdentifier.Kind.VEHICLE,
            value=_registration(rng),
            confidentiality=Confidentiality.STANDARD,
        )
        for pid in list(perpetrators)[::EVERY_NTH]
    ]
    with transaction.atomic():
        PersonAlias.objects.bulk_create(aliases, batch_size=5000)
        PersonIdentifier.objects.bulk_create(plates, batch_size=5000)
    print(f"  added {len(aliases):,} aliases, {len(plates):,} plates", flush=True)


def _nickname(rng: random.Random) -> str:
    return rng.choice(["ster", "ington", "bo", "sy", "man", "kins", "zo", "wick"])


def _registration(rng: random.Random) -> str:
    letters = "ABCDEFGHJKLMNOPRSTUVWXYZ"
    return (
        "".join(rng.choices(letters, k=2))
        + f"{rng.randint(10, 99)} "
        + "".join(rng.choices(letters, k=3))
    )


# Queries ------------------------------------------------------------------


def queries(user: Any) -> dict[str, list[str]]:
    """A dozen searches of each kind, for people the worker can see."""
    from masip.access.policy import Access
    from masip.cases.models import CaseParticipant, ParticipantRole
    from masip.people.models import PersonAlias, PersonIdentifier

    rng = random.Random(7)
    visible = CaseParticipant.objects.filter(case__in=Access(user).visible_cases())
    ids = sorted(visible.values_list("id", flat=True))
    chosen = rng.sample(ids, min(500, len(ids)))
    sample = list(
        CaseParticipant.objects.filter(id__in=chosen)
        .select_related("person")
        .order_by("id")
    )
    people = [p.person for p in rng.sample(sample, QUERIES_PER_KIND)]
    victims = [p.person_id for p in sample if p.role == ParticipantRole.VICTIM]
    led = Access(user).visible_cases().filter(lead_agency__in=_agencies(user))
    phones = PersonIdentifier.objects.filter(
        person_id__in=victims,
        kind=PersonIdentifier.Kind.PHONE,
        person__participations__case__in=led,
    )
    person_ids = [p.person_id for p in sample]
    aliases = PersonAlias.objects.filter(person_id__in=person_ids).order_by("id")
    plates = PersonIdentifier.objects.filter(
        person_id__in=person_ids, kind=PersonIdentifier.Kind.VEHICLE
    ).order_by("id")
    return {
        "family name": [p.family_name for p in people],
        "given and family name": [f"{p.given_name} {p.family_name}" for p in people],
        "3-letter fragment": [p.family_name[1:4].lower() for p in people],
        "alias fragment": [a.name[1:6] for a in aliases[:QUERIES_PER_KIND]],
        "phone (restricted)": [
            "+44 " + i.value[1:] for i in phones.order_by("id")[:QUERIES_PER_KIND]
        ],
        "vehicle (standard)": [i.value for i in plates[:QUERIES_PER_KIND]],
    }


def _agencies(user: Any) -> list[int]:
    from masip.access.policy import Access

    return [m.agency_id for m in Access(user).memberships]


def variants(user: Any) -> dict[str, Callable[[str], int]]:
    from django.core.paginator import Paginator

    from masip.access.policy import Access
    from masip.cases.selectors import _listing, _ordering, case_list_for
    from masip.people.selectors import person_search_visible

    def people_new(q: str) -> int:
        return len(person_search_visible(access=Access(user), query=q))

    def people_old(q: str) -> int:
        return len(_old_person_search(Access(user), q))

    def cases_new(q: str) -> int:
        return _first_page(case_list_for(Access(user), q=q))

    def cases_old(q: str) -> int:
        cases = _old_case_search(Access(user).visible_cases(), q)
        return _first_page(_listing(cases).order_by(*_ordering("-referred_on")))

    def _first_page(cases: Any) -> int:
        """As the list view does: a COUNT and one page of rows."""
        page = Paginator(cases, PAGE_SIZE).page(1)
        list(page.object_list)
        return page.paginator.count

    return {
        "people": people_new,
        "people (old)": people_old,
        "case list": cases_new,
        "case list (old)": cases_old,
    }


def _old_person_search(access: Any, query: str) -> list[Any]:
    """``person_search_visible`` before ADR 0033: plain ``icontains``."""
    from django.db.models import Q

    from masip.cases.models import CaseParticipant
    from masip.people.models import Person, PersonAlias

    words = query.split()
    if not words:
        return []
    visible = CaseParticipant.objects.filter(case__in=access.visible_cases())
    people = Person.objects.filter(pk__in=visible.values("person_id"))
    for word in words[:5]:
        aliased = PersonAlias.objects.filter(name__icontains=word)
        people = people.filter(
            Q(given_name__icontains=word)
            | Q(family_name__icontains=word)
            | Q(pk__in=aliased.values("person_id"))
        )
    ordered = people.prefetch_related("aliases").order_by(
        "family_name", "given_name", "id"
    )
    return list(ordered[:20])


def _old_case_search(cases: Any, q: str) -> Any:
    """The case list's ``_search`` before ADR 0033."""
    from django.db.models import Q

    from masip.cases.models import CaseParticipant

    words = q.split()
    if not words:
        return cases
    by_name = Q()
    for word in words:
        by_name &= Q(person__given_name__icontains=word) | Q(
            person__family_name__icontains=word
        )
    named = CaseParticipant.objects.filter(
        by_name | Q(person__aliases__name__icontains=q.strip())
    )
    return cases.filter(
        Q(reference__istartswith=q.strip()) | Q(pk__in=named.values("case_id"))
    )


# Timing -------------------------------------------------------------------


def timed(fn: Callable[[str], int], texts: list[str], runs: int) -> dict[str, Any]:
    """p50/p95 wall ms over every call, queries per call, and rows found."""
    from django.db import connection

    executed = 0

    def count(execute: Callable, sql: str, params: Any, many: bool, ctx: Any) -> Any:
        nonlocal executed
        executed += 1
        return execute(sql, params, many, ctx)

    walls: list[float] = []
    found = 0
    with connection.execute_wrapper(count):
        for text in texts:
            fn(text)  # warm
            for _ in range(runs):
                started = time.perf_counter()
                found = max(found, fn(text))
                walls.append((time.perf_counter() - started) * 1000)
    calls = len(texts) * (runs + 1)
    walls.sort()
    return {
        "p50": statistics.median(walls),
        "p95": walls[min(len(walls) - 1, round(0.95 * (len(walls) - 1)))],
        "queries": executed / calls,
        "found": found,
    }


def main() -> None:
    args = parse_args()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="masip-bench-") as tmp:
        set_up_django(args.database_url, tmp)
        from django.db import connection

        from masip.accounts.models import User
        from masip.cases.models import Case
        from masip.people.models import Person

        fill_seconds = fill(args.scale)
        user = User.objects.get(email=DEMO_WORKER)
        kinds = queries(user)
        chosen = variants(user)
        if args.skip_old:
            chosen = {k: v for k, v in chosen.items() if "old" not in k}
        rows = []
        for kind, texts in kinds.items():
            for name, fn in chosen.items():
                rows.append((kind, name, timed(fn, texts, args.runs)))
                print(f"  {kind}: {name} {rows[-1][2]['p95']:.1f} ms p95", flush=True)
        version = (
            getattr(getattr(connection, "Database", None), "sqlite_version", "")
            if connection.vendor == "sqlite"
            else ".".join(map(str, divmod(getattr(connection, "pg_version", 0), 10000)))
        )
        print()
        print(
            f"Machine: {platform.platform()}, {os.cpu_count()} CPUs, Python "
            f"{platform.python_version()}, {connection.vendor} {version}"
        )
        print(
            f"{Case.objects.count():,} cases, {Person.objects.count():,} people; "
            f"fill {fill_seconds:.0f}s. Command: .venv/bin/python bench/search.py "
            + " ".join(a for a in sys.argv[1:] if "://" not in a)
        )
        print()
        print("| Search | Selector | p50 ms | p95 ms | Queries | Most found |")
        print("|---|---|---:|---:|---:|---:|")
        for kind, name, r in rows:
            print(
                f"| {kind} | {name} | {r['p50']:.1f} | {r['p95']:.1f} "
                f"| {r['queries']:.0f} | {r['found']:,} |"
            )
    print(f"\nTotal time {time.perf_counter() - started:.0f}s")


if __name__ == "__main__":
    main()
