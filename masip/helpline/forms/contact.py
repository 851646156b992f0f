"""Forms of the home and live-call pages.

``ContactForm`` draws the live-call page. It does not judge the answers
itself: the autosave service checks each answer (``masip.helpline.fields``)
and the page shows the service's problems against the answers they are
about, so the page, the autosave and the "Save draft" button agree.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django import forms
from django.forms.utils import ErrorDict
from django.http import QueryDict

from masip.accounts.models import User
from masip.core.forms import GovukDateField, GovukForm, GovukTimeField, form_field
from masip.helpline import areas
from masip.helpline import fields as f
from masip.helpline.models import (
    AdviceTopic,
    CallerType,
    ContactChannel,
    DigitalIndicator,
    DurationBand,
    FollowUp,
    ReferralMade,
    Relationship,
)
from masip.risk.instruments import Instrument

Choices = Sequence[tuple[str, str]]
# A problem about an answer shown against the input that asks it.
PROBLEM_FIELD = {"follow_up_due": "follow_up_date", "caller_key": "caller_word"}


def query_dict(raw: Mapping[str, Sequence[str]]) -> QueryDict:
    data = QueryDict(mutable=True)
    for name, values in raw.items():
        data.setlist(name, list(values))
    return data


def textarea(rows: int) -> forms.Textarea:
    """A GOV.UK text area ``rows`` lines high."""
    return forms.Textarea(attrs={"rows": rows, "class": "govuk-textarea"})


def _radios(label: str, choices: Choices) -> forms.ChoiceField:
    """An answer chosen from ``choices`` that may be left for later."""
    return forms.ChoiceField(
        label=label, choices=choices, widget=forms.RadioSelect, required=False
    )


def _checkboxes(
    label: str, choices: Choices, *, help_text: str = ""
) -> forms.MultipleChoiceField:
    """Any of ``choices``, none ticked being an answer left for later."""
    return forms.MultipleChoiceField(
        label=label,
        help_text=help_text,
        choices=choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


class StartForm(GovukForm):
    channel = forms.ChoiceField(
        label="How did they get in touch?",
        choices=ContactChannel.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how they got in touch."},
    )


class ContactForm(GovukForm):
    """Every answer of the live-call page, always bound (to the stored
    answers, or to what was posted), with the service's problems as errors."""

    channel = _radios("How did they get in touch?", ContactChannel.choices)
    caller_type = _radios("Who is getting in touch?", CallerType.choices)
    force_area = forms.ChoiceField(
        label="Police force area where the stalking is happening",
        choices=[("", "Select a force area"), *areas.CHOICES],
        widget=forms.Select(attrs={"class": "govuk-select"}),
        required=False,
    )
    relationship = _radios(
        "Who is the person stalking to the person being stalked?", Relationship.choices
    )
    duration_band = _radios("How long has it been going on?", DurationBand.choices)
    behaviours = _checkboxes(
        "What is the person doing?",
        f.BEHAVIOUR_CHOICES,
        help_text="Select all the caller describes, or 'None reported'.",
    )
    digital_indicators = _checkboxes(
        "Digital and tracking signs",
        DigitalIndicator.choices,
        help_text="Select any the caller describes.",
    )
    advice = forms.MultipleChoiceField(label="Advice given", required=False)
    referrals_made = _checkboxes("Referrals made", ReferralMade.choices)
    safeguarding_override = forms.BooleanField(
        label="Confidentiality was overridden to keep someone safe",
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "govuk-checkboxes__input"}),
    )
    safeguarding_decided_by = forms.ChoiceField(
        label="Who decided?",
        help_text="You, or the colleague or manager you consulted.",
        required=False,
        widget=forms.Select(attrs={"class": "govuk-select"}),
    )
    safeguarding_reason = forms.CharField(
        label="Why confidentiality was overridden",
        help_text="Kept sealed. Say who was at risk and what was shared with whom.",
        required=False,
        widget=textarea(3),
    )
    follow_up = _radios("Follow-up agreed", FollowUp.choices)
    follow_up_date = GovukDateField(
        label="When is the follow-up due?",
        help_text="For example, 27 3 2026. Leave empty if there is no follow-up.",
        required=False,
    )
    follow_up_time = GovukTimeField(
        label="At what time?",
        help_text="For example, 14:30. Without a time it is due at 9am.",
        required=False,
    )
    narrative = forms.CharField(
        label="The caller's account",
        help_text="In the caller's words where you can. Kept sealed.",
        required=False,
        widget=textarea(8),
    )
    notes = forms.CharField(
        label="Your notes",
        help_text="Kept sealed.",
        required=False,
        widget=textarea(4),
    )
    caller_word = forms.CharField(
        label="Reference word the caller chose",
        help_text=(
            "Only a keyed code made from it is kept, never the word. Give the "
            "same word next time to link the contacts."
        ),
        required=False,
        widget=forms.TextInput(
            attrs={"class": "govuk-input govuk-!-width-one-half", "autocomplete": "off"}
        ),
    )
    caller_phone = forms.CharField(
        label="Or the caller's phone number",
        help_text="Only a keyed code made from it is kept, never the number.",
        required=False,
        widget=forms.TextInput(
            attrs={
                "class": "govuk-input govuk-input--width-20",
                "autocomplete": "off",
                "type": "tel",
            }
        ),
    )

    def __init__(
        self,
        data: Mapping[str, Sequence[str]],
        *,
        instrument: Instrument,
        topics: Sequence[AdviceTopic],
        colleagues: Sequence[User],
        problems: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(query_dict(data))
        self.instrument = instrument
        self.topics = list(topics)
        self.problems = dict(problems or {})
        form_field(self, "advice", forms.MultipleChoiceField).choices = [
            (str(t.pk), t.title) for t in self.topics
        ]
        form_field(self, "safeguarding_decided_by", forms.ChoiceField).choices = [
            ("", "Select who decided"),
            *((str(u.pk), u.full_name) for u in colleagues),
        ]
        for item in instrument.items:
            self.fields[f.RISK_PREFIX + item.id] = forms.ChoiceField(
                label=item.text,
                help_text=item.help,
                choices=f.RISK_CHOICES,
                widget=forms.RadioSelect,
                required=False,
            )
        for name, letter, question in f.FOUR:
            self.fields[name] = forms.ChoiceField(
                label=f"{letter}: {question}",
                choices=f.FOUR_CHOICES,
                widget=forms.RadioSelect,
                required=False,
            )

    def full_clean(self) -> None:
        """No checks of its own: the errors are the service's problems."""
        self._errors = ErrorDict()
        self.cleaned_data = {}
        for name, message in self.problems.items():
            target = PROBLEM_FIELD.get(name, name)
            key = target if target in self.fields else "__all__"
            self._errors.setdefault(key, self.error_class()).append(message)
        self.describe_fields()

    def four_fields(self) -> list[forms.BoundField]:
        return [self[name] for name, _, _ in f.FOUR]

    def risk_sections(self) -> list[tuple[str, list[forms.BoundField]]]:
        grouped: list[tuple[str, list[forms.BoundField]]] = []
        for item in self.instrument.items:
            if not grouped or grouped[-1][0] != item.section:
                grouped.append((item.section, []))
            grouped[-1][1].append(self[f.RISK_PREFIX + item.id])
        return grouped

    def advice_sections(self) -> list[tuple[str, list[tuple[AdviceTopic, bool]]]]:
        data = self.data
        chosen = set(data.getlist("advice")) if isinstance(data, QueryDict) else set()
        grouped: list[tuple[str, list[tuple[AdviceTopic, bool]]]] = []
        for code, label in AdviceTopic.Area.choices:
            items = [(t, str(t.pk) in chosen) for t in self.topics if t.area == code]
            if items:
                grouped.append((str(label), items))
        return grouped


class CallerSearchForm(GovukForm):
    caller_word = forms.CharField(
        label="Reference word",
        required=False,
        max_length=f.CALLER_WORD_MAX,
        widget=forms.TextInput(attrs={"class": "govuk-input", "autocomplete": "off"}),
    )
    caller_phone = forms.CharField(
        label="Or phone number",
        required=False,
        max_length=40,
        widget=forms.TextInput(
            attrs={"class": "govuk-input", "autocomplete": "off", "type": "tel"}
        ),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if (
            not (data.get("caller_word") or "").strip()
            and not (data.get("caller_phone") or "").strip()
        ):
            raise forms.ValidationError("Enter a reference word or a phone number.")
        return data
