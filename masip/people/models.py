"""A person known to MASIP, and the sensitive facts held about them.

Addresses and identifiers marked *restricted*, and all safe-contact
preferences, sit in the "victim location and contact details" compartment.
Their text is sealed at rest (``EncryptedTextField``, ADR 0012): each row has
a ``seal_id`` the ciphertext is bound to, and exact matches on postcodes and
identifier values go through their blind indexes, never the sealed columns.
"""

import uuid

from django.db import models

from masip.core.models import TimeStampedModel, VersionedModel
from masip.crypto.fields import BlindIndexField, EncryptedTextField


class Confidentiality(models.TextChoices):
    STANDARD = "standard", "Standard: anyone who can see the case"
    RESTRICTED = "restricted", "Restricted: victim location and contact compartment"


class Gender(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    NON_BINARY = "non_binary", "Non-binary"
    OTHER = "other", "Described another way"
    UNKNOWN = "unknown", "Not known"


class DatePrecision(models.TextChoices):
    EXACT = "exact", "Exact date"
    APPROXIMATE = "approximate", "Approximate (year known)"
    UNKNOWN = "unknown", "Not known"


class Channel(models.TextChoices):
    """Ways of contacting or being contacted (shared with the incident log)."""

    IN_PERSON = "in_person", "In person"
    PHONE = "phone", "Phone call"
    TEXT = "text", "Text or messaging app"
    EMAIL = "email", "Email"
    SOCIAL_MEDIA = "social_media", "Social media"
    LETTER = "letter", "Letter or post"
    GIFTS = "gifts", "Gifts or deliveries"
    THIRD_PARTY = "third_party", "Through a third party"
    TRACKING = "tracking", "Tracking device"
    SPYWARE = "spyware", "Spyware or account access"
    ORDERS = "orders", "Goods ordered in the victim's name"
    VEXATIOUS = "vexatious", "Vexatious complaints or court actions"


class Person(VersionedModel):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    birth_date_precision = models.CharField(
        max_length=16, choices=DatePrecision.choices, default=DatePrecision.UNKNOWN
    )
    gender = models.CharField(
        max_length=16, choices=Gender.choices, default=Gender.UNKNOWN
    )
    interpreter_language = models.CharField(max_length=100, blank=True)
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+"
    )
    created_by_agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["family_name", "given_name", "id"]
        indexes = [models.Index(fields=["family_name", "given_name"])]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}".strip()

    @property
    def birth_date_display(self) -> str:
        if (
            self.date_of_birth is None
            or self.birth_date_precision == DatePrecision.UNKNOWN
        ):
            return "Not known"
        if self.birth_date_precision == DatePrecision.APPROXIMATE:
            return f"About {self.date_of_birth.year}"
        return self.date_of_birth.strftime("%-d %B %Y")


class PersonAlias(TimeStampedModel):
    class Kind(models.TextChoices):
        ALIAS = "alias", "Alias"
        PREVIOUS = "previous", "Previous name"
        NICKNAME = "nickname", "Nickname"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.ALIAS)

    class Meta:
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["name"])]

    def __str__(self) -> str:
        return self.name


class PersonIdentifier(TimeStampedModel):
    class Kind(models.TextChoices):
        PHONE = "phone", "Phone number"
        EMAIL = "email", "Email address"
        SOCIAL_MEDIA = "social_media", "Social media handle"
        VEHICLE = "vehicle", "Vehicle registration"
        POLICE_REF = "police_ref", "Police reference (PNC or local)"
        NHS_NUMBER = "nhs_number", "NHS number"
        PROBATION_REF = "probation_ref", "Probation reference (CRN)"
        OTHER = "other", "Other"

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="identifiers"
    )
    seal_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    value = EncryptedTextField(max_length=200)
    value_index = BlindIndexField(source="value", scheme="identifier")
    confidentiality = models.CharField(
        max_length=16,
        choices=Confidentiality.choices,
        default=Confidentiality.RESTRICTED,
    )

    class Meta:
        ordering = ["kind", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.value}"

    @property
    def is_restricted(self) -> bool:
        return self.confidentiality == Confidentiality.RESTRICTED


class Address(TimeStampedModel):
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="addresses"
    )
    seal_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    line_1 = EncryptedTextField(max_length=200)
    line_2 = EncryptedTextField(max_length=200, blank=True)
    town = EncryptedTextField(max_length=100)
    postcode = EncryptedTextField(max_length=10, blank=True)
    postcode_index = BlindIndexField(source="postcode", scheme="postcode")
    is_current = models.BooleanField(default=True)
    confidentiality = models.CharField(
        max_length=16,
        choices=Confidentiality.choices,
        default=Confidentiality.RESTRICTED,
    )

    class Meta:
        ordering = ["-is_current", "-created_at", "-id"]
        verbose_name_plural = "addresses"

    def __str__(self) -> str:
        return ", ".join(
            p for p in (self.line_1, self.line_2, self.town, self.postcode) if p
        )

    @property
    def is_restricted(self) -> bool:
        return self.confidentiality == Confidentiality.RESTRICTED


class SafeContactPreference(VersionedModel):
    """How a victim can safely be contacted, and how never to contact them."""

    person = models.OneToOneField(
        Person, on_delete=models.CASCADE, related_name="safe_contact"
    )
    seal_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    safe_channels = models.JSONField(default=list, blank=True)
    forbidden_channels = models.JSONField(default=list, blank=True)
    safe_times = EncryptedTextField(max_length=200, blank=True)
    no_voicemail = models.BooleanField(default=True)
    code_word = EncryptedTextField(max_length=100, blank=True)
    notes = EncryptedTextField(blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"Safe contact preferences for person {self.person_id}"
