"""The SPO notification requirements: a new name or address, a notification
made."""

from __future__ import annotations

from django import forms

from masip.core.forms import GovukForm
from masip.orders.forms._fields import (
    choice_errors,
    date_field,
)
from masip.orders.models import NotificationRequirement


class NotificationChangeForm(GovukForm):
    kind = forms.ChoiceField(
        label="What changed",
        choices=[
            (k.value, k.label)
            for k in (
                NotificationRequirement.Kind.NEW_NAME,
                NotificationRequirement.Kind.NEW_ADDRESS,
            )
        ],
        widget=forms.RadioSelect,
        error_messages=choice_errors("Select a new name or a new address."),
    )
    changed_on = date_field(
        "Date of the change",
        required="Enter the date of the change.",
        help_text="The day they started using the name, or moved. They must "
        "notify the police within 3 days of it.",
    )


class NotificationMadeForm(GovukForm):
    notified_on = date_field(
        "Date they notified the police",
        required="Enter the date they notified the police.",
    )
