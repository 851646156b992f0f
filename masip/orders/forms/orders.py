"""Recording an order with its first conditions, and adding a condition
missed then."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from masip.accounts.models import Agency, User
from masip.core.forms import GovukForm, form_field
from masip.orders.forms._fields import (
    check_condition,
    choice_errors,
    condition_fields,
    condition_spec,
    date_field,
    limit,
    text_field,
)
from masip.orders.models import OrderKind
from masip.orders.services import ConditionSpec
from masip.people.models import Person

# Blank condition rows on the record page: enough for most orders without
# JavaScript; more are added on the order's "Add a condition" page.
CONDITION_ROWS = 3
NO_OWNER = ""


def _people(people: list[Person]) -> list[tuple[str, str]]:
    return [(str(p.public_id), p.full_name) for p in people]


class OrderRecordForm(GovukForm):
    kind = forms.ChoiceField(
        label="Kind of order",
        choices=OrderKind.choices,
        widget=forms.RadioSelect,
        error_messages=choice_errors("Select the kind of order."),
    )
    subject = forms.ChoiceField(
        label="Who the order is against",
        widget=forms.RadioSelect,
        error_messages=choice_errors("Select who the order is against."),
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
        error_messages=limit("Enter 200 characters or fewer."),
    )
    court_reference = forms.CharField(
        label="Court or custody reference",
        required=False,
        max_length=100,
        error_messages=limit("Enter 100 characters or fewer."),
    )
    made_on = date_field(
        "Date made",
        required="Enter the date the order was made.",
        help_text="For example, 27 3 2026.",
    )
    served_on = date_field(
        "Date served",
        help_text="Leave blank if it has not been served yet. Bail and licence "
        "conditions are in force from the date made.",
    )
    expires_on = date_field(
        "Expiry date",
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
        error_messages=choice_errors("Select the agency responsible."),
    )
    owner = forms.ChoiceField(
        label="Officer or worker responsible",
        required=False,
        help_text="They are told of breaches and overdue notifications. If you "
        "leave it empty, the agency's team managers are told.",
        error_messages={"invalid_choice": "Select a person from the list."},
    )
    notes = text_field("Notes")

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
            self.fields.update(condition_fields(f"condition_{row}_", optional=True))

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
            check_condition(self, f"condition_{row}_")
        return data

    def conditions(self) -> list[ConditionSpec]:
        specs = [
            condition_spec(self.cleaned_data, f"condition_{row}_")
            for row in range(CONDITION_ROWS)
        ]
        return [s for s in specs if s is not None]

    def order_values(self) -> dict[str, Any]:
        """The arguments of ``services.order_record``: the order's own fields
        (those declared above) and its conditions."""
        values = {name: self.cleaned_data[name] for name in self.base_fields}
        return {**values, "conditions": self.conditions()}


class ConditionAddForm(GovukForm):
    starts_on = date_field(
        "Date it started",
        help_text="Leave blank if it applied from the day the order was made.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields = condition_fields("", optional=False)
        fields.update(self.fields)
        self.fields = fields

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        check_condition(self, "")
        return data
