"""Forms of the panels app, with GOV.UK wording.

Rules that need the database or several fields at once (a chair from the
member agencies, a condition for sensitive categories) are checked by the
services, which raise ``PanelInputError`` by field; the views put those on
the form.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone

from masip.accounts.models import Agency, User
from masip.cases.models import ConsentStatus, LawfulBasis
from masip.core.forms import (
    GovukDateField,
    GovukForm,
    GovukTimeField,
    VersionField,
    form_field,
)
from masip.panels.models import Attendance, Condition, DataCategory, Meeting
from masip.panels.services import AGREED_LEVELS, PanelInputError, share_problems

TEXT_MAX = 5000


def _required(message: str) -> dict[str, str]:
    return {"required": message}


def _textarea(rows: int = 4) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


def put_errors(form: forms.Form, error: PanelInputError) -> None:
    """A service's errors on the form's fields (or on the whole form)."""
    for name, message in error.errors.items():
        form.add_error(name if name in form.fields else None, message)


class UserChoiceField(forms.ModelChoiceField[User]):
    """A person, with the member agencies they work for."""

    def label_from_instance(self, obj: User) -> str:
        agencies = sorted(
            {m.agency.name for m in getattr(obj, "panel_memberships", [])}
        )
        return f"{obj.full_name} ({', '.join(agencies)})" if agencies else obj.full_name


class PanelForm(GovukForm):
    name = forms.CharField(
        label="Name of the panel",
        max_length=200,
        error_messages=_required("Enter the panel's name."),
    )
    member_agencies = forms.ModelMultipleChoiceField(
        label="Member agencies",
        help_text=(
            "The agencies of this site, and national ones, that sit on the panel."
        ),
        queryset=Agency.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Select the agencies that sit on the panel.",
            "invalid_choice": "Select agencies from the list.",
            "invalid_pk_value": "Select agencies from the list.",
        },
    )
    chair = UserChoiceField(
        label="Chair",
        help_text="Someone working for one of the member agencies.",
        queryset=User.objects.none(),
        error_messages={
            "required": "Select the panel's chair.",
            "invalid_choice": "Select the chair from the list.",
        },
    )

    def __init__(
        self,
        *args: Any,
        agencies: QuerySet[Agency],
        people: QuerySet[User],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        form_field(
            self, "member_agencies", forms.ModelMultipleChoiceField
        ).queryset = agencies
        form_field(self, "chair", UserChoiceField).queryset = people


class MeetingForm(GovukForm):
    kind = forms.ChoiceField(
        label="Kind of meeting",
        choices=Meeting.Kind.choices,
        widget=forms.RadioSelect,
        help_text="An emergency meeting may be recorded on a past date.",
        error_messages=_required("Select the kind of meeting."),
    )
    held_on = GovukDateField(
        label="Date",
        help_text="For example, 27 3 2026",
        error_messages=_required("Enter the date of the meeting."),
    )
    starts_at = GovukTimeField(
        label="Start time",
        required=False,
        help_text="For example, 10:00 or 2:30pm",
    )
    location = forms.CharField(
        label="Where",
        max_length=200,
        required=False,
        help_text="A room, or how to join a call. Never a victim's address.",
    )


class MeetingEditForm(MeetingForm):
    version = VersionField()


class ConfirmForm(GovukForm):
    """A confirmation button with the version the page was opened at."""

    version = VersionField(error_messages=_required("Open the page again."))


class AddCaseForm(GovukForm):
    reference = forms.CharField(
        label="Case reference",
        max_length=20,
        help_text="For example, STK-7K3M-9QXR",
        error_messages=_required("Enter the case reference."),
    )
    reason_detail = forms.CharField(
        label="Why the panel should discuss it",
        max_length=300,
        widget=_textarea(3),
        error_messages=_required("Enter why the panel should discuss the case."),
    )

    def clean_reference(self) -> str:
        return str(self.cleaned_data["reference"]).strip().upper()


class AttendanceForm(GovukForm):
    """One status and one line of attendees per member agency."""

    def __init__(
        self,
        *args: Any,
        agencies: Iterable[Agency],
        current: dict[int, Attendance],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.agencies = list(agencies)
        for agency in self.agencies:
            row = current.get(agency.pk)
            self.fields[f"status_{agency.pk}"] = forms.ChoiceField(
                label=agency.name,
                choices=Attendance.Status.choices,
                widget=forms.RadioSelect,
                initial=row.status if row else None,
                error_messages=_required(f"Select whether {agency.name} attended."),
            )
            self.fields[f"attendees_{agency.pk}"] = forms.CharField(
                label=f"Who attended for {agency.name}",
                help_text=(
                    "Names and roles, for example: Sam Example (detective sergeant)"
                ),
                max_length=300,
                required=False,
                initial=row.attendees if row else "",
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for agency in self.agencies:
            status = data.get(f"status_{agency.pk}")
            attendees = data.get(f"attendees_{agency.pk}", "")
            if status == Attendance.Status.PRESENT and not attendees.strip():
                self.add_error(
                    f"attendees_{agency.pk}",
                    f"Enter who attended for {agency.name}, with their roles.",
                )
        return data

    def entries(self) -> dict[int, tuple[str, str]]:
        return {
            agency.pk: (
                self.cleaned_data[f"status_{agency.pk}"],
                self.cleaned_data.get(f"attendees_{agency.pk}", ""),
            )
            for agency in self.agencies
        }


class DiscussionForm(GovukForm):
    summary = forms.CharField(
        label="Summary of the discussion",
        max_length=TEXT_MAX,
        widget=_textarea(6),
        error_messages=_required("Enter a summary of the discussion."),
    )
    victim_voice = forms.CharField(
        label="The victim's voice",
        help_text=(
            "What the advocate reported of the victim's views, wishes and fears. "
            "If no one could speak for the victim, say so."
        ),
        max_length=TEXT_MAX,
        widget=_textarea(4),
        error_messages=_required(
            "Enter what the advocate reported of the victim's views."
        ),
    )
    decisions = forms.CharField(
        label="Decisions",
        max_length=TEXT_MAX,
        widget=_textarea(4),
        error_messages=_required("Enter the panel's decisions."),
    )
    agreed_risk_level = forms.ChoiceField(
        label="Risk level agreed",
        help_text="A level different from the case's becomes the case's risk level.",
        choices=[(level.value, level.label) for level in AGREED_LEVELS],
        widget=forms.RadioSelect,
        error_messages=_required("Select the risk level the panel agreed."),
    )


class NotDiscussedForm(GovukForm):
    reason = forms.CharField(
        label="Why the panel did not discuss the case",
        max_length=1000,
        widget=_textarea(3),
        error_messages=_required("Enter why the panel did not discuss the case."),
    )


class InformationShareForm(GovukForm):
    from_agency = forms.ModelChoiceField(
        label="Shared by",
        queryset=Agency.objects.none(),
        empty_label=None,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the agency that shared the information.",
            "invalid_choice": "Select the agency that shared the information.",
        },
    )
    to_agencies = forms.ModelMultipleChoiceField(
        label="Shared with",
        queryset=Agency.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Select the agencies the information was shared with.",
            "invalid_choice": "Select the agencies the information was shared with.",
            "invalid_pk_value": "Select the agencies the information was shared with.",
        },
    )
    categories = forms.MultipleChoiceField(
        label="What kinds of information",
        choices=DataCategory.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Select what kinds of information were shared.",
            "invalid_choice": "Select what kinds of information were shared.",
        },
    )
    lawful_basis = forms.ChoiceField(
        label="Lawful basis",
        choices=LawfulBasis.choices,
        widget=forms.RadioSelect,
        error_messages=_required("Select the lawful basis for sharing."),
    )
    condition = forms.ChoiceField(
        label="Condition",
        help_text=(
            "Needed for health, police intelligence and victim location details."
        ),
        choices=Condition.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    consent = forms.ChoiceField(
        label="Consent of the person the information is about",
        choices=ConsentStatus.choices,
        widget=forms.RadioSelect,
        error_messages=_required("Select whether the person consented to the sharing."),
    )
    consent_reason = forms.CharField(
        label="Reason for the consent status",
        help_text=(
            "How consent was given, or why the information was shared without it."
        ),
        max_length=TEXT_MAX,
        widget=_textarea(3),
        error_messages=_required("Enter the reason for the consent status."),
    )
    necessity = forms.CharField(
        label="Why sharing was necessary and proportionate",
        max_length=TEXT_MAX,
        widget=_textarea(3),
        error_messages=_required(
            "Enter why sharing the information was necessary and proportionate."
        ),
    )

    def __init__(self, *args: Any, agencies: QuerySet[Agency], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.agencies = agencies
        form_field(self, "from_agency", forms.ModelChoiceField).queryset = agencies
        form_field(
            self, "to_agencies", forms.ModelMultipleChoiceField
        ).queryset = agencies

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        problems = share_problems(
            member_ids=set(self.agencies.values_list("pk", flat=True)),
            from_agency=data.get("from_agency"),
            to_agencies=list(data.get("to_agencies") or []),
            categories=list(data.get("categories") or []),
            lawful_basis=data.get("lawful_basis", ""),
            condition=data.get("condition", ""),
            consent=data.get("consent", ""),
            consent_reason=data.get("consent_reason", ""),
            necessity=data.get("necessity", ""),
        )
        reason = problems.get("consent_reason")
        if reason and "consent_reason" in self.errors:
            # Empty: say what the reason is for, given the consent answer.
            self.errors["consent_reason"] = self.error_class([reason])
        for name, message in problems.items():
            # A field that failed its own check keeps that message alone.
            if name not in self.errors:
                self.add_error(name or None, message)
        return data


class ActionForm(GovukForm):
    owner_agency = forms.ModelChoiceField(
        label="Agency that owns the action",
        queryset=Agency.objects.none(),
        empty_label=None,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the agency that owns the action.",
            "invalid_choice": "Select the agency that owns the action.",
        },
    )
    owner = UserChoiceField(
        label="Person who owns it",
        help_text="Someone in the owning agency. Leave blank for the agency to decide.",
        queryset=User.objects.none(),
        required=False,
        empty_label="No one named",
        error_messages={"invalid_choice": "Select the person from the list."},
    )
    description = forms.CharField(
        label="What is to be done",
        max_length=TEXT_MAX,
        widget=_textarea(3),
        error_messages=_required("Enter what is to be done."),
    )
    due_on = GovukDateField(
        label="Due date",
        help_text="For example, 27 3 2026",
        error_messages=_required("Enter the date the action is due."),
    )

    def __init__(
        self,
        *args: Any,
        agencies: QuerySet[Agency],
        people: QuerySet[User],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "owner_agency", forms.ModelChoiceField).queryset = agencies
        form_field(self, "owner", UserChoiceField).queryset = people

    def clean_due_on(self) -> dt.date:
        value: dt.date = self.cleaned_data["due_on"]
        if value < timezone.localdate():
            raise forms.ValidationError("The due date must be today or in the future.")
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        owner, agency = data.get("owner"), data.get("owner_agency")
        if owner is not None and agency is not None:
            works_there = any(
                m.agency_id == agency.pk
                for m in getattr(owner, "panel_memberships", [])
            )
            if not works_there:
                self.add_error(
                    "owner", f"Select someone who works for {agency.name}, or no one."
                )
        return data
