"""Every case-scoped table is under row-level security, now and as models are added.

The rule (``masip/isolation/coverage.py``): the case and person models, and
every model with a foreign key to one of them or to another such model, must
be protected by a ``ProtectCaseScopedTable`` migration operation or exempted
with a reason. The first two tests run on every database; the last checks the
catalogue on PostgreSQL.
"""

import pytest
from django.apps import apps
from django.db import connection, models
from django.test.utils import isolate_apps

from masip.cases.models import Case
from masip.isolation import coverage
from masip.isolation.sql import POLICY_REACH


def test_every_case_scoped_model_is_protected_or_exempt():
    assert coverage.uncovered_models() == [], (
        "Add ProtectCaseScopedTable(<model>, via=<foreign key>) to a migration "
        "(see masip/isolation/operations.py), or list the model in "
        "masip.isolation.coverage.EXEMPT with the reason."
    )
    assert {
        "cases.case",
        "cases.casenote",
        "cases.caseshare",
        "cases.caseallocation",
        "cases.breakglassgrant",
        "incidents.incident",
        "people.person",
        "people.address",
    } <= coverage.protected_models()


@isolate_apps("masip.isolation")
def test_a_new_model_with_a_key_to_a_case_is_reported_until_protected(monkeypatch):
    class Visit(models.Model):
        case = models.ForeignKey(Case, on_delete=models.CASCADE)

        class Meta:
            app_label = "isolation"

        def __str__(self) -> str:
            return str(self.pk)

    class VisitNote(models.Model):
        visit = models.ForeignKey(Visit, on_delete=models.CASCADE)

        class Meta:
            app_label = "isolation"

        def __str__(self) -> str:
            return str(self.pk)

    registered = [*apps.get_models(), Visit, VisitNote]
    monkeypatch.setattr(coverage.apps, "get_models", lambda: registered)

    assert coverage.uncovered_models() == ["isolation.visit", "isolation.visitnote"]

    protected = coverage.protected_models() | {"isolation.visit"}
    monkeypatch.setattr(coverage, "protected_models", lambda: protected)
    assert coverage.uncovered_models() == ["isolation.visitnote"]


@pytest.mark.django_db
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="Row-level security exists on PostgreSQL only.",
)
def test_protected_tables_have_forced_row_level_security_and_a_policy():
    tables = sorted(
        apps.get_model(label)._meta.db_table for label in coverage.protected_models()
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity, "
            "EXISTS (SELECT 1 FROM pg_policies p WHERE p.tablename = c.relname "
            "AND p.policyname = %s) "
            "FROM pg_class c WHERE c.relname = ANY(%s) AND c.relkind = 'r' "
            "AND c.relnamespace = current_schema()::regnamespace ORDER BY 1",
            [POLICY_REACH, tables],
        )
        rows = cursor.fetchall()

    assert rows == [(table, True, True, True) for table in tables]
