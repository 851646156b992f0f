"""What is done about the person who stalks: interventions and custody.

An intervention (probation supervision, treatment, a perpetrator programme,
police disruption) is delivered by a provider agency to a perpetrator on the
case; its sessions record attendance. Psychological and psychiatric
treatment are health information: their practitioner, engagement, sessions
and outcome are shown only to readers who see the health compartment.

A period in custody has an expected release date; the victim's advocate is
told a few days before it (``reminders.py``). ``release_alerted_for`` keeps
the expected date an alert was sent for, so a date brought forward or put
back alerts again. Free text is sealed (ADR 0012).
"""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q

from masip.core.models import VersionedModel
from masip.crypto.fields import EncryptedTextField


class Intervention(VersionedModel):
    class Kind(models.TextChoices):
        PROBATION_SUPERVISION = "probation_supervision", "Probation supervision"
        PSYCHOLOGICAL_TREATMENT = "psychological_treatment", "Psychological treatment"
        PSYCHIATRIC_TREATMENT = "psychiatric_treatment", "Psychiatric treatment"
        PERPETRATOR_PROGRAMME = "perpetrator_programme", "Perpetrator programme"
        POLICE_DISRUPTION = "police_disruption", "Police disruption"
        OTHER = "other", "Other intervention"

    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        ACTIVE = "active", "Active"
        COMPLETED = "completed", "Completed"
        ENDED_EARLY = "ended_early", "Ended early"
        DECLINED = "declined", "Declined"

    class Engagement(models.TextChoices):
        NOT_KNOWN = "not_known", "Not yet known"
        GOOD = "good", "Good"
        PARTIAL = "partial", "Partial"
        POOR = "poor", "Poor"
        NONE = "none", "None"

    class Outcome(models.TextChoices):
        COMPLETED = "completed", "Completed"
        PARTLY_COMPLETED = "partly_completed", "Partly completed"
        DISENGAGED = "disengaged", "Disengaged"
        BREACHED = "breached", "Breached"
        TRANSFERRED = "transferred", "Transferred to another provider"
        DECLINED = "declined", "Declined to take part"
        OTHER = "other", "Other"

    # Kinds whose details are health information (Compartment.HEALTH).
    TREATMENT_KINDS = frozenset(
        {Kind.PSYCHOLOGICAL_TREATMENT, Kind.PSYCHIATRIC_TREATMENT}
    )
    OPEN = (Status.PLANNED, Status.ACTIVE)
    # The status an intervention takes when it ends with each outcome.
    STATUS_FOR_OUTCOME = {
        Outcome.COMPLETED: Status.COMPLETED,
        Outcome.PARTLY_COMPLETED: Status.COMPLETED,
        Outcome.DECLINED: Status.DECLINED,
    }

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="interventions"
    )
    subject = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="interventions"
    )
    kind = models.CharField(max_length=32, choices=Kind.choices)
    provider_agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="+"
    )
    # Sealed: for treatment, naming the clinician is health information.
    practitioner = EncryptedTextField(blank=True, seal_field="public_id")
    started_on = models.DateField()
    planned_end_on = models.DateField(null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.PLANNED
    )
    engagement = models.CharField(
        max_length=16, choices=Engagement.choices, default=Engagement.NOT_KNOWN
    )
    engagement_rated_on = models.DateField(null=True, blank=True)
    outcome = models.CharField(
        max_length=20, choices=Outcome.choices, blank=True, default=""
    )
    outcome_note = EncryptedTextField(blank=True, seal_field="public_id")
    recorded_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+"
    )
    recorded_by_agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-started_on", "-id"]
        indexes = [models.Index(fields=["case", "status"])]
        constraints = [
            # Open: no end date and no outcome; ended: both.
            models.CheckConstraint(
                condition=(
                    Q(status__in=["planned", "active"], ended_on__isnull=True)
                    & Q(outcome="")
                )
                | (
                    Q(
                        status__in=["completed", "ended_early", "declined"],
                        ended_on__isnull=False,
                    )
                    & ~Q(outcome="")
                ),
                name="intervention_ended_has_date_and_outcome",
            ),
            models.CheckConstraint(
                condition=Q(planned_end_on__isnull=True)
                | Q(planned_end_on__gte=models.F("started_on")),
                name="intervention_planned_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on case {self.case_id}"

    @property
    def is_treatment(self) -> bool:
        return self.kind in self.TREATMENT_KINDS

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN


class InterventionSession(models.Model):
    """One appointment of an intervention, and whether the person came."""

    class Attendance(models.TextChoices):
        ATTENDED = "attended", "Attended"
        MISSED_NO_REASON = "missed_no_reason", "Missed: no reason given"
        MISSED_REASON = "missed_reason", "Missed: reason given"
        CANCELLED = "cancelled_by_provider", "Cancelled by the provider"

    # Counted as missed in the attendance rate (cancellations are not counted).
    MISSED = (Attendance.MISSED_NO_REASON, Attendance.MISSED_REASON)

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    intervention = models.ForeignKey(
        Intervention, on_delete=models.CASCADE, related_name="sessions"
    )
    on = models.DateField()
    attendance = models.CharField(max_length=24, choices=Attendance.choices)
    note = EncryptedTextField(blank=True, seal_field="public_id")
    recorded_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-on", "-id"]

    def __str__(self) -> str:
        return f"Session on {self.on} ({self.attendance})"


class Custody(VersionedModel):
    class Kind(models.TextChoices):
        REMAND = "remand", "Remand"
        SENTENCE = "sentence", "Sentence"
        RECALL = "recall", "Recall to prison"
        HOSPITAL_ORDER = "hospital_order", "Hospital order"

    class ReleaseKind(models.TextChoices):
        ON_LICENCE = "on_licence", "On licence"
        END_OF_SENTENCE = "end_of_sentence", "At the end of the sentence"
        BAIL = "bail", "On bail"
        ACQUITTED = "acquitted", "Acquitted"
        OTHER = "other", "Other"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="custody_periods"
    )
    subject = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="custody_periods"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    establishment = models.CharField(max_length=200)
    started_on = models.DateField()
    expected_release_on = models.DateField(null=True, blank=True)
    released_on = models.DateField(null=True, blank=True)
    release_kind = models.CharField(
        max_length=16, choices=ReleaseKind.choices, blank=True, default=""
    )
    # The expected release date the advocate was last told about.
    release_alerted_for = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+"
    )
    recorded_by_agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-started_on", "-id"]
        verbose_name_plural = "custody periods"
        indexes = [
            models.Index(fields=["released_on", "expected_release_on"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(released_on__isnull=True, release_kind="")
                | (Q(released_on__isnull=False) & ~Q(release_kind="")),
                name="custody_release_date_and_kind_together",
            ),
            models.CheckConstraint(
                condition=Q(expected_release_on__isnull=True)
                | Q(expected_release_on__gte=models.F("started_on")),
                name="custody_expected_release_after_start",
            ),
            models.CheckConstraint(
                condition=Q(released_on__isnull=True)
                | Q(released_on__gte=models.F("started_on")),
                name="custody_release_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on case {self.case_id}"

    @property
    def in_custody(self) -> bool:
        return self.released_on is None
