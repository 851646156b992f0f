"""System check: the key ring must load, so a bad key stops the server starting."""

from typing import Any

from django.core import checks
from django.core.exceptions import ImproperlyConfigured

from masip.crypto.keys import get_keyring


@checks.register(checks.Tags.security)
def check_keyring(**kwargs: Any) -> list[checks.CheckMessage]:
    try:
        get_keyring()
    except ImproperlyConfigured as exc:
        return [checks.Error(str(exc), id="crypto.E001")]
    return []
