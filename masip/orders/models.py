"""Orders on a case and what hangs off them (docs: DOMAIN.md section 5).

An ``Order`` is a Stalking Protection Order (interim or full), a restraining
order, a non-molestation order, bail or licence conditions: made by a court
(or the police, for pre-charge bail) against the case's perpetrator, protecting
people on the case. Each prohibition or requirement is an ``OrderCondition``;
variations, renewals and discharge are kept as ``OrderEvent`` history.

A served SPO places notification requirements on the person (Stalking
Protection Act 2019 s9): names and home address within
``MASIP_SPO_NOTIFY_DAYS`` of service, and each new name or address within the
same period of the change (``NotificationRequirement``).

A ``Breach`` is recorded against the conditions broken; an incident recorded
while an order is in force opens a ``BreachReview`` listing the conditions it
may breach, for the police to confirm or dismiss.

Dates: an order is in force from ``made_on`` (bail, licence) or from
``served_on`` (court orders), up to and including ``expires_on``, and not from
``discharged_on``. A condition applies from ``starts_on`` and no longer from
``ends_on`` (the day a variation removed it).
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.db import models
from django.db.models import Q
from django.utils import timezone

from masip.core.models import VersionedModel
from masip.crypto.fields import EncryptedTextField


class OrderKind(models.TextChoices):
    SPO_INTERIM = "spo_interim", "Interim Stalking Protection Order"
    SPO_FULL = "spo_full", "Stalking Protection Order"
    RESTRAINING_CONVICTION = (
        "restraining_conviction",
        "Restraining order on conviction",
    )
    RESTRAINING_ACQUITTAL = "restraining_acquittal", "Restraining order on acquittal"
    NON_MOLESTATION = "non_molestation", "Non-molestation order"
    BAIL_POLICE = "bail_police", "Police bail conditions"
    BAIL_COURT = "bail_court", "Court bail conditions"
    LICENCE = "licence", "Licence conditions"
    OTHER = "other", "Other order or conditions"


# Orders that carry the s9 notification requirements once served.
SPO_KINDS = frozenset({OrderKind.SPO_INTERIM, OrderKind.SPO_FULL})
# In force from the day they are made: no separate service.
IN_FORCE_WHEN_MADE = frozenset(
    {OrderKind.BAIL_POLICE, OrderKind.BAIL_COURT, OrderKind.LICENCE}
)
# A full SPO lasts at least this many months (s3: at least two years).
SPO_MINIMUM_MONTHS = 24


class OrderStatus(models.TextChoices):
    NOT_YET_IN_FORCE = "not_yet_in_force", "Not yet in force"
    NOT_SERVED = "not_served", "Not yet served"
    IN_FORCE = "in_force", "In force"
    EXPIRED = "expired", "Expired"
    DISCHARGED = "discharged", "Discharged"


class Order(VersionedModel):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="orders"
    )
    # The person the order is against: a perpetrator on the case.
    subject = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="orders_against"
    )
    kind = models.CharField(max_length=32, choices=OrderKind.choices)
    court = models.CharField(max_length=200, blank=True)
    court_reference = models.CharField(max_length=100, blank=True)
    made_on = models.DateField()
    served_on = models.DateField(null=True, blank=True)
    # The last day the order is in force.
    expires_on = models.DateField(null=True, blank=True)
    until_further_order = models.BooleanField(default=False)
    discharged_on = models.DateField(null=True, blank=True)
    protected_persons = models.ManyToManyField(
        "people.Person", through="OrderProtectedPerson", related_name="+"
    )
    owner_agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="+"
    )
    owner = models.ForeignKey(
        "accounts.User",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    notes = EncryptedTextField(blank=True, seal_field="public_id")
    recorded_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+"
    )
    recorded_by_agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-made_on", "-id"]
        indexes = [models.Index(fields=["case", "-made_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(served_on__isnull=True)
                | Q(served_on__gte=models.F("made_on")),
                name="order_served_after_made",
            ),
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True)
                | Q(expires_on__gt=models.F("made_on")),
                name="order_expires_after_made",
            ),
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True) | Q(until_further_order=False),
                name="order_fixed_or_until_further_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} made {self.made_on}"

    @property
    def is_spo(self) -> bool:
        return self.kind in SPO_KINDS

    @property
    def needs_service(self) -> bool:
        return self.kind not in IN_FORCE_WHEN_MADE

    def starts_on(self) -> dt.date | None:
        """The first day in force (``None``: not served yet)."""
        return self.made_on if not self.needs_service else self.served_on

    def in_force_on(self, day: dt.date) -> bool:
        start = self.starts_on()
        return (
            start is not None
            and start <= day
            and (self.expires_on is None or day <= self.expires_on)
            and (self.discharged_on is None or day < self.discharged_on)
        )

    def status_on(self, day: dt.date) -> OrderStatus:
        if self.discharged_on is not None and day >= self.discharged_on:
            return OrderStatus.DISCHARGED
        if self.expires_on is not None and day > self.expires_on:
            return OrderStatus.EXPIRED
        if day < self.made_on:
            return OrderStatus.NOT_YET_IN_FORCE
        start = self.starts_on()
        if start is None:
            return OrderStatus.NOT_SERVED
        if day < start:
            return OrderStatus.NOT_YET_IN_FORCE
        return OrderStatus.IN_FORCE

    @property
    def status(self) -> OrderStatus:
        return self.status_on(timezone.localdate())

    @property
    def status_label(self) -> str:
        return str(self.status.label)


class OrderProtectedPerson(models.Model):
    """A person on the case the order protects."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["order", "person"], name="order_protected_person_once"
            )
        ]

    def __str__(self) -> str:
        return f"Person {self.person_id} protected by order {self.order_id}"


