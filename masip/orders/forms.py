"""Forms for orders, conditions, notification requirements and breaches."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import QuerySet

from masip.accounts.models import Agency, User
from masip.core.forms import (
    GovukDateField,
    GovukForm,
    GovukTimeField,
    VersionField,
    form_field,
)
from masip.incidents.forms import london_datetime
from masip.orders.models import (
    ChargeOutcome,
    ConditionKind,
    NotificationRequirement,
    OrderCondition,
    OrderKind,
    PoliceResponse,
)
from masip.orders.services import TEXT_MAX, ConditionSpec
from masip.people.models import Person

# Blank condition rows on the record page: enough for most orders without
# JavaScript; more are added on the order's "Add a condition" page.
CONDITION_ROWS = 3
NO_OWNER = ""
STALE = {
    "required": "Open the order again and make your change.",
    "invalid": "Open the order again and make your change.",
}


def _textarea(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


def _limit(message: str) -> dict[str, str]:
    return {"max_length": message}


def _people(people: list[Person]) -> list[tuple[str, str]]:
    return [(str(p.public_id), p.full_name) for p in people]


def _condition_choices(conditions: list[OrderCondition]) -> list[tuple[str, str]]:
    return [(str(c.public_id), f"{c.label}: {c.wording}") for c in conditions]


def _condition_fields(prefix: str, *, optional: bool) -> dict[str, forms.Field]:
    """The fields of one condition (``prefix`` names them apart)."""
    kind_choices: list[tuple[str, str]] = list(ConditionKind.choices)
    if optional:
        kind_choices = [("", "No condition"), *kind_choices]
    return {
        f"{prefix}kind": forms.ChoiceField(
            label="Kind of condition",
            choices=kind_choices,
            required=not optional,
            error_messages={
                "required": "Select the kind of condition.",
                "invalid_choice": "Select the kind of condition.",
            },
        ),
        f"{prefix}includes_indirect": forms.BooleanField(
            label="Includes indirect contact (through other people)",
            required=False,
            help_text="For a no-contact condition only.",
        ),
        f"{prefix}wording": forms.CharField(
            label="What the order says",
            required=False,
            max_length=TEXT_MAX,
            widget=_textarea(),
            help_text="Copy the words of the order.",
            error_messages=_limit(f"Enter {TEXT_MAX} characters or fewer."),
        ),
        f"{prefix}zone_description": forms.CharField(
            label="The zone or distance, in words",
            required=False,
            max_length=TEXT_MAX,
            widget=_textarea(2),
            help_text=(
                "For an exclusion zone or no-approach condition. It can show where "
                "the victim lives, so only staff who see victim location and "
                "contact details see it."
            ),
            error_messages=_limit(f"Enter {TEXT_MAX} characters or fewer."),
        ),
    }


def _spec(data: dict[str, Any], prefix: str) -> ConditionSpec | None:
    kind = data.get(f"{prefix}kind") or ""
    if not kind:
        return None
    return ConditionSpec(
        kind=kind,
        wording=data.get(f"{prefix}wording") or "",
        includes_indirect=bool(data.get(f"{prefix}includes_indirect")),
        zone_description=data.get(f"{prefix}zone_description") or "",
    )


def _check_condition(form: GovukForm, prefix: str) -> None:
    data = form.cleaned_data
    if data.get(f"{prefix}kind") and not (data.get(f"{prefix}wording") or "").strip():
        form.add_error(f"{prefix}wording", "Enter what the order says.")


class OrderRecordForm(GovukForm):
    kind = forms.ChoiceField(
        label="Kind of order",
        choices=OrderKind.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the kind of order.",
            "invalid_choice": "Select the kind of order.",
        },
    )
    subject = forms.ChoiceField(
        label="Who the order is against",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select who the order is against.",
            "invalid_choice": "Select who the order is against.",
        },
    )
    protected_persons = forms.MultipleChoiceField(
        label="Who the order protects",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Select people on this case."},
    )
    court = forms.CharField(
        label="Court",
        required=False,
        max_length=200,
        help_text="For police bail, leave blank.",
        error_messages=_limit("Enter 200 characters or fewer."),
    )
    court_reference = forms.CharField(
        label="Court or custody reference",
        required=False,
        max_length=100,
        error_messages=_limit("Enter 100 characters or fewer."),
    )
    made_on = GovukDateField(
        label="Date made",
        help_text="For example, 27 3 2026.",
        error_messages={"required": "Enter the date the order was made."},
    )
    served_on = GovukDateField(
        label="Date served",
        required=False,
        help_text="Leave blank if it has not been served yet. Bail and licence "
        "conditions are in force from the date made.",
    )
    expires_on = GovukDateField(
        label="Expiry date",
        required=False,
        help_text="The last day it is in force. A Stalking Protection Order "
        "lasts at least 2 years.",
    )
    until_further_order = forms.BooleanField(
        label="It lasts until further order", required=False
    )
    owner_agency = forms.ModelChoiceField(
        label="Agency responsible",
        queryset=Agency.objects.none(),
        empty_label=None,
        widget=forms.RadioSelect,
        help_text="The police for a Stalking Protection Order.",
        error_messages={
            "required": "Select the agency responsible.",
            "invalid_choice": "Select the agency responsible.",
        },
    )
    owner = forms.ChoiceField(
        label="Officer or worker responsible",
        required=False,
        help_text="They are told of breaches and overdue notifications. If you "
        "leave it empty, the agency's team managers are told.",
        error_messages={"invalid_choice": "Select a person from the list."},
    )
    notes = forms.CharField(
        label="Notes",
        required=False,
        max_length=TEXT_MAX,
        widget=_textarea(),
        error_messages=_limit(f"Enter {TEXT_MAX} characters or fewer."),
    )

    def __init__(
        self,
        *args: Any,
        subjects: list[Person],
        protectable: list[Person],
        agencies: QuerySet[Agency],
        people: list[tuple[Agency, list[User]]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.subjects = {str(p.public_id): p for p in subjects}
        self.protectable = {str(p.public_id): p for p in protectable}
        self.people = people
        form_field(self, "subject", forms.ChoiceField).choices = _people(subjects)
        form_field(
            self, "protected_persons", forms.MultipleChoiceField
        ).choices = _people(protectable)
        form_field(self, "owner_agency", forms.ModelChoiceField).queryset = agencies
        choices: list[Any] = [(NO_OWNER, "No one yet")]
        for agency, users in people:
            choices.append((agency.name, [(str(u.pk), u.full_name) for u in users]))
        form_field(self, "owner", forms.ChoiceField).choices = choices
        for row in range(CONDITION_ROWS):
            self.fields.update(_condition_fields(f"condition_{row}_", optional=True))

    def condition_rows(self) -> list[list[forms.BoundField]]:
        """The bound fields of each blank condition row, for the template."""
        names = ("kind", "includes_indirect", "wording", "zone_description")
        return [
            [self[f"condition_{row}_{name}"] for name in names]
            for row in range(CONDITION_ROWS)
        ]

    def clean_subject(self) -> Person:
        return self.subjects[self.cleaned_data["subject"]]

    def clean_protected_persons(self) -> list[Person]:
        return [self.protectable[v] for v in self.cleaned_data["protected_persons"]]

    def clean_owner(self) -> User | None:
        value = self.cleaned_data.get("owner") or NO_OWNER
        if value == NO_OWNER:
            return None
        for _, users in self.people:
            for user in users:
                if str(user.pk) == value:
                    return user
        raise forms.ValidationError("Select a person from the list.")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        owner, agency = data.get("owner"), data.get("owner_agency")
        if (
            owner is not None
            and agency is not None
            and not any(
                a.pk == agency.pk and owner in users for a, users in self.people
            )
        ):
            self.add_error("owner", f"Select someone who works for {agency.name}.")
        for row in range(CONDITION_ROWS):
            _check_condition(self, f"condition_{row}_")
        return data

    def conditions(self) -> list[ConditionSpec]:
        specs = [
            _spec(self.cleaned_data, f"condition_{row}_")
            for row in range(CONDITION_ROWS)
        ]
        return [s for s in specs if s is not None]


class ConditionAddForm(GovukForm):
    starts_on = GovukDateField(
        label="Date it started",
        required=False,
        help_text="Leave blank if it applied from the day the order was made.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields = _condition_fields("", optional=False)
        fields.update(self.fields)
        self.fields = fields

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        _check_condition(self, "")
        return data


class ServeForm(GovukForm):
    served_on = GovukDateField(
        label="Date served",
        help_text="For example, 27 3 2026.",
        error_messages={"required": "Enter the date the order was served."},
    )
    version = VersionField(error_messages=STALE)


class VaryForm(GovukForm):
    varied_on = GovukDateField(
        label="Date varied",
        error_messages={"required": "Enter the date the court varied the order."},
    )
    detail = forms.CharField(
        label="What the court changed",
        max_length=TEXT_MAX,
        widget=_textarea(),
        error_messages={
            "required": "Enter what the court changed.",
            **_limit(f"Enter {TEXT_MAX} characters or fewer."),
        },
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
        ).choices = _condition_choices(conditions)
        new = _condition_fields("new_", optional=True)
        form_field_kind = new["new_kind"]
        form_field_kind.label = "Condition added (optional)"
        self.fields.update(new)

    def clean_end_conditions(self) -> list[OrderCondition]:
        return [self.current[v] for v in self.cleaned_data["end_conditions"]]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        _check_condition(self, "new_")
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
        return _spec(self.cleaned_data, "new_")


class RenewForm(GovukForm):
    renewed_on = GovukDateField(
        label="Date renewed",
        error_messages={"required": "Enter the date the court renewed the order."},
    )
    expires_on = GovukDateField(
        label="New expiry date",
        required=False,
        help_text="The last day it is in force. A renewed Stalking Protection "
        "Order lasts at least 2 years from the renewal.",
    )
    until_further_order = forms.BooleanField(
        label="It now lasts until further order", required=False
    )
    detail = forms.CharField(
        label="Notes on the renewal",
        required=False,
        max_length=TEXT_MAX,
        widget=_textarea(),
        error_messages=_limit(f"Enter {TEXT_MAX} characters or fewer."),
    )
    version = VersionField(error_messages=STALE)


class DischargeForm(GovukForm):
    discharged_on = GovukDateField(
        label="Date discharged",
        error_messages={"required": "Enter the date the order was discharged."},
    )
    detail = forms.CharField(
        label="Why it was discharged",
        max_length=TEXT_MAX,
        widget=_textarea(),
        error_messages={
            "required": "Enter why it was discharged.",
            **_limit(f"Enter {TEXT_MAX} characters or fewer."),
        },
    )
    version = VersionField(error_messages=STALE)


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
        error_messages={
            "required": "Select a new name or a new address.",
            "invalid_choice": "Select a new name or a new address.",
        },
    )
    changed_on = GovukDateField(
        label="Date of the change",
        help_text="The day they started using the name, or moved. They must "
        "notify the police within 3 days of it.",
        error_messages={"required": "Enter the date of the change."},
    )


class NotificationMadeForm(GovukForm):
    notified_on = GovukDateField(
        label="Date they notified the police",
        error_messages={"required": "Enter the date they notified the police."},
    )


def _response_fields() -> dict[str, forms.Field]:
    return {
        "police_response": forms.ChoiceField(
            label="Police response",
            choices=PoliceResponse.choices,
            widget=forms.RadioSelect,
            error_messages={
                "required": "Select the police response.",
                "invalid_choice": "Select the police response.",
            },
        ),
        "police_response_note": forms.CharField(
            label="Notes on the police response",
            required=False,
            max_length=TEXT_MAX,
            widget=_textarea(2),
            error_messages=_limit(f"Enter {TEXT_MAX} characters or fewer."),
        ),
        "charge_outcome": forms.ChoiceField(
            label="Charge outcome",
            choices=ChargeOutcome.choices,
            initial=ChargeOutcome.PENDING,
            widget=forms.RadioSelect,
            help_text="Charge new offences in addition to the breach (CPS "
            "guidance, January 2025).",
            error_messages={
                "required": "Select the charge outcome.",
                "invalid_choice": "Select the charge outcome.",
            },
        ),
        "charge_outcome_note": forms.CharField(
            label="Notes on the charge outcome",
            required=False,
            max_length=TEXT_MAX,
            widget=_textarea(2),
            error_messages=_limit(f"Enter {TEXT_MAX} characters or fewer."),
        ),
    }


class _ConditionsChosenForm(GovukForm):
    conditions = forms.MultipleChoiceField(
        label="Conditions breached",
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Select the conditions breached.",
            "invalid_choice": "Select conditions of this order.",
        },
    )

    def __init__(
        self, *args: Any, conditions: list[OrderCondition], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.offered = {str(c.public_id): c for c in conditions}
        form_field(
            self, "conditions", forms.MultipleChoiceField
        ).choices = _condition_choices(conditions)
        self.fields.update(_response_fields())

    def clean_conditions(self) -> list[OrderCondition]:
        return [self.offered[v] for v in self.cleaned_data["conditions"]]

    def response_values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "police_response": data["police_response"],
            "police_response_note": data["police_response_note"],
            "charge_outcome": data["charge_outcome"],
            "charge_outcome_note": data["charge_outcome_note"],
        }


class BreachRecordForm(_ConditionsChosenForm):
    occurred_on = GovukDateField(
        label="Date of the breach",
        error_messages={"required": "Enter the date of the breach."},
    )
    occurred_time = GovukTimeField(
        label="Time", required=False, help_text="Leave blank if not known."
    )
    description = forms.CharField(
        label="What happened",
        max_length=TEXT_MAX,
        widget=_textarea(4),
        help_text="For example, did not attend the assessment on 3 March.",
        error_messages={
            "required": "Enter what happened.",
            **_limit(f"Enter {TEXT_MAX} characters or fewer."),
        },
    )

    field_order = [
        "conditions",
        "occurred_on",
        "occurred_time",
        "description",
        "police_response",
        "police_response_note",
        "charge_outcome",
        "charge_outcome_note",
    ]

    def occurred_at(self) -> dt.datetime:
        data = self.cleaned_data
        return london_datetime(data["occurred_on"], data["occurred_time"] or dt.time(0))


class ReviewConfirmForm(_ConditionsChosenForm):
    description = forms.CharField(
        label="Notes on the breach",
        required=False,
        max_length=TEXT_MAX,
        widget=_textarea(2),
        help_text="The incident's own account is linked to the breach.",
        error_messages=_limit(f"Enter {TEXT_MAX} characters or fewer."),
    )

    prefix = "confirm"


class ReviewDismissForm(GovukForm):
    reason = forms.CharField(
        label="Why it is not a breach",
        max_length=TEXT_MAX,
        widget=_textarea(2),
        error_messages={
            "required": "Enter why it is not a breach.",
            **_limit(f"Enter {TEXT_MAX} characters or fewer."),
        },
    )

    prefix = "dismiss"


class BreachUpdateForm(GovukForm):
    version = VersionField(error_messages=STALE)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields = {**_response_fields(), **self.fields}


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
