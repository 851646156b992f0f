"""``masip alerts scan --since ...``: replay the insider detectors over a period."""

import datetime as dt
from argparse import ArgumentParser, ArgumentTypeError
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from masip.alerts.engine import scan
from masip.isolation.context import system_work


class Command(BaseCommand):
    help = "Operate the insider detectors. 'scan' replays them over past events."

    def add_arguments(self, parser: ArgumentParser) -> None:
        subcommands = parser.add_subparsers(
            dest="subcommand", required=True, metavar="{scan}"
        )
        replay = subcommands.add_parser(
            "scan",
            help=(
                "Evaluate every audit event from --since (to --until) and raise "
                "the alerts not already raised."
            ),
        )
        replay.add_argument(
            "--since",
            type=moment,
            required=True,
            help="Start, UK time: 2026-03-01 or 2026-03-01T09:30.",
        )
        replay.add_argument(
            "--until", type=moment, default=None, help="End (exclusive), UK time."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        since, until = options["since"], options["until"]
        if until is not None and until <= since:
            raise CommandError("--until must be after --since.")
        # System work, like the worker: the rules read the cases' people
        # whatever row-level security would show a request.
        with system_work():
            report = scan(since=since, until=until)
        self.stdout.write(
            f"Scanned {report.events} events: {report.raised} new alerts raised."
        )


def moment(value: str) -> dt.datetime:
    """A date or date and time, read as UK local time unless it has an offset."""
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError as exc:
        raise ArgumentTypeError(
            f"must be a date such as 2026-03-01 or 2026-03-01T09:30, not {value!r}"
        ) from exc
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed
