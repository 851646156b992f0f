"""System check: the keys must be usable before the server starts."""

from typing import Any

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

from masip.crypto.keys import get_keyring

MIN_BLIND_INDEX_KEY = 32


@checks.register(checks.Tags.security)
def check_keys(**kwargs: Any) -> list[checks.CheckMessage]:
    errors: list[checks.CheckMessage] = []
    try:
        get_keyring()
    except ImproperlyConfigured as exc:
        errors.append(checks.Error(str(exc), id="crypto.E001"))
    if not settings.DEBUG and len(settings.MASIP_BLIND_INDEX_KEY) < MIN_BLIND_INDEX_KEY:
        errors.append(
            checks.Error(
                f"MASIP_BLIND_INDEX_KEY must be at least {MIN_BLIND_INDEX_KEY} "
                "characters of random text.",
                id="crypto.E004",
            )
        )
    return errors
