# The case list's status and risk filters in its default order, so a filtered
# first page reads 26 rows from an index instead of sorting every match.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0007_case_list_sort_indexes"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                fields=["status", "risk_level", "referred_on", "reference"],
                name="case_status_risk_referred_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                fields=["risk_level", "referred_on", "reference"],
                name="case_risk_referred_idx",
            ),
        ),
    ]
