"""Benchmark: the insider detectors' false-alert rate and what they cost.

Run from the repository root:

    .venv/bin/python bench/insider_rules.py                  # 100 staff, 5 days
    .venv/bin/python bench/insider_rules.py --staff 30 --days 1

It makes a temporary SQLite database (unless --database-url names an empty
one), migrates it, and builds the synthetic office of
masip/alerts/tests/workday.py (agencies, teams, allocated cases). Then:

1. False alerts: it writes each synthetic working day to the audit trail in
   autocommit mode, so the real-time hook judges every event as it commits,
   exactly as in production, and counts the alerts (all of the day's work is
   legitimate, so every alert is a false one).
2. Rule cost: with the hook off, it writes one more day, then times
   ``engine.evaluate_committed`` on each of its events (mean per event, and
   per event a rule watches) and counts its queries.
3. Write cost: it times ``audit.record`` of a case view with and without the
   hook registered and gives the ratio.

Costs are CPU time of this process: on SQLite the database works in-process,
and the machine the figures come from is shared, so wall time is noisy.

docs/benchmarks.md records a run.
"""

import argparse
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--staff", type=int, default=100, help="Staff (default 100).")
    parser.add_argument("--days", type=int, default=5, help="Working days (default 5).")
    parser.add_argument("--seed", type=int, default=7, help="Seed (default 7).")
    parser.add_argument(
        "--writes", type=int, default=2000, help="Audit writes timed each way."
    )
    parser.add_argument(
        "--database-url",
        default="",
        help="An empty database to use instead of a temporary SQLite file.",
    )
    return parser.parse_args()


def set_up_django(database_url: str, tmp: str) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ["DATABASE_URL"] = database_url or f"sqlite:///{tmp}/bench.sqlite3"
    os.environ["MASIP_VAR_DIR"] = tmp
    os.environ["DJANGO_DEBUG"] = "false"
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-not-a-secret")
    os.environ.setdefault("MASIP_AUDIT_KEY", "bench-only-not-a-secret")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def false_alerts(args: argparse.Namespace, rng: random.Random, office) -> None:
    from masip.alerts.models import Alert
    from masip.alerts.tests import workday

    events = 0
    wall = time.perf_counter()
    for offset in range(args.days):
        day = workday.WORKDAY + workday.dt.timedelta(days=7 * offset)
        planned = workday.plan_day(rng, office, day)
        events += workday.replay_day(planned, detect=False)  # the hook judges
    wall = time.perf_counter() - wall
    alerts = list(Alert.objects.all())
    user_days = len(office.people) * args.days
    print(f"Staff {len(office.people)}, days {args.days}, events {events:,}")
    print(f"Alerts {len(alerts)}: {1000 * len(alerts) / events:.3f} per 1,000 events,")
    print(f"  {len(alerts) / user_days:.4f} per user-day")
    for alert in alerts:
        print(f"  - {alert.get_rule_display()}: {alert.summary}")
    print(f"Writing and judging the days took {wall:.1f} s")


def rule_cost(rng: random.Random, office) -> None:
    from masip.alerts import engine
    from masip.alerts.rules import WATCHED_EVENT_TYPES
    from masip.alerts.tests import workday
    from masip.audit import services as audit
    from masip.audit.models import AuditEvent

    audit._hooks.remove(engine.evaluate_committed)
    day = workday.WORKDAY + workday.dt.timedelta(days=7 * 52)
    last = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first()
    workday.replay_day(workday.plan_day(rng, office, day), detect=False)
    audit.on_recorded(engine.evaluate_committed)
    events = list(AuditEvent.objects.filter(seq__gt=last or 0).order_by("seq"))
    from django.db import connection

    timings, queries = [], 0

    def count(execute, sql, params, many, context):
        nonlocal queries
        queries += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        for event in events:
            start = time.process_time()
            engine.evaluate_committed(event)
            timings.append((time.process_time() - start) * 1000)
    watched = [
        t
        for t, e in zip(timings, events, strict=True)
        if e.event_type in WATCHED_EVENT_TYPES
    ]
    print(
        f"Rule evaluation: {statistics.mean(timings):.3f} ms per event "
        f"(median {statistics.median(timings):.3f}); {statistics.mean(watched):.3f} "
        f"ms per watched event ({len(watched)} of {len(events)}); "
        f"{queries / len(events):.1f} queries per event (CPU time)"
    )


def write_cost(args: argparse.Namespace, office) -> None:
    from masip.alerts import engine
    from masip.audit import services as audit
    from masip.audit.events import EventType

    person = next(p for p in office.people if p.membership.role == "case_worker")
    reference = office.allocated[person.user.pk][0]

    def writes() -> float:
        start = time.process_time()
        for _ in range(args.writes):
            audit.record(
                EventType.CASE_VIEWED,
                actor=person.actor,
                target_id=reference,
                case_reference=reference,
            )
        return (time.process_time() - start) * 1000 / args.writes

    audit._hooks.remove(engine.evaluate_committed)
    without = [writes() for _ in range(3)]
    audit.on_recorded(engine.evaluate_committed)
    with_hook = [writes() for _ in range(3)]
    a, b = statistics.median(without), statistics.median(with_hook)
    print(
        f"Audit write (allocated case view): {a:.3f} ms without the hook, "
        f"{b:.3f} ms with it: x{b / a:.2f} (CPU time)"
    )


def main() -> None:
    args = parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        set_up_django(args.database_url, tmp)
        from django.db import connection

        from masip.alerts.tests import workday

        print(
            f"{platform.python_implementation()} {platform.python_version()}, "
            f"{connection.vendor}, seed {args.seed}"
        )
        rng = random.Random(args.seed)
        office = workday.build_office(rng, args.staff)
        false_alerts(args, rng, office)
        rule_cost(rng, office)
        write_cost(args, office)


if __name__ == "__main__":
    main()
