"""``masip migrate``: Django's, on the default database only.

Production migrates as the owner of the tables (ADR 13), and the way to do
that is to make the owner the default connection for the one command:

    DATABASE_URL="$MASIP_MIGRATE_DATABASE_URL" masip migrate --noinput

``--database owner`` looks the same but does not work: data migrations that
write through the default connection, django-tasks' among them, would then
run as the application role while the owner's open transaction holds the
table, and wait for it for ever. So any other alias is refused at once, with
the command that works.
"""

from typing import Any

from django.core.management.base import CommandError
from django.core.management.commands.migrate import Command as DjangoMigrateCommand
from django.db import DEFAULT_DB_ALIAS


class Command(DjangoMigrateCommand):
    def handle(self, *args: Any, **options: Any) -> None:
        if options["database"] != DEFAULT_DB_ALIAS:
            raise CommandError(
                f"Migrations run on the default database only, not "
                f"{options['database']!r}: some write through the default "
                "connection. To migrate as the owner, make it the default: "
                'DATABASE_URL="$MASIP_MIGRATE_DATABASE_URL" masip migrate --noinput'
            )
        super().handle(*args, **options)
