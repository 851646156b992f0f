"""Key rotation: which keys sealed which values, and re-sealing under the active key.

Rotation never takes the site down and never loses an edit:

- every key that sealed a stored value stays in the ring until ``key_usage``
  shows none left, so every row opens before, during and after;
- rows are re-sealed in batches, each in its own short transaction;
- each row is rewritten with a compare-and-swap (``UPDATE ... WHERE the
  column still holds the token we read``): if a user saved the row meanwhile,
  their save already sealed it under the active key and the swap changes
  nothing, so stale plaintext never overwrites an edit.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import models, transaction
from django.dispatch import Signal

from masip.audit import services as audit
from masip.audit.events import EventType
from masip.crypto.cipher import key_id_of
from masip.crypto.fields import Ciphertext, EncryptedTextField, sealed_fields
from masip.crypto.keys import get_keyring

logger = logging.getLogger(__name__)

DEFAULT_BATCH_SIZE = 200
MAX_PASSES = 3
# Sent after each batch commits (progress reports, and tests that read between).
batch_rotated = Signal()


def sealed_models() -> list[tuple[type[models.Model], list[EncryptedTextField]]]:
    """Every installed model with sealed columns, and those columns."""
    found = [(model, sealed_fields(model)) for model in apps.get_models()]
    return sorted(
        ((model, fields) for model, fields in found if fields),
        key=lambda pair: pair[0]._meta.label,
    )


def key_usage() -> dict[str, Counter[str]]:
    """For each sealed column (``table.column``), how many values each key sealed."""
    usage: dict[str, Counter[str]] = {}
    for model, fields in sealed_models():
        counters = {f.attname: usage.setdefault(f.label(), Counter()) for f in fields}
        rows = model._base_manager.values_list(*counters).order_by()
        for values in rows.iterator(chunk_size=2000):
            for attname, token in zip(counters, values, strict=True):
                if token is not None:
                    counters[attname][key_id_of(token)] += 1
    return usage


@dataclass
class BatchOutcome:
    last_pk: Any
    read: int = 0
    rewritten: int = 0
    skipped: int = 0


def rotate_batch(
    model: type[models.Model],
    fields: list[EncryptedTextField],
    *,
    after_pk: Any,
    batch_size: int = DEFAULT_BATCH_SIZE,
) -> BatchOutcome:
    """Re-seal under the active key the next ``batch_size`` rows after ``after_pk``."""
    active = get_keyring().active_id
    names = ["pk", *{f.seal_field for f in fields}, *(f.attname for f in fields)]
    manager = model._base_manager
    with transaction.atomic():
        rows = list(
            manager.filter(pk__gt=after_pk).order_by("pk").values(*names)[:batch_size]
        )
        outcome = BatchOutcome(last_pk=rows[-1]["pk"] if rows else after_pk)
        outcome.read = len(rows)
        for row in rows:
            stale = {
                f.attname: (row[f.attname], f)
                for f in fields
                if row[f.attname] is not None and key_id_of(row[f.attname]) != active
            }
            if not stale:
                continue
            fresh = {
                name: f.seal_for(row[f.seal_field], f.open_for(row[f.seal_field], old))
                for name, (old, f) in stale.items()
            }
            unchanged = {name: Ciphertext(old) for name, (old, _) in stale.items()}
            swapped = manager.filter(pk=row["pk"], **unchanged).update(**fresh)
            outcome.rewritten += swapped
            outcome.skipped += 1 - swapped
    batch_rotated.send(sender=model, outcome=outcome)
    return outcome


@dataclass
class RotationReport:
    active_key: str
    rows_rewritten: int = 0
    rows_skipped: int = 0
    passes: int = 0
    columns: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "active_key": self.active_key,
            "rows_rewritten": self.rows_rewritten,
            "rows_skipped": self.rows_skipped,
            "passes": self.passes,
            "columns": self.columns,
        }


def rotate_all(*, batch_size: int = DEFAULT_BATCH_SIZE) -> RotationReport:
    """Re-seal every sealed value not under the active key, then audit it.

    A row skipped because someone saved it meanwhile is looked at again on the
    next pass (at most ``MAX_PASSES``); ``masip keys status`` shows what remains.
    """
    report = RotationReport(active_key=get_keyring().active_id)
    touched: set[str] = set()
    while report.passes < MAX_PASSES:
        report.passes += 1
        skipped = 0
        for model, fields in sealed_models():
            after: Any = 0
            while True:
                outcome = rotate_batch(
                    model, fields, after_pk=after, batch_size=batch_size
                )
                report.rows_rewritten += outcome.rewritten
                skipped += outcome.skipped
                if outcome.rewritten:
                    touched.update(f.label() for f in fields)
                if outcome.read < batch_size:
                    break
                after = outcome.last_pk
        report.rows_skipped += skipped
        logger.info(
            "Key rotation pass %s: %s rows rewritten so far, %s skipped this pass",
            report.passes,
            report.rows_rewritten,
            skipped,
        )
        if not skipped:
            break
    report.columns = sorted(touched)
    audit.record(
        EventType.KEYS_ROTATED,
        actor=audit.SYSTEM,
        target_type="field_keys",
        target_id=report.active_key,
        changed_fields=report.columns,
    )
    return report
