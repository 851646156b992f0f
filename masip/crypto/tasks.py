"""Background tasks of the crypto app (run by the worker, ADR 0011)."""

from typing import Any

from django.tasks import task

from masip.crypto import rotation


@task
def rotate_sealed_fields(
    batch_size: int = rotation.DEFAULT_BATCH_SIZE,
) -> dict[str, Any]:
    """Re-seal every sealed value under the active key (``masip keys rotate``)."""
    return rotation.rotate_all(batch_size=batch_size).as_dict()
