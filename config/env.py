"""Typed readers for settings that come from the environment.

Every setting that differs between a laptop and production is read here, so a
reader of config/settings.py sees each knob and its default in one line.
"""

import ipaddress
import os
from urllib.parse import urlsplit

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


Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def env_networks(name: str) -> tuple[Network, ...]:
    """Comma-separated addresses or networks (``10.0.0.0/8``, ``::1``)."""
    networks: list[Network] = []
    for item in env_list(name):
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError as exc:
            raise ImproperlyConfigured(
                f"{name} must list IP addresses or networks, not {item!r}."
            ) from exc
    return tuple(networks)


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


def webauthn_relying_party_check(*, rp_id: str, origin: str, debug: bool) -> None:
    """Refuse a WebAuthn relying party that browsers would refuse, or none at all.

    With DEBUG off both must be set; the origin must be https and its host the
    RP ID or a subdomain of it (WebAuthn's rule for which RP IDs a page may use).
    """
    if not rp_id and not origin:
        if debug:
            return
        raise ImproperlyConfigured(
            "MASIP_WEBAUTHN_RP_ID and MASIP_WEBAUTHN_ORIGIN must be set in the "
            "environment when DEBUG is off."
        )
    parts = urlsplit(origin)
    host = parts.hostname or ""
    if not rp_id or not host or parts.path not in {"", "/"}:
        raise ImproperlyConfigured(
            "Set both MASIP_WEBAUTHN_RP_ID (a host name, like masip.example.org) "
            "and MASIP_WEBAUTHN_ORIGIN (like https://masip.example.org)."
        )
    if host != rp_id and not host.endswith("." + rp_id):
        raise ImproperlyConfigured(
            f"MASIP_WEBAUTHN_ORIGIN's host {host!r} must be MASIP_WEBAUTHN_RP_ID "
            f"({rp_id!r}) or a subdomain of it."
        )
    if parts.scheme != "https" and not (debug and host == "localhost"):
        raise ImproperlyConfigured("MASIP_WEBAUTHN_ORIGIN must start with https://.")
