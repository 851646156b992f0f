"""The case: one course of stalking conduct, worked on by several agencies."""

import uuid

from django.db import models
from django.db.models import Q
from django.utils import timezone

from masip.access.permissions import Compartment
from masip.core.models import VersionedModel
from masip.crypto.fields import EncryptedTextField


class CaseStatus(models.TextChoices):
    REFERRED = "referred", "Referred"
    SCREENING = "screening", "Screening"
    ACCEPTED = "accepted", "Accepted"
    ACTIVE = "active", "Active"
    MONITORING = "monitoring", "Monitoring"
    CLOSED = "closed", "Closed"


# Which statuses a case may move to from each status. Closing is its own verb.
STATUS_TRANSITIONS: dict[str, tuple[str, ...]] = {
    CaseStatus.REFERRED: (CaseStatus.SCREENING, CaseStatus.CLOSED),
    CaseStatus.SCREENING: (CaseStatus.ACCEPTED, CaseStatus.CLOSED),
    CaseStatus.ACCEPTED: (CaseStatus.ACTIVE, CaseStatus.CLOSED),
    CaseStatus.ACTIVE: (CaseStatus.MONITORING, CaseStatus.CLOSED),
    CaseStatus.MONITORING: (CaseStatus.ACTIVE, CaseStatus.CLOSED),
    CaseStatus.CLOSED: (CaseStatus.ACTIVE,),
}


class ClosureReason(models.TextChoices):
    RISK_REDUCED = "risk_reduced", "Risk reduced"
    NO_CONTACT = "no_contact", "No further contact for a sustained period"
    CUSTODY = "custody", "Perpetrator in custody"
    TRANSFERRED = "transferred", "Moved out of area or transferred"
    VICTIM_DECLINED = "victim_declined", "Victim declined support"
    INSUFFICIENT_INFO = "insufficient_info", "Insufficient information"
    DECEASED = "deceased", "Deceased"
    OTHER = "other", "Other"


class RiskLevel(models.TextChoices):
    NOT_ASSESSED = "not_assessed", "Not yet assessed"
    STANDARD = "standard", "Standard"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"


def choice_rank(field: str, choices: type[models.TextChoices]) -> models.Case:
    """A choice field's position in its declared order (to sort by, not A to Z)."""
    whens = [
        models.When(**{field: value}, then=models.Value(i))
        for i, value in enumerate(choices.values)
    ]
    return models.Case(*whens, default=models.Value(len(whens)))


class RecordedAs(models.TextChoices):
    """What the conduct is recorded as (docs/risk.md, "Recognising stalking")."""

    UNDECIDED = "", "Not yet decided"
    STALKING = "stalking", "Stalking (Protection from Harassment Act 1997, s2A or s4A)"
    HARASSMENT = "harassment", "Harassment only (s2 or s4)"


class RelationshipType(models.TextChoices):
    EX_PARTNER = "ex_partner", "Ex-intimate partner"
    PARTNER = "partner", "Current partner"
    FAMILY = "family", "Family member"
    FRIEND = "friend", "Friend"
    ACQUAINTANCE = "acquaintance", "Acquaintance"
    COLLEAGUE = "colleague", "Work colleague"
    PROFESSIONAL = "professional", "Professional contact (client or patient)"
    STRANGER = "stranger", "Stranger"
    PUBLIC_FIGURE = "public_figure", "Victim is a public figure"
    UNKNOWN = "unknown", "Not known"


class ReferralSource(models.TextChoices):
    POLICE = "police", "Police"
    PROBATION = "probation", "Probation"
    HEALTH = "health", "NHS mental health"
    ADVOCACY = "advocacy", "Advocacy service"
    HELPLINE = "helpline", "National helpline"
    CPS = "cps", "Crown Prosecution Service"
    SOCIAL_CARE = "social_care", "Social care or local authority"
    SELF = "self", "Self-referral"


