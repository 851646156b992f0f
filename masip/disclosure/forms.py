"""Forms of the subject access workflow, with GOV.UK wording."""

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone

from masip.accounts.models import Agency
from masip.accounts.stepup import StepUpFormMixin
from masip.core.forms import GovukDateField, GovukForm, form_field
from masip.disclosure.models import Decision, Exemption, IdentityMethod, Regime
from masip.disclosure.selectors import Candidate


def _required(message: str) -> dict[str, str]:
    return {"required": message}


def _not_future(value: dt.date | None, message: str) -> dt.date | None:
    if value is not None and value > timezone.localdate():
        raise forms.ValidationError(message)
    return value


class RequestForm(GovukForm):
    agency = forms.ChoiceField(
        label="Agency that received the request",
        widget=forms.RadioSelect,
        error_messages=_required("Select the agency that received the request."),
    )
    regime = forms.ChoiceField(
        label="Which law the request falls under",
        help_text=(
            "Police and probation records held for law enforcement purposes fall "
            "under DPA 2018 Part 3; everything else under UK GDPR."
        ),
        choices=Regime.choices,
        widget=forms.RadioSelect,
        error_messages=_required("Select which law the request falls under."),
    )
    requester_given_name = forms.CharField(
        label="Requester's first name",
        max_length=100,
        error_messages=_required("Enter the requester's first name."),
    )
    requester_family_name = forms.CharField(
        label="Requester's last name",
        max_length=100,
        error_messages=_required("Enter the requester's last name."),
    )
    requester_other_names = forms.CharField(
        label="Other names the requester has used",
        max_length=300,
        required=False,
    )
    requester_date_of_birth = GovukDateField(
        label="Requester's date of birth",
        help_text="For example, 31 3 1980",
        error_messages=_required("Enter the requester's date of birth."),
    )
    requester_email = forms.EmailField(
        label="Requester's email address",
        required=False,
        error_messages={"invalid": "Enter an email address in the right format."},
    )
    correspondence_address = forms.CharField(
        label="Where to send the response",
        help_text="The requester's own address for the reply.",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    request_details = forms.CharField(
        label="What the requester asked for",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    received_on = GovukDateField(
        label="Date the request was received",
        help_text="The one-month deadline runs from this date.",
        error_messages=_required("Enter the date the request was received."),
    )

    def __init__(self, *args: Any, agencies: list[Agency], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = form_field(self, "agency", forms.ChoiceField)
        field.choices = [(str(a.pk), a.name) for a in agencies]
        if len(agencies) == 1:
            field.initial = str(agencies[0].pk)

    def clean_received_on(self) -> dt.date | None:
        return _not_future(
            self.cleaned_data["received_on"],
            "The date received must be today or in the past.",
        )

    def clean_requester_date_of_birth(self) -> dt.date | None:
        return _not_future(
            self.cleaned_data["requester_date_of_birth"],
            "The date of birth must be in the past.",
        )


class IdentityForm(GovukForm):
    method = forms.ChoiceField(
        label="How the identity was checked",
        choices=IdentityMethod.choices,
        widget=forms.RadioSelect,
        error_messages=_required("Select how the identity was checked."),
    )
    evidence = forms.CharField(
        label="Evidence seen",
        help_text=(
            "Which documents, and what they showed. For example: passport and a "
            "council tax bill, name and date of birth match the request."
        ),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages=_required("Enter the evidence seen."),
    )
    evidence_received_on = GovukDateField(
        label="Date the evidence arrived",
        help_text=(
            "Only if you had to ask for it: the deadline then runs from this date."
        ),
        required=False,
    )

    def clean_evidence_received_on(self) -> dt.date | None:
        return _not_future(
            self.cleaned_data["evidence_received_on"],
            "The date the evidence arrived must be today or in the past.",
        )


class SubjectsForm(GovukForm):
    people = forms.MultipleChoiceField(
        label="Records about the requester",
        help_text="Select every record that is about the requester.",
        widget=forms.CheckboxSelectMultiple,
        error_messages=_required("Select the records that are about the requester."),
    )

    def __init__(self, *args: Any, candidates: list[Candidate], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "people", forms.MultipleChoiceField).choices = [
            (
                str(c.person.pk),
                f"{c.person.full_name}, born {c.person.birth_date_display} "
                f"(matched on {c.matched_on}; on {c.case_count} "
                f"case{'' if c.case_count == 1 else 's'})",
            )
            for c in candidates
        ]

    def person_ids(self) -> list[int]:
        return [int(v) for v in self.cleaned_data["people"]]


class DecisionForm(GovukForm):
    decision = forms.ChoiceField(
        label="Decision",
        choices=Decision.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select a decision.",
            "invalid_choice": "Select a decision from the list.",
        },
    )
    redacted_text = forms.CharField(
        label="Text to release",
        help_text=(
            "Only for 'Include with redactions'. Write the text as the requester "
            "will read it. Redaction may not stop them working out who someone "
            "is from the context: leave out anything that could."
        ),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    exemption = forms.ChoiceField(
        label="Reason for withholding",
        help_text="Only for 'Withhold'.",
        choices=Exemption.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label="Note for the file",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, content_shown: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not content_shown:
            form_field(self, "decision", forms.ChoiceField).choices = [
                c for c in Decision.choices if c[0] != Decision.INCLUDE
            ]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        decision = data.get("decision")
        if (
            decision == Decision.INCLUDE_REDACTED
            and not data.get("redacted_text", "").strip()
        ):
            self.add_error(
                "redacted_text", "Enter the text to release, with the redactions made."
            )
        if decision == Decision.WITHHOLD:
            if not data.get("exemption"):
                self.add_error("exemption", "Select the reason for withholding.")
            elif data["exemption"] == Exemption.OTHER and not data["note"].strip():
                self.add_error("note", "Explain the exemption in the note.")
        return data


class ExtendForm(GovukForm):
    reason = forms.CharField(
        label="Why the request needs longer",
        help_text=(
            "UK GDPR allows two further months for a complex request or many "
            "requests. Tell the requester, with this reason, within the first month."
        ),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages=_required("Enter why the request needs longer."),
    )


class ReleaseForm(StepUpFormMixin, GovukForm):
    """The releaser's check, and the step-up when the factor is stale."""

    confirm = forms.BooleanField(
        label="I have checked that the released items name no other person and "
        "reveal no location",
        error_messages=_required("Confirm that you have checked the released items."),
    )
