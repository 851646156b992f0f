"""Referrals into a site's programme, and the questions asked about them.

A referral is what a police officer, probation officer, clinician, advocate or
helpline adviser sends to a site's programme office: why, how urgent, whether
the victim consented, what the referrer already did, and who it is about. The
site's panel coordinator triages it: accepts it (opening a case or joining an
existing one), declines it with a reason, or asks the referrer for more.

A referral waiting for triage belongs to no case yet, and row-level security
(masip/isolation) keys every protected row to a case or a person on one. So a
referral holds the reference of the case it led to (``case_reference``, a
plain text column) and no foreign key to a case or a person: the database does
not guard it by case, the access policy does (``Access.visible_referrals`` and
``Access.referral_for``: the referrer reaches their own referrals, the
coordinator those sent to their site). Everything typed about the people and
the reasons is sealed at rest (ADR 0012); the perpetrator's identifiers also
keep a blind index, so matching never opens them.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import models
from django.db.models import Q
from django.utils import timezone

from masip.cases.models import ConsentStatus, ReferralSource
from masip.core.models import TimeStampedModel, VersionedModel
from masip.crypto.fields import BlindIndexField, EncryptedTextField
from masip.people.models import PersonIdentifier


class Urgency(models.TextChoices):
    ROUTINE = "routine", "Routine"
    URGENT = "urgent", "Urgent"


class ReferralStatus(models.TextChoices):
    WAITING = "waiting", "Waiting for triage"
    MORE_INFO = "more_info", "More information asked for"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"


STATUS_TAGS = {
    ReferralStatus.WAITING: "govuk-tag--blue",
    ReferralStatus.MORE_INFO: "govuk-tag--yellow",
    ReferralStatus.ACCEPTED: "govuk-tag--green",
    ReferralStatus.DECLINED: "govuk-tag--grey",
}

# Statuses in which the coordinator may still decide.
OPEN_STATUSES = (ReferralStatus.WAITING, ReferralStatus.MORE_INFO)


class ReferralConsent(models.TextChoices):
    """The victim's consent to the referral (a referral cannot be withdrawn
    consent: that is for sharing on a case already open)."""

    GIVEN = ConsentStatus.GIVEN.value, "Given"
    REFUSED = ConsentStatus.REFUSED.value, "Refused"
    NOT_SOUGHT = ConsentStatus.NOT_SOUGHT.value, "Not sought"


class IdentifierKind(models.TextChoices):
    """The perpetrator identifiers a referral carries. The values are the
    people app's, so the blind indexes of both agree (same domain)."""

    PHONE = PersonIdentifier.Kind.PHONE.value, "Phone number"
    EMAIL = PersonIdentifier.Kind.EMAIL.value, "Email address"
    SOCIAL_MEDIA = PersonIdentifier.Kind.SOCIAL_MEDIA.value, "Social media handle"
    VEHICLE = PersonIdentifier.Kind.VEHICLE.value, "Vehicle registration"


@dataclass(frozen=True)
class CarriedSection:
    """A titled list of questions and the answers given, carried forward."""

    title: str
    rows: tuple[tuple[str, str], ...]


def carried_json(sections: Sequence[CarriedSection]) -> str:
    """The sections as the JSON text ``Referral.helpline_answers`` keeps."""
    return json.dumps(
        [
            {"title": s.title, "rows": [[label, value] for label, value in s.rows]}
            for s in sections
        ]
    )


def carried_sections(text: str | None) -> list[CarriedSection]:
    """Read ``carried_json`` back (an empty list for empty or bad text)."""
    if not text:
        return []
    try:
        data = json.loads(text)
        return [
            CarriedSection(
                title=str(section["title"]),
                rows=tuple(
                    (str(label), str(value)) for label, value in section["rows"]
                ),
            )
            for section in data
        ]
    except (ValueError, TypeError, KeyError):
        return []


