"""Prepared statements keep row-level security exact (ADR 0036).

With ``MASIP_DB_PREPARE_THRESHOLD`` set, MASIP's connections bind on the
server and psycopg prepares statements a connection runs often, so PostgreSQL
may reuse one plan. The policies read the request's reach from ``masip.*``
settings when a statement runs, not when it is planned. These tests prepare
one statement on the test's own connection and make PostgreSQL reuse a single
generic plan for it (``plan_cache_mode``). They then change the reach and the
role, and check that each run answers for the reach in force at that moment.
"""

import psycopg
import pytest
from django.db import connection

from masip.isolation.testing import as_role, make_app_role, reach_of

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="Prepared statements and row-level security are PostgreSQL's.",
    ),
]
BY_REFERENCE = "SELECT id FROM cases_case WHERE reference = %s"
RUNS = 3


@pytest.fixture(autouse=True)
def one_plan_for_all_runs():
    """psycopg prepares every statement (as with the threshold at 0), and
    PostgreSQL reuses one generic plan from the first run on (the test runs
    in a transaction, so the setting ends with it)."""
    raw = connection.connection
    threshold = raw.prepare_threshold
    raw.prepare_threshold = 0
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL plan_cache_mode = force_generic_plan")
    yield
    raw.prepare_threshold = threshold


def _visible(reference: str) -> list[int]:
    """The statement as psycopg runs it prepared: bound on the server."""
    with psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(BY_REFERENCE, [reference])
        return [row[0] for row in cursor.fetchall()]


def _prepared() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements"
            " WHERE NOT from_sql AND statement = %s AND generic_plans > 0",
            [BY_REFERENCE.replace("%s", "$1")],
        )
        count: int = cursor.fetchone()[0]
    return count


def test_a_prepared_statement_answers_for_the_reach_in_force_when_it_runs(cast):
    role = make_app_role()
    reference = cast.case.reference

    with as_role(role):
        with reach_of(cast.lead_worker):
            seen = [_visible(reference) for _ in range(RUNS)]
        with reach_of(cast.outsider):
            hidden = [_visible(reference) for _ in range(RUNS)]
        with reach_of(cast.lead_worker):
            seen_again = _visible(reference)
        with reach_of(None):
            nobody = _visible(reference)
        prepared = _prepared()

    assert prepared == 1
    assert seen == [[cast.case.pk]] * RUNS
    assert hidden == [[]] * RUNS
    assert seen_again == [cast.case.pk]
    assert nobody == []


def test_a_plan_prepared_for_the_owner_does_not_open_rows_to_the_app_role(cast):
    role = make_app_role()
    reference = cast.case.reference

    with reach_of(cast.outsider):
        as_owner = [_visible(reference) for _ in range(RUNS)]
        with as_role(role):
            as_app = _visible(reference)

    assert as_owner == [[cast.case.pk]] * RUNS  # the owner is not bound by policies
    assert as_app == []
