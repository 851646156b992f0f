"""The audit trail's filter form."""

from typing import Any

from django import forms

from masip.audit.events import EventType
from masip.audit.selectors import EventFilters
from masip.core.forms import GovukDateField, GovukForm


def _event_type_choices() -> list[tuple[str, str]]:
    by_label = sorted(EventType.choices, key=lambda choice: str(choice[1]))
    return [("", "All events"), *by_label]


class EventFilterForm(GovukForm):
    case_reference = forms.CharField(
        label="Case reference",
        required=False,
        max_length=20,
        help_text="For example, STK-7K3M-9QXR.",
    )
    actor = forms.CharField(
        label="Email address contains",
        required=False,
        max_length=254,
        help_text="All or part of the email address of the person who acted.",
    )
    event_type = forms.ChoiceField(
        label="What happened", required=False, choices=_event_type_choices
    )
    date_from = GovukDateField(
        label="Date from", required=False, help_text="For example, 27 3 2026."
    )
    date_to = GovukDateField(
        label="Date to", required=False, help_text="For example, 3 4 2026."
    )

    def clean_case_reference(self) -> str:
        value: str = self.cleaned_data["case_reference"]
        return value.strip().upper()

    def clean_actor(self) -> str:
        value: str = self.cleaned_data["actor"]
        return value.strip()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        if date_from and date_to and date_to < date_from:
            self.add_error("date_to", "Date to must be the same as or after date from.")
        return cleaned

    def filters(self) -> EventFilters:
        """The cleaned filters (call only once the form is valid)."""
        data = self.cleaned_data
        return EventFilters(
            case_reference=data["case_reference"],
            actor=data["actor"],
            event_type=data["event_type"],
            date_from=data["date_from"],
            date_to=data["date_to"],
        )
