"""Panels, their meetings, what was shared and decided there, and the actions.

A site's programme has one panel: its member agencies meet monthly (and in an
emergency). A meeting's agenda lists cases; for each case discussed the panel
records what information each agency shared with which others, on what lawful
basis, the risk level it agreed, its decisions, and the actions each agency
takes away. Free text about a case is sealed (ADR 0012); the labels the lists
filter on are kept in clear.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.db import models
from django.db.models import Q
from django.utils import timezone

from masip.cases.models import ConsentStatus, LawfulBasis, RiskLevel
from masip.core.models import TimeStampedModel, VersionedModel
from masip.crypto.fields import EncryptedTextField


class Panel(TimeStampedModel):
    """A site's multi-agency panel and the agencies that sit on it."""

    site = models.OneToOneField(
        "accounts.Site", on_delete=models.PROTECT, related_name="panel"
    )
    name = models.CharField(max_length=200)
    member_agencies = models.ManyToManyField(
        "accounts.Agency", related_name="panels", blank=True
    )
    chair = models.ForeignKey(
        "accounts.User",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Meeting(VersionedModel):
    class Kind(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        EMERGENCY = "emergency", "Emergency"

    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        HELD = "held", "Held"
        CANCELLED = "cancelled", "Cancelled"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    panel = models.ForeignKey(Panel, on_delete=models.PROTECT, related_name="meetings")
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.SCHEDULED)
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.PLANNED
    )
    held_on = models.DateField()
    starts_at = models.TimeField(null=True, blank=True)
    location = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+"
    )
    # Set when the coordinator issues the minutes; they are then final.
    minutes_issued_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["panel", "-held_on"])]

    def __str__(self) -> str:
        return f"{self.panel} on {self.held_on:%-d %B %Y}"


class AgendaItem(models.Model):
    """One case on a meeting's agenda, and what the panel recorded about it."""

    class Reason(models.TextChoices):
        NEW_REFERRAL = "new_referral", "Newly accepted referral"
        HIGH_RISK = "high_risk", "High risk"
        REVIEW_DUE = "review_due", "Due for review"
        ESCALATION = "escalation", "New breach or escalation"
        BREACH = "breach", "Breach of an order"
        QUEUED = "queued", "Queued for panel by a risk assessment"
        ADDED = "added", "Added by the coordinator"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="agenda_items"
    )
    reason = models.CharField(max_length=16, choices=Reason.choices)
    reason_detail = models.CharField(max_length=300, blank=True)
    position = models.PositiveIntegerField(default=0)
    # The discussion, once recorded.
    discussed = models.BooleanField(default=False)
    agreed_risk_level = models.CharField(
        max_length=16, choices=RiskLevel.choices, blank=True
    )
    summary = EncryptedTextField(blank=True, seal_field="public_id")
    decisions = EncryptedTextField(blank=True, seal_field="public_id")
    victim_voice = EncryptedTextField(blank=True, seal_field="public_id")
    # Why the panel did not discuss the case after all (time ran out, the
    # lead agency sent apologies...): the other way an item is settled
    # before the minutes are issued. Set only while ``discussed`` is false;
    # null on rows made before it existed (a sealed column has no SQL default).
    not_discussed_reason = EncryptedTextField(
        blank=True, null=True, seal_field="public_id"
    )
    recorded_by = models.ForeignKey(
        "accounts.User",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "case"], name="panels_one_item_per_case"
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_id} at {self.meeting_id}"

    @property
    def settled(self) -> bool:
        """Discussed, or marked as not discussed with a reason."""
        return self.discussed or bool(self.not_discussed_reason)


class Attendance(models.Model):
    class Status(models.TextChoices):
        PRESENT = "present", "Present"
        APOLOGIES = "apologies", "Sent apologies"
        ABSENT = "absent", "Absent"

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="attendance"
    )
    agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(max_length=16, choices=Status.choices)
    # Who came, as given (names and roles): not linked to accounts, since
    # attendees may have none.
    attendees = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["agency__name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "agency"], name="panels_one_attendance_per_agency"
            )
        ]

    def __str__(self) -> str:
        return f"{self.agency_id}: {self.status}"


