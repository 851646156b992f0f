"""Subject access requests, and the items of the disclosure drafted for each.

A request is handled by the agency that received it, about the records of the
cases that agency leads (ADR 0016). The draft is a list of ``DisclosureItem``
rows, one per piece of recorded information about the requester, each tagged
with the data subject it is about and a default decision. Third parties'
identities and anything that reveals a location are excluded by default, and
free text that may identify others waits for a reviewer. An item holds
``text`` only once it is to be released: the requester's own data from the
start, anything else only when a reviewer includes it.
"""

import uuid

from django.db import models
from django.db.models import Q

from masip.core.models import VersionedModel


class Regime(models.TextChoices):
    UK_GDPR = "uk_gdpr", "UK GDPR Article 15 (DPA 2018 Part 2)"
    LAW_ENFORCEMENT = (
        "law_enforcement",
        "DPA 2018 Part 3, section 45 (law enforcement processing)",
    )


class RequestStatus(models.TextChoices):
    RECEIVED = "received", "Identity not yet verified"
    IDENTITY_VERIFIED = "identity_verified", "Identity verified"
    IN_REVIEW = "in_review", "Draft in review"
    RELEASED = "released", "Released"


class IdentityMethod(models.TextChoices):
    IN_PERSON = "in_person", "Photographic identity document seen in person"
    DOCUMENT_COPIES = "document_copies", "Copies of identity documents received"
    KNOWN_TO_AGENCY = (
        "known_to_agency",
        "Already known to the agency (for example, met in supervision)",
    )
    OTHER = "other", "Another way (described in the evidence)"


