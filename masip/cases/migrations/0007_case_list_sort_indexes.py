# The case list's sort orders as indexes, so its keyset pages (masip/cases/keyset.py)
# walk an index from the cursor instead of sorting every visible case.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0006_closure_and_follow_ups"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                fields=["referred_on", "reference"], name="case_referred_ref_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                models.Case(
                    models.When(status="referred", then=models.Value(0)),
                    models.When(status="screening", then=models.Value(1)),
                    models.When(status="accepted", then=models.Value(2)),
                    models.When(status="active", then=models.Value(3)),
                    models.When(status="monitoring", then=models.Value(4)),
                    models.When(status="closed", then=models.Value(5)),
                    default=models.Value(6),
                ),
                models.F("reference"),
                name="case_status_rank_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                models.Case(
                    models.When(risk_level="not_assessed", then=models.Value(0)),
                    models.When(risk_level="standard", then=models.Value(1)),
                    models.When(risk_level="medium", then=models.Value(2)),
                    models.When(risk_level="high", then=models.Value(3)),
                    default=models.Value(4),
                ),
                models.F("reference"),
                name="case_risk_rank_idx",
            ),
        ),
    ]
