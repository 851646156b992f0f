"""A GOV.UK form for any instrument, built from its items (docs/risk.md)."""

from __future__ import annotations

from typing import Any

from django import forms

from masip.core.forms import GovukDateField, GovukForm
from masip.risk.instruments import Instrument, Item
from masip.risk.scoring import Answer
from masip.risk.services import OVERRIDE, RATIONALE

YES_NO = [("yes", "Yes"), ("no", "No")]
UNKNOWN = [("unknown", "Not known")]
TEXT_LIMIT = 5000


def _field(item: Item) -> forms.Field:
    common: dict[str, Any] = {
        "label": item.text,
        "help_text": item.help,
        "required": item.required,
        "error_messages": {"required": _required_message(item)},
    }
    if item.answer in ("yes_no", "yes_no_unknown"):
        choices = YES_NO + (UNKNOWN if item.answer == "yes_no_unknown" else [])
        return forms.ChoiceField(choices=choices, widget=forms.RadioSelect, **common)
    if item.answer == "scale":
        assert item.minimum is not None
        assert item.maximum is not None
        return forms.TypedChoiceField(
            choices=_scale_choices(item), coerce=int, widget=forms.RadioSelect, **common
        )
    if item.answer == "choice":
        choices = [(c.value, c.label) for c in item.choices]
        return forms.ChoiceField(choices=choices, widget=forms.RadioSelect, **common)
    if item.answer == "date":
        return GovukDateField(**common)
    return forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4, "class": "govuk-textarea"}),
        max_length=TEXT_LIMIT,
        **common,
    )


def _scale_choices(item: Item) -> list[tuple[int, str]]:
    assert item.minimum is not None
    assert item.maximum is not None
    choices = []
    for value in range(item.minimum, item.maximum + 1):
        label = str(value)
        if value == item.minimum and item.min_label:
            label = f"{value}: {item.min_label}"
        elif value == item.maximum and item.max_label:
            label = f"{value}: {item.max_label}"
        choices.append((value, label))
    return choices


def _required_message(item: Item) -> str:
    if item.answer in ("text",):
        return "Enter an answer."
    if item.answer == "date":
        return "Enter a date."
    return "Select an answer."


class AssessmentForm(GovukForm):
    """The instrument's questions, then (where allowed) a professional
    judgement: a different level and why."""

    def __init__(self, *args: Any, instrument: Instrument, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instrument = instrument
        for item in instrument.items:
            self.fields[item.id] = _field(item)
        if instrument.override_allowed:
            levels = [("", "No: keep the level the answers give")] + [
                (level, level.capitalize()) for level in instrument.scoring.levels
            ]
            self.fields[OVERRIDE] = forms.ChoiceField(
                label="Does your professional judgement give a different level?",
                choices=levels,
                required=False,
                widget=forms.RadioSelect,
            )
            self.fields[RATIONALE] = forms.CharField(
                label="Why the level should differ from the score",
                help_text=(
                    f"At least {instrument.rationale_min_chars} characters. "
                    "Say what you know that the questions do not capture."
                ),
                required=False,
                max_length=TEXT_LIMIT,
                widget=forms.Textarea(attrs={"rows": 4, "class": "govuk-textarea"}),
            )

    def answers(self) -> dict[str, Answer]:
        """The answers given, as the scoring reads them (blanks left out)."""
        answers: dict[str, Answer] = {}
        for item in self.instrument.items:
            value = self.cleaned_data.get(item.id)
            if value in (None, ""):
                continue
            answers[item.id] = value.isoformat() if item.answer == "date" else value
        return answers

    def sections(self) -> list[tuple[str, list[forms.BoundField]]]:
        """The questions grouped under their section headings, in order."""
        grouped: list[tuple[str, list[forms.BoundField]]] = []
        for item in self.instrument.items:
            if not grouped or grouped[-1][0] != item.section:
                grouped.append((item.section, []))
            grouped[-1][1].append(self[item.id])
        return grouped

    def judgement_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in (OVERRIDE, RATIONALE) if name in self.fields]


class RecognitionForm(GovukForm):
    decision = forms.ChoiceField(
        label="What should the conduct be recorded as?",
        choices=[
            ("stalking", "Record it as stalking"),
            ("harassment", "Keep it as harassment only"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Select what to record the conduct as."},
    )
    reason = forms.CharField(
        label="Why",
        help_text="Needed to keep it as harassment: say what makes it not stalking.",
        required=False,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3, "class": "govuk-textarea"}),
    )
