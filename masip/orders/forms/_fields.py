"""What the order forms share: the field builders with GOV.UK error wording,
a condition's fields, and the police response and charge outcome fields."""

from __future__ import annotations

from typing import Any

from django import forms

from masip.core.forms import GovukDateField, GovukForm
from masip.orders.models import (
    ChargeOutcome,
    ConditionKind,
    OrderCondition,
    PoliceResponse,
)
from masip.orders.services import TEXT_MAX, ConditionSpec

STALE = {
    "required": "Open the order again and make your change.",
    "invalid": "Open the order again and make your change.",
}


def textarea(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


def limit(message: str) -> dict[str, str]:
    return {"max_length": message}


def choice_errors(message: str) -> dict[str, str]:
    """The same message whether nothing or something unknown is chosen."""
    return {"required": message, "invalid_choice": message}


def text_field(
    label: str, *, required: str = "", rows: int = 3, **kwargs: Any
) -> forms.CharField:
    """A text box of up to ``TEXT_MAX`` characters; ``required`` is the message
    when it is left empty (none: it may be)."""
    errors = {"required": required} if required else {}
    return forms.CharField(
        label=label,
        required=bool(required),
        max_length=TEXT_MAX,
        widget=textarea(rows),
        error_messages={**errors, **limit(f"Enter {TEXT_MAX} characters or fewer.")},
        **kwargs,
    )


def date_field(label: str, *, required: str = "", **kwargs: Any) -> GovukDateField:
    """A date; ``required`` is the message when it is left empty (none: it may be)."""
    if not required:
        return GovukDateField(label=label, required=False, **kwargs)
    return GovukDateField(label=label, error_messages={"required": required}, **kwargs)


def condition_choices(conditions: list[OrderCondition]) -> list[tuple[str, str]]:
    return [(str(c.public_id), f"{c.label}: {c.wording}") for c in conditions]


def condition_fields(prefix: str, *, optional: bool) -> dict[str, forms.Field]:
    """The fields of one condition (``prefix`` names them apart)."""
    kind_choices: list[tuple[str, str]] = list(ConditionKind.choices)
    if optional:
        kind_choices = [("", "No condition"), *kind_choices]
    return {
        f"{prefix}kind": forms.ChoiceField(
            label="Kind of condition",
            choices=kind_choices,
            required=not optional,
            error_messages=choice_errors("Select the kind of condition."),
        ),
        f"{prefix}includes_indirect": forms.BooleanField(
            label="Includes indirect contact (through other people)",
            required=False,
            help_text="For a no-contact condition only.",
        ),
        f"{prefix}wording": text_field(
            "What the order says", help_text="Copy the words of the order."
        ),
        f"{prefix}zone_description": text_field(
            "The zone or distance, in words",
            rows=2,
            help_text=(
                "For an exclusion zone or no-approach condition. It can show where "
                "the victim lives, so only staff who see victim location and "
                "contact details see it."
            ),
        ),
    }


def condition_spec(data: dict[str, Any], prefix: str) -> ConditionSpec | None:
    kind = data.get(f"{prefix}kind") or ""
    if not kind:
        return None
    return ConditionSpec(
        kind=kind,
        wording=data.get(f"{prefix}wording") or "",
        includes_indirect=bool(data.get(f"{prefix}includes_indirect")),
        zone_description=data.get(f"{prefix}zone_description") or "",
    )


def check_condition(form: GovukForm, prefix: str) -> None:
    data = form.cleaned_data
    if data.get(f"{prefix}kind") and not (data.get(f"{prefix}wording") or "").strip():
        form.add_error(f"{prefix}wording", "Enter what the order says.")


RESPONSE_FIELDS = (
    "police_response",
    "police_response_note",
    "charge_outcome",
    "charge_outcome_note",
)


def response_fields() -> dict[str, forms.Field]:
    """The police response and the charge outcome, with their notes."""
    return {
        "police_response": forms.ChoiceField(
            label="Police response",
            choices=PoliceResponse.choices,
            widget=forms.RadioSelect,
            error_messages=choice_errors("Select the police response."),
        ),
        "police_response_note": text_field("Notes on the police response", rows=2),
        "charge_outcome": forms.ChoiceField(
            label="Charge outcome",
            choices=ChargeOutcome.choices,
            initial=ChargeOutcome.PENDING,
            widget=forms.RadioSelect,
            help_text="Charge new offences in addition to the breach (CPS "
            "guidance, January 2025).",
            error_messages=choice_errors("Select the charge outcome."),
        ),
        "charge_outcome_note": text_field("Notes on the charge outcome", rows=2),
    }
