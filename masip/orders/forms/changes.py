"""The changes in an order's life: service, variation, renewal, discharge."""

from __future__ import annotations

from typing import Any

from django import forms

from masip.core.forms import GovukForm, VersionField, form_field
from masip.orders.forms._fields import (
    STALE,
    check_condition,
    condition_choices,
    condition_fields,
    condition_spec,
    date_field,
    text_field,
)
from masip.orders.models import OrderCondition
from masip.orders.services import ConditionSpec


class ServeForm(GovukForm):
    served_on = date_field(
        "Date served",
        required="Enter the date the order was served.",
        help_text="For example, 27 3 2026.",
    )
    version = VersionField(error_messages=STALE)


class VaryForm(GovukForm):
    varied_on = date_field(
        "Date varied", required="Enter the date the court varied the order."
    )
    detail = text_field(
        "What the court changed", required="Enter what the court changed."
    )
    end_conditions = forms.MultipleChoiceField(
        label="Conditions removed",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="They no longer apply from the date varied.",
        error_messages={"invalid_choice": "Select conditions of this order."},
    )
    version = VersionField(error_messages=STALE)

    def __init__(
        self, *args: Any, conditions: list[OrderCondition], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.current = {str(c.public_id): c for c in conditions}
        form_field(
            self, "end_conditions", forms.MultipleChoiceField
        ).choices = condition_choices(conditions)
        new = condition_fields("new_", optional=True)
        new["new_kind"].label = "Condition added (optional)"
        self.fields.update(new)

    def clean_end_conditions(self) -> list[OrderCondition]:
        return [self.current[v] for v in self.cleaned_data["end_conditions"]]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        check_condition(self, "new_")
        if (
            not self.errors
            and not data.get("end_conditions")
            and not data.get("new_kind")
        ):
            self.add_error(
                "end_conditions", "Select a condition to remove, or add a condition."
            )
        return data

    def new_condition(self) -> ConditionSpec | None:
        return condition_spec(self.cleaned_data, "new_")


class RenewForm(GovukForm):
    renewed_on = date_field(
        "Date renewed", required="Enter the date the court renewed the order."
    )
    expires_on = date_field(
        "New expiry date",
        help_text="The last day it is in force. A renewed Stalking Protection "
        "Order lasts at least 2 years from the renewal.",
    )
    until_further_order = forms.BooleanField(
        label="It now lasts until further order", required=False
    )
    detail = text_field("Notes on the renewal")
    version = VersionField(error_messages=STALE)


class DischargeForm(GovukForm):
    discharged_on = date_field(
        "Date discharged", required="Enter the date the order was discharged."
    )
    detail = text_field(
        "Why it was discharged", required="Enter why it was discharged."
    )
    version = VersionField(error_messages=STALE)
