"""Forms of the cases app: what people type, checked, with GOV.UK wording."""

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone

from masip.access.models import RevealReason
from masip.access.permissions import Compartment
from masip.accounts.models import Agency, User
from masip.accounts.stepup import StepUpFormMixin
from masip.cases.models import (
    STATUS_TRANSITIONS,
    CaseNote,
    CaseStatus,
    LawfulBasis,
    RecordedAs,
    ReferralSource,
    RelationshipType,
    RiskLevel,
)
from masip.cases.services import MAX_SHARE_DAYS, share_expiry_problem
from masip.core.forms import GovukDateField, GovukForm, VersionField, form_field

SHARE_DAYS_DEFAULT = 90
PURPOSE_MIN = 10
BREAK_GLASS_REASON_MIN = 20
REVEAL_DETAIL_MIN = 10
REVEAL_DETAIL_MAX = 1000


def _required(message: str) -> dict[str, str]:
    return {"required": message}


def _not_in_future(value: dt.date | None, what: str) -> None:
    if value is not None and value > timezone.localdate():
        raise forms.ValidationError(f"The date {what} must be today or in the past.")


class CaseDetailsForm(GovukForm):
    """The facts of a case that its workers set when opening and editing it."""

    summary = forms.CharField(
        label="Summary",
        help_text="What is happening, in a few sentences. Do not include addresses.",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages=_required("Enter a summary of the case."),
    )
    relationship_type = forms.ChoiceField(
        label="Relationship between the victim and the person who stalks",
        choices=RelationshipType.choices,
        widget=forms.RadioSelect,
        error_messages=_required("Select the relationship."),
    )
    referral_source = forms.ChoiceField(
        label="Who referred the case",
        choices=ReferralSource.choices,
        widget=forms.RadioSelect,
        error_messages=_required("Select who referred the case."),
    )
    referred_on = GovukDateField(
        label="Date referred",
        help_text="For example, 27 3 2026",
        error_messages=_required("Enter the date the case was referred."),
    )
    recorded_as = forms.ChoiceField(
        label="What is the conduct recorded as?",
        choices=RecordedAs.choices,
        widget=forms.RadioSelect,
        required=False,
        help_text=(
            "Stalking is harassment that is fixated, obsessive, unwanted and "
            "repeated. MASIP points out when the incidents recorded look like "
            "stalking but the case says harassment."
        ),
    )
    behaviour_started_on = GovukDateField(
        label="Date the behaviour started", required=False
    )
    first_reported_on = GovukDateField(
        label="Date first reported to any agency", required=False
    )

    def clean_referred_on(self) -> dt.date:
        value = self.cleaned_data["referred_on"]
        _not_in_future(value, "referred")
        return value

    def clean_behaviour_started_on(self) -> dt.date | None:
        value = self.cleaned_data["behaviour_started_on"]
        _not_in_future(value, "the behaviour started")
        return value

    def clean_first_reported_on(self) -> dt.date | None:
        value = self.cleaned_data["first_reported_on"]
        _not_in_future(value, "first reported")
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        started = data.get("behaviour_started_on")
        reported = data.get("first_reported_on")
        if started and reported and reported < started:
            self.add_error(
                "first_reported_on",
                "The date first reported must be on or after the date the "
                "behaviour started.",
            )
        return data