class LawfulBasis(models.TextChoices):
    CONSENT = "consent", "Consent of the data subject"
    PUBLIC_TASK = "public_task", "Public task (UK GDPR Art 6(1)(e))"
    LEGAL_OBLIGATION = "legal_obligation", "Legal obligation (UK GDPR Art 6(1)(c))"
    VITAL_INTERESTS = "vital_interests", "Vital interests (UK GDPR Art 6(1)(d))"
    LAW_ENFORCEMENT = "law_enforcement", "Law enforcement purposes (DPA 2018 Part 3)"
    CRIME_AND_DISORDER = "crime_and_disorder", "Crime and Disorder Act 1998 s115"


class ConsentStatus(models.TextChoices):
    """The data subject's consent to sharing (each answer needs its reason)."""

    GIVEN = "given", "Given"
    REFUSED = "refused", "Refused"
    WITHDRAWN = "withdrawn", "Withdrawn"
    NOT_SOUGHT = "not_sought", "Not sought"


class Case(VersionedModel):
    reference = models.CharField(max_length=20, unique=True, editable=False)
    lead_agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="led_cases"
    )
    summary = models.TextField(blank=True)
    relationship_type = models.CharField(
        max_length=32,
        choices=RelationshipType.choices,
        default=RelationshipType.UNKNOWN,
    )
    referral_source = models.CharField(max_length=32, choices=ReferralSource.choices)
    status = models.CharField(
        max_length=16, choices=CaseStatus.choices, default=CaseStatus.REFERRED
    )
    closure_reason = models.CharField(
        max_length=32, choices=ClosureReason.choices, blank=True
    )
    risk_level = models.CharField(
        max_length=16, choices=RiskLevel.choices, default=RiskLevel.NOT_ASSESSED
    )
    recorded_as = models.CharField(
        max_length=16, choices=RecordedAs.choices, default="", blank=True
    )
    behaviour_started_on = models.DateField(null=True, blank=True)
    first_reported_on = models.DateField(null=True, blank=True)
    referred_on = models.DateField()
    review_due_on = models.DateField(null=True, blank=True)
    closed_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-referred_on", "-id"]
        indexes = [
            models.Index(fields=["lead_agency", "status"]),
            models.Index(fields=["status", "-referred_on"]),
            # The case list's filters, in its default order (newest referral).
            models.Index(
                fields=["status", "risk_level", "referred_on", "reference"],
                name="case_status_risk_referred_idx",
            ),
            models.Index(
                fields=["risk_level", "referred_on", "reference"],
                name="case_risk_referred_idx",
            ),
            # The case list's sorts (keyset pages walk these either way).
            models.Index(
                fields=["referred_on", "reference"], name="case_referred_ref_idx"
            ),
            models.Index(
                choice_rank("status", CaseStatus),
                "reference",
                name="case_status_rank_idx",
            ),
            models.Index(
                choice_rank("risk_level", RiskLevel),
                "reference",
                name="case_risk_rank_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(status=CaseStatus.CLOSED, closed_on__isnull=False)
                    & ~Q(closure_reason="")
                )
                | (~Q(status=CaseStatus.CLOSED) & Q(closure_reason="")),
                name="case_closed_has_reason_and_date",
            )
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_closed(self) -> bool:
        return self.status == CaseStatus.CLOSED


class ParticipantRole(models.TextChoices):
    VICTIM = "victim", "Victim"
    PERPETRATOR = "perpetrator", "Person who stalks"
    THIRD_PARTY = "third_party", "Third party or proxy"
    CHILD = "child", "Child or dependant"
    WITNESS = "witness", "Witness"


class CaseParticipant(models.Model):
    """A person's part in a case. One person may be on several cases."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="participants"
    )
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="participations"
    )
    role = models.CharField(max_length=16, choices=ParticipantRole.choices)
    added_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["role", "added_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "person", "role"], name="participant_unique_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} on {self.case_id}"


class CaseAllocation(models.Model):
    """A worker allocated to a case; ``ended_at`` set when de-allocated."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="allocations")
    user = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="allocations"
    )
    agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="+"
    )
    allocated_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+"
    )
    allocated_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["allocated_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "user"],
                condition=Q(ended_at__isnull=True),
                name="allocation_one_open_per_worker",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} on {self.case_id}"


class CaseShareQuerySet(models.QuerySet["CaseShare"]):
    def active(self) -> "CaseShareQuerySet":
        """Shares in force now: not revoked and not expired."""
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())


