"""Saving an edit made on a form opened at some version: the lost-update guard.

Services lock the row, call ``ensure_current`` with the version the user's
form carried, apply the submitted values with ``apply_changes`` and, if
anything changed, ``save_new_version``. An edit that changes nothing saves
nothing and keeps the version.
"""

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from masip.core.errors import StaleEditError
from masip.core.models import VersionedModel


def _equal(name: str, stored: object, submitted: object) -> bool:
    return stored == submitted


def ensure_current[V: VersionedModel](
    instance: V, *, version: int | None, current_values: Callable[[V], dict[str, Any]]
) -> None:
    """``StaleEditError`` with the stored values if someone saved since ``version``."""
    if instance.version != version:
        raise StaleEditError(
            current=current_values(instance), current_version=instance.version
        )


def apply_changes(
    instance: VersionedModel,
    values: Mapping[str, Any],
    *,
    same: Callable[[str, object, object], bool] = _equal,
) -> list[str]:
    """Set the submitted values that differ; return the names of those fields."""
    changed = [
        name
        for name, value in values.items()
        if not same(name, getattr(instance, name), value)
    ]
    for name in changed:
        setattr(instance, name, values[name])
    return changed


def save_new_version(
    instance: VersionedModel, *, update_fields: Sequence[str] | None = None
) -> None:
    """Save the changes as the next version (only ``update_fields`` if given)."""
    instance.version += 1
    if update_fields is None:
        instance.save()
    else:
        instance.save(update_fields=[*update_fields, "version", "updated_at"])
