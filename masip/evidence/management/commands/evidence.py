"""``masip evidence verify``: re-check every stored evidence file.

Each file (and each image's display copy) is decrypted and hashed again, and
the hash compared with the SHA-256 recorded when it arrived. Each outcome is
written to the audit trail, in the item's chain of custody. The command
prints a report and exits non-zero when any item does not match, so a
scheduler can alert on it. Further subcommands (``import``) sit beside it.
"""

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from masip.evidence.services import evidence_verify_all
from masip.isolation.context import system_work


class Command(BaseCommand):
    help = "The evidence vault: 'verify' re-checks every stored file's SHA-256."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(
            dest="subcommand", required=True, metavar="{verify}"
        )
        sub.add_parser(
            "verify",
            help="Decrypt and re-hash every stored evidence file; non-zero exit "
            "on any mismatch.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["subcommand"] == "verify":
            self.verify()

    @system_work()
    def verify(self) -> None:
        report = evidence_verify_all()
        self.stdout.write(
            f"Checked {report.checked} evidence item"
            f"{'s' if report.checked != 1 else ''}: {report.intact} intact, "
            f"{len(report.mismatches)} not matching."
        )
        for key_id, count in sorted(report.keys.items()):
            self.stdout.write(f"Files sealed under key {key_id}: {count}")
        for mismatch in report.mismatches:
            self.stdout.write(
                f"MISMATCH case {mismatch.case_reference} item "
                f"{mismatch.public_id}: {mismatch.reason}"
            )
        if not report.ok:
            raise CommandError(
                f"{len(report.mismatches)} evidence item"
                f"{'s do' if len(report.mismatches) != 1 else ' does'} not match "
                "the SHA-256 recorded on arrival."
            )
