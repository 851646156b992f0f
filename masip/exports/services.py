"""Writes of the exports app: the audit of an export.

The fresh second factor an export needs is ``masip.accounts.stepup``'s.
"""

from django.db import transaction

from masip.access.actors import Actor
from masip.audit import services as audit
from masip.audit.events import EventType
from masip.exports.formats import ExportFormat

TARGET_PREFIX = "case_list."


@transaction.atomic
def export_record(*, actor: Actor, export_format: ExportFormat, row_count: int) -> None:
    """Audit an export: its format (target type) and row count (target id).

    Which cases and what they hold are not recorded: the file's contents are
    reproducible from the list's filters, and values never enter the trail.
    """
    audit.record(
        EventType.EXPORT_CREATED,
        actor=actor.audit,
        target_type=TARGET_PREFIX + export_format.value,
        target_id=row_count,
    )
