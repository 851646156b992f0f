"""``masip audit verify``: walk the audit hash chain and report the first break."""

from argparse import ArgumentParser, ArgumentTypeError
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from masip.audit.verify import chain_verify, default_workers


class Command(BaseCommand):
    help = "Operate on the audit trail. 'verify' checks the hash chain end to end."

    def add_arguments(self, parser: ArgumentParser) -> None:
        subcommands = parser.add_subparsers(
            dest="subcommand", required=True, metavar="{verify}"
        )
        verify = subcommands.add_parser(
            "verify",
            help="Recompute every event's hash and link; exit 1 at the first break.",
        )
        verify.add_argument(
            "--chunk-size",
            type=_positive_int,
            default=5000,
            help="Events read from the database at a time (default 5000).",
        )
        verify.add_argument(
            "--workers",
            type=_positive_int,
            default=default_workers(),
            help=(
                "Processes that share the walk (default: one per CPU, here "
                f"{default_workers()}); 1 walks in this process."
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["subcommand"] == "verify":
            self.verify(chunk_size=options["chunk_size"], workers=options["workers"])

    def verify(self, *, chunk_size: int, workers: int) -> None:
        report = chain_verify(chunk_size=chunk_size, workers=workers)
        if not report.ok:
            # CommandError exits with status 1 and writes the message to stderr.
            seq, problem = report.first_bad_seq, report.problem
            raise CommandError(
                f"Audit chain broken at event #{seq}: {problem}", returncode=1
            )
        self.stdout.write(f"Audit chain intact: {report.checked} events checked.")


def _positive_int(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise ArgumentTypeError(f"must be a whole number above 0, not {value!r}")
    return int(value)
