"""Typed readers for settings that come from the environment.

Every setting that differs between a laptop and production is read here, so a
reader of config/settings.py sees each knob and its default in one line.
"""

import os

from django.core.exceptions import ImproperlyConfigured


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, *, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}.")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(
            f"{name} must be a whole number, not {raw!r}."
        ) from exc


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return list(default or [])
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_secret(name: str, *, dev_default: str | None, debug: bool) -> str:
    """A secret from the environment; a development default only when DEBUG is on."""
    value = os.environ.get(name, "")
    if value:
        return value
    if debug and dev_default is not None:
        return dev_default
    raise ImproperlyConfigured(
        f"{name} must be set in the environment when DEBUG is off."
    )
