"""Operations for the migrations that bring a column under encryption.

The recipe, in one migration per app (see masip/people/migrations/0003):

1. ``AddField`` the ``seal_id`` with ``null=True``;
2. ``fill_seal_ids``: a fresh UUID for each existing row;
3. ``AlterField`` the ``seal_id`` to unique, not null, ``default=uuid.uuid4``;
4. ``AlterField`` each column to ``EncryptedTextField`` (and ``AddField`` its
   blind index), which leaves the stored text as it was;
5. ``seal_existing``: seal every stored plaintext and fill the blind indexes.
   It skips values that are already sealed, so it can run again; its reverse
   opens them again, so the migration can be unapplied.
"""

from __future__ import annotations

import uuid
from types import SimpleNamespace
from typing import Any

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

from masip.crypto.cipher import DecryptionError
from masip.crypto.fields import BlindIndexField, Ciphertext, EncryptedTextField

CHUNK = 500


def fill_seal_ids(
    app_label: str, model_name: str, seal_field: str = "seal_id"
) -> migrations.RunPython:
    def forwards(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
        rows = _manager(apps.get_model(app_label, model_name), schema_editor)
        pending = rows.filter(**{f"{seal_field}__isnull": True})
        for pk in pending.values_list("pk", flat=True).iterator(chunk_size=CHUNK):
            rows.filter(pk=pk).update(**{seal_field: uuid.uuid4()})

    return migrations.RunPython(forwards, migrations.RunPython.noop, elidable=True)


def _fields(model: Any) -> tuple[list[EncryptedTextField], list[BlindIndexField]]:
    concrete = model._meta.concrete_fields
    sealed = [f for f in concrete if isinstance(f, EncryptedTextField)]
    blind = [f for f in concrete if isinstance(f, BlindIndexField)]
    return sealed, blind


def _manager(model: Any, schema_editor: BaseDatabaseSchemaEditor) -> Any:
    """The model's rows on the migration's own connection (``--database``)."""
    return model._base_manager.db_manager(schema_editor.connection.alias)


def _rows(manager: Any) -> Any:
    names = [f.attname for f in manager.model._meta.concrete_fields]
    return manager.order_by("pk").values(*names).iterator(chunk_size=CHUNK)


def _is_sealed(field: EncryptedTextField, seal_id: Any, stored: str) -> bool:
    try:
        field.open_for(seal_id, stored)
    except DecryptionError:
        return False
    return True


def _seal_row(
    row: dict[str, Any],
    sealed: list[EncryptedTextField],
    blind: list[BlindIndexField],
) -> dict[str, Any]:
    """The column values that seal ``row``'s plaintext and index it."""
    plain, changes = dict(row), dict[str, Any]()
    for field in sealed:
        stored, seal_id = row[field.attname], row[field.seal_field]
        if stored is None:
            continue
        if _is_sealed(field, seal_id, stored):
            plain[field.attname] = field.open_for(seal_id, stored)
        else:
            changes[field.attname] = field.seal_for(seal_id, str(stored))
    view = SimpleNamespace(**plain)
    for index in blind:
        value = index.index_of(view)  # type: ignore[arg-type]
        if value != row[index.attname]:
            changes[index.attname] = value
    return changes


def _open_row(row: dict[str, Any], sealed: list[EncryptedTextField]) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    for field in sealed:
        stored, seal_id = row[field.attname], row[field.seal_field]
        if stored is not None and _is_sealed(field, seal_id, stored):
            # Written raw on purpose: the column goes back to plain text.
            changes[field.attname] = Ciphertext(field.open_for(seal_id, stored))
    return changes


def seal_existing(app_label: str, model_name: str) -> migrations.RunPython:
    """Seal the stored plaintext of every encrypted column of the model."""

    def forwards(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
        model = apps.get_model(app_label, model_name)
        rows = _manager(model, schema_editor)
        sealed, blind = _fields(model)
        for row in _rows(rows):
            if changes := _seal_row(row, sealed, blind):
                rows.filter(pk=row[model._meta.pk.attname]).update(**changes)

    def backwards(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
        model = apps.get_model(app_label, model_name)
        rows = _manager(model, schema_editor)
        sealed, _ = _fields(model)
        for row in _rows(rows):
            if changes := _open_row(row, sealed):
                rows.filter(pk=row[model._meta.pk.attname]).update(**changes)

    return migrations.RunPython(forwards, backwards)
