# Seal case notes (health and police intelligence among them) at rest (ADR 0012).

import uuid

from django.db import migrations, models

import masip.crypto.fields
from masip.crypto.migration import fill_seal_ids, seal_existing


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0003_casestaffinvolvement"),
    ]

    operations = [
        migrations.AddField(
            model_name="casenote", name="seal_id", field=models.UUIDField(null=True)
        ),
        fill_seal_ids("cases", "casenote"),
        migrations.AlterField(
            model_name="casenote",
            name="seal_id",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
        migrations.AlterField(
            model_name="casenote",
            name="text",
            field=masip.crypto.fields.EncryptedTextField(),
        ),
        seal_existing("cases", "casenote"),
    ]