class CaseShare(models.Model):
    """A case opened to another agency: who, why, on what lawful basis, until when."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="shares")
    agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="+"
    )
    granted_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField()
    lawful_basis = models.CharField(max_length=32, choices=LawfulBasis.choices)
    compartments = models.JSONField(
        default=list,
        blank=True,
        help_text="Sealed compartments included in the share.",
    )
    granted_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        "accounts.User",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = CaseShareQuerySet.as_manager()

    class Meta:
        ordering = ["-granted_at", "-id"]
        indexes = [
            models.Index(fields=["agency", "expires_at"]),
            # The per-case lookup made on every case page (``Access.case_access``).
            models.Index(fields=["case", "agency"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True, revoked_by__isnull=True)
                | Q(revoked_at__isnull=False, revoked_by__isnull=False),
                name="share_revoked_at_and_by_together",
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_id} shared with {self.agency_id}"

    @property
    def compartment_set(self) -> frozenset[Compartment]:
        return frozenset(Compartment(c) for c in self.compartments)


class StatusChange(models.Model):
    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField(
        max_length=16, choices=CaseStatus.choices, blank=True
    )
    to_status = models.CharField(max_length=16, choices=CaseStatus.choices)
    reason = models.TextField(blank=True)
    changed_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-changed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"


class RiskLevelChange(models.Model):
    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="risk_changes"
    )
    from_level = models.CharField(max_length=16, choices=RiskLevel.choices, blank=True)
    to_level = models.CharField(max_length=16, choices=RiskLevel.choices)
    reason = models.TextField()
    changed_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-changed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.from_level} → {self.to_level}"


class CaseNote(models.Model):
    """A note on a case; a compartment seals health or police intelligence notes."""

    class Kind(models.TextChoices):
        GENERAL = "general", "General"
        HEALTH = Compartment.HEALTH.value, "Health and clinical"
        POLICE_INTEL = Compartment.POLICE_INTEL.value, "Police intelligence"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    seal_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.GENERAL)
    # Health and police-intelligence notes live here: sealed at rest (ADR 0012).
    text = EncryptedTextField()
    author = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+"
    )
    agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} note on {self.case_id}"

    @property
    def compartment(self) -> Compartment | None:
        if self.kind == self.Kind.GENERAL:
            return None
        return Compartment(self.kind)


class BreakGlassGrant(models.Model):
    """Time-limited emergency access to a case outside the user's reach."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="break_glass")
    user = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+"
    )
    agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField()
    granted_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()

    class Meta:
        ordering = ["-granted_at", "-id"]
        indexes = [models.Index(fields=["user", "expires_at"])]

    def __str__(self) -> str:
        return f"Break-the-glass on {self.case_id} by {self.user_id}"


class CaseStaffInvolvementQuerySet(models.QuerySet["CaseStaffInvolvement"]):
    def active(self) -> "CaseStaffInvolvementQuerySet":
        """Marks in force: not cleared."""
        return self.filter(cleared_at__isnull=True)