class Referral(VersionedModel):
    """One referral into a site's programme (see the module docstring for why
    it has no foreign key to a case)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    site = models.ForeignKey(
        "accounts.Site", on_delete=models.PROTECT, related_name="referrals"
    )
    # The agency of the membership the referrer acted in.
    referring_agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="referrals_made"
    )
    referred_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="referrals_made"
    )
    source = models.CharField(max_length=32, choices=ReferralSource.choices)
    urgency = models.CharField(
        max_length=16, choices=Urgency.choices, default=Urgency.ROUTINE
    )
    status = models.CharField(
        max_length=16, choices=ReferralStatus.choices, default=ReferralStatus.WAITING
    )
    received_at = models.DateTimeField(default=timezone.now)

    reason = EncryptedTextField(seal_field="public_id")
    actions_taken = EncryptedTextField(seal_field="public_id")
    consent = models.CharField(max_length=16, choices=ReferralConsent.choices)
    consent_reason = EncryptedTextField(seal_field="public_id")

    # The people it is about: for matching at intake and for the new case.
    victim_given_name = EncryptedTextField(seal_field="public_id")
    victim_family_name = EncryptedTextField(blank=True, seal_field="public_id")
    victim_date_of_birth = models.DateField(null=True, blank=True)
    perpetrator_given_name = EncryptedTextField(blank=True, seal_field="public_id")
    perpetrator_family_name = EncryptedTextField(blank=True, seal_field="public_id")
    perpetrator_date_of_birth = models.DateField(null=True, blank=True)
    # One alias a line.
    perpetrator_aliases = EncryptedTextField(blank=True, seal_field="public_id")
    # How and when the programme may contact the victim safely (asked when a
    # helpline caller consents to a handover; empty on other referrals). The
    # three fields below are null on rows made before they existed (a sealed
    # column has no SQL default).
    victim_safe_contact = EncryptedTextField(
        blank=True, null=True, seal_field="public_id"
    )

    # Carried forward from a national helpline contact handed over with the
    # caller's consent, so the programme never asks the victim again: the
    # caller's account in their words, and the answers as the helpline
    # recorded them (JSON: ``[{"title": ..., "rows": [[question, answer]]}]``,
    # written in words at handover so the referral reads the same later).
    helpline_narrative = EncryptedTextField(
        blank=True, null=True, seal_field="public_id"
    )
    helpline_answers = EncryptedTextField(blank=True, null=True, seal_field="public_id")

    # The triage decision.
    triaged_by = models.ForeignKey(
        "accounts.User",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    triaged_at = models.DateTimeField(null=True, blank=True)
    decision_reason = EncryptedTextField(blank=True, seal_field="public_id")
    # The case an accepted referral opened or joined: a reference, not a key.
    case_reference = models.CharField(max_length=20, blank=True, db_index=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["site", "status", "received_at"]),
            models.Index(fields=["referred_by", "-received_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        status__in=[ReferralStatus.ACCEPTED, ReferralStatus.DECLINED],
                        triaged_at__isnull=False,
                        triaged_by__isnull=False,
                    )
                    | (
                        Q(status__in=OPEN_STATUSES)
                        & Q(triaged_at__isnull=True, triaged_by__isnull=True)
                    )
                ),
                name="referral_decided_has_who_and_when",
            ),
            models.CheckConstraint(
                condition=Q(status=ReferralStatus.ACCEPTED) & ~Q(case_reference="")
                | ~Q(status=ReferralStatus.ACCEPTED) & Q(case_reference=""),
                name="referral_accepted_names_its_case",
            ),
        ]

    def __str__(self) -> str:
        return self.short_reference

    @property
    def short_reference(self) -> str:
        """A reference people can read out (``REF-1A2B3C4D``)."""
        return f"REF-{self.public_id.hex[:8].upper()}"

    @property
    def status_tag(self) -> str:
        """The GOV.UK tag colour of the status."""
        return STATUS_TAGS[ReferralStatus(self.status)]

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def victim_name(self) -> str:
        return f"{self.victim_given_name} {self.victim_family_name}".strip()

    @property
    def perpetrator_name(self) -> str:
        return f"{self.perpetrator_given_name} {self.perpetrator_family_name}".strip()

    @property
    def from_helpline(self) -> bool:
        """Whether it carries a national helpline contact's account."""
        return bool(self.helpline_narrative or self.helpline_answers)

    @property
    def helpline_sections(self) -> list[CarriedSection]:
        """The helpline's answers as titled lists of (question, answer)."""
        return carried_sections(self.helpline_answers)

    @property
    def alias_list(self) -> list[str]:
        lines = (line.strip() for line in self.perpetrator_aliases.splitlines())
        return [line for line in lines if line]

    def latest_question(self) -> ReferralQuestion | None:
        return self.questions.order_by("-asked_at", "-id").first()

    @property
    def info_request(self) -> str:
        """The latest question the coordinator asked (empty if none)."""
        question = self.latest_question()
        return question.question if question else ""

    @property
    def info_response(self) -> str:
        """The referrer's answer to the latest question (empty if none yet)."""
        question = self.latest_question()
        return question.answer if question else ""


class ReferralIdentifier(TimeStampedModel):
    """A phone number, email address, handle or vehicle of the perpetrator,
    sealed, with its blind index for matching against the people on record."""

    referral = models.ForeignKey(
        Referral, on_delete=models.CASCADE, related_name="identifiers"
    )
    seal_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(max_length=16, choices=IdentifierKind.choices)
    value = EncryptedTextField(max_length=200)
    value_index = BlindIndexField(source="value", scheme="identifier")

    class Meta:
        ordering = ["kind", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.referral_id}"


class ReferralQuestion(TimeStampedModel):
    """The coordinator asked the referrer for more, and (later) the answer.

    One row per question, so a second question keeps the first exchange.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    referral = models.ForeignKey(
        Referral, on_delete=models.CASCADE, related_name="questions"
    )
    question = EncryptedTextField(seal_field="public_id")
    asked_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+"
    )
    asked_at = models.DateTimeField(default=timezone.now)
    answer = EncryptedTextField(blank=True, seal_field="public_id")
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["asked_at", "id"]
        constraints = [
            # One question waits for its answer at a time.
            models.UniqueConstraint(
                fields=["referral"],
                condition=Q(answered_at__isnull=True),
                name="referral_one_open_question",
            )
        ]

    def __str__(self) -> str:
        return f"Question on {self.referral_id}"
