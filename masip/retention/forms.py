"""The retention decision form: the choices offered follow the case's state."""

from typing import Any

from django import forms

from masip.core.forms import GovukDateField, GovukForm
from masip.retention.models import Decision
from masip.retention.selectors import ReviewState

CONFIRM = "confirm_disposal"
LABELS = {
    Decision.RETAIN.value: "Keep the case until the next review",
    Decision.LEGAL_HOLD.value: "Put the case on legal hold",
    Decision.HOLD_LIFTED.value: "Lift the legal hold",
    Decision.DISPOSAL_PROPOSED.value: "Propose disposal (another manager confirms)",
    Decision.DISPOSAL_WITHDRAWN.value: "Withdraw the proposal to dispose",
    CONFIRM: "Confirm disposal: destroy the case record",
}


def choices_for(state: ReviewState, *, user_id: int) -> list[str]:
    """The decisions open to this user on a case in this state."""
    if state.legal_hold:
        return [Decision.RETAIN, Decision.HOLD_LIFTED]
    offered: list[str]
    if state.disposal_proposed:
        assert state.retention is not None
        offered = [Decision.RETAIN, Decision.DISPOSAL_WITHDRAWN, Decision.LEGAL_HOLD]
        if state.retention.disposal_proposed_by_id != user_id:
            offered.insert(0, CONFIRM)
        return offered
    offered = [Decision.RETAIN, Decision.LEGAL_HOLD]
    if state.is_due:
        offered.append(Decision.DISPOSAL_PROPOSED)
    return offered


class DecisionForm(GovukForm):
    decision = forms.ChoiceField(
        label="Decision",
        widget=forms.RadioSelect,
        error_messages={"required": "Select a decision."},
    )
    reason = forms.CharField(
        label="Reason",
        help_text=(
            "Why this decision meets the retention schedule: the policing, "
            "safeguarding or care purpose, or why none remains. Do not write "
            "personal details here: the reason is kept after disposal."
        ),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        error_messages={"required": "Enter the reason for the decision."},
    )
    next_review_on = GovukDateField(
        label="Next review date (if keeping the case)",
        help_text="Leave blank to use the schedule's review interval.",
        required=False,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args: Any, offered: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["decision"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(value, LABELS[value]) for value in offered]
