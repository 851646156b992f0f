"""The handover form: the caller's consent, asked there and then, the
programme, and who to contact (asked only here, never kept on the contact)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone

from masip.accounts.models import Site
from masip.core.forms import GovukDateField, GovukForm
from masip.helpline.models import ShareConsent
from masip.referrals.models import Urgency
from masip.referrals.services import ReferredPeople

NAME_MAX = 100
TEXT_MAX = 2000

CONSENT_CHOICES = [
    (ShareConsent.GIVEN.value, "Yes, the caller agrees to the handover"),
    (ShareConsent.REFUSED.value, "No, the caller does not agree"),
]


def _name(label: str, *, required: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=NAME_MAX,
        required=bool(required),
        error_messages={
            **({"required": required} if required else {}),
            "max_length": f"{label} must be {NAME_MAX} characters or fewer.",
        },
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )


def _past(value: dt.date | None) -> None:
    if value is not None and value >= timezone.localdate():
        raise forms.ValidationError("The date of birth must be in the past.")


class HandoverForm(GovukForm):
    consent = forms.ChoiceField(
        label="Does the caller agree to this being shared with the programme?",
        choices=CONSENT_CHOICES,
        widget=forms.RadioSelect,
        help_text="Ask the caller now, after reading them what will be shared.",
        error_messages={
            "required": "Select whether the caller agrees to the handover."
        },
    )
    site = forms.ModelChoiceField(
        label="Which programme should receive it?",
        queryset=Site.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={
            "required": "Select the programme to hand over to.",
            "invalid_choice": "Select a programme from the list.",
        },
    )
    urgency = forms.ChoiceField(
        label="How urgent is it?",
        choices=Urgency.choices,
        widget=forms.RadioSelect,
        help_text="Urgent referrals are triaged within a day, routine ones within "
        "three days.",
        error_messages={"required": "Select how urgent the handover is."},
    )
    victim_given_name = _name(
        "Given name of the person being stalked",
        required="Enter the given name of the person being stalked.",
    )
    victim_family_name = _name("Family name of the person being stalked")
    victim_date_of_birth = GovukDateField(
        label="Their date of birth",
        help_text="For example, 27 3 1990",
        required=False,
        validators=[_past],
    )
    victim_safe_contact = forms.CharField(
        label="How and when can the programme contact them safely?",
        help_text="For example, a phone number and the times it is safe to call, "
        "or an email address only they read. Ask the caller; do not guess.",
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "off"}),
        error_messages={
            "required": "Enter how the programme can contact them safely.",
            "max_length": f"Contact details must be {TEXT_MAX} characters or fewer.",
        },
    )
    perpetrator_given_name = _name("Given name of the person stalking them")
    perpetrator_family_name = _name("Family name of the person stalking them")
    consent_reason = forms.CharField(
        label="Anything the programme should know about the consent",
        help_text="For example, that they only want contact by email.",
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={
            "max_length": f"The note must be {TEXT_MAX} characters or fewer."
        },
    )

    def __init__(
        self, data: Any = None, *, sites: QuerySet[Site], **kwargs: Any
    ) -> None:
        super().__init__(data, **kwargs)
        site_field = self.fields["site"]
        assert isinstance(site_field, forms.ModelChoiceField)
        site_field.queryset = sites

    def people(self) -> ReferredPeople:
        data = self.cleaned_data
        return ReferredPeople(
            victim_given_name=data["victim_given_name"],
            victim_family_name=data["victim_family_name"],
            victim_date_of_birth=data["victim_date_of_birth"],
            perpetrator_given_name=data["perpetrator_given_name"],
            perpetrator_family_name=data["perpetrator_family_name"],
            victim_safe_contact=data["victim_safe_contact"],
        )
