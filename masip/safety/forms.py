"""Forms for victim contacts and the safety plan (GOV.UK wording)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils import timezone

from masip.core.forms import GovukDateField, GovukForm, GovukTimeField, form_field
from masip.people.models import Address
from masip.safety.contact_rules import UK, ContactMethod
from masip.safety.models import PLAN_SECTIONS, VictimContact
from masip.safety.services.contacts import SUMMARY_MAX
from masip.safety.services.plans import SECTION_MAX

_STALE_FORM = {
    "required": "Open the page again and make your change.",
    "invalid": "Open the page again and make your change.",
}
OUTCOME_CHOICES = [
    (VictimContact.Status.DONE.value, "Yes, we spoke or it was delivered"),
    (VictimContact.Status.ATTEMPTED_NO_ANSWER.value, "No, there was no answer"),
]
YES, NO = "yes", "no"


def uk_moment(day: dt.date, time: dt.time) -> dt.datetime:
    """A date and a time typed in UK time, as an aware moment."""
    return timezone.make_aware(dt.datetime.combine(day, time), UK)


def address_choices(addresses: Iterable[Address]) -> list[tuple[str, str]]:
    """Safe-to-write addresses by id, never by their text: "Current address
    (safe to write to)", numbered if there are several."""
    found = list(addresses)
    if len(found) == 1:
        return [(str(found[0].pk), "Current address (safe to write to)")]
    return [
        (str(a.pk), f"Current address {n} (safe to write to)")
        for n, a in enumerate(found, start=1)
    ]


class _MomentMixin(GovukForm):
    """A date and a time field, read together as one UK moment."""

    moment_prefix: str

    def moment(self) -> dt.datetime | None:
        data = self.cleaned_data
        day = data.get(f"{self.moment_prefix}_on")
        time = data.get(f"{self.moment_prefix}_time")
        if day is None or time is None:
            return None
        return uk_moment(day, time)

    def required_moment(self) -> dt.datetime:
        """The moment of a valid form (its date and time are required)."""
        moment = self.moment()
        assert moment is not None
        return moment


def _date_field(label: str, required_message: str) -> GovukDateField:
    return GovukDateField(
        label=label,
        help_text="For example, 27 3 2026.",
        error_messages={"required": required_message},
    )


def _time_field(label: str, required_message: str) -> GovukTimeField:
    return GovukTimeField(
        label=label,
        help_text="UK time, for example 14:30 or 2:30pm.",
        error_messages={
            "required": required_message,
            "invalid": "Enter a time such as 14:30 or 2:30pm.",
        },
    )


def _summary_field(label: str, help_text: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        max_length=SUMMARY_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": "Enter what the victim was told.",
            "max_length": f"Enter {SUMMARY_MAX} characters or fewer.",
        },
    )


def _victim_view_field() -> forms.CharField:
    return forms.CharField(
        label="What the victim said or wants (optional)",
        help_text="In their words where you can. Do not include addresses.",
        required=False,
        max_length=SUMMARY_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": f"Enter {SUMMARY_MAX} characters or fewer."},
    )


class _ContactForm(_MomentMixin):
    """How, when and (letters only) where to."""

    method = forms.ChoiceField(
        label="How you contact them",
        choices=ContactMethod.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select how the victim is contacted.",
            "invalid_choice": "Select how the victim is contacted.",
        },
    )
    address = forms.ChoiceField(
        label="Address for a letter",
        help_text="Only addresses the victim has said are safe to send letters to.",
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Select an address from the list."},
    )

    def __init__(
        self, *args: Any, addresses: Iterable[Address] = (), **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.addresses = {str(a.pk): a for a in addresses}
        if self.addresses:
            form_field(self, "address", forms.ChoiceField).choices = address_choices(
                self.addresses.values()
            )
        else:
            del self.fields["address"]

    def clean_address(self) -> Address | None:
        return self.addresses.get(self.cleaned_data.get("address") or "")

    def chosen_address(self) -> Address | None:
        """The address, for a letter only."""
        if self.cleaned_data.get("method") != ContactMethod.LETTER:
            return None
        found: Address | None = self.cleaned_data.get("address")
        return found


class ContactLogForm(_ContactForm):
    moment_prefix = "occurred"

    initiated_by = forms.ChoiceField(
        label="Who made contact?",
        choices=(
            ("agency", "We contacted the victim"),
            ("victim", "The victim contacted us"),
        ),
        initial="agency",
        # Absent means an agency made contact: the rules apply (safe default).
        required=False,
        help_text=(
            "The victim's safe-contact rules apply when an agency contacts "
            "them, not when they choose to get in touch."
        ),
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select who made contact.",
            "invalid_choice": "Select who made contact.",
        },
    )

    occurred_on = _date_field("Date", "Enter the date of the contact.")
    occurred_time = _time_field("Time", "Enter the time of the contact.")
    outcome = forms.ChoiceField(
        label="Did you reach them?",
        choices=OUTCOME_CHOICES,
        initial=VictimContact.Status.DONE.value,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select whether you reached them.",
            "invalid_choice": "Select whether you reached them.",
        },
    )
    summary = _summary_field(
        "What the victim was told",
        "So no other agency contradicts it or asks them to tell their story "
        "again. Do not include addresses.",
    )
    victim_view = _victim_view_field()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["method"].label = "How the contact was made"

    field_order = (
        "initiated_by",
        "method",
        "address",
        "occurred_on",
        "occurred_time",
        "outcome",
        "summary",
        "victim_view",
    )


