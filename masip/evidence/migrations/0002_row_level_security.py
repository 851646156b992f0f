"""Row-level security for the evidence tables (PostgreSQL only; a no-op on SQLite).

Evidence items, imports and timeline entries follow their case: a request
that cannot reach the case sees none of them.
"""

from django.db import migrations

from masip.isolation.operations import ProtectCaseScopedTable


class Migration(migrations.Migration):
    dependencies = [
        ("evidence", "0001_initial"),
        ("isolation", "0003_staff_involved_and_subject_access"),
    ]

    operations = [
        ProtectCaseScopedTable("evidence.EvidenceItem", via="case"),
        ProtectCaseScopedTable("evidence.EvidenceImport", via="case"),
        ProtectCaseScopedTable("evidence.TimelineEntry", via="case"),
    ]
