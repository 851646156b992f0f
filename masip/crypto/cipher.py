"""Sealing one value: AES-256-GCM with the value's place bound as associated data.

A sealed value is the text ``v1.<key id>.<base64url(nonce | ciphertext+tag)>``:
the format version, the id of the key that sealed it, a random 96-bit nonce
and the GCM output. The associated data names the table, the column and the
row's seal id, so a value copied to another row or column fails to open.
"""

from __future__ import annotations

import base64
import binascii
import os
import uuid
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from masip.crypto.keys import KeyRing, get_keyring

VERSION = "v1"
NONCE_BYTES = 12
_TAG_BYTES = 16


class DecryptionError(Exception):
    """A stored value cannot be opened here: altered, moved, or not a sealed value."""


def associated_data(table: str, column: str, seal_id: uuid.UUID | str) -> bytes:
    """What a value is bound to: its table, its column and its row."""
    row = seal_id if isinstance(seal_id, uuid.UUID) else uuid.UUID(str(seal_id))
    return f"masip-field|{VERSION}|{table}|{column}|{row}".encode()


@lru_cache(maxsize=16)
def _aead(key: bytes) -> AESGCM:
    """One cipher object per key: the key schedule is worked out once."""
    return AESGCM(key)


def _b64encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _b64decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def seal(plaintext: str, *, aad: bytes, keyring: KeyRing | None = None) -> str:
    """Encrypt ``plaintext`` under the active key with a fresh random nonce."""
    ring = keyring or get_keyring()
    nonce = os.urandom(NONCE_BYTES)
    sealed = _aead(ring.active_key).encrypt(nonce, plaintext.encode("utf-8"), aad)
    return f"{VERSION}.{ring.active_id}.{_b64encode(nonce + sealed)}"


def key_id_of(token: str) -> str:
    """The id of the key that sealed ``token`` (``DecryptionError`` if malformed)."""
    _, key_id, _ = _split(token)
    return key_id


def _split(token: str) -> tuple[str, str, str]:
    parts = token.split(".")
    if len(parts) != 3 or parts[0] != VERSION or not parts[1]:
        raise DecryptionError(
            "The stored value is not a sealed value of format v1 "
            "(was it written around the model field?)."
        )
    return parts[0], parts[1], parts[2]


def open_sealed(
    token: str, *, aad: bytes, where: str, keyring: KeyRing | None = None
) -> str:
    """The plaintext of ``token``; ``DecryptionError`` naming ``where`` if it fails."""
    _, key_id, body = _split(token)
    key = (keyring or get_keyring()).key(key_id)
    try:
        raw = _b64decode(body)
    except (binascii.Error, ValueError):
        raise DecryptionError(
            f"{where}: the stored value is not valid base64."
        ) from None
    if len(raw) < NONCE_BYTES + _TAG_BYTES:
        raise DecryptionError(f"{where}: the stored value is too short.")
    try:
        plain = _aead(key).decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], aad)
    except InvalidTag:
        raise DecryptionError(
            f"{where}: the value fails authentication under key {key_id!r}. It was "
            "altered, or copied from another row or column."
        ) from None
    return plain.decode("utf-8")