class ConditionKind(models.TextChoices):
    NO_CONTACT = "no_contact", "No contact"
    EXCLUSION_ZONE = "exclusion_zone", "Exclusion zone"
    NO_APPROACH = "no_approach", "No approach within a distance"
    NO_POSTING = "no_posting", "No posting about the protected person"
    NO_MONITORING = (
        "no_monitoring",
        "No monitoring (tracking, spyware or accounts)",
    )
    NO_THIRD_PARTY_CONTACT = (
        "no_third_party_contact",
        "No contact through other people",
    )
    ATTEND_ASSESSMENT = "attend_assessment", "Attend an assessment"
    ATTEND_PROGRAMME = "attend_programme", "Attend a programme"
    RESIDENCE = "residence", "Live at an approved address"
    CURFEW = "curfew", "Curfew"
    REPORTING = "reporting", "Report to a police station or officer"
    OTHER = "other", "Other condition"


# Requirements to do something: never suggested as breached by an incident.
POSITIVE_REQUIREMENTS = frozenset(
    {
        ConditionKind.ATTEND_ASSESSMENT,
        ConditionKind.ATTEND_PROGRAMME,
        ConditionKind.RESIDENCE,
        ConditionKind.REPORTING,
    }
)


class OrderCondition(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    order = models.ForeignKey(
        Order, on_delete=models.CASCADE, related_name="conditions"
    )
    kind = models.CharField(max_length=32, choices=ConditionKind.choices)
    includes_indirect = models.BooleanField(default=False)
    # What the order says, in its words.
    wording = models.TextField()
    # An exclusion zone can give away where the victim lives: sealed, and
    # shown only with the victim location and contact compartment, revealed.
    zone_description = EncryptedTextField(blank=True, seal_field="public_id")
    starts_on = models.DateField()
    # The first day it no longer applies (a variation removed it).
    ends_on = models.DateField(null=True, blank=True)
    added_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(ends_on__gt=models.F("starts_on")),
                name="order_condition_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.order_id})"

    @property
    def label(self) -> str:
        if self.kind == ConditionKind.NO_CONTACT:
            return (
                "No contact, direct or indirect"
                if self.includes_indirect
                else "No direct contact"
            )
        return str(ConditionKind(self.kind).label)

    @property
    def is_positive(self) -> bool:
        return self.kind in POSITIVE_REQUIREMENTS

    def applies_on(self, day: dt.date) -> bool:
        return self.starts_on <= day and (self.ends_on is None or day < self.ends_on)

    def in_force_on(self, day: dt.date) -> bool:
        """The condition applies and its order is in force."""
        return self.applies_on(day) and self.order.in_force_on(day)


class OrderEvent(models.Model):
    """The order's history, append-only."""

    class Kind(models.TextChoices):
        MADE = "made", "Made"
        SERVED = "served", "Served"
        VARIED = "varied", "Varied"
        RENEWED = "renewed", "Renewed"
        DISCHARGED = "discharged", "Discharged"
        APPEAL = "appeal", "Appeal"
        OTHER = "other", "Other"

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    on = models.DateField()
    detail = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["on", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.on}"


class NotificationRequirementQuerySet(models.QuerySet["NotificationRequirement"]):
    def open(self) -> NotificationRequirementQuerySet:
        return self.filter(notified_on__isnull=True)

    def overdue(self, today: dt.date) -> NotificationRequirementQuerySet:
        """Not notified and past the due day (the day after it, at the earliest)."""
        return self.open().filter(due_on__lt=today)

    def of_orders_in_force(self, today: dt.date) -> NotificationRequirementQuerySet:
        """Requirements lapse with their order (expired or discharged)."""
        return self.filter(
            Q(order__expires_on__isnull=True) | Q(order__expires_on__gte=today),
            Q(order__discharged_on__isnull=True) | Q(order__discharged_on__gt=today),
        )


class NotificationRequirement(models.Model):
    """What the subject of an SPO must tell the police, and by when."""

    class Kind(models.TextChoices):
        INITIAL = "initial", "Names and home address"
        NEW_NAME = "new_name", "A new name"
        NEW_ADDRESS = "new_address", "A new home address"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    order = models.ForeignKey(
        Order, on_delete=models.CASCADE, related_name="notification_requirements"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    # The day of service, or the day the name or address changed.
    triggered_on = models.DateField()
    due_on = models.DateField()
    notified_on = models.DateField(null=True, blank=True)
    # The day the owner was told it was overdue (once only).
    overdue_alerted_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+"
    )
    notified_recorded_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = NotificationRequirementQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(due_on__gte=models.F("triggered_on")),
                name="notification_due_after_trigger",
            ),
            models.UniqueConstraint(
                fields=["order"],
                condition=Q(kind="initial"),
                name="notification_one_initial_per_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} due {self.due_on}"

    def is_overdue(self, today: dt.date) -> bool:
        return self.notified_on is None and today > self.due_on

    def days_left(self, today: dt.date) -> int:
        return (self.due_on - today).days


class PoliceResponse(models.TextChoices):
    UNDER_INVESTIGATION = "under_investigation", "Under investigation"
    ARRESTED = "arrested", "Arrested"
    VOLUNTARY_INTERVIEW = "voluntary_interview", "Voluntary interview"
    SUMMONSED = "summonsed", "Summonsed"
    WORDS_OF_ADVICE = "words_of_advice", "Words of advice"
    NO_FURTHER_ACTION = "no_further_action", "No further action"
    NOT_REPORTED = "not_reported", "Not reported to police"


class ChargeOutcome(models.TextChoices):
    PENDING = "pending", "Pending"
    CHARGED_BREACH = "charged_breach", "Charged with the breach"
    # CPS guidance (January 2025): new offences are charged in addition.
    CHARGED_BREACH_AND_NEW = (
        "charged_breach_and_new",
        "Charged with the breach and a new offence",
    )
    CONVICTED = "convicted", "Convicted"
    ACQUITTED = "acquitted", "Acquitted"
    CAUTION = "caution", "Caution"
    NO_FURTHER_ACTION = "no_further_action", "No further action"


class Breach(VersionedModel):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="breaches")
    conditions = models.ManyToManyField(
        OrderCondition, through="BreachCondition", related_name="breaches"
    )
    incident = models.ForeignKey(
        "incidents.Incident",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    occurred_at = models.DateTimeField()
    # May say where it happened: sealed at rest.
    description = EncryptedTextField(blank=True, seal_field="public_id")
    police_response = models.CharField(max_length=32, choices=PoliceResponse.choices)
    police_response_note = models.TextField(blank=True)
    charge_outcome = models.CharField(
        max_length=32, choices=ChargeOutcome.choices, default=ChargeOutcome.PENDING
    )
    charge_outcome_note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+"
    )
    recorded_by_agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-occurred_at", "-id"]

    def __str__(self) -> str:
        return f"Breach {self.public_id} of order {self.order_id}"


