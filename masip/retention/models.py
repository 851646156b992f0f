"""Retention of closed cases: a schedule per record class, reviews, disposal.

Nothing is deleted on a timer. A closed case falls due for review when its
schedule says; a manager of the lead agency then records a decision: keep it
(with a reason and the next review date), put it on legal hold, or propose
disposal, which a second manager must confirm. Disposal destroys the case's
content and leaves a ``DisposalRecord`` (what was destroyed, when, on whose
decision) beside an untouched audit trail.
"""

from django.db import models

from masip.access.roles import AgencyKind
from masip.core.models import VersionedModel


class RecordClass(models.TextChoices):
    PUBLIC_PROTECTION = (
        "public_protection",
        "Public protection: the case was assessed as high risk",
    )
    STANDARD = "standard", "Stalking case"


class RetentionSchedule(models.Model):
    """When the closed cases of one record class and agency kind are reviewed."""

    agency_kind = models.CharField(max_length=32, choices=AgencyKind.choices)
    record_class = models.CharField(max_length=32, choices=RecordClass.choices)
    first_review_years = models.PositiveSmallIntegerField()
    review_interval_years = models.PositiveSmallIntegerField()
    basis = models.TextField()

    class Meta:
        ordering = ["agency_kind", "record_class"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency_kind", "record_class"],
                name="retention_schedule_one_per_kind_and_class",
            ),
            models.CheckConstraint(
                condition=models.Q(first_review_years__gte=1)
                & models.Q(review_interval_years__gte=1),
                name="retention_schedule_periods_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_agency_kind_display()}: {self.get_record_class_display()}"


class CaseRetention(VersionedModel):
    """The review state of one closed case, once anyone has reviewed it."""

    case = models.OneToOneField(
        "cases.Case", on_delete=models.CASCADE, related_name="retention"
    )
    next_review_on = models.DateField()
    legal_hold = models.BooleanField(default=False)
    hold_reason = models.TextField(blank=True)
    disposal_proposed_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    disposal_proposed_at = models.DateTimeField(null=True, blank=True)
    disposal_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["next_review_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~(
                    models.Q(legal_hold=True)
                    & models.Q(disposal_proposed_by__isnull=False)
                ),
                name="retention_no_disposal_under_legal_hold",
            )
        ]

    def __str__(self) -> str:
        return f"Retention of case {self.case_id}"

    @property
    def disposal_proposed(self) -> bool:
        return self.disposal_proposed_by_id is not None


class Decision(models.TextChoices):
    RETAIN = "retain", "Keep until the next review"
    LEGAL_HOLD = "legal_hold", "Put on legal hold"
    HOLD_LIFTED = "hold_lifted", "Lifted the legal hold"
    DISPOSAL_PROPOSED = "disposal_proposed", "Proposed disposal"
    DISPOSAL_WITHDRAWN = "disposal_withdrawn", "Withdrew the proposal to dispose"
    DISPOSED = "disposed", "Disposed of the case"


class RetentionDecision(models.Model):
    """The review log: every decision, kept after the case itself is gone."""

    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="retention_decisions",
    )
    case_reference = models.CharField(max_length=20, db_index=True)
    agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="+"
    )
    decision = models.CharField(max_length=32, choices=Decision.choices)
    reason = models.TextField()
    next_review_on = models.DateField(null=True, blank=True)
    decided_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-decided_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_decision_display()} ({self.case_reference})"


class DisposalRecord(models.Model):
    """What remains of a disposed case: the fact of disposal, not its content."""

    case_reference = models.CharField(max_length=20, unique=True)
    lead_agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="+"
    )
    record_class = models.CharField(max_length=32, choices=RecordClass.choices)
    closed_on = models.DateField()
    proposed_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+"
    )
    confirmed_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField()
    destroyed = models.JSONField(default=dict)
    disposed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-disposed_at", "-id"]

    def __str__(self) -> str:
        return f"Disposal of {self.case_reference}"
