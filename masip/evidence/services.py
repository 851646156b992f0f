"""Writing to the evidence vault: uploads and re-checks, each audited.

The slow part of an upload (hashing, sealing and storing up to
``MASIP_EVIDENCE_MAX_BYTES``) runs before the database transaction opens, so
no write lock is held while a large file streams; the row and its audit event
are then written together. A file stored for an upload that then fails is
left in the store under its hash, where the next upload of the same file
reuses it (docs/operations.md).
"""

from __future__ import annotations

import hashlib
import logging
import tempfile
import unicodedata
import warnings
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO

from django.conf import settings
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from PIL import Image, ImageOps, UnidentifiedImageError

from masip.access.actors import Actor
from masip.audit import services as audit
from masip.audit.events import EventType
from masip.audit.services import SYSTEM, AuditActor
from masip.cases.models import Case
from masip.core.errors import DomainError
from masip.crypto.keys import UnknownKeyError
from masip.evidence.content_types import (
    HEAD_BYTES,
    Detected,
    Family,
    RefusedType,
    detect,
)
from masip.evidence.models import EvidenceItem, Verification
from masip.evidence.storage import (
    READ_BYTES,
    EvidenceIntegrityError,
    EvidenceStore,
    evidence_store,
)
from masip.incidents.models import Incident

log = logging.getLogger(__name__)

NAME_CHARS = 255
# Display copies are made only of images up to this many pixels (a 100
# megapixel photo is far beyond any phone); bigger ones keep only the original.
DISPLAY_MAX_PIXELS = 100_000_000
# Formats a display copy keeps; everything else becomes PNG.
_KEEP_FORMAT = {"JPEG": ("JPEG", "image/jpeg"), "PNG": ("PNG", "image/png")}


class EvidenceRefused(DomainError):
    """The file is not accepted; the message says why, for the user."""


@dataclass(frozen=True)
class Received:
    sha256: str
    size: int
    head: bytes


def too_large_message(limit: int | None = None) -> str:
    limit = settings.MASIP_EVIDENCE_MAX_BYTES if limit is None else limit
    return f"The selected file must be smaller than {filesizeformat(limit)}."


def _chunks(source: IO[bytes]) -> Iterator[bytes]:
    source.seek(0)
    while chunk := source.read(READ_BYTES):
        yield chunk


def receive(source: IO[bytes], *, limit: int) -> Received:
    """Hash ``source`` as it streams, keeping only its first bytes.

    Refuses an empty file, and stops reading as soon as one is over ``limit``.
    """
    digest = hashlib.sha256()
    size = 0
    head = b""
    for chunk in _chunks(source):
        size += len(chunk)
        if size > limit:
            raise EvidenceRefused(too_large_message(limit))
        if len(head) < HEAD_BYTES:
            head += chunk[: HEAD_BYTES - len(head)]
        digest.update(chunk)
    if not size:
        raise EvidenceRefused("The selected file is empty.")
    return Received(sha256=digest.hexdigest(), size=size, head=head)


