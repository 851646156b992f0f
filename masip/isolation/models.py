"""The reach table: one row per way into a case (PostgreSQL's policies read it).

Written only by database triggers on the cases, shares, break-the-glass grants
and staff-involved marks (``masip.isolation.sql.REACH_TRIGGERS_SQL``), never by
the application; on SQLite, which has no row-level security, it stays empty.
Ids are plain integers rather than foreign keys: the rows are derived data,
removed by the triggers with the rows they come from (ADR 0035).
"""

from django.db import models

from masip.isolation.sql import ReachKind


class CaseReach(models.Model):
    """A case opened to an agency or a user, and until when."""

    case_id = models.BigIntegerField()
    kind = models.CharField(
        max_length=9, choices=[(kind.value, kind.name.lower()) for kind in ReachKind]
    )
    # The row it was copied from: the case (lead, referrer), the share, the
    # grant or the mark.
    source_id = models.BigIntegerField()
    agency_id = models.BigIntegerField(null=True)
    user_id = models.BigIntegerField(null=True)
    expires_at = models.DateTimeField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "source_id"], name="case_reach_one_per_source"
            )
        ]
        indexes = [
            models.Index(fields=["case_id"], name="case_reach_case"),
            models.Index(fields=["agency_id", "kind"], name="case_reach_agency"),
            models.Index(fields=["user_id", "kind"], name="case_reach_user"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.source_id} into case {self.case_id}"
