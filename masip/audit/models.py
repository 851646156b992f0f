"""The audit event: append-only, with no foreign keys, chained by keyed hashes.

Each row carries ``prev_hash`` (the previous row's ``hash``) and its own
``hash``, an HMAC-SHA256 over its canonical content and ``prev_hash``. Editing,
deleting, reordering or inserting a row breaks the chain at that row;
``masip audit verify`` walks it. The ``AuditChainHead`` row remembers the last
sequence number and hash, so removing rows from the end is detected too.
"""

from django.db import models


class AuditEvent(models.Model):
    seq = models.PositiveBigIntegerField(unique=True)
    occurred_at = models.DateTimeField()
    actor_id = models.BigIntegerField(null=True, blank=True)
    actor_label = models.CharField(max_length=300, blank=True)
    agency_id = models.BigIntegerField(null=True, blank=True)
    agency_label = models.CharField(max_length=200, blank=True)
    role = models.CharField(max_length=32, blank=True)
    # The vocabulary lives in events.EventType; it is deliberately not a
    # ``choices`` list, so adding an event type needs no migration.
    event_type = models.CharField(max_length=40)
    target_type = models.CharField(max_length=40, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    # Searched through the (case_reference, -seq) index below.
    case_reference = models.CharField(max_length=20, blank=True)
    changed_fields = models.JSONField(default=list, blank=True)
    purpose = models.TextField(blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    prev_hash = models.CharField(max_length=64)
    # Not unique and not indexed: the chain (unique ``seq``, each row's
    # ``prev_hash``) is what proves order and integrity, nothing looks a row up
    # by its hash, and an index of random 64-character keys made every append
    # touch random pages (ADR 0034).
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["seq"]
        indexes = [
            models.Index(fields=["case_reference", "-seq"]),
            models.Index(fields=["actor_id", "-seq"]),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.event_type}"


class AuditChainHead(models.Model):
    """One row: the sequence number and hash of the newest event.

    Appending locks this row, which serialises writers on PostgreSQL.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_seq = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(id=1), name="audit_head_single_row"
            )
        ]

    def __str__(self) -> str:
        return f"Audit chain head at #{self.last_seq}"
