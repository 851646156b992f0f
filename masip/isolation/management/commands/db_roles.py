"""``masip db_roles --app-role masip_app``: the application's database role.

Run it over an owner connection after every ``migrate`` (it is idempotent):
it creates the role if missing and grants exactly the rights the application
needs, on today's tables and, through default privileges, on tomorrow's.
"""

import os
from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from masip.isolation.roles import RoleError, ensure_app_role


class Command(BaseCommand):
    help = (
        "Create or update the PostgreSQL role the application connects as: it "
        "owns no table and holds only row privileges, so row-level security holds."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--app-role",
            required=True,
            help="The role the web application connects as (e.g. masip_app).",
        )
        parser.add_argument(
            "--password-env",
            default="",
            help="Name of an environment variable holding a password to set.",
        )
        parser.add_argument(
            "--database",
            default="owner" if "owner" in settings.DATABASES else "default",
            help="Database alias of an owner connection (default: owner if set).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        password = None
        if options["password_env"]:
            password = os.environ.get(options["password_env"])
            if not password:
                raise CommandError(f"{options['password_env']} is not set.")
        try:
            report = ensure_app_role(
                connections[options["database"]], options["app_role"], password=password
            )
        except (RoleError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        verb = "Created" if report.created else "Updated"
        self.stdout.write(
            f"{verb} role {report.role}: SELECT, INSERT, UPDATE, DELETE on the "
            f"tables of schema {report.schema} owned by {report.owner}, and on "
            "tables it creates later."
        )
        for table, privileges in report.narrowed.items():
            self.stdout.write(f"  {table}: {', '.join(privileges)} only")
