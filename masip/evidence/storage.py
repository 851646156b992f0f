"""The evidence store: files encrypted at rest, named by their SHA-256.

Files go through Django's Storage API (``STORAGES["evidence"]``): the
filesystem under ``MASIP_EVIDENCE_ROOT`` by default, any django-storages
backend (S3-compatible object storage in production) by setting
``MASIP_EVIDENCE_STORAGE`` (docs/operations.md).

Each stored object is a header followed by the file in 64 KiB chunks, each
sealed with AES-256-GCM (ADR 0022)::

    header = b"MASIPEV1" | version (1) | key id length (1) | key id
             | salt (16) | chunk size (4) | plaintext size (8) | SHA-256 (32)
    chunk i = AES-256-GCM(file key, nonce = i (11 bytes) | last (1 byte),
                          chunk, associated data = header)

The file key is derived with HKDF-SHA256 from the ring's key (``key id``) and
the object's random salt, so no two objects share a key and the counter
nonces never repeat under one key. The header is bound to every chunk, the
counter fixes each chunk's place, and the last-chunk flag makes a truncated
object fail. Files stream through in chunks both ways: a 200 MB file is never
held in memory.
"""

from __future__ import annotations

import hashlib
import io
import os
import struct
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any, cast

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.core.files import File
from django.core.files.storage import Storage, storages

from masip.crypto.keys import KeyRing, get_keyring

MAGIC = b"MASIPEV1"
FORMAT_VERSION = 1
CHUNK_BYTES = 64 * 1024
SALT_BYTES = 16
TAG_BYTES = 16
READ_BYTES = 1024 * 1024
_FIXED = struct.Struct(">4sQ32s")  # chunk size, plaintext size, SHA-256


class EvidenceIntegrityError(Exception):
    """A stored object cannot be opened, or its contents do not match its hash."""


