# Seal incident locations (often the victim's home or work) at rest (ADR 0012).

from django.db import migrations

import masip.crypto.fields
from masip.crypto.migration import seal_existing


class Migration(migrations.Migration):
    dependencies = [
        ("incidents", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="incident",
            name="location",
            field=masip.crypto.fields.EncryptedTextField(
                blank=True, max_length=300, seal_field="public_id"
            ),
        ),
        seal_existing("incidents", "incident"),
    ]
