"""On PostgreSQL the audit table itself refuses UPDATE, DELETE and TRUNCATE."""

import pytest
from django.db import DatabaseError, connection, transaction

from masip.audit.models import AuditEvent
from masip.audit.tests.tampering import chain_of

REFUSED = [
    "UPDATE audit_auditevent SET purpose = 'changed' WHERE seq = 1",
    "DELETE FROM audit_auditevent WHERE seq = 1",
    # CASCADE: tables citing events (security alerts) would otherwise refuse
    # first; the trigger must be what refuses.
    "TRUNCATE audit_auditevent CASCADE",
]


@pytest.mark.django_db
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="The append-only triggers exist on PostgreSQL only.",
)
def test_audit_table_refuses_update_delete_and_truncate():
    chain_of(2)

    for statement in REFUSED:
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.update(purpose="changed")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.all().delete()

    assert AuditEvent.objects.count() == 2
    assert not AuditEvent.objects.filter(purpose="changed").exists()