class ContactScheduleForm(_ContactForm):
    moment_prefix = "scheduled"

    scheduled_on = _date_field("Date", "Enter the date of the contact.")
    scheduled_time = _time_field("Time", "Enter the time of the contact.")
    summary = _summary_field(
        "What you will tell the victim",
        "Update it when you complete the contact. Do not include addresses.",
    )

    field_order = ("method", "address", "scheduled_on", "scheduled_time", "summary")


class ContactCompleteForm(_MomentMixin):
    moment_prefix = "occurred"

    occurred_on = _date_field("Date", "Enter the date of the contact.")
    occurred_time = _time_field("Time", "Enter the time of the contact.")
    outcome = forms.ChoiceField(
        label="Did you reach them?",
        choices=OUTCOME_CHOICES,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select whether you reached them.",
            "invalid_choice": "Select whether you reached them.",
        },
    )
    summary = _summary_field("What the victim was told", "Do not include addresses.")
    victim_view = _victim_view_field()
    version = forms.IntegerField(
        min_value=1, widget=forms.HiddenInput, error_messages=_STALE_FORM
    )

    prefix = "complete"

    @staticmethod
    def initial_from(contact: VictimContact) -> dict[str, Any]:
        """Filled from the plan: its time, and what the victim was to be told."""
        initial: dict[str, Any] = {
            "summary": contact.summary,
            "outcome": VictimContact.Status.DONE.value,
            "version": contact.version,
        }
        if contact.scheduled_for is not None:
            local = contact.scheduled_for.astimezone(UK)
            initial["occurred_on"] = local.date()
            initial["occurred_time"] = local.strftime("%H:%M")
        return initial


class ContactCancelForm(GovukForm):
    version = forms.IntegerField(
        min_value=1, widget=forms.HiddenInput, error_messages=_STALE_FORM
    )

    prefix = "cancel"


class SafetyPlanForm(GovukForm):
    """A new version of the plan: seven sections, the review date, agreement."""

    review_on = GovukDateField(
        label="Review the plan by",
        help_text="For example, 27 3 2026. MASIP reminds you when it is due.",
        error_messages={"required": "Enter the date to review the plan by."},
    )
    victim_agreed = forms.ChoiceField(
        label="Has the victim agreed this plan?",
        choices=[(YES, "Yes"), (NO, "No, not yet")],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select whether the victim has agreed the plan.",
            "invalid_choice": "Select whether the victim has agreed the plan.",
        },
    )
    agreed_on = GovukDateField(
        label="Date they agreed it",
        help_text="Needed if they have agreed it. For example, 27 3 2026.",
        required=False,
    )
    # The number of the version the form was filled from (0: no plan yet).
    version = forms.IntegerField(
        min_value=0, widget=forms.HiddenInput, error_messages=_STALE_FORM
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        sections = {
            name: forms.CharField(
                label=label,
                help_text=help_text,
                required=False,
                max_length=SECTION_MAX,
                widget=forms.Textarea(attrs={"rows": 4}),
                error_messages={
                    "max_length": f"Enter {SECTION_MAX} characters or fewer."
                },
            )
            for name, label, help_text in PLAN_SECTIONS
        }
        self.fields = {**sections, **self.fields}

    def clean_victim_agreed(self) -> bool:
        return self.cleaned_data["victim_agreed"] == YES

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if (
            data.get("victim_agreed")
            and data.get("agreed_on") is None
            and "agreed_on" not in self.errors
        ):
            self.add_error("agreed_on", "Enter the date the victim agreed the plan.")
        if data.get("victim_agreed") is False:
            data["agreed_on"] = None
        return data

    @staticmethod
    def initial_from(values: dict[str, Any], number: int) -> dict[str, Any]:
        """Form values from a version's (``plan_current_values``)."""
        initial = dict(values)
        if "victim_agreed" in initial:
            initial["victim_agreed"] = YES if initial["victim_agreed"] else NO
        initial["version"] = number
        return initial
