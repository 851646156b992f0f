"""The access app's own rows: time-limited reveals of sealed victim details.

Everything else the policy decides from is owned by other apps (memberships,
cases, shares, break-the-glass grants); a reveal belongs here because it is an
access decision the user makes for themselves, on top of what the policy
grants. ``masip/access/reveal.py`` is the only code that reads or writes it.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q


class RevealReason(models.TextChoices):
    """Why a user revealed a victim's location or contact details."""

    CONTACT_VICTIM = "contact_victim", "To contact the victim safely"
    SAFETY_PLANNING = "safety_planning", "Safety planning or a risk assessment"
    EMERGENCY = "emergency", "An emergency: someone may be at immediate risk"
    LEGAL_PROCESS = (
        "legal_process",
        "A court hearing, protective order or other legal process",
    )
    CHECK_RECORDS = "check_records", "To check or correct the recorded details"
    OTHER = "other", "Another reason"


class SealedReveal(models.Model):
    """One user's reveal of one case's victim location and contact details.

    It counts only until ``expires_at``, until ``ended_at`` is set (the "End
    reveal" button), and only while the user's ``session_epoch`` is the one
    it was made under: signing out, being switched off or changing the second
    factor raises the epoch and so ends every reveal of that user at once.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    # The agency in whose name the user revealed (their acting membership).
    agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(max_length=32, choices=RevealReason.choices)
    detail = models.TextField()
    session_epoch = models.PositiveIntegerField()
    revealed_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-revealed_at", "-id"]
        indexes = [
            models.Index(
                fields=["user", "case", "expires_at"], name="access_reveal_active"
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=F("revealed_at")),
                name="access_reveal_expires_after_start",
            ),
            models.CheckConstraint(
                condition=Q(reason__in=RevealReason.values),
                name="access_reveal_reason_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"Reveal of case {self.case_id} by user {self.user_id}"
