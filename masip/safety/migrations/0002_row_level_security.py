"""Row-level security for safety plans and the victim-update log (PostgreSQL only).

Plans and contacts follow their case; plan versions follow their plan.
"""

from django.db import migrations

from masip.isolation.operations import ProtectCaseScopedTable


class Migration(migrations.Migration):
    dependencies = [
        ("safety", "0001_initial"),
        # The version 2 policy functions every protected table's policies call.
        ("isolation", "0003_staff_involved_and_subject_access"),
    ]

    operations = [
        ProtectCaseScopedTable("safety.SafetyPlan", via="case"),
        ProtectCaseScopedTable("safety.SafetyPlanVersion", via="plan"),
        ProtectCaseScopedTable("safety.VictimContact", via="case"),
    ]
