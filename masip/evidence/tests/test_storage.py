"""The evidence store: sealed, chunked, content-addressed, tamper-evident."""

import hashlib
import io

import pytest
from django.core.files.storage import FileSystemStorage

from masip.crypto.keys import KeyRing, UnknownKeyError
from masip.evidence.storage import (
    MAGIC,
    EvidenceIntegrityError,
    EvidenceStore,
    read_header,
)

RING = KeyRing(keys={"k1": b"\x01" * 32, "k2": b"\x02" * 32}, active_id="k1")


@pytest.fixture
def store(tmp_path):
    storage = FileSystemStorage(location=tmp_path)
    return EvidenceStore(storage, keyring=RING, chunk_size=16)


def _put(store, data: bytes):
    sha = hashlib.sha256(data).hexdigest()
    return sha, store.put(io.BytesIO(data), sha256=sha, size=len(data))


@pytest.mark.parametrize("size", [1, 15, 16, 17, 32, 100])
def test_store_round_trip_gives_back_every_byte(store, size):
    data = bytes(range(size))
    sha, stored = _put(store, data)

    assert b"".join(store.chunks(stored.key)) == data
    assert store.verify(stored.key, sha256=sha).size == size


def test_store_names_objects_by_hash_and_holds_no_plaintext(store, tmp_path):
    data = b"Synthetic message: meet me at the usual place " * 4
    sha, stored = _put(store, data)

    raw = (tmp_path / stored.key).read_bytes()

    assert stored.key == f"sha256/{sha[:2]}/{sha[2:4]}/{sha}"
    assert stored.key_id == "k1"
    assert raw.startswith(MAGIC)
    assert b"usual place" not in raw
    assert read_header(io.BytesIO(raw)).sha256 == sha


def test_store_reuses_an_intact_object_for_the_same_file(store, tmp_path):
    _, first = _put(store, b"same bytes twice")
    before = (tmp_path / first.key).read_bytes()

    _, second = _put(store, b"same bytes twice")

    assert second.key == first.key
    assert (tmp_path / first.key).read_bytes() == before


def test_store_replaces_a_damaged_object_for_the_same_file(store, tmp_path):
    sha, first = _put(store, b"will be damaged, then stored again")
    path = tmp_path / first.key
    raw = bytearray(path.read_bytes())
    raw[-1] ^= 0xFF
    path.write_bytes(bytes(raw))

    _, second = _put(store, b"will be damaged, then stored again")

    assert store.verify(second.key, sha256=sha)


@pytest.mark.parametrize("position", [0, 10, 70, -20, -1])
def test_store_detects_one_changed_byte_anywhere(store, tmp_path, position):
    sha, stored = _put(store, b"0123456789" * 5)
    path = tmp_path / stored.key
    raw = bytearray(path.read_bytes())
    raw[position] ^= 0x01
    path.write_bytes(bytes(raw))

    # A changed key id names a key the ring lacks; anything else fails the
    # header check or a chunk's authentication.
    with pytest.raises((EvidenceIntegrityError, UnknownKeyError)):
        store.verify(stored.key, sha256=sha)


def test_store_detects_a_cut_short_object(store, tmp_path):
    sha, stored = _put(store, b"0123456789" * 5)
    path = tmp_path / stored.key
    # Drop the last sealed chunk whole: the one before is not marked last.
    path.write_bytes(path.read_bytes()[: -(2 + 16)])

    with pytest.raises(EvidenceIntegrityError, match="fails authentication"):
        store.verify(stored.key, sha256=sha)


def test_store_detects_chunks_swapped(store, tmp_path):
    data = b"A" * 16 + b"B" * 16 + b"C" * 5
    sha, stored = _put(store, data)
    path = tmp_path / stored.key
    raw = path.read_bytes()
    header_len = len(raw) - (16 + 16) * 2 - (5 + 16)
    body = raw[header_len:]
    swapped = raw[:header_len] + body[32:64] + body[:32] + body[64:]
    path.write_bytes(swapped)

    with pytest.raises(EvidenceIntegrityError):
        store.verify(stored.key, sha256=sha)


def test_store_refuses_a_hash_that_differs_from_the_recorded_one(store):
    _, stored = _put(store, b"original")

    with pytest.raises(EvidenceIntegrityError, match="differs"):
        store.verify(stored.key, sha256="0" * 64)


def test_store_reads_objects_sealed_under_an_older_key(tmp_path):
    storage = FileSystemStorage(location=tmp_path)
    old = EvidenceStore(storage, keyring=KeyRing(keys=RING.keys, active_id="k2"))
    _, stored = _put(old, b"sealed under k2")

    reader = EvidenceStore(storage, keyring=RING)

    assert stored.key_id == "k2"
    assert reader.read_all(stored.key) == b"sealed under k2"


def test_store_streams_a_large_file_in_chunks(tmp_path):
    store = EvidenceStore(FileSystemStorage(location=tmp_path), keyring=RING)
    data = hashlib.sha256(b"seed").digest() * 40_000  # 1.28 MB
    _, stored = _put(store, data)

    sizes = [len(chunk) for chunk in store.chunks(stored.key)]

    assert max(sizes) == 64 * 1024
    assert sum(sizes) == len(data)
