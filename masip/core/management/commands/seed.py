"""``masip seed --cases N --seed S``: bulk-insert synthetic cases for load tests.

At 500,000 cases: about a million people, five million incidents and twenty
million audit events (``masip.demo.seed``). Nothing else may write meanwhile.
"""

import datetime as dt
from argparse import ArgumentParser, ArgumentTypeError
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from masip.core.management.commands.demo import DEBUG_OFF_MESSAGE
from masip.demo.seed import seed_cases
from masip.isolation.context import system_work


class Command(BaseCommand):
    help = (
        "Insert N synthetic cases (people, identifiers, incidents, allocations, "
        "shares and their audit trail) in bulk, "
        "reusing the demo's agencies and staff. The same --seed on the same starting "
        "database (for example an empty one) gives the same data."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--cases",
            type=_positive_int,
            required=True,
            help="How many cases to create.",
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=1,
            help="Random seed (default 1). The same seed gives the same cases.",
        )
        parser.add_argument(
            "--anchor",
            type=_iso_date,
            default=None,
            help="Lay dates out back from this day, YYYY-MM-DD (default today).",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Seed even with DEBUG off (demo staff share a published password).",
        )

    # Trusted system work: row-level security lets it write every agency's cases.
    @system_work()
    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["force"]:
            raise CommandError(DEBUG_OFF_MESSAGE)
        total = options["cases"]
        result = seed_cases(
            count=total,
            seed=options["seed"],
            anchor=options["anchor"],
            progress=lambda done: self.stdout.write(f"  {done:,} of {total:,} cases"),
        )
        rate = result.seconds / result.created * 1000
        self.stdout.write(
            self.style.SUCCESS(
                f"Seeded {result.created:,} cases, {result.people:,} people, "
                f"{result.incidents:,} incidents and {result.audit_events:,} audit "
                f"events ({result.rows + result.audit_events:,} rows) in "
                f"{result.seconds:.1f}s ({rate:.2f}s per 1,000 cases)."
            )
        )


def _positive_int(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise ArgumentTypeError(f"must be a whole number above 0, not {value!r}")
    return int(value)


def _iso_date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise ArgumentTypeError(f"must be a date as YYYY-MM-DD, not {value!r}") from exc