def clean_name(name: str) -> str:
    """The uploaded name, without folders or control characters, cut to fit."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    kept = "".join(c for c in base if unicodedata.category(c)[0] != "C").strip()
    return kept[:NAME_CHARS] or "Unnamed file"


@dataclass(frozen=True)
class DisplayCopy:
    key: str
    sha256: str
    content_type: str
    size: int


def display_copy(store: EvidenceStore, source: IO[bytes]) -> DisplayCopy | None:
    """An image re-encoded from its pixels alone: no EXIF, GPS, XMP or comments.

    ``None`` when Pillow cannot read the image (HEIC, a damaged file) or it is
    too large to decode safely; the original is kept either way.
    """
    source.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(source) as image:
                if image.width * image.height > DISPLAY_MAX_PIXELS:
                    return None
                fmt, content_type = _KEEP_FORMAT.get(
                    image.format or "", ("PNG", "image/png")
                )
                upright = ImageOps.exif_transpose(image)
                pixels = _plain_pixels(upright, fmt)
    except (
        UnidentifiedImageError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
        OSError,
        ValueError,
        SyntaxError,
    ):
        return None
    with tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024) as out:
        # A new image from raw pixels carries no metadata; nothing is passed
        # to save() that would add any (exif=, icc_profile=, pnginfo=).
        pixels.save(out, format=fmt, **({"quality": 90} if fmt == "JPEG" else {}))
        size = out.tell()
        received = receive(out, limit=size)
        stored = store.put(out, sha256=received.sha256, size=size)
    return DisplayCopy(stored.key, received.sha256, content_type, size)


def _plain_pixels(image: Image.Image, fmt: str) -> Image.Image:
    if fmt == "JPEG":
        mode = "L" if image.mode in ("1", "L") else "RGB"
    elif image.mode in ("1", "L", "LA", "RGB", "RGBA"):
        mode = image.mode
    else:
        mode = "RGBA"
    converted = image.convert(mode)
    return Image.frombytes(mode, converted.size, converted.tobytes())


def _detect(source: IO[bytes], head: bytes) -> Detected:
    try:
        return detect(head, source)
    except RefusedType as refused:
        raise EvidenceRefused(str(refused)) from None


def evidence_upload(
    *,
    actor: Actor,
    case: Case,
    uploaded_file: IO[bytes],
    name: str,
    description: str = "",
    incident: Incident | None = None,
    store: EvidenceStore | None = None,
) -> EvidenceItem:
    """Receive one file into the case's evidence, sealed and hashed on arrival.

    ``uploaded_file`` is read from its start (a Django ``UploadedFile`` or any
    seekable binary file); ``name`` is the name it arrived with. Raises
    ``EvidenceRefused`` (nothing stored) for an empty, oversized, unknown or
    dangerous file.
    """
    if incident is not None and incident.case_id != case.pk:
        raise DomainError("Select an incident of this case.")
    store = store or evidence_store()
    received = receive(uploaded_file, limit=settings.MASIP_EVIDENCE_MAX_BYTES)
    detected = _detect(uploaded_file, received.head)
    stored = store.put(uploaded_file, sha256=received.sha256, size=received.size)
    copy = (
        display_copy(store, uploaded_file) if detected.family == Family.IMAGE else None
    )
    return _record_upload(
        actor=actor,
        case=case,
        incident=incident,
        item=EvidenceItem(
            case=case,
            incident=incident,
            original_name=clean_name(name),
            description=description.strip(),
            content_type=detected.content_type,
            family=detected.family.value,
            size=received.size,
            sha256=received.sha256,
            storage_key=stored.key,
            encryption_key_id=stored.key_id,
            display_storage_key=copy.key if copy else "",
            display_sha256=copy.sha256 if copy else "",
            display_content_type=copy.content_type if copy else "",
            display_size=copy.size if copy else None,
            uploaded_by=actor.user,
            uploaded_by_agency=actor.membership.agency,
        ),
    )


@transaction.atomic
def _record_upload(
    *, actor: Actor, case: Case, incident: Incident | None, item: EvidenceItem
) -> EvidenceItem:
    item.save(force_insert=True)
    audit.record(
        EventType.EVIDENCE_UPLOADED,
        actor=actor.audit,
        target_type="evidence",
        target_id=item.public_id,
        case_reference=case.reference,
        changed_fields=["file", "description", *(["incident"] if incident else [])],
    )
    return item


# Re-checking -----------------------------------------------------------------


@dataclass(frozen=True)
class Mismatch:
    public_id: str
    case_reference: str
    reason: str


@dataclass
class VerifyReport:
    checked: int = 0
    intact: int = 0
    mismatches: list[Mismatch] = field(default_factory=list)
    # Originals per key id: a key stays in the ring while any file uses it.
    keys: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.mismatches


def _check(store: EvidenceStore, item: EvidenceItem) -> str:
    """Why ``item`` does not match what was recorded on arrival, or ``""``."""
    copies = [("original", item.storage_key, item.sha256)]
    if item.display_storage_key:
        copies.append(("display copy", item.display_storage_key, item.display_sha256))
    for label, key, sha256 in copies:
        try:
            store.verify(key, sha256=sha256)
        except FileNotFoundError:
            return f"The {label} is missing from the store."
        except (EvidenceIntegrityError, UnknownKeyError, OSError) as exc:
            return f"The {label} fails its check: {exc}"
    return ""


def evidence_verify(
    *,
    item: EvidenceItem,
    actor: AuditActor = SYSTEM,
    store: EvidenceStore | None = None,
) -> str:
    """Decrypt and re-hash one item (and its display copy); audit the outcome.

    Returns the reason it does not match, or ``""`` when it is intact.
    """
    reason = _check(store or evidence_store(), item)
    with transaction.atomic():
        now = timezone.now()
        outcome = Verification.MISMATCH if reason else Verification.INTACT
        EvidenceItem.objects.filter(pk=item.pk).update(
            verification=outcome, verified_at=now
        )
        item.verification, item.verified_at = outcome, now
        audit.record(
            EventType.EVIDENCE_VERIFY_FAILED if reason else EventType.EVIDENCE_VERIFIED,
            actor=actor,
            target_type="evidence",
            target_id=item.public_id,
            case_reference=item.case.reference,
            changed_fields=["verification"],
        )
    return reason


def evidence_verify_all(
    *,
    actor: AuditActor = SYSTEM,
    store: EvidenceStore | None = None,
    items: Iterable[EvidenceItem] | None = None,
) -> VerifyReport:
    """Re-check every stored item; each outcome is in the item's chain of custody.

    Run as trusted system work (``masip evidence verify``): on PostgreSQL
    row-level security otherwise shows no case's items.
    """
    store = store or evidence_store()
    if items is None:
        items = EvidenceItem.objects.select_related("case").order_by("pk").iterator()
    report = VerifyReport()
    for item in items:
        reason = evidence_verify(item=item, actor=actor, store=store)
        report.checked += 1
        report.keys[item.encryption_key_id] = (
            report.keys.get(item.encryption_key_id, 0) + 1
        )
        if reason:
            report.mismatches.append(
                Mismatch(str(item.public_id), item.case.reference, reason)
            )
        else:
            report.intact += 1
    return report


def evidence_storage_keys(case: Case) -> set[str]:
    """Every stored object the case's evidence uses: originals and display
    copies. Read before a case is destroyed, to sweep them after."""
    keys: set[str] = set()
    for original, display in EvidenceItem.objects.filter(case=case).values_list(
        "storage_key", "display_storage_key"
    ):
        keys.add(original)
        if display:
            keys.add(display)
    return keys


def evidence_sweep(keys: Iterable[str], *, store: EvidenceStore | None = None) -> int:
    """Delete the stored objects among ``keys`` that no evidence item refers
    to any more (objects are shared by content: the same file on another case
    keeps its object). Returns how many were deleted."""
    keys = set(keys)
    if not keys:
        return 0
    store = store or evidence_store()
    referenced = set(
        EvidenceItem.objects.filter(storage_key__in=keys).values_list(
            "storage_key", flat=True
        )
    ) | set(
        EvidenceItem.objects.filter(display_storage_key__in=keys).values_list(
            "display_storage_key", flat=True
        )
    )
    gone = 0
    for key in sorted(keys - referenced):
        store.delete(key)
        gone += 1
    return gone
