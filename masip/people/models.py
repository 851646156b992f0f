"""A person known to MASIP, and the sensitive facts held about them.

Addresses and identifiers marked *restricted*, and all safe-contact
preferences, sit in the "victim location and contact details" compartment.
Their text is sealed at rest (``EncryptedTextField``, ADR 0012): each row has
a ``seal_id`` the ciphertext is bound to, and exact matches on postcodes and
identifier values go through their blind indexes, never the sealed columns.
"""

import datetime as dt
import uuid

from django.db import models
from django.db.models import Q

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
    # Letters go only to a current address the victim has said is safe.
    safe_to_write = models.BooleanField("Safe to send letters to", default=False)
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


WEEKDAYS = (
    (0, "Monday"),
    (1, "Tuesday"),
    (2, "Wednesday"),
    (3, "Thursday"),
    (4, "Friday"),
    (5, "Saturday"),
    (6, "Sunday"),
)
WEEKDAY_NAMES = dict(WEEKDAYS)


def weekdays_display(days: list[int]) -> str:
    """``[0, 1, 2, 3, 4]`` as "Monday to Friday", ``[0, 2]`` as "Monday and
    Wednesday"; runs of three or more days are joined with "to"."""
    ordered = sorted({d for d in days if d in WEEKDAY_NAMES})
    runs: list[list[int]] = []
    for day in ordered:
        if runs and day == runs[-1][-1] + 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    parts: list[str] = []
    for run in runs:
        if len(run) >= 3:
            parts.append(f"{WEEKDAY_NAMES[run[0]]} to {WEEKDAY_NAMES[run[-1]]}")
        else:
            parts.extend(WEEKDAY_NAMES[d] for d in run)
    if len(parts) < 2:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def clock_display(value: dt.time) -> str:
    """A time as people say it: 10am, 2:30pm, midday."""
    if value == dt.time(12, 0):
        return "midday"
    if value == dt.time(0, 0):
        return "midnight"
    hour = value.hour % 12 or 12
    suffix = "am" if value.hour < 12 else "pm"
    if value.minute:
        return f"{hour}:{value.minute:02d}{suffix}"
    return f"{hour}{suffix}"


class SafeContactPreference(VersionedModel):
    """How a victim can safely be contacted, and how never to contact them.

    ``safe_times`` is the victim's own words; the structured rules that are
    enforced (``masip.safety.contact_rules``) are ``contact_days`` (weekday
    numbers, 0 is Monday; empty: any day) and the window ``contact_from`` to
    ``contact_until`` (UK time; either empty: open on that side). The window
    never wraps past midnight: ``contact_from`` is before ``contact_until``.
    """

    person = models.OneToOneField(
        Person, on_delete=models.CASCADE, related_name="safe_contact"
    )
    seal_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    safe_channels = models.JSONField(default=list, blank=True)
    forbidden_channels = models.JSONField(default=list, blank=True)
    safe_times = EncryptedTextField(max_length=200, blank=True)
    contact_days = models.JSONField(default=list, blank=True)
    contact_from = models.TimeField(null=True, blank=True)
    contact_until = models.TimeField(null=True, blank=True)
    no_voicemail = models.BooleanField(default=True)
    code_word = EncryptedTextField(max_length=100, blank=True)
    notes = EncryptedTextField(blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(contact_from__isnull=True)
                | Q(contact_until__isnull=True)
                | Q(contact_from__lt=models.F("contact_until")),
                name="safe_contact_window_in_one_day",
            )
        ]

    def __str__(self) -> str:
        return f"Safe contact preferences for person {self.person_id}"

    @property
    def contact_days_display(self) -> str:
        """The days contact is allowed on, in words ("Any day" if all)."""
        days = {d for d in self.contact_days if d in WEEKDAY_NAMES}
        if not days or len(days) == len(WEEKDAYS):
            return "Any day"
        return weekdays_display(sorted(days))

    @property
    def contact_window_display(self) -> str:
        """The hours contact is allowed in, in words ("Any time" if open)."""
        start, end = self.contact_from, self.contact_until
        if start is None and end is None:
            return "Any time"
        if start is None:
            assert end is not None
            return f"Before {clock_display(end)}"
        if end is None:
            return f"From {clock_display(start)}"
        return f"Between {clock_display(start)} and {clock_display(end)}"
