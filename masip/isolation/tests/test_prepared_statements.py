"""Prepared statements keep row-level security exact (ADR 0036).

MASIP's PostgreSQL connections bind on the server and let psycopg prepare a
statement a connection runs often, so PostgreSQL plans it once and reuses the
plan. The policies read the request's reach from ``masip.*`` settings when a
statement runs, not when it is planned: these tests run one statement until
it is prepared under one reach, then change the reach and the role, and check
that each run answers for the reach in force at that moment.
"""

import pytest
from django.db import connection

from masip.cases.models import Case
from masip.isolation.testing import as_role, make_app_role, reach_of

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="Prepared statements and row-level security are PostgreSQL's.",
    ),
]


def _visible(reference: str) -> list[int]:
    return list(Case.objects.filter(reference=reference).values_list("pk", flat=True))


def _prepared_case_statements() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements"
            " WHERE statement LIKE %s AND NOT from_sql",
            ['%FROM "cases_case" WHERE "cases_case"."reference" =%'],
        )
        count: int = cursor.fetchone()[0]
    return count


def test_connections_prepare_statements_bound_on_the_server():
    options = connection.settings_dict["OPTIONS"]

    assert options["server_side_binding"] is True
    assert connection.connection.prepare_threshold == options["prepare_threshold"]


def test_a_prepared_statement_answers_for_the_reach_in_force_when_it_runs(cast):
    role = make_app_role()
    runs = connection.connection.prepare_threshold + 3
    reference = cast.case.reference

    with as_role(role):
        with reach_of(cast.lead_worker):
            seen = [_visible(reference) for _ in range(runs)]
        assert _prepared_case_statements() == 1
        with reach_of(cast.outsider):
            hidden = [_visible(reference) for _ in range(runs)]
        with reach_of(cast.lead_worker):
            seen_again = _visible(reference)
        with reach_of(None):
            nobody = _visible(reference)

    assert seen == [[cast.case.pk]] * runs
    assert hidden == [[]] * runs
    assert seen_again == [cast.case.pk]
    assert nobody == []


def test_a_plan_prepared_for_the_owner_does_not_open_rows_to_the_app_role(cast):
    role = make_app_role()
    runs = connection.connection.prepare_threshold + 3
    reference = cast.case.reference

    with reach_of(cast.outsider):
        as_owner = [_visible(reference) for _ in range(runs)]
        with as_role(role):
            as_app = _visible(reference)

    assert as_owner == [[cast.case.pk]] * runs  # the owner is not bound by policies
    assert as_app == []
