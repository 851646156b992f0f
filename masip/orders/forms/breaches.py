"""Breaches: recorded on the order directly, confirmed from a review (or the
review dismissed), and the police response and charge outcome updated."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms

from masip.core.forms import GovukForm, GovukTimeField, VersionField, form_field
from masip.incidents.forms import london_datetime
from masip.orders.forms._fields import (
    RESPONSE_FIELDS,
    STALE,
    condition_choices,
    date_field,
    response_fields,
    text_field,
)
from masip.orders.models import OrderCondition


class _ConditionsChosenForm(GovukForm):
    conditions = forms.MultipleChoiceField(
        label="Conditions breached",
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Select the conditions breached.",
            "invalid_choice": "Select conditions of this order.",
        },
    )

    def __init__(
        self, *args: Any, conditions: list[OrderCondition], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.offered = {str(c.public_id): c for c in conditions}
        form_field(
            self, "conditions", forms.MultipleChoiceField
        ).choices = condition_choices(conditions)
        self.fields.update(response_fields())

    def clean_conditions(self) -> list[OrderCondition]:
        return [self.offered[v] for v in self.cleaned_data["conditions"]]

    def response_values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in RESPONSE_FIELDS}


class BreachRecordForm(_ConditionsChosenForm):
    occurred_on = date_field(
        "Date of the breach", required="Enter the date of the breach."
    )
    occurred_time = GovukTimeField(
        label="Time", required=False, help_text="Leave blank if not known."
    )
    description = text_field(
        "What happened",
        required="Enter what happened.",
        rows=4,
        help_text="For example, did not attend the assessment on 3 March.",
    )

    field_order = [
        "conditions",
        "occurred_on",
        "occurred_time",
        "description",
        "police_response",
        "police_response_note",
        "charge_outcome",
        "charge_outcome_note",
    ]

    def occurred_at(self) -> dt.datetime:
        data = self.cleaned_data
        return london_datetime(data["occurred_on"], data["occurred_time"] or dt.time(0))


class ReviewConfirmForm(_ConditionsChosenForm):
    description = text_field(
        "Notes on the breach",
        rows=2,
        help_text="The incident's own account is linked to the breach.",
    )

    prefix = "confirm"


class ReviewDismissForm(GovukForm):
    reason = text_field(
        "Why it is not a breach", required="Enter why it is not a breach.", rows=2
    )

    prefix = "dismiss"


class BreachUpdateForm(GovukForm):
    version = VersionField(error_messages=STALE)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields = {**response_fields(), **self.fields}
