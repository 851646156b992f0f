"""The victim's safety plan (versioned) and the one victim-update log.

A ``SafetyPlan`` is one victim's plan on one case; each save writes a new
``SafetyPlanVersion`` (never changed afterwards) and moves ``current_number``
on. The seven sections are sealed at rest and sit in the victim location and
contact compartment; the review date and whether the victim agreed do not.

A ``VictimContact`` is a contact with the victim by one agency: logged once
it happened, or scheduled and later completed or cancelled. Every one is
checked against the victim's safe-contact rules before it is written
(``masip.safety.contact_rules``; ``masip.safety.services``).
"""

import uuid

from django.db import models
from django.db.models import Q

from masip.core.models import VersionedModel
from masip.crypto.fields import EncryptedTextField
from masip.safety.contact_rules import ContactMethod

PLAN_SECTIONS: tuple[tuple[str, str, str], ...] = (
    (
        "home",
        "Home",
        "Locks, alarms, lighting, who answers the door, what to do if the person "
        "who stalks comes to the house.",
    ),
    (
        "travel",
        "Travel and routines",
        "Routes, times and transport varied; places to go if followed.",
    ),
    (
        "work",
        "Work or study",
        "Who knows there, reception and parking, what to do if the person turns up.",
    ),
    (
        "online",
        "Online and devices",
        "Passwords, privacy settings, location sharing, checks for trackers and "
        "spyware.",
    ),
    (
        "children",
        "Children",
        "Schools and nurseries told, collection arrangements, what the children "
        "know to do.",
    ),
    (
        "trusted_people",
        "Trusted people",
        "Who knows, who to call, the code word agreed with them.",
    ),
    (
        "emergency",
        "What to do in an emergency",
        "Call 999 (55 if unable to speak), safe places, bags packed, the "
        "marker on the police system.",
    ),
)
SECTION_NAMES = tuple(name for name, _, _ in PLAN_SECTIONS)


class SafetyPlan(models.Model):
    """One victim's safety plan on one case; its content is in its versions."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="safety_plans"
    )
    victim = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="safety_plans"
    )
    # The number of the current version (0 until the first is saved); the
    # edit form carries it, so two editors cannot overwrite each other.
    current_number = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["case", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "victim"], name="safety_plan_one_per_victim"
            )
        ]

    def __str__(self) -> str:
        return f"Safety plan {self.public_id}"


class SafetyPlanVersion(models.Model):
    """One saved version of a safety plan: never changed once written (but
    for ``review_reminded_on``, set once by the review reminder)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    plan = models.ForeignKey(
        SafetyPlan, on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField()
    home = EncryptedTextField(blank=True, seal_field="public_id")
    travel = EncryptedTextField(blank=True, seal_field="public_id")
    work = EncryptedTextField(blank=True, seal_field="public_id")
    online = EncryptedTextField(blank=True, seal_field="public_id")
    children = EncryptedTextField(blank=True, seal_field="public_id")
    trusted_people = EncryptedTextField(blank=True, seal_field="public_id")
    emergency = EncryptedTextField(blank=True, seal_field="public_id")
    review_on = models.DateField()
    victim_agreed = models.BooleanField(default=False)
    agreed_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+"
    )
    recorded_by_agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    review_reminded_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["plan", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "number"], name="safety_plan_version_unique_number"
            ),
            models.CheckConstraint(
                condition=Q(victim_agreed=True) | Q(agreed_on__isnull=True),
                name="safety_plan_agreed_on_only_if_agreed",
            ),
        ]
        indexes = [models.Index(fields=["review_on"])]

    def __str__(self) -> str:
        return f"Version {self.number} of safety plan {self.plan_id}"

    def sections(self) -> list[tuple[str, str]]:
        """(heading, text) of each section, in the plan's order."""
        return [(label, getattr(self, name)) for name, label, _ in PLAN_SECTIONS]


class VictimContact(VersionedModel):
    """A contact with the victim by one agency: what the victim was told."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        DONE = "done", "Done"
        ATTEMPTED_NO_ANSWER = "attempted_no_answer", "Tried, no answer"
        CANCELLED = "cancelled", "Cancelled"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="victim_contacts"
    )
    victim = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="victim_contacts"
    )
    method = models.CharField(max_length=16, choices=ContactMethod.choices)
    status = models.CharField(
        max_length=24, choices=Status.choices, default=Status.SCHEDULED
    )
    scheduled_for = models.DateTimeField(null=True, blank=True)
    occurred_at = models.DateTimeField(null=True, blank=True)
    # Letters only: the address it went (or goes) to, never shown in the log.
    address = models.ForeignKey(
        "people.Address",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # The victim got in touch (a call, a message, a visit): their own choice
    # of channel and time, so the safe-contact rules, which govern how
    # agencies reach the victim, do not apply. Logged only, never scheduled.
    initiated_by_victim = models.BooleanField(default=False)
    # What the victim was told (for a scheduled contact: what they will be).
    summary = EncryptedTextField(seal_field="public_id")
    # What the victim said or wants, in their words.
    victim_view = EncryptedTextField(blank=True, seal_field="public_id")
    agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="+"
    )
    recorded_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-occurred_at", "-scheduled_for", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="scheduled") | Q(scheduled_for__isnull=False),
                name="victim_contact_scheduled_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["done", "attempted_no_answer"])
                | Q(occurred_at__isnull=False),
                name="victim_contact_happened_has_time",
            ),
            models.CheckConstraint(
                condition=Q(method="letter") | Q(address__isnull=True),
                name="victim_contact_address_only_for_letters",
            ),
            models.CheckConstraint(
                condition=Q(initiated_by_victim=False)
                | (Q(status="done") & Q(address__isnull=True)),
                name="victim_contact_from_victim_is_logged_done",
            ),
        ]
        indexes = [
            models.Index(fields=["case", "status", "occurred_at"]),
            models.Index(fields=["case", "status", "scheduled_for"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_method_display()} with the victim ({self.public_id})"

    @property
    def happened(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.ATTEMPTED_NO_ANSWER)
