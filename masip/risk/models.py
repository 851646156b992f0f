"""Risk assessments: one instrument's answers for one case, never changed.

An assessment keeps the instrument's code and version it was made with, the
answers and what they scored, sealed (ADR 0012): answers to a trauma
questionnaire or a clinician's formulation are among the most sensitive
things MASIP holds. The level is kept in clear, since the case list, the
triggers and the risk picture filter on it. A new assessment is made for any
change; ``save()`` refuses to update a stored one, and on PostgreSQL a
trigger refuses it too (migration 0002).
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from django.db import models
from django.utils import timezone

from masip.crypto.fields import EncryptedTextField


class ImmutableError(Exception):
    """A stored assessment was about to be changed."""


class Assessment(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="assessments"
    )
    instrument_code = models.CharField(max_length=48)
    instrument_version = models.PositiveIntegerField()
    # Whose view it gives (police, clinician, victim...), from the instrument.
    perspective = models.CharField(max_length=16)
    answers_sealed = EncryptedTextField(seal_field="public_id")
    result_sealed = EncryptedTextField(seal_field="public_id")
    # The level the answers score to, and the level in force: the same
    # unless a professional judgement overrode it, with a rationale.
    scored_level = models.CharField(max_length=16, blank=True)
    level = models.CharField(max_length=16, blank=True)
    overridden = models.BooleanField(default=False)
    # Sealed, so the database cannot check it is there: the service does.
    override_rationale = EncryptedTextField(blank=True, seal_field="public_id")
    completed_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+"
    )
    agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="+"
    )
    completed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-completed_at", "-id"]
        indexes = [
            models.Index(
                fields=["case", "instrument_code", "-completed_at"],
                name="risk_assessment_latest",
            )
        ]

    def __str__(self) -> str:
        return (
            f"{self.instrument_code} v{self.instrument_version} ({self.level or '-'})"
        )

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ImmutableError(
                "A risk assessment is never changed; record a new one instead."
            )
        super().save(*args, **kwargs)

    @property
    def answers(self) -> dict[str, Any]:
        return dict(json.loads(self.answers_sealed))

    @answers.setter
    def answers(self, value: dict[str, Any]) -> None:
        self.answers_sealed = json.dumps(value, sort_keys=True)

    @property
    def result(self) -> dict[str, Any]:
        return dict(json.loads(self.result_sealed))

    @result.setter
    def result(self, value: dict[str, Any]) -> None:
        self.result_sealed = json.dumps(value, sort_keys=True)


class ReviewFlag(models.Model):
    """Something that happened on the case calls for its risk to be looked
    at again: an incident with threats, violence or a breach, or a surge in
    contact. A new assessment with a level clears the case's open flags."""

    class Kind(models.TextChoices):
        INCIDENT = "incident", "An incident with threats, violence or a breach"
        SURGE = "surge", "A surge in contact"

    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="risk_flags"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    # Plain words, with no names or places: "An incident on 3 March 2026
    # included a threat to kill."
    reason = models.CharField(max_length=300)
    incident = models.ForeignKey(
        "incidents.Incident",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    raised_at = models.DateTimeField(default=timezone.now)
    cleared_at = models.DateTimeField(null=True, blank=True)
    cleared_by = models.ForeignKey(
        Assessment, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-raised_at", "-id"]
        indexes = [models.Index(fields=["case", "cleared_at"])]

    def __str__(self) -> str:
        return self.reason


class RiskSchedule(models.Model):
    """When the case's risk should next be assessed (docs/risk.md): set by
    each assessment that gives a level, sooner for higher levels."""

    case = models.OneToOneField(
        "cases.Case", on_delete=models.CASCADE, related_name="risk_schedule"
    )
    reassess_by = models.DateField()
    set_by = models.ForeignKey(
        Assessment, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Assess by {self.reassess_by}"


class PanelQueueEntry(models.Model):
    """A case waiting for the next multi-agency panel, here because of a high
    rating. The panel part of MASIP takes entries from this queue."""

    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="panel_queue"
    )
    reason = models.CharField(max_length=300)
    assessment = models.ForeignKey(
        Assessment, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    queued_at = models.DateTimeField(default=timezone.now)
    taken_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["queued_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=models.Q(taken_at__isnull=True),
                name="risk_one_open_panel_entry_per_case",
            )
        ]

    def __str__(self) -> str:
        return self.reason


class RecognitionDecision(models.Model):
    """A worker's decision on a recognition prompt: record the conduct as
    stalking, or keep it as harassment, with the reason."""

    class Decision(models.TextChoices):
        STALKING = "stalking", "Record it as stalking"
        HARASSMENT = "harassment", "Keep it as harassment only"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="recognition_decisions"
    )
    decision = models.CharField(max_length=16, choices=Decision.choices)
    reason = EncryptedTextField(blank=True, seal_field="public_id")
    decided_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+"
    )
    agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-decided_at", "-id"]

    def __str__(self) -> str:
        return str(self.get_decision_display())
