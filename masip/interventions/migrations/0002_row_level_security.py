"""Row-level security for interventions, their sessions and custody
(PostgreSQL only): each follows its case, sessions through their intervention."""

from django.db import migrations

from masip.isolation.operations import ProtectCaseScopedTable


class Migration(migrations.Migration):
    dependencies = [
        ("interventions", "0001_initial"),
        # The version 2 policy functions every protected table's policies call.
        ("isolation", "0003_staff_involved_and_subject_access"),
    ]

    operations = [
        ProtectCaseScopedTable("interventions.Intervention", via="case"),
        ProtectCaseScopedTable("interventions.InterventionSession", via="intervention"),
        ProtectCaseScopedTable("interventions.Custody", via="case"),
    ]
