"""The alert pages' forms: the list filters, acknowledging and closing."""

from typing import Any

from django import forms

from masip.alerts.models import AlertOutcome, AlertStatus, RuleCode
from masip.alerts.selectors import AlertFilters
from masip.core.forms import GovukForm, VersionField

NOTES_MAX = 5000


class AlertFilterForm(GovukForm):
    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[("", "Any status"), *AlertStatus.choices],
    )
    rule = forms.ChoiceField(
        label="What raised it",
        required=False,
        choices=[("", "Any rule"), *RuleCode.choices],
    )

    def filters(self) -> AlertFilters:
        """The cleaned filters (call only once the form is valid)."""
        return AlertFilters(
            status=self.cleaned_data["status"], rule=self.cleaned_data["rule"]
        )


class AlertAcknowledgeForm(GovukForm):
    version = VersionField()


class AlertCloseForm(GovukForm):
    outcome = forms.ChoiceField(
        label="Outcome",
        choices=AlertOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the outcome."},
    )
    notes = forms.CharField(
        label="Notes",
        help_text=(
            "What you checked, what the member of staff said and what happens "
            "next. Needed unless there is no concern. Do not include addresses "
            "or contact details."
        ),
        required=False,
        max_length=NOTES_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={
            "max_length": f"Notes must be {NOTES_MAX} characters or fewer."
        },
    )
    version = VersionField()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        outcome = cleaned.get("outcome")
        notes = (cleaned.get("notes") or "").strip()
        if outcome and outcome != AlertOutcome.NO_CONCERN and not notes:
            self.add_error("notes", "Enter notes on what was found and done.")
        return cleaned
