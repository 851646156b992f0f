# Seal addresses, identifiers and safe-contact preferences at rest (ADR 0012).

import uuid

from django.db import migrations, models

import masip.crypto.fields
from masip.crypto.migration import fill_seal_ids, seal_existing

SEALED = ("address", "personidentifier", "safecontactpreference")


def encrypted(**kwargs):
    return masip.crypto.fields.EncryptedTextField(**kwargs)


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0002_safe_contact_version"),
    ]

    operations = [
        *(
            migrations.AddField(
                model_name=name, name="seal_id", field=models.UUIDField(null=True)
            )
            for name in SEALED
        ),
        *(fill_seal_ids("people", name) for name in SEALED),
        *(
            migrations.AlterField(
                model_name=name,
                name="seal_id",
                field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
            )
            for name in SEALED
        ),
        migrations.AddField(
            model_name="address",
            name="postcode_index",
            field=masip.crypto.fields.BlindIndexField(
                scheme="postcode", source="postcode"
            ),
        ),
        migrations.AddField(
            model_name="personidentifier",
            name="value_index",
            field=masip.crypto.fields.BlindIndexField(
                scheme="identifier", source="value"
            ),
        ),
        migrations.AlterField(
            model_name="address", name="line_1", field=encrypted(max_length=200)
        ),
        migrations.AlterField(
            model_name="address",
            name="line_2",
            field=encrypted(blank=True, max_length=200),
        ),
        migrations.AlterField(
            model_name="address", name="town", field=encrypted(max_length=100)
        ),
        migrations.AlterField(
            model_name="address",
            name="postcode",
            field=encrypted(blank=True, max_length=10),
        ),
        migrations.AlterField(
            model_name="personidentifier",
            name="value",
            field=encrypted(max_length=200),
        ),
        migrations.AlterField(
            model_name="safecontactpreference",
            name="safe_times",
            field=encrypted(blank=True, max_length=200),
        ),
        migrations.AlterField(
            model_name="safecontactpreference",
            name="code_word",
            field=encrypted(blank=True, max_length=100),
        ),
        migrations.AlterField(
            model_name="safecontactpreference",
            name="notes",
            field=encrypted(blank=True),
        ),
        *(seal_existing("people", name) for name in SEALED),
    ]