class BreachCondition(models.Model):
    breach = models.ForeignKey(Breach, on_delete=models.CASCADE, related_name="+")
    condition = models.ForeignKey(
        OrderCondition, on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["breach", "condition"], name="breach_condition_once"
            )
        ]

    def __str__(self) -> str:
        return f"Condition {self.condition_id} of breach {self.breach_id}"


class BreachReview(models.Model):
    """An incident recorded while an order was in force, which may breach it."""

    class Status(models.TextChoices):
        OPEN = "open", "Waiting for review"
        CONFIRMED = "confirmed", "Confirmed as a breach"
        DISMISSED = "dismissed", "Not a breach"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    incident = models.ForeignKey(
        "incidents.Incident", on_delete=models.CASCADE, related_name="+"
    )
    order = models.ForeignKey(
        Order, on_delete=models.CASCADE, related_name="breach_reviews"
    )
    suggested_conditions = models.ManyToManyField(
        OrderCondition, through="BreachReviewCondition", related_name="+"
    )
    # Plain-English reasons, one per suggested condition.
    reasons = models.JSONField(default=list)
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.OPEN
    )
    decided_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    dismissal_reason = models.TextField(blank=True)
    breach = models.ForeignKey(
        Breach, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["incident", "order"], name="breach_review_once_per_order"
            )
        ]

    def __str__(self) -> str:
        return f"Review of incident {self.incident_id} against order {self.order_id}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class BreachReviewCondition(models.Model):
    review = models.ForeignKey(BreachReview, on_delete=models.CASCADE, related_name="+")
    condition = models.ForeignKey(
        OrderCondition, on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["review", "condition"], name="breach_review_condition_once"
            )
        ]

    def __str__(self) -> str:
        return f"Condition {self.condition_id} of review {self.review_id}"
