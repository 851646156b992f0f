"""Benchmark: the insider detectors' false-alert rate and what they cost.

Run from the repository root:

    .venv/bin/python bench/insider_rules.py                  # 100 staff, 5 days
    .venv/bin/python bench/insider_rules.py --staff 30 --days 1

It makes a temporary SQLite database (unless --database-url names an empty
one), migrates it, and builds the synthetic office of
masip/alerts/tests/workday.py (agencies, teams, allocated cases). Then:

1. False alerts: it writes each synthetic working day to the audit trail in
   autocommit mode, so the audit hook queues a task for every watched event as
   it commits, then runs the real task worker (``db_worker --batch``) over the
   queue, exactly as in production, and counts the alerts (all of the day's
   work is legitimate, so every alert is a false one). Every member of staff
   has a home address on record, so all seven rules judge every case visit.
2. Rule cost: with the hook off, it writes one more day, then times
   ``engine.evaluate_committed`` (the rules, as the worker's task runs them) on
   each of its events (mean per event, and per event a rule watches) and
   counts its queries.
3. Write cost: it times ``audit.record`` of a case view with no hook, with the
   rules run in the committing process (the old hook, ``evaluate_committed``)
   and with the task queued (the hook now, ``tasks.enqueue_committed``), and
   gives the ratios to no hook.

Costs are CPU time of this process: on SQLite the database works in-process,
and the machine the figures come from is shared, so wall time is noisy.

docs/benchmarks.md records a run.
"""

import argparse
import platform
import random
import statistics
import tempfile
import time

from common import set_up_django


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


def run_worker() -> float:
    """Drain the task queue with the real worker; its wall time in seconds."""
    from io import StringIO

    from django.core.management import call_command

    start = time.perf_counter()
    call_command(  # verbosity 0: the worker logs nothing of the tasks it runs
        "db_worker",
        "--batch",
        "--no-reload",
        "--no-startup-delay",
        verbosity=0,
        stdout=StringIO(),
    )
    return time.perf_counter() - start


def false_alerts(args: argparse.Namespace, rng: random.Random, office) -> None:
    from django.tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from masip.alerts.models import Alert
    from masip.alerts.tests import workday

    events = 0
    wall = worker = 0.0
    for offset in range(args.days):
        day = workday.WORKDAY + workday.dt.timedelta(days=7 * offset)
        planned = workday.plan_day(rng, office, day)
        start = time.perf_counter()
        events += workday.replay_day(planned, detect=False)  # the hook queues
        wall += time.perf_counter() - start
        worker += run_worker()  # the worker judges
    tasks = DBTaskResult.objects.filter(task_path="masip.alerts.tasks.evaluate_event")
    done = tasks.filter(status=TaskResultStatus.SUCCESSFUL).count()
    if done != tasks.count():
        raise SystemExit(f"Only {done} of {tasks.count()} alert tasks succeeded.")
    alerts = list(Alert.objects.all())
    user_days = len(office.people) * args.days
    print(f"Staff {len(office.people)}, days {args.days}, events {events:,}")
    print(f"Alerts {len(alerts)}: {1000 * len(alerts) / events:.3f} per 1,000 events,")
    print(f"  {len(alerts) / user_days:.4f} per user-day")
    for alert in alerts:
        print(f"  - {alert.get_rule_display()}: {alert.summary}")
    print(f"Writing the days took {wall:.1f} s (wall)")
    print(
        f"The worker ran {done:,} alert tasks in {worker:.1f} s: "
        f"{1000 * worker / done:.2f} ms per task (wall)"
    )


def rule_cost(rng: random.Random, office) -> None:
    from masip.alerts import engine, tasks
    from masip.alerts.rules import WATCHED_EVENT_TYPES
    from masip.alerts.tests import workday
    from masip.audit import services as audit
    from masip.audit.models import AuditEvent

    audit._hooks.remove(tasks.enqueue_committed)
    day = workday.WORKDAY + workday.dt.timedelta(days=7 * 52)
    last = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first()
    workday.replay_day(workday.plan_day(rng, office, day), detect=False)
    audit.on_recorded(tasks.enqueue_committed)
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
    from masip.alerts import engine, tasks
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

    def measured(hook) -> float:
        audit._hooks.remove(tasks.enqueue_committed)
        if hook is not None:
            audit.on_recorded(hook)
        try:
            return statistics.median(writes() for _ in range(3))
        finally:
            if hook is not None:
                audit._hooks.remove(hook)
            audit.on_recorded(tasks.enqueue_committed)

    none = measured(None)
    inline = measured(engine.evaluate_committed)
    queued = measured(tasks.enqueue_committed)
    print(
        f"Audit write (allocated case view, CPU time): {none:.3f} ms with no hook; "
        f"{inline:.3f} ms judging it in the request (x{inline / none:.2f}); "
        f"{queued:.3f} ms queueing the task (x{queued / none:.2f})"
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
