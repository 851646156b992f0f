"""The form for a member of staff's home address."""

import re

from django import forms

from masip.accounts.home_address_services import format_postcode
from masip.core.forms import GovukForm
from masip.crypto.blind import normalise_postcode

# The shape of a UK postcode with its spaces taken out (BS 7666).
UK_POSTCODE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?[0-9][A-Z]{2}$")


class StaffHomeAddressForm(GovukForm):
    line_1 = forms.CharField(
        label="First line of the address",
        help_text=(
            "The house number or name and the street, for example 12 Acacia Road."
        ),
        max_length=200,
        error_messages={
            "required": "Enter the first line of the address.",
            "max_length": "The first line must be 200 characters or fewer.",
        },
    )
    postcode = forms.CharField(
        label="Postcode",
        max_length=10,
        error_messages={
            "required": "Enter the postcode.",
            "max_length": "Enter a real postcode, such as SW1A 1AA.",
        },
    )

    def clean_postcode(self) -> str:
        value: str = self.cleaned_data["postcode"]
        if not UK_POSTCODE.match(normalise_postcode(value)):
            raise forms.ValidationError("Enter a real postcode, such as SW1A 1AA.")
        return format_postcode(value)
