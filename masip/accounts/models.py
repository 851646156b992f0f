"""Organisations and the staff who work in them."""

import uuid
from typing import Any, ClassVar

from django.contrib.auth.models import (
    AbstractBaseUser,
    BaseUserManager,
    PermissionsMixin,
)
from django.db import models
from django_otp.models import Device

from masip.access.roles import ROLES, AgencyKind, Role, RoleName
from masip.crypto.fields import BlindIndexField, EncryptedTextField


class Site(models.Model):
    """A local programme area (for example London), with its own panel."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Agency(models.Model):
    """A police force, probation region, NHS trust, advocacy service and so on."""

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(unique=True)
    kind = models.CharField(max_length=32, choices=AgencyKind.choices)
    site = models.ForeignKey(
        Site,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="agencies",
        help_text="Empty for national agencies such as the helpline.",
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"

    def __str__(self) -> str:
        return self.name


class Team(models.Model):
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="teams")
    name = models.CharField(max_length=200)

    class Meta:
        ordering = ["agency__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "name"], name="team_unique_name")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.agency})"


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(
        self, email: str, password: str | None = None, **extra: Any
    ) -> "User":
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str, **extra: Any) -> "User":
        extra.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A member of staff. Signs in with an email address."""

    email = models.EmailField(unique=True)
    full_name = models.CharField(max_length=200)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(auto_now_add=True)
    # Raised to end every session of the user at once (see accounts/sessions.py).
    session_epoch = models.PositiveIntegerField(default=0, editable=False)

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = ["full_name"]

    class Meta:
        ordering = ["full_name"]

    def __str__(self) -> str:
        return self.full_name or self.email


class StaffHomeAddress(models.Model):
    """A member of staff's own home address, held only to detect a conflict.

    The insider detectors compare it with the addresses of the people on the
    cases the user opens (masip/alerts/rules/casework.py). It sits in its own
    table, sealed at rest, so nothing that loads a ``User`` reads it; exact
    matches on the postcode go through its keyed blind index. No page shows the
    stored values: the user and their agency administrators can replace or
    remove it, and see only whether one is on record.
    """

    user = models.OneToOneField(
        User, on_delete=models.CASCADE, related_name="home_address"
    )
    seal_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    line_1 = EncryptedTextField(max_length=200)
    postcode = EncryptedTextField(max_length=10)
    postcode_index = BlindIndexField(source="postcode", scheme="postcode")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "staff home addresses"

    def __str__(self) -> str:
        return f"Home address of user {self.user_id}"


class Membership(models.Model):
    """A user's place in one agency, with the role they hold there."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="memberships"
    )
    team = models.ForeignKey(
        Team,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="memberships",
    )
    role = models.CharField(max_length=32, choices=RoleName.choices)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["agency__name", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "agency"], name="membership_one_role_per_agency"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.get_role_display()}, {self.agency}"

    @property
    def role_def(self) -> Role:
        return ROLES[RoleName(self.role)]

    @property
    def role_label(self) -> str:
        return self.get_role_display()


class Notification(models.Model):
    """A message for one user inside MASIP (for example a break-the-glass alert).

    It names the case by reference only, so nothing sensitive sits in an inbox.
    """

    class Kind(models.TextChoices):
        BREAK_GLASS = "break_glass", "Break-the-glass access"
        ALLOCATED = "allocated", "Case allocated to you"
        SHARED = "shared", "Case shared with your agency"
        STAFF_INVOLVED = "staff_involved", "Case involving your agency's staff"
        SECURITY_ALERT = "security_alert", "Security alert"
        SIGN_IN_METHODS = "sign_in_methods", "Your sign-in methods changed"
        RISK_HIGH = "risk_high", "A case your agency leads was rated high risk"
        REFERRAL_WAITING = "referral_waiting", "A referral is waiting for triage"
        REFERRAL_DECIDED = "referral_decided", "Your referral was triaged"
        ACTION_ASSIGNED = "action_assigned", "An action was assigned to you"
        ACTION_OVERDUE = "action_overdue", "An action is overdue"
        MEETING_SCHEDULED = "meeting_scheduled", "A panel meeting was scheduled"
        CLOSURE_APPROVAL = "closure_approval", "A case is waiting for closure approval"
        CLOSURE_DECIDED = "closure_decided", "Your closure request was decided"
        FOLLOW_UP_DUE = "follow_up_due", "An outcome follow-up is due"
        ORDER_NOTIFICATION_OVERDUE = (
            "order_notify_overdue",
            "A notification under an order is overdue",
        )
        BREACH_REVIEW = "breach_review", "An incident may breach an order"
        BREACH_CONFIRMED = "breach_confirmed", "A breach of an order was confirmed"
        RELEASE_COMING = "release_coming", "A perpetrator's release is coming up"
        SAFETY_PLAN_REVIEW_DUE = (
            "safety_plan_review",
            "A victim's safety plan is due for review",
        )

    recipient = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=32, choices=Kind.choices)
    case_reference = models.CharField(max_length=32, blank=True)
    message = models.TextField()
    # A page inside MASIP the notice is about (a path, never a full URL).
    link = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.recipient}"


class WebAuthnCredential(Device):
    """A security key, platform authenticator or passkey: a second factor.

    A django-otp device, so a session verified with it counts exactly as one
    verified with the authenticator app (``django_otp.login`` stores its
    persistent id; ``OTPMiddleware`` sets ``user.otp_device`` from it). It has
    no typed code: ``verify_token`` keeps django-otp's default answer, False,
    and only the WebAuthn ceremony (``masip/accounts/webauthn.py``) verifies it.
    ``name`` (from ``Device``) is the name the user gives it.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    # The credential id the authenticator chose, base64url without padding
    # (at most 1023 bytes, so at most 1364 characters).
    credential_id = models.CharField(max_length=1400, unique=True)
    # The COSE-encoded public key from the registration.
    public_key = models.BinaryField()
    # The authenticator's signature counter; 0 if it keeps none.
    sign_count = models.PositiveBigIntegerField(default=0)
    transports = models.JSONField(default=list, blank=True)
    aaguid = models.CharField("AAGUID", max_length=36, blank=True)
    # Backup eligible: a synced passkey rather than a key bound to one device.
    backup_eligible = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = "WebAuthn credential"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "name"], name="webauthn_credential_unique_name"
            )
        ]


class ConflictRelationship(models.TextChoices):
    PARTNER = "partner", "Partner or former partner"
    RELATIVE = "relative", "Relative"
    FRIEND = "friend", "Friend"
    NEIGHBOUR = "neighbour", "Neighbour"
    OTHER = "other", "Another personal connection"


class ConflictDeclarationQuerySet(models.QuerySet["ConflictDeclaration"]):
    def active(self) -> "ConflictDeclarationQuerySet":
        """Declarations in force: not withdrawn."""
        return self.filter(withdrawn_at__isnull=True)


class ConflictDeclaration(models.Model):
    """A user's declared personal connection to someone who may be on a case.

    The user names the person (and may give a date of birth) instead of
    picking a record, so nobody browses people they must not see. While the
    declaration stands, every case with a participant of that name is closed
    to the user (``masip/access/policy.py`` matches names when it decides).
    """

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="conflicts")
    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    date_of_birth = models.DateField(null=True, blank=True)
    relationship = models.CharField(max_length=16, choices=ConflictRelationship.choices)
    declared_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    objects = ConflictDeclarationQuerySet.as_manager()

    class Meta:
        ordering = ["-declared_at", "-id"]
        indexes = [models.Index(fields=["user", "withdrawn_at"])]

    def __str__(self) -> str:
        return f"Conflict declared by {self.user_id}"

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None