class CaseStaffInvolvement(models.Model):
    """A case marked as involving a member of an agency's own staff.

    A victim or suspect works for the agency (for example an officer of Police
    A). While the mark stands nobody in that agency reaches the case except its
    professional-standards role (``masip/access/policy.py``). Clearing the mark
    keeps the row, with who cleared it and why.
    """

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="staff_involvements"
    )
    agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField()
    marked_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+"
    )
    marked_at = models.DateTimeField(auto_now_add=True)
    cleared_at = models.DateTimeField(null=True, blank=True)
    cleared_by = models.ForeignKey(
        "accounts.User",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    clear_reason = models.TextField(blank=True)

    objects = CaseStaffInvolvementQuerySet.as_manager()

    class Meta:
        ordering = ["-marked_at", "-id"]
        indexes = [models.Index(fields=["agency", "cleared_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "agency"],
                condition=Q(cleared_at__isnull=True),
                name="staff_involvement_one_active_per_agency",
            ),
            models.CheckConstraint(
                condition=Q(cleared_at__isnull=True, cleared_by__isnull=True)
                | Q(cleared_at__isnull=False, cleared_by__isnull=False),
                name="staff_involvement_cleared_at_and_by_together",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} involves staff of {self.agency_id}"

    @property
    def is_active(self) -> bool:
        return self.cleared_at is None


# Closing a case, and the outcome follow-ups after it ---------------------------


class ClosureRequest(models.Model):
    """A worker's request to close the case, and a manager's decision on it.

    The checklist answers are kept as they stood when the request was made:
    whether any action was outstanding, which risk assessment counted as the
    final review, and how and when the victim was told. A case has at most
    one request waiting for a decision.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for a decision"
        APPROVED = "approved", "Approved"
        REFUSED = "refused", "Refused"
        WITHDRAWN = "withdrawn", "Withdrawn"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="closure_requests"
    )
    requested_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+"
    )
    # The agency in whose name the request was made.
    requested_agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    reason = models.CharField(max_length=32, choices=ClosureReason.choices)
    note = EncryptedTextField(seal_field="public_id")
    # The checklist, as it stood when asked.
    no_open_actions = models.BooleanField()
    final_risk_review = models.ForeignKey(
        "risk.Assessment",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    victim_informed = models.BooleanField()
    victim_informed_how = EncryptedTextField(blank=True, seal_field="public_id")
    victim_informed_on = models.DateField(null=True, blank=True)
    # The decision.
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.PENDING
    )
    decided_by = models.ForeignKey(
        "accounts.User",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = EncryptedTextField(blank=True, seal_field="public_id")

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(status="pending"),
                name="cases_one_pending_closure_request",
            ),
            models.CheckConstraint(
                condition=Q(status="pending", decided_at__isnull=True)
                | (~Q(status="pending") & Q(decided_at__isnull=False)),
                name="cases_closure_request_decided_when_not_pending",
            ),
        ]

    def __str__(self) -> str:
        return f"Closure request on {self.case_id} ({self.status})"

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING


class OutcomeAnswer(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    NOT_KNOWN = "not_known", "Not known"


class OutcomeFollowUp(models.Model):
    """An outcome measurement 6, 12 or 24 months after the case closed
    (DOMAIN.md 9.4): any new stalking or harassment reported against the same
    victim or a new one, and any breach of an order."""

    class Status(models.TextChoices):
        DUE = "due", "Due"
        DONE = "done", "Recorded"
        CANCELLED = "cancelled", "Cancelled (case reopened)"

    MONTHS = (6, 12, 24)

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="follow_ups")
    closure_request = models.ForeignKey(
        ClosureRequest, on_delete=models.CASCADE, related_name="follow_ups"
    )
    months = models.PositiveSmallIntegerField(
        choices=[(m, f"{m} months") for m in MONTHS]
    )
    due_on = models.DateField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DUE)
    # When the lead agency's managers were reminded it is due (once).
    reminded_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        "accounts.User",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(null=True, blank=True)
    new_report_same_victim = models.CharField(
        max_length=16, choices=OutcomeAnswer.choices, blank=True
    )
    new_report_new_victim = models.CharField(
        max_length=16, choices=OutcomeAnswer.choices, blank=True
    )
    order_breaches = models.CharField(
        max_length=16, choices=OutcomeAnswer.choices, blank=True
    )
    note = EncryptedTextField(blank=True, seal_field="public_id")

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["status", "due_on"])]
        constraints = [
            models.UniqueConstraint(
                fields=["closure_request", "months"],
                name="cases_one_follow_up_per_point",
            ),
            models.CheckConstraint(
                condition=Q(months__in=(6, 12, 24)),
                name="cases_follow_up_months_6_12_24",
            ),
            models.CheckConstraint(
                condition=(
                    Q(
                        status="done",
                        recorded_at__isnull=False,
                        recorded_by__isnull=False,
                    )
                    & ~Q(new_report_same_victim="")
                    & ~Q(new_report_new_victim="")
                    & ~Q(order_breaches="")
                )
                | (~Q(status="done") & Q(recorded_at__isnull=True)),
                name="cases_follow_up_done_has_answers",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.months}-month follow-up on {self.case_id}"

    @property
    def is_due(self) -> bool:
        return self.status == self.Status.DUE
