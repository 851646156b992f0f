"""Forms for closing a case, deciding on a request, reopening and recording
an outcome follow-up."""

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone

from masip.cases.models import ClosureReason, OutcomeAnswer
from masip.core.forms import GovukDateField, GovukForm

NOTE_MAX = 2000
APPROVE, REFUSE = "approve", "refuse"


def _required(message: str) -> dict[str, str]:
    return {"required": message}


def _answer(label: str, what: str) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=OutcomeAnswer.choices,
        widget=forms.RadioSelect,
        error_messages=_required(f"Select whether {what}, or not known."),
    )


class ClosureRequestForm(GovukForm):
    reason = forms.ChoiceField(
        label="Why can the case close?",
        choices=ClosureReason.choices,
        widget=forms.RadioSelect,
        error_messages=_required("Select why the case can close."),
    )
    note = forms.CharField(
        label="What the manager deciding needs to know",
        help_text=(
            "For example, what changed and what the agencies agreed. Do not "
            "include addresses or contact details."
        ),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=NOTE_MAX,
        error_messages={
            "required": "Enter why the case can close.",
            "max_length": f"The note must be {NOTE_MAX} characters or fewer.",
        },
    )
    victim_informed = forms.BooleanField(
        label="The victim has been told the case is closing",
        error_messages=_required(
            "Confirm that the victim has been told the case is closing."
        ),
    )
    victim_informed_how = forms.CharField(
        label="How was the victim told?",
        help_text=(
            "For example, by phone through their advocate. Do not include "
            "contact details."
        ),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=500,
        error_messages={
            "required": "Enter how the victim was told.",
            "max_length": "How the victim was told must be 500 characters or fewer.",
        },
    )
    victim_informed_on = GovukDateField(
        label="When was the victim told?",
        help_text="For example, 27 3 2026",
        error_messages={"required": "Enter the date the victim was told."},
    )

    def clean_victim_informed_on(self) -> dt.date:
        value: dt.date = self.cleaned_data["victim_informed_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(
                "The date the victim was told must be today or in the past."
            )
        return value

    @property
    def victim_declared(self) -> bool | None:
        """The declaration as sent (``None`` before the form is sent)."""
        if not self.is_bound:
            return None
        return bool(self.cleaned_data.get("victim_informed"))


class ClosureDecisionForm(GovukForm):
    decision = forms.ChoiceField(
        label="Your decision",
        choices=[(APPROVE, "Approve: close the case"), (REFUSE, "Refuse")],
        widget=forms.RadioSelect,
        error_messages=_required("Select whether to approve or refuse the request."),
    )
    note = forms.CharField(
        label="Note about your decision",
        help_text="Needed if you refuse: say what must happen before the case closes.",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=NOTE_MAX,
        required=False,
        error_messages={
            "max_length": f"The note must be {NOTE_MAX} characters or fewer."
        },
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("decision") == REFUSE and not data.get("note", "").strip():
            self.add_error("note", "Enter why you are refusing the request.")
        return data


class ReopenForm(GovukForm):
    reason = forms.CharField(
        label="Why is the case being reopened?",
        help_text="For example, a new incident reported by the victim.",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=NOTE_MAX,
        error_messages={
            "required": "Enter why the case is being reopened.",
            "max_length": f"The reason must be {NOTE_MAX} characters or fewer.",
        },
    )

    def clean_reason(self) -> str:
        value: str = self.cleaned_data["reason"].strip()
        if not value:
            raise forms.ValidationError("Enter why the case is being reopened.")
        return value


class FollowUpForm(GovukForm):
    new_report_same_victim = _answer(
        "Has any new stalking or harassment been reported against the same victim?",
        "new stalking or harassment was reported against the same victim",
    )
    new_report_new_victim = _answer(
        "Has any stalking or harassment by the same person been reported against "
        "a new victim?",
        "stalking or harassment was reported against a new victim",
    )
    order_breaches = _answer(
        "Have any orders been breached?",
        "any orders were breached",
    )
    note = forms.CharField(
        label="Note",
        help_text="For example, where the answers came from. No names or addresses.",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=NOTE_MAX,
        required=False,
        error_messages={
            "max_length": f"The note must be {NOTE_MAX} characters or fewer."
        },
    )
