"""Keyed blind indexes: exact-match lookups on sealed values without decrypting.

A blind index is HMAC-SHA256, under ``MASIP_BLIND_INDEX_KEY``, of a value
normalised so that the ways people write it agree (``07700 900123`` and
``+44 7700 900123``), prefixed by a domain (``postcode``, ``identifier.phone``)
so equal text of different kinds never matches. Without the key the index
reveals only which rows share a value.
"""

from __future__ import annotations

import hashlib
import hmac
import re

from masip.crypto.keys import blind_index_key

_NON_DIGITS = re.compile(r"\D")
_SPACES = re.compile(r"\s+")


def normalise_phone(value: str) -> str:
    """Digits only; a UK ``+44`` (or ``0044``) prefix becomes the trunk ``0``."""
    text = value.strip().replace("(0)", "")
    digits = _NON_DIGITS.sub("", text)
    if text.startswith("+44"):
        return "0" + digits[2:]
    if digits.startswith("0044"):
        return "0" + digits[4:]
    return digits


def normalise_email(value: str) -> str:
    return value.strip().lower()


def normalise_postcode(value: str) -> str:
    return _SPACES.sub("", value).upper()


def normalise_text(value: str) -> str:
    """Any other identifier: case and spacing do not matter."""
    return _SPACES.sub("", value).casefold()


def normalise_identifier(kind: str, value: str) -> str:
    if kind == "phone":
        return normalise_phone(value)
    if kind == "email":
        return normalise_email(value)
    return normalise_text(value)


def blind_index(domain: str, normalised: str) -> str:
    """The index of an already-normalised value; empty values get no index."""
    if not normalised:
        return ""
    message = f"{domain}\x00{normalised}".encode()
    return hmac.new(blind_index_key(), message, hashlib.sha256).hexdigest()


def postcode_index(postcode: str) -> str:
    return blind_index("postcode", normalise_postcode(postcode))


def identifier_index(kind: str, value: str) -> str:
    return blind_index(f"identifier.{kind}", normalise_identifier(kind, value))
