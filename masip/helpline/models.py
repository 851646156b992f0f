"""A helpline contact, the advice topics advisers choose from, and the
monthly counts the statistics page reads.

A contact is anonymous by default: it holds no name, number or address of
the caller. A caller who wants later contacts linked gives a reference word
or a phone number, kept only as a keyed hash (``caller_key``, a blind index
under the deployment's key): the same word or number links contacts without
MASIP holding it. The caller's account (``narrative``), the adviser's notes
and a safeguarding reason are sealed at rest. Nothing identifying leaves the
helpline unless the caller consents to a handover (``referral``).
"""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q

from masip.core.models import TimeStampedModel, VersionedModel
from masip.crypto.fields import EncryptedTextField


class ContactChannel(models.TextChoices):
    PHONE = "phone", "Phone"
    EMAIL = "email", "Email"
    WEBCHAT = "webchat", "Webchat"
    CALLBACK = "callback", "Callback (we called them)"


class CallerType(models.TextChoices):
    VICTIM = "victim", "Someone being stalked"
    FAMILY_FRIEND = "family_friend", "A family member or friend"
    PROFESSIONAL = "professional", "A professional"
    OWN_BEHAVIOUR = "own_behaviour", "Someone worried about their own behaviour"


class Relationship(models.TextChoices):
    """Who the person stalking is to the person being stalked."""

    EX_PARTNER = "ex_partner", "Ex-partner"
    PARTNER = "partner", "Current partner"
    FAMILY = "family", "Family member"
    FRIEND_ACQUAINTANCE = "acquaintance", "Friend or acquaintance"
    COLLEAGUE = "colleague", "Work colleague or client"
    NEIGHBOUR = "neighbour", "Neighbour"
    ONLINE_ONLY = "online_only", "Known only online"
    STRANGER = "stranger", "Stranger"
    UNKNOWN = "unknown", "Not known"


class DurationBand(models.TextChoices):
    UNDER_1_MONTH = "under_1m", "Less than a month"
    UNDER_6_MONTHS = "1_6m", "1 to 6 months"
    UNDER_1_YEAR = "6_12m", "6 to 12 months"
    UNDER_2_YEARS = "1_2y", "1 to 2 years"
    OVER_2_YEARS = "over_2y", "More than 2 years"
    UNKNOWN = "unknown", "Not known"


class DigitalIndicator(models.TextChoices):
    TRACKER = "tracker", "A tracking device (for example on a car or in a bag)"
    SPYWARE = "spyware", "Spyware or stalkerware on a phone or computer"
    ACCOUNT_ACCESS = "account_access", "Access to email, cloud or social accounts"
    LOCATION_SHARING = "location_sharing", "Location sharing turned on without consent"
    SMART_HOME = "smart_home", "Smart home devices or cameras"
    FAKE_ACCOUNTS = "fake_accounts", "Fake or multiple social media accounts"
    IMAGE_ABUSE = "image_abuse", "Intimate images shared or threatened"


class ReferralMade(models.TextChoices):
    POLICE = "police", "Police"
    ADVOCACY = "advocacy", "Local stalking advocacy"
    PROGRAMME = "programme", "The local multi-agency programme"
    HEALTH = "health", "Health services"
    OTHER = "other", "Other support"


class FollowUp(models.TextChoices):
    NONE = "none", "None"
    CALLBACK = "callback", "A callback"
    EMAIL = "email", "An email"


class ShareConsent(models.TextChoices):
    NOT_ASKED = "not_asked", "Not asked"
    GIVEN = "given", "Given"
    REFUSED = "refused", "Refused"


class CallerKeyKind(models.TextChoices):
    WORD = "word", "A reference word"
    PHONE = "phone", "A phone number"


