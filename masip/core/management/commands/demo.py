"""``masip demo``: load the synthetic demo (sites, agencies, staff, ~60 cases).

Safe to run again: nothing is duplicated. Every demo account shares one
password, taken from MASIP_DEMO_PASSWORD (default "stalking-demo-2026"), and
has an authenticator app with a published secret (``masip demo_code EMAIL``).
"""

from argparse import ArgumentParser
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from masip.accounts.models import User
from masip.cases.models import CaseAllocation
from masip.demo import data
from masip.demo.builder import DemoResult, load_demo
from masip.demo.structure import demo_totp_secret
from masip.isolation.context import system_work

DEBUG_OFF_MESSAGE = (
    "DEBUG is off, so this looks like a real deployment. The demo creates "
    "accounts that share a published password. Run it with --force only on a "
    "server that exists to show the demo."
)


class Command(BaseCommand):
    help = (
        "Load synthetic demo data (three sites, their agencies, a user for every "
        "role and about 60 cases). Running it again adds nothing."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help="Load the demo even with DEBUG off (for a public demo server).",
        )

    # Trusted system work: row-level security lets it write every agency's cases.
    @system_work()
    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["force"]:
            raise CommandError(DEBUG_OFF_MESSAGE)
        result = load_demo()
        if result.created_cases:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Demo loaded: {result.created_cases} cases created."
                )
            )
        else:
            self.stdout.write(
                f"Demo already loaded ({result.existing_cases} cases): nothing added."
            )
        self._sign_ins(result)

    def _sign_ins(self, result: DemoResult) -> None:
        rows = [
            (
                m.user.email,
                m.role_label,
                m.agency.name,
                demo_totp_secret(m.user.email),
            )
            for m in result.structure.memberships
        ]
        self.stdout.write("\nDemo sign-ins:")
        header = ("Email", "Role", "Agency", "Authenticator secret (TOTP)")
        for line in format_table(header, rows):
            self.stdout.write("  " + line)
        self.stdout.write(f"\nPassword for every demo account: {result.password}")
        self.stdout.write(
            "After the password MASIP asks for a 6-digit code. Add an account's "
            "secret to any authenticator app, or print its current code with:\n"
            "  .venv/bin/masip demo_code EMAIL"
        )
        start = User.objects.get(email=data.START_EMAIL)
        allocated = CaseAllocation.objects.filter(
            user=start, ended_at__isnull=True
        ).count()
        self.stdout.write(
            f"Start by signing in as {start.email} ({start.full_name}, a case "
            f"worker at London Police (demo), with {allocated} cases allocated)."
        )


def format_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    """Plain-text columns: the header, a rule, then one line per row."""
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(
            str(c).ljust(w) for c, w in zip(cells, widths, strict=True)
        ).rstrip()

    return [line(header), line(["-" * w for w in widths]), *map(line, rows)]
