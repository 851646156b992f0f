"""Sealing one value: AES-256-GCM, a fresh nonce each time, bound to its place."""

import base64
import uuid

import pytest

from masip.crypto.cipher import (
    DecryptionError,
    associated_data,
    key_id_of,
    open_sealed,
    seal,
)
from masip.crypto.keys import KeyRing, UnknownKeyError

RING = KeyRing(keys={"k1": b"1" * 32, "k2": b"2" * 32}, active_id="k1")
ROW = uuid.uuid4()
AAD = associated_data("people_address", "line_1", ROW)


def test_seal_round_trips_and_carries_version_and_key_id():
    token = seal("12 Canary Road", aad=AAD, keyring=RING)

    assert token.startswith("v1.k1.")
    assert "Canary" not in token
    assert key_id_of(token) == "k1"
    assert open_sealed(token, aad=AAD, where="here", keyring=RING) == "12 Canary Road"


def test_seal_uses_a_fresh_nonce_every_time():
    tokens = {seal("same", aad=AAD, keyring=RING) for _ in range(50)}
    nonces = {base64.urlsafe_b64decode(t.split(".")[2] + "==")[:12] for t in tokens}

    assert len(tokens) == len(nonces) == 50


@pytest.mark.parametrize(
    "other",
    [
        associated_data("people_address", "line_1", uuid.uuid4()),  # another row
        associated_data("people_address", "town", ROW),  # another column
        associated_data("cases_casenote", "line_1", ROW),  # another table
    ],
    ids=["another-row", "another-column", "another-table"],
)
def test_open_sealed_refuses_a_value_moved_elsewhere(other):
    token = seal("12 Canary Road", aad=AAD, keyring=RING)

    with pytest.raises(DecryptionError, match="copied from another row or column"):
        open_sealed(token, aad=other, where="people_address.line_1", keyring=RING)


def test_open_sealed_refuses_an_altered_value():
    token = seal("12 Canary Road", aad=AAD, keyring=RING)
    body = bytearray(base64.urlsafe_b64decode(token.split(".")[2] + "=="))
    body[-1] ^= 1
    altered = "v1.k1." + base64.urlsafe_b64encode(bytes(body)).decode().rstrip("=")

    with pytest.raises(DecryptionError, match="fails authentication"):
        open_sealed(altered, aad=AAD, where="here", keyring=RING)


@pytest.mark.parametrize(
    "token", ["12 Canary Road", "v2.k1.abc", "v1..abc", "v1.k1.YQ"]
)
def test_open_sealed_refuses_what_is_not_a_sealed_value(token):
    with pytest.raises(DecryptionError):
        open_sealed(token, aad=AAD, where="here", keyring=RING)


def test_open_sealed_names_a_key_missing_from_the_ring():
    token = seal("x", aad=AAD, keyring=KeyRing(keys={"k9": b"9" * 32}, active_id="k9"))

    with pytest.raises(UnknownKeyError, match="'k9' is not in the key ring"):
        open_sealed(token, aad=AAD, where="here", keyring=RING)


def test_open_sealed_reads_values_under_an_older_key():
    old = seal("x", aad=AAD, keyring=RING)
    rotated = KeyRing(keys=RING.keys, active_id="k2")

    assert open_sealed(old, aad=AAD, where="here", keyring=rotated) == "x"
    assert key_id_of(seal("x", aad=AAD, keyring=rotated)) == "k2"