class CaseCreateForm(CaseDetailsForm):
    lead_agency = forms.ModelChoiceField(
        label="Lead agency",
        queryset=Agency.objects.none(),
        empty_label=None,
        widget=forms.RadioSelect,
        help_text="The agency that will manage the case.",
        error_messages=_required("Select the lead agency."),
    )
    field_order = ["lead_agency", "summary", "relationship_type", "referral_source"]

    def __init__(self, *args: Any, agencies: QuerySet[Agency], **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"referred_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        form_field(self, "lead_agency", forms.ModelChoiceField).queryset = agencies


class CaseEditForm(CaseDetailsForm):
    review_due_on = GovukDateField(label="Date of next review", required=False)
    version = VersionField()


class CaseStatusForm(GovukForm):
    """Moves an open case on. Closing goes through a closure request that a
    manager approves, and reopening through its own page, with a reason."""

    to_status = forms.ChoiceField(
        label="New status",
        widget=forms.RadioSelect,
        error_messages=_required("Select the new status."),
    )
    reason = forms.CharField(
        label="Note about the change",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    def __init__(self, *args: Any, current: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "to_status", forms.ChoiceField).choices = [
            (s, CaseStatus(s).label)
            for s in STATUS_TRANSITIONS[current]
            if s != CaseStatus.CLOSED and current != CaseStatus.CLOSED
        ]


class CaseRiskForm(GovukForm):
    risk_level = forms.ChoiceField(
        label="New risk level",
        choices=RiskLevel.choices,
        widget=forms.RadioSelect,
        error_messages=_required("Select the new risk level."),
    )
    reason = forms.CharField(
        label="Why the risk level is changing",
        help_text="For example, the screening tool used and the score, or new events.",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages=_required("Enter why the risk level is changing."),
    )

    def __init__(self, *args: Any, current: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.current = current

    def clean_risk_level(self) -> str:
        value = self.cleaned_data["risk_level"]
        if value == self.current:
            raise forms.ValidationError("Select a risk level different from now.")
        return value


class WorkerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        agencies = ", ".join(
            m.agency.name for m in getattr(obj, "case_memberships", [])
        )
        return f"{obj.full_name} ({agencies})" if agencies else obj.full_name


class AllocationForm(GovukForm):
    worker = WorkerChoiceField(
        label="Worker to allocate",
        queryset=User.objects.none(),
        empty_label=None,
        widget=forms.RadioSelect,
        error_messages=_required("Select a worker to allocate."),
    )

    def __init__(self, *args: Any, workers: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "worker", WorkerChoiceField).queryset = workers


class ShareForm(GovukForm):
    agency = forms.ModelChoiceField(
        label="Agency to share with",
        queryset=Agency.objects.none(),
        error_messages=_required("Select the agency to share with."),
    )
    reason = forms.CharField(
        label="Why the agency needs the case",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages=_required("Enter why the agency needs the case."),
    )
    lawful_basis = forms.ChoiceField(
        label="Lawful basis for sharing",
        choices=LawfulBasis.choices,
        widget=forms.RadioSelect,
        error_messages=_required("Select the lawful basis for sharing."),
    )
    compartments = forms.MultipleChoiceField(
        label="Sealed information to include",
        help_text="Leave all unticked to share without sealed information.",
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    expires_on = GovukDateField(
        label="Share until",
        help_text=f"No more than {MAX_SHARE_DAYS} days from today.",
        error_messages=_required("Enter the date the share ends."),
    )

    def __init__(
        self,
        *args: Any,
        agencies: QuerySet[Agency],
        compartments: Iterable[Compartment],
        **kwargs: Any,
    ) -> None:
        default_end = timezone.localdate() + dt.timedelta(days=SHARE_DAYS_DEFAULT)
        kwargs.setdefault("initial", {"expires_on": default_end})
        super().__init__(*args, **kwargs)
        form_field(self, "agency", forms.ModelChoiceField).queryset = agencies
        choices = [(c.value, c.label) for c in sorted(compartments)]
        if choices:
            field = form_field(self, "compartments", forms.MultipleChoiceField)
            field.choices = choices
        else:
            del self.fields["compartments"]

    def clean_expires_on(self) -> dt.date:
        value = self.cleaned_data["expires_on"]
        problem = share_expiry_problem(value)
        if problem:
            raise forms.ValidationError(problem)
        return value


class NoteForm(GovukForm):
    kind = forms.ChoiceField(
        label="Kind of note",
        widget=forms.RadioSelect,
        initial=CaseNote.Kind.GENERAL,
        error_messages=_required("Select what kind of note this is."),
    )
    text = forms.CharField(
        label="Note",
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages=_required("Enter the note."),
    )

    def __init__(self, *args: Any, kinds: Iterable[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "kind", forms.ChoiceField).choices = [
            (kind, CaseNote.Kind(kind).label) for kind in kinds
        ]


class PurposeForm(GovukForm):
    purpose = forms.CharField(
        label="Why are you opening this case?",
        help_text="For example, the panel meeting or complaint you are looking into.",
        widget=forms.Textarea(attrs={"rows": 3}),
        min_length=PURPOSE_MIN,
        error_messages={
            "required": "Enter why you are opening this case.",
            "min_length": f"Reason must be {PURPOSE_MIN} characters or more.",
        },
    )


class BreakGlassForm(StepUpFormMixin, GovukForm):
    """Emergency access; asks for a fresh authenticator code when stale."""

    reference = forms.CharField(
        label="Case reference",
        help_text="For example, STK-7K3M-9QXR",
        max_length=20,
        error_messages={
            "required": "Enter the case reference.",
            "max_length": "Case reference must be 20 characters or fewer.",
        },
    )
    reason = forms.CharField(
        label="Why you need emergency access",
        help_text="Your reason is recorded and sent to the lead agency's managers.",
        widget=forms.Textarea(attrs={"rows": 4}),
        min_length=BREAK_GLASS_REASON_MIN,
        error_messages={
            "required": "Enter why you need emergency access.",
            "min_length": (
                f"Reason must be {BREAK_GLASS_REASON_MIN} characters or more."
            ),
        },
    )
    confirm = forms.BooleanField(
        label=(
            "I confirm this is an emergency and I understand my access is recorded "
            "and reviewed"
        ),
        error_messages=_required("Confirm that this is an emergency."),
    )

    def clean_reference(self) -> str:
        return self.cleaned_data["reference"].strip().upper()


class RevealForm(StepUpFormMixin, GovukForm):
    """Why the user reveals victim details; a fresh code when stale."""

    reason = forms.ChoiceField(
        label="Why do you need to see them?",
        choices=RevealReason.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select why you need to see the victim's details.",
            "invalid_choice": "Select why you need to see the victim's details.",
        },
    )
    detail = forms.CharField(
        label="Give details",
        help_text=(
            "For example, what you are about to do with them. This is kept with "
            "the record of your reveal, which the lead agency can review."
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
        min_length=REVEAL_DETAIL_MIN,
        max_length=REVEAL_DETAIL_MAX,
        error_messages={
            "required": "Enter details of why you need to see them.",
            "min_length": f"Details must be {REVEAL_DETAIL_MIN} characters or more.",
            "max_length": f"Details must be {REVEAL_DETAIL_MAX} characters or fewer.",
        },
    )


class CaseFilterForm(forms.Form):
    """The filters of the case list (GET); bad values are simply ignored."""

    q = forms.CharField(label="Reference or name", required=False, max_length=100)
    status = forms.ChoiceField(
        label="Status",
        choices=[("", "Any status"), *CaseStatus.choices],
        required=False,
    )
    risk_level = forms.ChoiceField(
        label="Risk level",
        choices=[("", "Any risk level"), *RiskLevel.choices],
        required=False,
    )
    lead_agency = forms.ModelChoiceField(
        label="Lead agency",
        queryset=Agency.objects.none(),
        empty_label="Any agency",
        required=False,
    )
    sort = forms.CharField(required=False, max_length=20)

    def __init__(self, *args: Any, agencies: QuerySet[Agency], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "lead_agency", forms.ModelChoiceField).queryset = agencies

    def filters(self) -> dict[str, Any]:
        """Keyword arguments for ``case_list_for`` from the valid fields only."""
        self.is_valid()
        data = self.cleaned_data
        agency = data.get("lead_agency")
        return {
            "q": data.get("q", ""),
            "status": data.get("status", ""),
            "risk_level": data.get("risk_level", ""),
            "lead_agency_id": agency.pk if agency else None,
            "sort": data.get("sort") or "",
        }