class SubjectAccessRequest(VersionedModel):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    reference = models.CharField(max_length=20, unique=True, editable=False)
    agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="+"
    )
    regime = models.CharField(max_length=20, choices=Regime.choices)
    status = models.CharField(
        max_length=20, choices=RequestStatus.choices, default=RequestStatus.RECEIVED
    )
    requester_given_name = models.CharField(max_length=100)
    requester_family_name = models.CharField(max_length=100)
    requester_date_of_birth = models.DateField(null=True, blank=True)
    requester_other_names = models.CharField(max_length=300, blank=True)
    requester_email = models.EmailField(blank=True)
    correspondence_address = models.TextField(blank=True)
    request_details = models.TextField(blank=True)
    received_on = models.DateField()
    # Received, or later: the day the identity evidence arrived (Art 12(6)).
    clock_started_on = models.DateField()
    due_on = models.DateField()
    recorded_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+"
    )
    # UK GDPR Art 12(3) only: two further months, with reasons given.
    extended_at = models.DateTimeField(null=True, blank=True)
    extended_by = models.ForeignKey(
        "accounts.User",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    extension_reason = models.TextField(blank=True)
    identity_method = models.CharField(
        max_length=20, choices=IdentityMethod.choices, blank=True
    )
    identity_evidence = models.TextField(blank=True)
    identity_verified_at = models.DateTimeField(null=True, blank=True)
    identity_verified_by = models.ForeignKey(
        "accounts.User",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    draft_built_at = models.DateTimeField(null=True, blank=True)
    draft_built_by = models.ForeignKey(
        "accounts.User",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    released_at = models.DateTimeField(null=True, blank=True)
    released_by = models.ForeignKey(
        "accounts.User",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    document = models.BinaryField(null=True, blank=True, editable=False)
    document_sha256 = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["agency", "status", "due_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    identity_verified_at__isnull=True,
                    identity_verified_by__isnull=True,
                    identity_method="",
                )
                | (
                    Q(
                        identity_verified_at__isnull=False,
                        identity_verified_by__isnull=False,
                    )
                    & ~Q(identity_method="")
                    & ~Q(identity_evidence="")
                ),
                name="sar_identity_verified_all_or_nothing",
            ),
            models.CheckConstraint(
                condition=Q(extended_at__isnull=True, extended_by__isnull=True)
                | Q(extended_at__isnull=False, extended_by__isnull=False),
                name="sar_extended_at_and_by_together",
            ),
            models.CheckConstraint(
                condition=Q(draft_built_at__isnull=True, draft_built_by__isnull=True)
                | Q(draft_built_at__isnull=False, draft_built_by__isnull=False),
                name="sar_draft_at_and_by_together",
            ),
            models.CheckConstraint(
                condition=Q(
                    status=RequestStatus.RELEASED,
                    released_at__isnull=False,
                    released_by__isnull=False,
                    document__isnull=False,
                )
                | (
                    ~Q(status=RequestStatus.RELEASED)
                    & Q(released_at__isnull=True, released_by__isnull=True)
                ),
                name="sar_released_has_document",
            ),
            # Four eyes (ASVS 2.3.5): who built the draft never releases it.
            models.CheckConstraint(
                condition=Q(released_by__isnull=True)
                | ~Q(released_by=models.F("draft_built_by")),
                name="sar_released_by_another",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def requester_name(self) -> str:
        return f"{self.requester_given_name} {self.requester_family_name}".strip()

    @property
    def is_extended(self) -> bool:
        return self.extended_at is not None

    @property
    def is_released(self) -> bool:
        return self.status == RequestStatus.RELEASED

    @property
    def identity_verified(self) -> bool:
        return self.identity_verified_at is not None

    @property
    def can_extend(self) -> bool:
        return self.regime == Regime.UK_GDPR and not self.is_extended


class RequestSubject(models.Model):
    """A person record the officer confirmed is the requester."""

    request = models.ForeignKey(
        SubjectAccessRequest, on_delete=models.CASCADE, related_name="subjects"
    )
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="+"
    )
    linked_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+"
    )
    linked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["linked_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["request", "person"], name="sar_subject_once"
            )
        ]

    def __str__(self) -> str:
        return f"Person {self.person_id} on {self.request_id}"


class SourceType(models.TextChoices):
    PERSON = "person", "Person record"
    ALIAS = "alias", "Other name"
    IDENTIFIER = "identifier", "Identifier"
    ADDRESS = "address", "Address"
    SAFE_CONTACT = "safe_contact", "Safe-contact preferences"
    PARTICIPANT = "participant", "Part in a case"
    CASE = "case", "Case record"
    INCIDENT = "incident", "Incident"
    NOTE = "note", "Case note"
    ASSESSMENT = "assessment", "Risk assessment"


class DataSubject(models.TextChoices):
    REQUESTER = "requester", "The requester"
    THIRD_PARTY = "third_party", "Another person"
    STAFF = "staff", "Staff"
    MIXED = "mixed", "The requester and others"


class ItemCategory(models.TextChoices):
    OWN = "own", "The requester's own data"
    IDENTITY = "identity", "Identifies another person"
    LOCATION = "location", "Reveals a location or a way to make contact"
    FREE_TEXT = "free_text", "Free text that may identify others"


class DefaultDecision(models.TextChoices):
    INCLUDE = "include", "Include"
    EXCLUDE = "exclude", "Exclude"
    REVIEW = "review", "Needs redaction review"


class Decision(models.TextChoices):
    INCLUDE = "include", "Include as recorded"
    INCLUDE_REDACTED = "include_redacted", "Include with redactions"
    WITHHOLD = "withhold", "Withhold"


RELEASED_DECISIONS = (Decision.INCLUDE, Decision.INCLUDE_REDACTED)


class Exemption(models.TextChoices):
    THIRD_PARTY = (
        "third_party",
        "Information about another person (UK GDPR Art 15(4) and DPA 2018 "
        "Sch 2 Part 3 para 16; Part 3: s.45(4)(e))",
    )
    PROTECT_OTHERS = (
        "protect_others",
        "To protect the safety, rights and freedoms of others (DPA 2018 "
        "s.45(4)(e); Sch 3 Part 2 para 5 serious harm for health data)",
    )
    CRIME = (
        "crime",
        "Prevention or detection of crime (DPA 2018 Sch 2 Part 1 para 2; "
        "Part 3: s.45(4)(a) to (c))",
    )
    NOT_PERSONAL_DATA = "not_personal_data", "Not the requester's personal data"
    OTHER = "other", "Another exemption, explained in the note"


class DisclosureItem(models.Model):
    request = models.ForeignKey(
        SubjectAccessRequest, on_delete=models.CASCADE, related_name="items"
    )
    position = models.PositiveIntegerField()
    case_reference = models.CharField(max_length=20, blank=True)
    source_type = models.CharField(max_length=16, choices=SourceType.choices)
    source_id = models.PositiveBigIntegerField()
    field = models.CharField(max_length=40)
    # A neutral description that names no third party and no place.
    label = models.CharField(max_length=200)
    recorded_by_agency = models.CharField(max_length=200, blank=True)
    subject = models.CharField(max_length=16, choices=DataSubject.choices)
    subject_role = models.CharField(max_length=60, blank=True)
    category = models.CharField(max_length=16, choices=ItemCategory.choices)
    default_decision = models.CharField(max_length=16, choices=DefaultDecision.choices)
    # What would be released: filled for the requester's own data, and for
    # anything else only by a reviewer's decision to include it.
    text = models.TextField(blank=True)
    decision = models.CharField(max_length=20, choices=Decision.choices, blank=True)
    exemption = models.CharField(max_length=20, choices=Exemption.choices, blank=True)
    note = models.TextField(blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        "accounts.User",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(
                fields=["request", "position"], name="sar_item_position_unique"
            ),
            models.CheckConstraint(
                condition=Q(
                    decision="", decided_at__isnull=True, decided_by__isnull=True
                )
                | (
                    ~Q(decision="")
                    & Q(decided_at__isnull=False, decided_by__isnull=False)
                ),
                name="sar_item_decided_at_and_by_together",
            ),
            models.CheckConstraint(
                condition=~Q(decision=Decision.WITHHOLD)
                | (~Q(exemption="") & Q(text="")),
                name="sar_item_withheld_has_exemption_and_no_text",
            ),
            models.CheckConstraint(
                condition=~Q(decision__in=RELEASED_DECISIONS) | ~Q(text=""),
                name="sar_item_included_has_text",
            ),
        ]

    def __str__(self) -> str:
        return f"Item {self.position} of {self.request_id}"

    @property
    def is_decided(self) -> bool:
        return bool(self.decision)

    @property
    def is_released(self) -> bool:
        return self.decision in RELEASED_DECISIONS

    @property
    def reviewer_sees_content(self) -> bool:
        """Whether the review page may show the recorded content.

        A third party's address, an incident location or a victim's safe
        contact is never shown, even to the reviewer: it can only be withheld,
        or replaced with text the reviewer writes.
        """
        return not (
            self.category == ItemCategory.LOCATION
            and self.subject != DataSubject.REQUESTER
        )
