"""``masip restore_drill``: prove a backup can be restored (PostgreSQL).

It takes a logical backup of the database with ``pg_dump`` (custom format),
restores it into a new database with ``pg_restore``, compares the number of
rows in every table of the two, and verifies the audit chain of the
restored copy (``masip audit verify`` run against it). It prints one line per
table and exits non-zero if a table differs, the chain does not verify or a
step fails. The restored copy is dropped at the end unless ``--keep``.

Run it over the owner connection (``MASIP_MIGRATE_DATABASE_URL``, the role
that owns the tables, as backups are taken), never as the application role:
counting sets ``row_security = off``, which PostgreSQL refuses to a role
subject to row-level security rather than let it count only what it may
see. It never touches the source database except to read it, and refuses a
target that is the source or does not end in ``_restore``.

Continuous archiving and point-in-time recovery are the production backup
(docs/operations.md, "Backups"); this drill checks that what is backed up
comes back whole.
"""

from __future__ import annotations

import os
import subprocess  # nosec B404: runs pg_dump, pg_restore and masip, no shell
import sys
import tempfile
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

import psycopg
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from psycopg import sql

SUFFIX = "_restore"


def _database() -> dict[str, Any]:
    alias = "owner" if "owner" in settings.DATABASES else "default"
    database: dict[str, Any] = dict(settings.DATABASES[alias])
    if database["ENGINE"] != "django.db.backends.postgresql":
        raise CommandError(
            "The restore drill needs PostgreSQL: set DATABASE_URL (and "
            "MASIP_MIGRATE_DATABASE_URL for the owner role)."
        )
    return database


def _conninfo(database: dict[str, Any], name: str) -> dict[str, Any]:
    return {
        "dbname": name,
        "user": database.get("USER") or None,
        "password": database.get("PASSWORD") or None,
        "host": database.get("HOST") or None,
        "port": database.get("PORT") or None,
    }


def _pg_env(database: dict[str, Any]) -> dict[str, str]:
    env = dict(os.environ)
    for key, setting in (
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
        ("PGUSER", "USER"),
        ("PGPASSWORD", "PASSWORD"),
    ):
        if database.get(setting):
            env[key] = str(database[setting])
    return env


def _run(command: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(  # noqa: S603  # nosec B603: fixed programs, argument lists
        command, env=env, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise CommandError(
            f"{command[0]} failed ({done.returncode}): {done.stderr.strip()[:2000]}"
        )


def row_counts(conninfo: dict[str, Any]) -> dict[str, int]:
    """Rows in every ordinary table of the public schema, row security off."""
    with psycopg.connect(**conninfo, autocommit=True) as connection:
        connection.execute("SET row_security = off")
        tables = [
            row[0]
            for row in connection.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                "ORDER BY tablename"
            )
        ]
        counts: dict[str, int] = {}
        for table in tables:
            query = sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table))
            row = connection.execute(query).fetchone()
            counts[table] = int(row[0]) if row else 0
        return counts


class Command(BaseCommand):
    help = (
        "Back up the PostgreSQL database, restore it into a new database, and "
        "check the restored copy's row counts and audit chain."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--target",
            default="",
            help="The database to restore into (default: <database>_restore); "
            "it is dropped first if it exists, and must end in _restore.",
        )
        parser.add_argument(
            "--keep",
            action="store_true",
            help="Keep the restored database afterwards (default: drop it).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        database = _database()
        source = str(database["NAME"])
        target = options["target"] or f"{source}{SUFFIX}"
        if target == source or not target.endswith(SUFFIX):
            raise CommandError(
                f"Restore into a database whose name ends in {SUFFIX!r} and is "
                f"not the source ({source!r}), not {target!r}."
            )
        env = _pg_env(database)
        admin = _conninfo(database, "postgres")
        with tempfile.TemporaryDirectory(prefix="masip-drill-") as folder:
            dump = Path(folder) / f"{source}.dump"
            _run(["pg_dump", "--format=custom", f"--file={dump}", source], env)
            self.stdout.write(f"Backed up {source}: {dump.stat().st_size:,} bytes.")
            self._recreate(admin, target)
            try:
                _run(
                    ["pg_restore", "--exit-on-error", f"--dbname={target}", str(dump)],
                    env,
                )
                self.stdout.write(f"Restored into {target}.")
                problems = self._compare(database, source, target)
                problems += self._verify_chain(target)
            finally:
                if not options["keep"]:
                    self._drop(admin, target)
        if problems:
            raise CommandError("Restore drill failed: " + "; ".join(problems))
        self.stdout.write(self.style.SUCCESS("Restore drill passed."))

    def _recreate(self, admin: dict[str, Any], target: str) -> None:
        self._drop(admin, target)
        with psycopg.connect(**admin, autocommit=True) as connection:
            connection.execute(
                sql.SQL("CREATE DATABASE {}").format(sql.Identifier(target))
            )

    def _drop(self, admin: dict[str, Any], target: str) -> None:
        with psycopg.connect(**admin, autocommit=True) as connection:
            connection.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                    sql.Identifier(target)
                )
            )

    def _compare(self, database: dict[str, Any], source: str, target: str) -> list[str]:
        before = row_counts(_conninfo(database, source))
        after = row_counts(_conninfo(database, target))
        problems = []
        self.stdout.write(f"{'Table':<48} {'Source':>10} {'Restored':>10}")
        for table in sorted(set(before) | set(after)):
            mark = "" if before.get(table) == after.get(table) else "  DIFFERS"
            was, now = before.get(table, "-"), after.get(table, "-")
            self.stdout.write(f"{table:<48} {was:>10} {now:>10}{mark}")
            if mark:
                problems.append(
                    f"{table} has {before.get(table)} rows, restored {after.get(table)}"
                )
        self.stdout.write(
            f"{len(before)} tables, {sum(before.values()):,} rows compared."
        )
        return problems

    def _verify_chain(self, target: str) -> list[str]:
        """``masip audit verify`` against the restored copy, in a new process
        (its own settings, pointed at the target database)."""
        env = dict(os.environ)
        for key in ("DATABASE_URL", "MASIP_MIGRATE_DATABASE_URL"):
            if env.get(key):
                env[key] = _with_database(env[key], target)
        done = subprocess.run(  # noqa: S603  # nosec B603: this interpreter, manage.py
            [
                sys.executable,
                str(Path(settings.BASE_DIR) / "manage.py"),
                "audit",
                "verify",
            ],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        self.stdout.write(done.stdout.strip())
        if done.returncode != 0:
            return [
                f"the restored audit chain does not verify: {done.stderr.strip()[:500]}"
            ]
        return []


def _with_database(url: str, name: str) -> str:
    """The same database URL, naming another database."""
    base, _, query = url.partition("?")
    head, _, _ = base.rpartition("/")
    return f"{head}/{name}" + (f"?{query}" if query else "")
