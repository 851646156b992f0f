"""The protection dashboard's filter."""

from __future__ import annotations

from typing import Any

from django import forms

from masip.accounts.models import Agency
from masip.core.forms import GovukForm, form_field

ALL_AGENCIES = "all"


class DashboardFilterForm(GovukForm):
    agency = forms.ChoiceField(
        label="Agency responsible", required=False, error_messages={}
    )

    def __init__(self, *args: Any, agencies: list[Agency], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "agency", forms.ChoiceField).choices = [
            (ALL_AGENCIES, "All agencies"),
            *[(str(a.pk), a.name) for a in agencies],
        ]
