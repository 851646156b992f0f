"""``masip evidence``: the evidence vault from the command line.

* ``verify`` re-checks every stored evidence file: each file (and each
  image's display copy) is decrypted and hashed again, and the hash compared
  with the SHA-256 recorded when it arrived. Each outcome is written to the
  audit trail, in the item's chain of custody. The command prints a report
  and exits non-zero when any item does not match, so a scheduler can alert
  on it.
* ``import FILE --case REF --as EMAIL`` stores a message export as evidence
  of the case (uploaded in the name of the member of staff given, who must
  reach the case and may upload evidence there), imports it into the case
  timeline at once, and prints what it read. It exits non-zero when the file
  cannot be stored or read.
"""

from argparse import ArgumentParser
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError
from django.http import Http404

from masip.access.actors import Actor
from masip.access.permissions import Permission
from masip.access.policy import Access, CaseBlocked
from masip.accounts.models import User
from masip.cases.models import Case
from masip.core.errors import DomainError
from masip.evidence import imports, services, tasks
from masip.evidence.imports import DATE_ORDERS
from masip.evidence.models import EvidenceImport, ImportStatus
from masip.isolation.context import system_work

SHOWN_LINES = 5


class Command(BaseCommand):
    help = (
        "The evidence vault: 'verify' re-checks every stored file's SHA-256; "
        "'import' stores a message export and reads it into the case timeline."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(
            dest="subcommand", required=True, metavar="{verify,import}"
        )
        sub.add_parser(
            "verify",
            help="Decrypt and re-hash every stored evidence file; non-zero exit "
            "on any mismatch.",
        )
        add = sub.add_parser(
            "import",
            help="Store a message export as evidence of a case and import it "
            "into the case timeline.",
        )
        add.add_argument("file", help="The export: WhatsApp, SMS XML, email, CSV.")
        add.add_argument("--case", required=True, help="The case reference.")
        add.add_argument(
            "--as",
            dest="as_email",
            required=True,
            metavar="EMAIL",
            help="The member of staff the evidence is uploaded for; they must "
            "reach the case and may upload evidence there.",
        )
        add.add_argument(
            "--perpetrator",
            default="",
            metavar="NAME",
            help="The perpetrator's name or number as the export writes it.",
        )
        add.add_argument(
            "--date-order",
            choices=DATE_ORDERS,
            default="",
            help="Day first (dmy) or month first (mdy), when the file cannot tell.",
        )
        add.add_argument(
            "--tz",
            default=settings.TIME_ZONE,
            help="The phone's time zone (default %(default)s).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["subcommand"] == "verify":
            self.verify()
        elif options["subcommand"] == "import":
            self.import_file(**options)

    @system_work()
    def verify(self) -> None:
        report = services.evidence_verify_all()
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

    @system_work()
    def import_file(self, **options: Any) -> None:
        path = Path(options["file"])
        try:
            zone = ZoneInfo(options["tz"])
        except (ZoneInfoNotFoundError, ValueError):
            raise CommandError(f"Unknown time zone: {options['tz']}.") from None
        case, actor = self._acting(options["case"], options["as_email"])
        try:
            with path.open("rb") as source:
                item = services.evidence_upload(
                    actor=actor, case=case, uploaded_file=source, name=path.name
                )
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}.") from None
        except DomainError as refused:
            raise CommandError(f"{path.name} was not stored: {refused}") from None
        self.stdout.write(f"Stored {path.name} as evidence {item.public_id}.")
        try:
            started = imports.evidence_import_start(
                actor=actor,
                case=case,
                evidence=item,
                perpetrator_participant=options["perpetrator"],
                date_order=options["date_order"],
                enqueue=False,
            )
        except DomainError as refused:
            raise CommandError(f"{path.name} cannot be imported: {refused}") from None
        tasks.run_evidence_import.call(started.pk, zone.key)
        started.refresh_from_db()
        self._report(started)

    def _acting(self, reference: str, email: str) -> tuple[Case, Actor]:
        user = User.objects.filter(email__iexact=email, is_active=True).first()
        if user is None:
            raise CommandError(f"No active member of staff has the email {email}.")
        access = Access(user)
        try:
            case = access.case_for(reference, need=Permission.EVIDENCE_UPLOAD)
        except (Http404, CaseBlocked):
            raise CommandError(f"{email} cannot reach a case {reference}.") from None
        except PermissionDenied:
            raise CommandError(
                f"{email} may not upload evidence to case {reference}."
            ) from None
        membership = access.case_access(case).acting_membership(
            Permission.EVIDENCE_UPLOAD
        )
        return case, Actor(user=user, membership=membership)

    def _report(self, run: EvidenceImport) -> None:
        report = run.report_data
        if run.status != ImportStatus.COMPLETED:
            raise CommandError(f"The import failed: {run.error}")
        label = imports.FORMAT_LABELS.get(run.format, run.format)
        self.stdout.write(f"Format: {label}")
        self.stdout.write(f"Items read: {run.items_read}")
        self.stdout.write(f"Entries added: {run.entries_added}")
        self.stdout.write(f"Duplicates (already in the timeline): {run.duplicates}")
        lines = [p["line"] for p in report.get("problems", []) if p["line"]]
        where = ", ".join(str(n) for n in lines[:SHOWN_LINES])
        self.stdout.write(
            f"Lines that could not be read: {run.problems}"
            + (f" (first at line {where})" if where else "")
        )
        for note in report.get("notes", []):
            self.stdout.write(f"Note: {note}")