class DataCategory(models.TextChoices):
    """What kind of information was shared (the compartments are among them)."""

    IDENTITY = "identity", "Identity and basic details"
    VICTIM_LOCATION = "victim_location", "Victim location and contact details"
    HEALTH = "health", "Health and clinical information"
    CRIMINAL_HISTORY = "criminal_history", "Offending history and convictions"
    POLICE_INTEL = "police_intel", "Police intelligence"
    RISK = "risk", "Risk assessments"
    ORDERS = "orders", "Orders and bail or licence conditions"
    CHILDREN = "children", "Children and safeguarding"
    OTHER = "other", "Other"


class Condition(models.TextChoices):
    """The further condition needed for special-category or law-enforcement
    data (UK GDPR Art 9 with DPA 2018 Sch 1, or DPA 2018 Part 3 with Sch 8)."""

    NONE = "", "None needed"
    SAFEGUARDING = (
        "safeguarding",
        "Safeguarding of children and individuals at risk (Sch 1 para 18)",
    )
    PREVENTING_CRIME = (
        "preventing_crime",
        "Preventing or detecting unlawful acts (Sch 1 para 10)",
    )
    HEALTH_CARE = "health_care", "Health or social care (Art 9(2)(h))"
    STATUTORY = "statutory", "Statutory purposes (Sch 8 para 1)"
    PROTECTING_INDIVIDUALS = (
        "protecting_individuals",
        "Protecting individuals' vital interests (Sch 8 para 3)",
    )
    EXPLICIT_CONSENT = "explicit_consent", "Explicit consent (Art 9(2)(a))"


class InformationShare(models.Model):
    """One record of information shared at panel: from which agency to which,
    what categories, on what lawful basis and condition, with what consent,
    and why it was necessary and proportionate."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    item = models.ForeignKey(
        AgendaItem, on_delete=models.CASCADE, related_name="shares"
    )
    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="information_shares"
    )
    from_agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="+"
    )
    to_agencies = models.ManyToManyField("accounts.Agency", related_name="+")
    categories = models.JSONField(default=list)
    lawful_basis = models.CharField(max_length=32, choices=LawfulBasis.choices)
    condition = models.CharField(
        max_length=32, choices=Condition.choices, blank=True, default=""
    )
    consent = models.CharField(max_length=16, choices=ConsentStatus.choices)
    consent_reason = EncryptedTextField(seal_field="public_id")
    necessity = EncryptedTextField(seal_field="public_id")
    recorded_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["recorded_at", "id"]

    def __str__(self) -> str:
        return f"Shared by {self.from_agency_id} on {self.case_id}"

    @property
    def category_labels(self) -> list[str]:
        return [str(DataCategory(c).label) for c in self.categories]


class ActionQuerySet(models.QuerySet["Action"]):
    def outstanding(self) -> ActionQuerySet:
        """Actions still to do: not completed and not cancelled."""
        return self.filter(status__in=Action.OUTSTANDING)

    def overdue(self, today: dt.date | None = None) -> ActionQuerySet:
        """Outstanding actions whose due date has passed."""
        return self.outstanding().filter(due_on__lt=today or timezone.localdate())


class Action(VersionedModel):
    """Something one agency agreed to do on a case; the agency stays
    responsible for it (the MARAC model)."""

    class Status(models.TextChoices):
        OPEN = "open", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Completed"
        CANCELLED = "cancelled", "Cancelled"

    OUTSTANDING = (Status.OPEN, Status.IN_PROGRESS)

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="actions"
    )
    item = models.ForeignKey(
        AgendaItem,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="actions",
    )
    owner_agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="+"
    )
    owner = models.ForeignKey(
        "accounts.User",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    description = EncryptedTextField(seal_field="public_id")
    due_on = models.DateField()
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.OPEN
    )
    completion_note = EncryptedTextField(blank=True, seal_field="public_id")
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(
        "accounts.User",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+"
    )
    # When the owners were last told it is overdue (one reminder a day).
    overdue_notified_on = models.DateField(null=True, blank=True)

    objects = ActionQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [
            models.Index(fields=["owner_agency", "status", "due_on"]),
            models.Index(fields=["case", "status"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="done", completed_at__isnull=False)
                | (~Q(status="done") & Q(completed_at__isnull=True)),
                name="panels_action_done_has_time",
            )
        ]

    def __str__(self) -> str:
        return f"Action on {self.case_id} for {self.owner_agency_id}"

    @property
    def is_outstanding(self) -> bool:
        return self.status in self.OUTSTANDING

    def is_overdue(self, today: dt.date | None = None) -> bool:
        return self.is_outstanding and self.due_on < (today or timezone.localdate())
