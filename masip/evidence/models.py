"""The evidence vault: files attached to a case, imports of message exports,
and the timeline entries those imports read.

Sealed at rest (ADR 0022): an item's original file name and description, and
a timeline entry's sender, recipients, text and attachment names. The file
itself is in the evidence store (``storage.py``), encrypted there; the row
holds its SHA-256, the storage key and the id of the key that sealed it.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from django.db import models
from django.db.models import Q
from django.utils import timezone

from masip.core.models import TimeStampedModel
from masip.crypto.fields import EncryptedTextField
from masip.evidence.content_types import FAMILY_LABELS, Family
from masip.evidence.parsers.base import Channel, Direction, EntryKind


class Verification(models.TextChoices):
    UNCHECKED = "unchecked", "Not yet re-checked"
    INTACT = "intact", "Intact"
    MISMATCH = "mismatch", "Does not match"


class EvidenceItem(TimeStampedModel):
    """One file a worker uploaded to a case, as it arrived."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="evidence_items"
    )
    incident = models.ForeignKey(
        "incidents.Incident",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="evidence_items",
    )
    # A name often says whose chat it is or where a photo was taken: sealed.
    original_name = EncryptedTextField(max_length=255, seal_field="public_id")
    description = EncryptedTextField(
        max_length=2000, blank=True, seal_field="public_id"
    )
    content_type = models.CharField(
        max_length=100, help_text="Detected from the file's contents, not its name."
    )
    family = models.CharField(
        max_length=16, choices=[(f.value, FAMILY_LABELS[f]) for f in Family]
    )
    size = models.PositiveBigIntegerField(help_text="Bytes, as uploaded.")
    sha256 = models.CharField(max_length=64, db_index=True)
    storage_key = models.CharField(max_length=255)
    encryption_key_id = models.CharField(max_length=32)
    # Images only: a re-encoded copy without EXIF, GPS or other metadata.
    display_storage_key = models.CharField(max_length=255, blank=True)
    display_sha256 = models.CharField(max_length=64, blank=True)
    display_content_type = models.CharField(max_length=100, blank=True)
    display_size = models.PositiveBigIntegerField(null=True, blank=True)
    uploaded_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+"
    )
    uploaded_by_agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)
    verified_at = models.DateTimeField(null=True, blank=True)
    verification = models.CharField(
        max_length=16, choices=Verification.choices, default=Verification.UNCHECKED
    )

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        indexes = [models.Index(fields=["case", "-uploaded_at"])]

    def __str__(self) -> str:
        return f"Evidence {self.public_id} on {self.case_id}"

    @property
    def has_display_copy(self) -> bool:
        return bool(self.display_storage_key)

    @property
    def family_label(self) -> str:
        return FAMILY_LABELS.get(Family(self.family), self.family)


class ImportStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Importing"
    COMPLETED = "completed", "Finished"
    FAILED = "failed", "Failed"


class EvidenceImport(TimeStampedModel):
    """One import of a message export (an evidence item) into the timeline."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="evidence_imports"
    )
    evidence = models.ForeignKey(
        EvidenceItem, on_delete=models.CASCADE, related_name="imports"
    )
    status = models.CharField(
        max_length=16, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    format = models.CharField(max_length=32, blank=True)
    # The participant (as the export names them) the user says is the
    # perpetrator: a name or number, so sealed.
    perpetrator_participant = EncryptedTextField(
        max_length=200, blank=True, seal_field="public_id"
    )
    date_order = models.CharField(max_length=3, blank=True)  # "dmy", "mdy" or ""
    progress = models.PositiveSmallIntegerField(default=0)  # per cent
    items_read = models.PositiveIntegerField(default=0)
    entries_added = models.PositiveIntegerField(default=0)
    duplicates = models.PositiveIntegerField(default=0)
    problems = models.PositiveIntegerField(default=0)
    # The parser's report as JSON: its problems quote lines of the export, so
    # sealed. Use ``report_data``.
    report = EncryptedTextField(blank=True, seal_field="public_id")
    # CSV only: which column holds what, as the user confirmed it (role ->
    # header name, the roles of parsers.csv_log.ColumnMapping).
    column_mapping = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    started_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+"
    )
    started_by_agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="+"
    )
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="evidenceimport_progress_max_100"
            ),
        ]

    def __str__(self) -> str:
        return f"Import {self.public_id} of {self.evidence_id}"

    @property
    def report_data(self) -> dict[str, Any]:
        return json.loads(self.report) if self.report else {}

    @report_data.setter
    def report_data(self, value: dict[str, Any]) -> None:
        self.report = json.dumps(value, sort_keys=True)


class TimelineEntry(TimeStampedModel):
    """One message, call or system line read from an evidence export.

    ``digest`` is ``ParsedEntry.digest()``: unique per case, so importing the
    same chat twice (or two overlapping exports) adds each message once.
    """

    seal_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="timeline_entries"
    )
    evidence = models.ForeignKey(
        EvidenceItem, on_delete=models.CASCADE, related_name="timeline_entries"
    )
    evidence_import = models.ForeignKey(
        EvidenceImport,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="entries",
    )
    occurred_at = models.DateTimeField()
    channel = models.CharField(
        max_length=16, choices=[(c.value, c.value.upper()) for c in Channel]
    )
    kind = models.CharField(
        max_length=16, choices=[(k.value, k.value.replace("_", " ")) for k in EntryKind]
    )
    direction = models.CharField(
        max_length=16,
        choices=[(d.value, d.value) for d in Direction],
        default=Direction.UNKNOWN.value,
    )
    duration_seconds = models.PositiveIntegerField(null=True, blank=True)
    sender = EncryptedTextField(blank=True)
    recipients = EncryptedTextField(blank=True)  # JSON list; use recipient_list
    text = EncryptedTextField(blank=True)
    attachments = EncryptedTextField(blank=True)  # JSON list; use attachment_list
    source_line = models.PositiveIntegerField(null=True, blank=True)
    source_offset = models.PositiveBigIntegerField(null=True, blank=True)
    digest = models.CharField(max_length=64)
    is_perpetrator = models.BooleanField(default=False)

    class Meta:
        ordering = ["occurred_at", "id"]
        indexes = [models.Index(fields=["case", "occurred_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "digest"], name="timelineentry_unique_digest_per_case"
            ),
        ]

    def __str__(self) -> str:
        return f"Timeline entry {self.pk} on {self.case_id}"

    @property
    def recipient_list(self) -> list[str]:
        return list(json.loads(self.recipients)) if self.recipients else []

    @recipient_list.setter
    def recipient_list(self, value: list[str] | tuple[str, ...]) -> None:
        self.recipients = json.dumps(list(value)) if value else ""

    @property
    def attachment_list(self) -> list[str]:
        return list(json.loads(self.attachments)) if self.attachments else []

    @attachment_list.setter
    def attachment_list(self, value: list[str] | tuple[str, ...]) -> None:
        self.attachments = json.dumps(list(value)) if value else ""
