"""The key ring: every field key MASIP may decrypt with, and the one it encrypts with.

Keys come from the environment, never the database:

- ``MASIP_FIELD_KEYS``: ``kid=base64key`` entries separated by commas, each key
  32 random bytes (AES-256), or
- ``MASIP_FIELD_KEY_FILE``: a file of the same entries, one a line (``#``
  starts a comment), for secrets mounted by the platform;
- ``MASIP_FIELD_KEY_ACTIVE``: the key id new values are sealed under (may be
  left out when the ring holds one key).

With DEBUG on and neither source set, a fixed development key is used; with
DEBUG off, settings refuse to load without one (config/settings.py). The blind
index key (``MASIP_BLIND_INDEX_KEY``) is separate, so exact-match lookups never
touch an encryption key.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
import secrets
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

KEY_BYTES = 32
KEY_ID = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
DEVELOPMENT_KEY_ID = "dev"
# Derived from a public string: it protects nothing and is refused with DEBUG off.
_DEVELOPMENT_KEY = hashlib.sha256(b"masip insecure development field key").digest()


@dataclass(frozen=True)
class KeyRing:
    """Field keys by id, and the id of the key that seals new values."""

    keys: dict[str, bytes]
    active_id: str

    @property
    def active_key(self) -> bytes:
        return self.keys[self.active_id]

    def key(self, key_id: str) -> bytes:
        try:
            return self.keys[key_id]
        except KeyError:
            raise UnknownKeyError(
                f"Field key {key_id!r} is not in the key ring. Keep every key that "
                "`masip keys status` still shows in use in MASIP_FIELD_KEYS or "
                "MASIP_FIELD_KEY_FILE."
            ) from None


class UnknownKeyError(ImproperlyConfigured):
    """A stored value names a key the ring does not hold."""


def parse_entries(text: str, *, source: str) -> dict[str, bytes]:
    """``kid=base64`` entries (commas or new lines between them) as a dict."""
    keys: dict[str, bytes] = {}
    for raw in re.split(r"[,\n]", text):
        entry = raw.split("#", 1)[0].strip()
        if not entry:
            continue
        key_id, sep, encoded = entry.partition("=")
        key_id, encoded = key_id.strip(), encoded.strip()
        if not sep or not KEY_ID.match(key_id):
            raise ImproperlyConfigured(
                f"{source}: each entry must be KEY_ID=BASE64_KEY, with a key id of "
                "1 to 32 letters, digits, '-' or '_'."
            )
        if key_id in keys:
            raise ImproperlyConfigured(f"{source}: key id {key_id!r} appears twice.")
        try:
            key = base64.b64decode(encoded, validate=True)
        except (binascii.Error, ValueError):
            raise ImproperlyConfigured(
                f"{source}: the key for {key_id!r} is not valid base64."
            ) from None
        if len(key) != KEY_BYTES:
            raise ImproperlyConfigured(
                f"{source}: the key for {key_id!r} must be {KEY_BYTES} bytes "
                f"(AES-256), not {len(key)}."
            )
        keys[key_id] = key
    return keys


def _configured_keys(keys_text: str, key_file: str) -> dict[str, bytes]:
    keys: dict[str, bytes] = {}
    if keys_text.strip():
        keys.update(parse_entries(keys_text, source="MASIP_FIELD_KEYS"))
    if not key_file:
        return keys
    try:
        text = Path(key_file).read_text(encoding="utf-8")
    except OSError as exc:
        raise ImproperlyConfigured(
            f"MASIP_FIELD_KEY_FILE {key_file!r} cannot be read: {exc.strerror}."
        ) from None
    for key_id, key in parse_entries(text, source="MASIP_FIELD_KEY_FILE").items():
        if keys.get(key_id, key) != key:
            raise ImproperlyConfigured(
                f"Key id {key_id!r} has different keys in MASIP_FIELD_KEYS and "
                "MASIP_FIELD_KEY_FILE."
            )
        keys[key_id] = key
    return keys


def build_keyring(
    *, keys_text: str, key_file: str, active: str, debug: bool
) -> KeyRing:
    """The ring described by the settings; ``ImproperlyConfigured`` if unusable."""
    keys = _configured_keys(keys_text, key_file)
    if not keys:
        if not debug:
            raise ImproperlyConfigured(
                "MASIP_FIELD_KEYS or MASIP_FIELD_KEY_FILE must be set when DEBUG "
                "is off."
            )
        keys = {DEVELOPMENT_KEY_ID: _DEVELOPMENT_KEY}
    if not active:
        if len(keys) > 1:
            raise ImproperlyConfigured(
                "MASIP_FIELD_KEY_ACTIVE must name the key that seals new values "
                "when the ring holds more than one key."
            )
        active = next(iter(keys))
    if debug:
        # A local database sealed under the development key stays readable
        # (and can be rotated off it) once real keys are configured.
        keys.setdefault(DEVELOPMENT_KEY_ID, _DEVELOPMENT_KEY)
    if active not in keys:
        raise ImproperlyConfigured(
            f"MASIP_FIELD_KEY_ACTIVE names {active!r}, which is not in the key ring."
        )
    return KeyRing(keys=keys, active_id=active)


def get_keyring() -> KeyRing:
    """The ring config/settings.py built from the environment when it loaded.

    Built there, with DEBUG as configured, so a missing key stops the process
    before it serves anything (and a test run, which turns DEBUG off after
    settings load, keeps the development key).
    """
    ring = settings.MASIP_FIELD_KEYRING
    if not isinstance(ring, KeyRing):
        raise ImproperlyConfigured("MASIP_FIELD_KEYRING must be a KeyRing.")
    return ring


def blind_index_key() -> bytes:
    key: str = settings.MASIP_BLIND_INDEX_KEY
    return key.encode()


def generate_key() -> str:
    """A fresh 256-bit key, base64-encoded as the ring expects it."""
    return base64.b64encode(secrets.token_bytes(KEY_BYTES)).decode()