class AdviceTopic(TimeStampedModel):
    """One item of the maintained list of advice (law and reporting, evidence,
    personal safety, digital safety, orders, support services)."""

    class Area(models.TextChoices):
        LAW = "law", "Law and reporting"
        EVIDENCE = "evidence", "Evidence keeping"
        PERSONAL_SAFETY = "personal_safety", "Personal safety"
        DIGITAL_SAFETY = "digital_safety", "Digital safety"
        ORDERS = "orders", "Protective orders"
        SUPPORT = "support", "Support services"

    area = models.CharField(max_length=24, choices=Area.choices)
    title = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    active = models.BooleanField(default=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["area", "position", "title", "id"]
        constraints = [
            models.UniqueConstraint(fields=["area", "title"], name="advice_topic_once")
        ]

    def __str__(self) -> str:
        return self.title


class Contact(VersionedModel):
    """One call, email, webchat or callback on the helpline."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        COMPLETE = "complete", "Complete"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="+"
    )
    adviser = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    # Seconds from start to completion, for the average handling time.
    handling_seconds = models.PositiveIntegerField(null=True, blank=True)

    channel = models.CharField(
        max_length=16, choices=ContactChannel.choices, blank=True
    )
    caller_type = models.CharField(
        max_length=16, choices=CallerType.choices, blank=True
    )
    force_area = models.CharField(max_length=40, blank=True)  # helpline.areas code
    relationship = models.CharField(
        max_length=16, choices=Relationship.choices, blank=True
    )
    duration_band = models.CharField(
        max_length=16, choices=DurationBand.choices, blank=True
    )
    # incidents.Behaviour codes (the statutory examples).
    behaviours = models.JSONField(default=list, blank=True)
    # FOUR: the adviser's reading of Fixated, Obsessive, Unwanted, Repeated.
    four_fixated = models.BooleanField(null=True, blank=True)
    four_obsessive = models.BooleanField(null=True, blank=True)
    four_unwanted = models.BooleanField(null=True, blank=True)
    four_repeated = models.BooleanField(null=True, blank=True)
    digital_indicators = models.JSONField(default=list, blank=True)
    # The risk screen (the risk app's screen instrument): answers by item
    # code, and the level it gave (empty until answered enough to score).
    risk_instrument = models.CharField(max_length=64, blank=True)
    risk_answers = models.JSONField(default=dict, blank=True)
    risk_level = models.CharField(max_length=16, blank=True)
    advice = models.ManyToManyField(AdviceTopic, blank=True, related_name="+")
    referrals_made = models.JSONField(default=list, blank=True)

    # A safeguarding override of confidentiality: who decided and why.
    safeguarding_override = models.BooleanField(default=False)
    safeguarding_decided_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    safeguarding_reason = EncryptedTextField(blank=True, seal_field="public_id")

    follow_up = models.CharField(
        max_length=16, choices=FollowUp.choices, default=FollowUp.NONE
    )
    follow_up_due_at = models.DateTimeField(null=True, blank=True)
    follow_up_done_at = models.DateTimeField(null=True, blank=True)

    # The caller's account in their words, and the adviser's notes.
    narrative = EncryptedTextField(blank=True, seal_field="public_id")
    notes = EncryptedTextField(blank=True, seal_field="public_id")

    # Repeat callers: a keyed hash of a reference word or phone number.
    caller_key = models.CharField(max_length=64, blank=True, db_index=True)
    caller_key_kind = models.CharField(
        max_length=8, choices=CallerKeyKind.choices, blank=True
    )

    # Handover: only with the caller's consent does anything leave.
    share_consent = models.CharField(
        max_length=16, choices=ShareConsent.choices, default=ShareConsent.NOT_ASKED
    )
    referral = models.OneToOneField(
        "referrals.Referral",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="helpline_contact",
    )
    handed_over_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        indexes = [
            models.Index(
                fields=["agency", "status", "-started_at"],
                name="helpline_contact_by_status",
            ),
            models.Index(
                fields=["adviser", "status", "-started_at"],
                name="helpline_contact_by_adviser",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | Q(ended_at__isnull=False),
                name="helpline_contact_complete_has_end",
            ),
            models.CheckConstraint(
                condition=Q(referral__isnull=True) | Q(share_consent="given"),
                name="helpline_handover_needs_consent",
            ),
            models.CheckConstraint(
                condition=Q(safeguarding_override=False)
                | Q(safeguarding_decided_by__isnull=False),
                name="helpline_override_has_decider",
            ),
        ]

    def __str__(self) -> str:
        return f"Helpline contact {self.public_id}"


class MonthlyCount(models.Model):
    """How many completed contacts fell in a month under one value of one
    dimension (channel, caller type, region, relationship, duration band,
    behaviour, digital indicator, referral made, advice area, risk level;
    dimension "all" with value "all" counts every contact and sums their
    handling seconds). Kept up to date as contacts are completed or
    reopened, so the statistics page reads a few hundred rows, not every
    contact."""

    month = models.DateField()  # the first of the month
    dimension = models.CharField(max_length=24)
    value = models.CharField(max_length=40)
    contacts = models.IntegerField(default=0)
    handling_seconds = models.BigIntegerField(default=0)

    class Meta:
        ordering = ["month", "dimension", "value"]
        constraints = [
            models.UniqueConstraint(
                fields=["month", "dimension", "value"], name="helpline_count_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.dimension}={self.value}: {self.contacts}"
