"""Row-level security for the case-scoped tables added after 0001.

Reveals of sealed details, staff-involved marks and a closed case's retention
state and decisions follow their case: a request that cannot reach the case
sees none of them (PostgreSQL only; a no-op on SQLite).
"""

from django.db import migrations

from masip.isolation.operations import ProtectCaseScopedTable


class Migration(migrations.Migration):
    dependencies = [
        ("isolation", "0001_row_level_security"),
        ("access", "0001_initial"),
        ("cases", "0003_casestaffinvolvement"),
        ("retention", "0002_default_schedule"),
    ]

    operations = [
        ProtectCaseScopedTable("access.SealedReveal", via="case"),
        ProtectCaseScopedTable("cases.CaseStaffInvolvement", via="case"),
        ProtectCaseScopedTable("retention.CaseRetention", via="case"),
        ProtectCaseScopedTable("retention.RetentionDecision", via="case"),
    ]
