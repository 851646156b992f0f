"""The form adding or changing an advice topic."""

from __future__ import annotations

from django import forms

from masip.core.forms import GovukForm
from masip.helpline.forms.contact import textarea
from masip.helpline.models import AdviceTopic
from masip.helpline.services.advice import DESCRIPTION_MAX, TITLE_MAX


class AdviceTopicForm(GovukForm):
    area = forms.ChoiceField(
        label="Area",
        choices=AdviceTopic.Area.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select an area."},
    )
    title = forms.CharField(
        label="Title",
        max_length=TITLE_MAX,
        widget=forms.TextInput(attrs={"class": "govuk-input"}),
        error_messages={
            "required": "Enter a title.",
            "max_length": f"Keep the title to {TITLE_MAX} characters.",
        },
    )
    description = forms.CharField(
        label="What the advice covers",
        required=False,
        max_length=DESCRIPTION_MAX,
        widget=textarea(3),
        error_messages={
            "max_length": f"Keep the description to {DESCRIPTION_MAX:,} characters."
        },
    )
