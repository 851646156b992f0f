"""The application's database role: owns nothing, may only read and write rows.

Row-level security is forced on the case-scoped tables, but a superuser, a
role with BYPASSRLS, or a member of the table owner (inside trusted system
work) passes it. Production therefore connects as a separate role made here:
no ownership, no DDL, ``SELECT, INSERT, UPDATE, DELETE`` on the tables (fewer
on the append-only audit tables and the migration history), and the same on
every table the owner creates later (default privileges).
"""

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.recorder import MigrationRecorder
from psycopg import sql

from masip.audit.models import AuditChainHead, AuditEvent
from masip.cases.models import Case
from masip.isolation.models import CaseReach
from masip.isolation.sql import identifier

DML = ("SELECT", "INSERT", "UPDATE", "DELETE")

# Tables where the application gets less than full DML, and why.
NARROWED: dict[str, tuple[str, ...]] = {
    # Append-only: triggers refuse UPDATE and DELETE; the role cannot even try.
    AuditEvent._meta.db_table: ("SELECT", "INSERT"),
    # One row, seeded by a migration, moved forward under a row lock.
    AuditChainHead._meta.db_table: ("SELECT", "UPDATE"),
    # The application reads which migrations ran; only the owner migrates.
    MigrationRecorder.Migration._meta.db_table: ("SELECT",),
    # Written by triggers alone (as the owner); its policy shows a request
    # only the rows that open a case to it.
    CaseReach._meta.db_table: ("SELECT",),
}


class RoleError(Exception):
    """The role cannot safely serve as the application role."""


@dataclass
class RoleReport:
    role: str
    created: bool = False
    owner: str = ""
    schema: str = ""
    narrowed: dict[str, tuple[str, ...]] = field(default_factory=dict)


def _one(
    connection: BaseDatabaseWrapper, query: str, params: list[str]
) -> tuple[Any, ...]:
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        row = cursor.fetchone()
    assert row is not None
    return tuple(row)


def ensure_app_role(
    connection: BaseDatabaseWrapper, role: str, *, password: str | None = None
) -> RoleReport:
    """Create ``role`` if missing and give it exactly the application's grants.

    Idempotent: every run revokes what the role holds on the schema's tables
    and grants the set again. Raises ``RoleError`` if the role could pass
    row-level security (superuser, BYPASSRLS, member of the owner, owner of a
    table).
    """
    if connection.vendor != "postgresql":
        raise RoleError(
            "Database roles and row-level security need PostgreSQL; on SQLite "
            "the application policy alone isolates agencies."
        )
    name = identifier(role)
    report = RoleReport(role=role)
    with transaction.atomic(using=connection.alias):
        schema, database, owner = _one(
            connection,
            "SELECT current_schema(), current_database(), "
            "pg_get_userbyid(relowner) FROM pg_class WHERE oid = %s::regclass",
            [Case._meta.db_table],
        )
        report.schema, report.owner = schema, owner
        if role == owner:
            raise RoleError(f"{role} owns the tables; choose another role.")
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = %s",
                [role],
            )
            existing = cursor.fetchone()
        if existing is None:
            _run(
                connection,
                f"CREATE ROLE {name} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE "
                "NOREPLICATION NOBYPASSRLS",
            )
            report.created = True
        elif existing[0] or existing[1]:
            raise RoleError(f"{role} is a superuser or bypasses row-level security.")
        (member,) = _one(
            connection, "SELECT pg_has_role(%s, %s, 'MEMBER')", [role, owner]
        )
        if member:
            raise RoleError(f"{role} is a member of {owner}, the owner of the tables.")
        (owned,) = _one(
            connection,
            "SELECT count(*) FROM pg_class c JOIN pg_namespace n "
            "ON n.oid = c.relnamespace WHERE n.nspname = %s "
            "AND c.relowner = (SELECT oid FROM pg_roles WHERE rolname = %s)",
            [schema, role],
        )
        if owned:
            raise RoleError(f"{role} owns {owned} relation(s) in {schema}.")
        if password:
            alter = sql.SQL("ALTER ROLE {} PASSWORD {}").format(
                sql.Identifier(role), sql.Literal(password)
            )
            _run(connection, alter.as_string(connection.connection))
        s, o = identifier(schema), identifier(owner)
        for statement in (
            f"GRANT CONNECT ON DATABASE {identifier(database)} TO {name}",
            f"GRANT USAGE ON SCHEMA {s} TO {name}",
            f"REVOKE ALL ON ALL TABLES IN SCHEMA {s} FROM {name}",
            f"GRANT {', '.join(DML)} ON ALL TABLES IN SCHEMA {s} TO {name}",
            f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA {s} FROM {name}",
            f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {s} TO {name}",
            f"ALTER DEFAULT PRIVILEGES FOR ROLE {o} IN SCHEMA {s} "
            f"GRANT {', '.join(DML)} ON TABLES TO {name}",
            f"ALTER DEFAULT PRIVILEGES FOR ROLE {o} IN SCHEMA {s} "
            f"GRANT USAGE, SELECT ON SEQUENCES TO {name}",
        ):
            _run(connection, statement)
        for table, privileges in NARROWED.items():
            t = f"{s}.{identifier(table)}"
            _run(connection, f"REVOKE ALL ON {t} FROM {name}")
            _run(connection, f"GRANT {', '.join(privileges)} ON {t} TO {name}")
            report.narrowed[table] = privileges
    return report


def _run(connection: BaseDatabaseWrapper, statement: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement)
