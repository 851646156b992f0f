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
