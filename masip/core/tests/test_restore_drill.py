"""``masip restore_drill``: a backup restored into a new database, with its
row counts and audit chain checked (PostgreSQL only)."""

from io import StringIO

import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from masip.audit.models import AuditChainHead
from masip.core.management.commands import restore_drill
from masip.core.management.commands.restore_drill import _with_database

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="pg_dump and pg_restore back up PostgreSQL only",
)


def _run(*args: str) -> str:
    out = StringIO()
    call_command("restore_drill", *args, stdout=out)
    return out.getvalue()


@pytest.mark.skipif(connection.vendor == "postgresql", reason="the SQLite refusal")
def test_restore_drill_refuses_sqlite_with_a_clear_message():
    with pytest.raises(CommandError, match="needs PostgreSQL"):
        _run()


@on_postgresql
@pytest.mark.django_db
def test_restore_drill_refuses_a_target_that_could_be_the_source():
    source = connection.settings_dict["NAME"]

    for target in (source, "masip_live", f"{source}_copy"):
        with pytest.raises(CommandError, match="_restore"):
            _run("--target", target)


@pytest.fixture
def committed(transactional_db):
    """Rows committed for pg_dump to see. As in the browser tests (see
    tests/e2e/conftest.py, ``site``): the chain head is put back, and the
    append-only trigger is off for the flush that empties the tables after."""
    with connection.cursor() as cursor:
        cursor.execute(
            "ALTER TABLE audit_auditevent ENABLE TRIGGER audit_event_no_truncate"
        )
    AuditChainHead.objects.get_or_create(pk=1)
    yield
    with connection.cursor() as cursor:
        cursor.execute(
            "ALTER TABLE audit_auditevent DISABLE TRIGGER audit_event_no_truncate"
        )


@on_postgresql
def test_restore_drill_restores_every_row_and_the_audit_chain(committed, cast):
    source = connection.settings_dict["NAME"]
    target = f"{source}_restore"

    output = _run("--target", target)

    assert f"Backed up {source}" in output
    assert f"Restored into {target}" in output
    assert "cases_case" in output
    assert "DIFFERS" not in output
    assert "Audit chain intact" in output
    assert output.rstrip().endswith("Restore drill passed.")
    with psycopg.connect(
        dbname="postgres",
        user=connection.settings_dict["USER"] or None,
        host=connection.settings_dict["HOST"] or None,
        port=connection.settings_dict["PORT"] or None,
        autocommit=True,
    ) as admin:
        left = admin.execute(
            "SELECT count(*) FROM pg_database WHERE datname = %s", [target]
        ).fetchone()
    assert left == (0,)  # dropped afterwards


@on_postgresql
@pytest.mark.django_db
def test_restore_drill_reports_a_table_that_differs(monkeypatch):
    counts = iter([{"cases_case": 3, "people_person": 5}, {"cases_case": 2}])
    monkeypatch.setattr(restore_drill, "row_counts", lambda conninfo: next(counts))
    command = restore_drill.Command(stdout=StringIO())

    problems = command._compare(connection.settings_dict, "a", "a_restore")

    assert problems == [
        "cases_case has 3 rows, restored 2",
        "people_person has 5 rows, restored None",
    ]


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("postgres://u@h:5432/masip", "postgres://u@h:5432/masip_restore"),
        (
            "postgres://u:p@h/masip?sslmode=require",
            "postgres://u:p@h/masip_restore?sslmode=require",
        ),
    ],
)
def test_with_database_names_the_target_and_keeps_the_rest(url, expected):
    assert _with_database(url, "masip_restore") == expected
