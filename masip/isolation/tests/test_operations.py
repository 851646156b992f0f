"""The isolation migrations reverse cleanly, and the middleware never leaves
a request's reach on a connection (PostgreSQL, where the policies exist)."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory

from masip.access.policy import Access
from masip.cases.models import Case, CaseNote
from masip.isolation import scope
from masip.isolation.middleware import RowSecurityMiddleware
from masip.isolation.operations import (
    ExtendCaseScopedTable,
    InstallCaseReach,
    InstallRowSecurityFunctions,
    InstallRowSecurityFunctionsV2,
    PostgresOnlySQL,
    ProtectCaseScopedTable,
    key_for,
)

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="Row-level security exists on PostgreSQL only.",
)


def _counts() -> tuple[int, int, int]:
    """Policies, forced tables and masip_rls_* functions in this schema."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT (SELECT count(*) FROM pg_policies"
            "        WHERE schemaname = current_schema()),"
            " (SELECT count(*) FROM pg_class c JOIN pg_namespace n"
            "   ON n.oid = c.relnamespace WHERE n.nspname = current_schema()"
            "   AND c.relforcerowsecurity),"
            " (SELECT count(*) FROM pg_proc p JOIN pg_namespace n"
            "   ON n.oid = p.pronamespace WHERE n.nspname = current_schema()"
            "   AND p.proname LIKE 'masip_rls_%%')"
        )
        row = cursor.fetchone()
    return int(row[0]), int(row[1]), int(row[2])


@postgres_only
@pytest.mark.django_db
def test_isolation_migrations_go_back_to_the_first_and_forward_again():
    executor = MigrationExecutor(connection)
    leaves = executor.loader.graph.leaf_nodes()
    applied = _counts()

    executor.migrate([("isolation", "0001_row_level_security")])
    first = _counts()
    executor.loader.build_graph()
    executor.migrate(leaves)

    assert first[0] < applied[0]  # later tables' policies and the blocks gone
    assert first[1] < applied[1]
    assert first[2] == 10 < applied[2]  # version 2's functions dropped
    assert _counts() == applied


@postgres_only
@pytest.mark.django_db
def test_a_failing_view_leaves_no_reach_on_the_connection(cast):
    request = RequestFactory().get("/")
    request.access = Access(cast.lead_worker)  # type: ignore[attr-defined]

    def fails(_: HttpRequest) -> HttpResponse:
        assert scope.current("agencies") != ""
        raise RuntimeError("synthetic failure")

    with pytest.raises(RuntimeError):
        RowSecurityMiddleware(fails)(request)

    assert scope.current("agencies") == ""


def test_middleware_does_nothing_but_pass_on_other_databases(cast, monkeypatch):
    monkeypatch.setattr(connection, "vendor", "sqlite")
    request = RequestFactory().get("/")
    response = RowSecurityMiddleware(lambda _: HttpResponse("ok"))(request)

    assert response.content == b"ok"


@pytest.mark.parametrize(
    ("model", "via", "message"),
    [
        (CaseNote, None, "needs via="),
        (CaseNote, "text", "is not a foreign key"),
    ],
    ids=["no-via", "not-a-foreign-key"],
)
def test_key_for_refuses_a_table_it_cannot_key(model, via, message):
    with pytest.raises(ValueError, match=message):
        key_for(model, via)


def test_key_for_knows_the_two_roots():
    assert key_for(Case, None)[1:] == ("id", "")


@pytest.mark.parametrize(
    "operation",
    [
        InstallRowSecurityFunctions(),
        InstallRowSecurityFunctionsV2(),
        ProtectCaseScopedTable("cases.CaseNote", via="case"),
        ExtendCaseScopedTable("cases.CaseNote", via="case", disclosure=True),
        PostgresOnlySQL("SELECT 1", "SELECT 2"),
        InstallCaseReach(),
    ],
    ids=["functions", "functions-v2", "protect", "extend", "sql", "reach"],
)
def test_operations_describe_themselves_and_reconstruct(operation):
    name, args, kwargs = operation.deconstruct()

    assert operation.describe()
    assert operation.reversible
    rebuilt = type(operation)(*args, **kwargs)
    assert rebuilt.deconstruct() == (name, args, kwargs)
