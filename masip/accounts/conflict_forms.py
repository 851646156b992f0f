"""The form for declaring a conflict of interest."""

import datetime as dt

from django import forms
from django.utils import timezone

from masip.accounts.models import ConflictRelationship
from masip.core.forms import GovukDateField, GovukForm


class ConflictDeclareForm(GovukForm):
    given_name = forms.CharField(
        label="First name",
        max_length=100,
        error_messages={
            "required": "Enter the person's first name.",
            "max_length": "The first name must be 100 characters or fewer.",
        },
    )
    family_name = forms.CharField(
        label="Last name",
        max_length=100,
        error_messages={
            "required": "Enter the person's last name.",
            "max_length": "The last name must be 100 characters or fewer.",
        },
    )
    date_of_birth = GovukDateField(
        label="Date of birth (optional)",
        help_text=(
            "If you know it. Without it, everyone on MASIP with this name is "
            "closed to you. For example, 27 3 1985."
        ),
        required=False,
    )
    relationship = forms.ChoiceField(
        label="How you know them",
        choices=ConflictRelationship.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how you know the person."},
    )

    def clean_date_of_birth(self) -> dt.date | None:
        value: dt.date | None = self.cleaned_data.get("date_of_birth")
        if value is not None and value > timezone.localdate():
            raise forms.ValidationError("The date of birth must be in the past.")
        return value
