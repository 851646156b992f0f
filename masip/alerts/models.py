"""Security alerts raised by the insider detectors, and the events behind them.

An alert is about one member of staff (``subject``) acting for one agency, and
is seen only by that agency's alert managers (never by the subject). Its text
names a case by reference at most: no sealed value ever enters it.
"""

from django.db import models
from django.db.models import Q

from masip.core.models import VersionedModel


class RuleCode(models.TextChoices):
    SURNAME_MATCH = "surname_match", "Case shares the user's family name"
    ADDRESS_MATCH = "address_match", "Case holds an address at the user's home"
    UNALLOCATED_VOLUME = "unallocated_volume", "Many cases opened outside allocation"
    SEALED_OFF_HOURS = "sealed_off_hours", "Sealed details revealed out of hours"
    BREAK_GLASS = "break_glass", "Break-the-glass used"
    EXPORT_SPIKE = "export_spike", "Many exports in a short time"
    CONFLICT_BLOCKED = "conflict_blocked", "Refused for a declared conflict"
    STAFF_INVOLVED_BLOCKED = (
        "staff_involved_blocked",
        "Refused: case involves own agency's staff",
    )


# Alerts that never name the case: their readers may not know of it (see
# rules/activity.py StaffInvolvedBlockedRule).
CASE_WITHHELD_RULES = frozenset({RuleCode.STAFF_INVOLVED_BLOCKED})


class AlertStatus(models.TextChoices):
    OPEN = "open", "Open"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    CLOSED = "closed", "Closed"


class AlertOutcome(models.TextChoices):
    NO_CONCERN = "no_concern", "No concern"
    ADVICE_GIVEN = "advice_given", "Advice given"
    PROFESSIONAL_STANDARDS = (
        "professional_standards",
        "Referred to professional standards",
    )
    MISCONDUCT = "misconduct", "Misconduct investigation"


class Alert(VersionedModel):
    rule = models.CharField(max_length=32, choices=RuleCode.choices)
    status = models.CharField(
        max_length=16, choices=AlertStatus.choices, default=AlertStatus.OPEN
    )
    agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="+"
    )
    subject = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+"
    )
    # Blank when the rule is about the user's activity as a whole, or when
    # naming the case would tell the managers something they may not know.
    case_reference = models.CharField(max_length=20, blank=True)
    summary = models.CharField(max_length=300)
    occurrences = models.PositiveIntegerField(default=1)
    first_seen_at = models.DateTimeField()
    last_seen_at = models.DateTimeField()
    acknowledged_by = models.ForeignKey(
        "accounts.User",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        "accounts.User",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=32, choices=AlertOutcome.choices, blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["-last_seen_at", "-id"]
        indexes = [
            models.Index(fields=["agency", "status", "-last_seen_at"]),
            models.Index(fields=["subject", "rule", "case_reference", "-last_seen_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(acknowledged_by__isnull=True, acknowledged_at__isnull=True)
                | Q(acknowledged_by__isnull=False, acknowledged_at__isnull=False),
                name="alert_acknowledged_pair",
            ),
            models.CheckConstraint(
                condition=Q(
                    status=AlertStatus.CLOSED,
                    closed_by__isnull=False,
                    closed_at__isnull=False,
                )
                & ~Q(outcome="")
                | Q(
                    ~Q(status=AlertStatus.CLOSED),
                    closed_by__isnull=True,
                    closed_at__isnull=True,
                    outcome="",
                ),
                name="alert_closed_with_outcome",
            ),
        ]

    def __str__(self) -> str:
        return f"Alert {self.pk}: {self.get_rule_display()}"

    @property
    def is_closed(self) -> bool:
        return self.status == AlertStatus.CLOSED

    @property
    def names_case(self) -> bool:
        return self.rule not in CASE_WITHHELD_RULES


class AlertTrigger(models.Model):
    """An audit event behind an alert.

    ``fired`` marks the event that made the rule fire; the others are the
    earlier events that made up the pattern (the cases opened, the exports).
    One event counts once per rule, so replaying a period adds nothing twice.
    """

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="triggers")
    rule = models.CharField(max_length=32, choices=RuleCode.choices)
    event = models.ForeignKey(
        "audit.AuditEvent", on_delete=models.PROTECT, related_name="+"
    )
    fired = models.BooleanField(default=False)

    class Meta:
        ordering = ["event_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "event"], name="alert_trigger_once_per_rule"
            )
        ]

    def __str__(self) -> str:
        return f"Event {self.event_id} behind alert {self.alert_id}"
