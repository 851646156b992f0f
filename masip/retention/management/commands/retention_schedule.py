"""Show or change the retention schedule: `masip retention_schedule [--set ...]`."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from masip.access.roles import AgencyKind
from masip.retention.models import RecordClass, RetentionSchedule


class Command(BaseCommand):
    help = (
        "List the retention schedule, or change one row with --set KIND CLASS "
        "FIRST INTERVAL --basis TEXT (years; review dates only, nothing is deleted)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--set",
            nargs=4,
            metavar=("KIND", "CLASS", "FIRST", "INTERVAL"),
            help=(
                f"agency kind ({', '.join(AgencyKind.values)}), record class "
                f"({', '.join(RecordClass.values)}), years to first review, "
                "years between reviews"
            ),
        )
        parser.add_argument("--basis", default="", help="why these periods")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["set"]:
            self._set(*options["set"], basis=options["basis"])
        for rule in RetentionSchedule.objects.all():
            self.stdout.write(
                f"{rule.agency_kind:<18} {rule.record_class:<18} "
                f"first {rule.first_review_years:>2} y, then every "
                f"{rule.review_interval_years:>2} y  {rule.basis}"
            )

    def _set(
        self, kind: str, record_class: str, first: str, interval: str, *, basis: str
    ) -> None:
        if kind not in AgencyKind.values:
            raise CommandError(f"Unknown agency kind {kind!r}.")
        if record_class not in RecordClass.values:
            raise CommandError(f"Unknown record class {record_class!r}.")
        if not basis.strip():
            raise CommandError("Give the basis for the change with --basis.")
        try:
            years = int(first), int(interval)
        except ValueError as error:
            raise CommandError(
                "FIRST and INTERVAL are whole numbers of years."
            ) from error
        if min(years) < 1 or max(years) > 100:
            raise CommandError("Periods must be between 1 and 100 years.")
        RetentionSchedule.objects.update_or_create(
            agency_kind=kind,
            record_class=record_class,
            defaults={
                "first_review_years": years[0],
                "review_interval_years": years[1],
                "basis": basis.strip(),
            },
        )
