"""One incident of stalking behaviour, as recorded by a practitioner."""

import uuid

from django.db import models
from django.db.models import Q

from masip.core.models import VersionedModel
from masip.crypto.fields import EncryptedTextField
from masip.people.models import Channel, Confidentiality


class Behaviour(models.TextChoices):
    """Statutory examples of stalking behaviour.

    Protection from Harassment Act 1997, section 2A(3).
    """

    FOLLOWING = "following", "Following"
    CONTACTING = "contacting", "Contacting, or attempting to contact"
    PUBLISHING = (
        "publishing",
        "Publishing material about the victim or purporting to come from them",
    )
    MONITORING = (
        "monitoring",
        "Monitoring email, internet or other electronic communication",
    )
    LOITERING = "loitering", "Loitering in a public or private place"
    PROPERTY = "property", "Interfering with property"
    WATCHING = "watching", "Watching or spying"
    OTHER = "other", "Other"


class Escalation(models.TextChoices):
    """What makes an incident a reason to look at the risk again (docs/risk.md):
    threats, violence, weapons and breaches of orders or conditions."""

    THREAT_VIOLENCE = "threat_violence", "A threat of violence"
    THREAT_KILL = "threat_kill", "A threat to kill"
    VIOLENCE = "violence", "Physical violence"
    SEXUAL_VIOLENCE = "sexual_violence", "Sexual violence or a sexual threat"
    WEAPON = "weapon", "A weapon used, shown or mentioned"
    BREACH = "breach", "A breach of an order, bail or licence condition"


class TimePrecision(models.TextChoices):
    EXACT = "exact", "Exact date and time"
    APPROXIMATE = "approximate", "Approximate"
    RANGE = "range", "Some time between two dates"


class Incident(VersionedModel):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="incidents"
    )
    occurred_at = models.DateTimeField(help_text="The time, or the start of the range.")
    occurred_until = models.DateTimeField(null=True, blank=True)
    time_precision = models.CharField(
        max_length=16, choices=TimePrecision.choices, default=TimePrecision.EXACT
    )
    behaviours = models.JSONField(default=list)
    channels = models.JSONField(default=list)
    # Any of these marks the case for a risk review (masip/risk/triggers.py).
    escalations = models.JSONField(default=list, blank=True)
    # Often the victim's home or workplace: sealed at rest, bound to public_id.
    location = EncryptedTextField(max_length=300, blank=True, seal_field="public_id")
    location_confidentiality = models.CharField(
        max_length=16,
        choices=Confidentiality.choices,
        default=Confidentiality.RESTRICTED,
    )
    narrative = models.TextField()
    impact = models.TextField(
        blank=True, help_text="The effect on the victim, in their words where possible."
    )
    reported_to_police = models.BooleanField(default=False)
    crime_reference = models.CharField(max_length=50, blank=True)
    recorded_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+"
    )
    recorded_by_agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["case", "-occurred_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(occurred_until__isnull=True)
                | Q(occurred_until__gte=models.F("occurred_at")),
                name="incident_range_ends_after_start",
            ),
            models.CheckConstraint(
                condition=~Q(time_precision=TimePrecision.RANGE)
                | Q(occurred_until__isnull=False),
                name="incident_range_has_end",
            ),
        ]

    def __str__(self) -> str:
        return f"Incident {self.public_id} on {self.case_id}"

    @property
    def location_is_restricted(self) -> bool:
        return self.location_confidentiality == Confidentiality.RESTRICTED

    def behaviour_labels(self) -> list[str]:
        return [
            str(Behaviour(b).label) for b in self.behaviours if b in Behaviour.values
        ]

    def escalation_labels(self) -> list[str]:
        return [
            str(Escalation(e).label) for e in self.escalations if e in Escalation.values
        ]

    def channel_labels(self) -> list[str]:
        return [str(Channel(c).label) for c in self.channels if c in Channel.values]
