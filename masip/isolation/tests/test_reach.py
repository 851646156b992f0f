"""The reach table (row-level security version 3) follows the rows it is
derived from, and the application role reads only its own rows of it and
writes none (PostgreSQL only: SQLite has no triggers or policies for it)."""

import datetime as dt

import pytest
from django.db import DatabaseError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from masip.cases.models import Case
from masip.cases.tests.factories import (
    BreakGlassGrantFactory,
    CaseFactory,
    CaseShareFactory,
    CaseStaffInvolvementFactory,
)
from masip.isolation.models import CaseReach
from masip.isolation.operations import InstallCaseReach
from masip.isolation.sql import REACH_BACKFILL_SQL, ReachKind
from masip.isolation.testing import as_role, make_app_role, reach_of

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="The reach table is kept by PostgreSQL triggers; SQLite has none.",
    ),
]

Row = tuple[str, int, int, int | None, int | None, dt.datetime | None]


def _stored() -> set[Row]:
    return set(
        CaseReach.objects.values_list(
            "kind", "source_id", "case_id", "agency_id", "user_id", "expires_at"
        )
    )


def _derived() -> set[Row]:
    """What the backfill would write now, from the tables the rows come from."""
    select = REACH_BACKFILL_SQL.split("\n", 2)[2].rsplit("ON CONFLICT", 1)[0]
    tables = {
        "reach": CaseReach._meta.db_table,
        "case": "cases_case",
        "share": "cases_caseshare",
        "grant": "cases_breakglassgrant",
        "mark": "cases_casestaffinvolvement",
    }
    with connection.cursor() as cursor:
        cursor.execute(select.format(**tables))
        return {tuple(row) for row in cursor.fetchall()}  # type: ignore[misc]


def test_the_triggers_keep_the_reach_table_equal_to_its_sources(cast):
    case = CaseFactory(lead_agency=cast.police_a, created_by=cast.lead_worker)
    share = CaseShareFactory(case=case, agency=cast.nhs_a)
    revoked = CaseShareFactory(case=case, agency=cast.advocacy_a)
    grant = BreakGlassGrantFactory(case=case, user=cast.outsider, agency=cast.police_b)
    mark = CaseStaffInvolvementFactory(case=case, agency=cast.police_b)
    assert _stored() == _derived()
    kinds = {kind for kind, *_ in _stored() if _[1] == case.pk}
    assert kinds == {kind.value for kind in ReachKind}

    Case.objects.filter(pk=case.pk).update(lead_agency=cast.probation_a)
    share.expires_at = timezone.now() + dt.timedelta(days=1)
    share.save()
    revoked.revoked_at = timezone.now()
    revoked.revoked_by = cast.lead_manager
    revoked.save()
    mark.cleared_at = timezone.now()
    mark.cleared_by = cast.lead_manager
    mark.save()
    grant.delete()
    assert _stored() == _derived()
    assert CaseReach.objects.get(case_id=case.pk, kind="lead").agency_id == (
        cast.probation_a.pk
    )

    case.delete()
    assert not CaseReach.objects.filter(case_id=case.pk).exists()
    assert _stored() == _derived()


def test_the_application_role_reads_only_the_rows_that_open_a_case_to_it(cast):
    CaseShareFactory(case=cast.other_case, agency=cast.nhs_a)
    role = make_app_role()

    with as_role(role), reach_of(cast.outsider):
        outsider = set(CaseReach.objects.values_list("case_id", "kind"))
    with as_role(role), reach_of(None):
        nobody = CaseReach.objects.count()

    assert outsider == {(cast.other_case.pk, "lead")}
    assert nobody == 0


@pytest.mark.parametrize(
    "statement",
    [
        "INSERT INTO isolation_casereach (kind, source_id, case_id, agency_id)"
        " VALUES ('share', 999999, {case}, {agency})",
        "UPDATE isolation_casereach SET agency_id = {agency}",
        "DELETE FROM isolation_casereach",
    ],
    ids=["insert", "update", "delete"],
)
def test_the_application_role_cannot_write_the_reach_table(cast, statement):
    role = make_app_role()
    sql = statement.format(case=cast.other_case.pk, agency=cast.police_a.pk)

    with (
        as_role(role),
        reach_of(cast.lead_worker),
        pytest.raises(DatabaseError, match="permission denied"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql)


def test_an_expired_share_opens_nothing(cast):
    CaseShareFactory(
        case=cast.other_case,
        agency=cast.police_a,
        expires_at=timezone.now() - dt.timedelta(minutes=1),
    )
    role = make_app_role()

    with as_role(role), reach_of(cast.lead_worker):
        cases = set(Case.objects.values_list("pk", flat=True))

    assert cases == {cast.case.pk}


def test_reversing_version_3_leaves_no_policy_reading_the_reach_table():
    executor = MigrationExecutor(connection)
    leaves = executor.loader.graph.leaf_nodes()

    executor.migrate([("isolation", "0003_staff_involved_and_subject_access")])
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_policies WHERE schemaname = current_schema()"
            " AND (qual LIKE '%%casereach%%' OR with_check LIKE '%%casereach%%')"
        )
        reading = cursor.fetchone()[0]
        cursor.execute("SELECT to_regprocedure('masip_reach_from_case()')")
        trigger = cursor.fetchone()[0]
    executor.loader.build_graph()
    executor.migrate(leaves)

    assert (reading, trigger) == (0, None)
    assert InstallCaseReach().describe()


def test_a_share_to_the_users_agency_is_read_on_its_own_columns_unless_blocked(
    cast,
):
    from masip.cases.models import CaseShare

    role = make_app_role()
    expected = set(
        CaseShare.objects.filter(case=cast.case).values_list("pk", flat=True)
    )
    with as_role(role), reach_of(cast.partner_worker):
        shares = set(CaseShare.objects.values_list("pk", flat=True))
    CaseStaffInvolvementFactory(case=cast.case, agency=cast.probation_a)
    with as_role(role), reach_of(cast.partner_worker):
        blocked = CaseShare.objects.count()

    assert shares == expected
    assert blocked == 0