@dataclass(frozen=True)
class Header:
    key_id: str
    salt: bytes
    chunk_size: int
    size: int
    sha256: str

    def encode(self) -> bytes:
        kid = self.key_id.encode("ascii")
        fixed = _FIXED.pack(
            self.chunk_size.to_bytes(4, "big"), self.size, bytes.fromhex(self.sha256)
        )
        return MAGIC + bytes([FORMAT_VERSION, len(kid)]) + kid + self.salt + fixed

    @property
    def chunks(self) -> int:
        return max(1, -(-self.size // self.chunk_size))

    @property
    def stored_size(self) -> int:
        return len(self.encode()) + self.chunks * TAG_BYTES + self.size


@dataclass(frozen=True)
class StoredObject:
    key: str
    key_id: str


def _file_key(master: bytes, header: Header) -> AESGCM:
    derived = HKDF(
        algorithm=hashes.SHA256(),
        length=32,
        salt=header.salt,
        info=b"masip-evidence-file|v1|" + header.key_id.encode("ascii"),
    ).derive(master)
    return AESGCM(derived)


def _nonce(index: int, *, last: bool) -> bytes:
    return index.to_bytes(11, "big") + (b"\x01" if last else b"\x00")


def read_header(stream: IO[bytes]) -> Header:
    """The header at the start of ``stream`` (left just after it)."""
    start = stream.read(len(MAGIC) + 2)
    if len(start) < len(MAGIC) + 2 or not start.startswith(MAGIC):
        raise EvidenceIntegrityError("The stored object is not a MASIP evidence file.")
    if start[len(MAGIC)] != FORMAT_VERSION:
        raise EvidenceIntegrityError("The stored object has an unknown format version.")
    kid = stream.read(start[-1])
    salt = stream.read(SALT_BYTES)
    fixed = stream.read(_FIXED.size)
    if len(salt) != SALT_BYTES or len(fixed) != _FIXED.size:
        raise EvidenceIntegrityError("The stored object's header is cut short.")
    chunk, size, digest = _FIXED.unpack(fixed)
    try:
        key_id = kid.decode("ascii")
    except UnicodeDecodeError:
        raise EvidenceIntegrityError(
            "The stored object's key id is unreadable."
        ) from None
    return Header(key_id, salt, int.from_bytes(chunk, "big"), size, digest.hex())


def _read_exactly(stream: IO[bytes], n: int) -> bytes:
    parts, left = [], n
    while left:
        part = stream.read(left)
        if not part:
            break
        parts.append(part)
        left -= len(part)
    return b"".join(parts)


class _EncryptingReader(io.RawIOBase):
    """A read-only stream of the sealed object for ``source``."""

    def __init__(self, source: IO[bytes], header: Header, aead: AESGCM) -> None:
        self._chunks = self._generate(source, header, aead)
        self._buffer = b""

    @staticmethod
    def _generate(source: IO[bytes], header: Header, aead: AESGCM) -> Iterator[bytes]:
        aad = header.encode()
        yield aad
        digest = hashlib.sha256()
        for index in range(header.chunks):
            chunk = _read_exactly(source, header.chunk_size)
            digest.update(chunk)
            last = index == header.chunks - 1
            yield aead.encrypt(_nonce(index, last=last), chunk, aad)
        if source.read(1) or digest.hexdigest() != header.sha256:
            raise EvidenceIntegrityError("The file changed while it was being stored.")

    def readable(self) -> bool:
        return True

    def readinto(self, target: Any) -> int:
        while not self._buffer:
            try:
                self._buffer = next(self._chunks)
            except StopIteration:
                return 0
        n = min(len(target), len(self._buffer))
        target[:n] = self._buffer[:n]
        self._buffer = self._buffer[n:]
        return n


class EvidenceStore:
    """Sealed, content-addressed objects in one Django storage."""

    def __init__(
        self,
        storage: Storage,
        *,
        keyring: KeyRing | None = None,
        chunk_size: int = CHUNK_BYTES,
    ) -> None:
        self.storage = storage
        self._keyring = keyring
        self.chunk_size = chunk_size

    @property
    def keyring(self) -> KeyRing:
        return self._keyring or get_keyring()

    @staticmethod
    def name_for(sha256: str) -> str:
        return f"sha256/{sha256[:2]}/{sha256[2:4]}/{sha256}"

    def put(self, source: IO[bytes], *, sha256: str, size: int) -> StoredObject:
        """Seal ``source`` (read from its start) and store it under its hash.

        An intact object already stored for the same hash is kept and reused.
        """
        name = self.name_for(sha256)
        if self.storage.exists(name):
            try:
                existing = self.verify(name, sha256=sha256)
            except (EvidenceIntegrityError, OSError):
                existing = None
            if existing is not None:
                return StoredObject(key=name, key_id=existing.key_id)
            self.storage.delete(name)
        ring = self.keyring
        header = Header(
            key_id=ring.active_id,
            salt=os.urandom(SALT_BYTES),
            chunk_size=self.chunk_size,
            size=size,
            sha256=sha256,
        )
        source.seek(0)
        reader = _EncryptingReader(source, header, _file_key(ring.active_key, header))
        content = File(cast(IO[bytes], reader), name=name)
        content.size = header.stored_size
        saved = self.storage.save(name, content)
        return StoredObject(key=saved, key_id=header.key_id)

    def chunks(self, key: str) -> Iterator[bytes]:
        """The plaintext of object ``key``, chunk by chunk.

        Raises ``EvidenceIntegrityError`` at the first chunk that fails to
        authenticate, or at the end if the whole does not hash to the header's
        SHA-256; a caller streaming to a user stops there.
        """
        with self.storage.open(key, "rb") as stream:
            header = read_header(stream)
            yield from self._decrypt(stream, header)

    def _decrypt(self, stream: IO[bytes], header: Header) -> Iterator[bytes]:
        aad = header.encode()
        try:
            aead = _file_key(self.keyring.key(header.key_id), header)
        except ValueError:
            raise EvidenceIntegrityError(
                "The stored object's key is unusable."
            ) from None
        digest = hashlib.sha256()
        sealed = header.chunk_size + TAG_BYTES
        for index in range(header.chunks):
            chunk = _read_exactly(stream, sealed)
            last = index == header.chunks - 1
            try:
                plain = aead.decrypt(_nonce(index, last=last), chunk, aad)
            except InvalidTag:
                raise EvidenceIntegrityError(
                    f"Chunk {index + 1} of {header.chunks} fails authentication: "
                    "the stored object was altered, cut short or damaged."
                ) from None
            digest.update(plain)
            yield plain
        if stream.read(1):
            raise EvidenceIntegrityError(
                "The stored object has extra bytes at its end."
            )
        if digest.hexdigest() != header.sha256:
            raise EvidenceIntegrityError("The stored object does not match its hash.")

    def header(self, key: str) -> Header:
        with self.storage.open(key, "rb") as stream:
            return read_header(stream)

    def verify(self, key: str, *, sha256: str) -> Header:
        """Decrypt and re-hash object ``key``; its header if it holds ``sha256``."""
        digest = hashlib.sha256()
        with self.storage.open(key, "rb") as stream:
            header = read_header(stream)
            for chunk in self._decrypt(stream, header):
                digest.update(chunk)
        if digest.hexdigest() != sha256:
            raise EvidenceIntegrityError(
                "The stored file's SHA-256 differs from the one recorded on arrival."
            )
        return header

    def read_all(self, key: str) -> bytes:
        """The whole plaintext (for small display copies only)."""
        return b"".join(self.chunks(key))

    def delete(self, key: str) -> None:
        self.storage.delete(key)


def evidence_store() -> EvidenceStore:
    """The store configured in ``STORAGES["evidence"]``."""
    return EvidenceStore(storages["evidence"])
