"""Forms for people and their contact details (GOV.UK wording)."""

import datetime as dt
import re
from collections.abc import Iterable
from typing import Any

from django import forms
from django.core.validators import validate_email
from django.utils import timezone

from masip.cases.models import ParticipantRole
from masip.core.forms import (
    GovukDateField,
    GovukForm,
    GovukTimeField,
    VersionField,
    form_field,
)
from masip.people.models import (
    WEEKDAYS,
    Address,
    Channel,
    Confidentiality,
    DatePrecision,
    Gender,
    Person,
    PersonIdentifier,
)

_POSTCODE = re.compile(r"^(GIR0AA|[A-Z]{1,2}[0-9][A-Z0-9]?[0-9][ABD-HJLNP-UW-Z]{2})$")
_PHONE_UK = re.compile(r"^0\d{9,10}$")
_PHONE_INTERNATIONAL = re.compile(r"^\+\d{8,15}$")
PHONE_ERROR = (
    "Enter a phone number, like 01632 960 001, 07700 900 982 or +44 808 157 0192."
)
EMAIL_ERROR = "Enter an email address in the correct format, like name@example.com."


def normalise_postcode(value: str) -> str:
    """``sw1a1aa`` becomes ``SW1A 1AA``; ``ValueError`` if not a postcode."""
    compact = re.sub(r"\s+", "", value).upper()
    if not _POSTCODE.match(compact):
        raise ValueError(value)
    return f"{compact[:-3]} {compact[-3:]}"


def is_phone_number(value: str) -> bool:
    compact = re.sub(r"[\s()\-.]", "", value)
    if compact.startswith("+44"):
        compact = "0" + compact[3:].removeprefix("0")
    return bool(_PHONE_UK.match(compact) or _PHONE_INTERNATIONAL.match(compact))


def confidentiality_choices(*, may_restrict: bool) -> list[tuple[str, str]]:
    """Restricted is offered only to users who see victim contact details."""
    if may_restrict:
        return [
            (Confidentiality.RESTRICTED.value, Confidentiality.RESTRICTED.label),
            (Confidentiality.STANDARD.value, Confidentiality.STANDARD.label),
        ]
    return [(Confidentiality.STANDARD.value, Confidentiality.STANDARD.label)]


def confidentiality_field(*, label: str, error: str) -> forms.ChoiceField:
    """A "who can see this" question; ``offer_confidentiality`` sets its choices."""
    return forms.ChoiceField(
        label=label,
        widget=forms.RadioSelect,
        error_messages={"required": error, "invalid_choice": error},
    )


def offer_confidentiality(field: forms.ChoiceField, *, may_restrict: bool) -> None:
    """Offer the choices this user may make, the first of them chosen."""
    field.choices = confidentiality_choices(may_restrict=may_restrict)
    field.initial = field.choices[0][0]


def aliases_from_text(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class _RoleMixin(forms.Form):
    role = forms.ChoiceField(
        label="Their part in this case",
        choices=ParticipantRole.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the person's part in this case."},
    )


class PersonDetailsForm(GovukForm):
    """Names, date of birth, gender and interpreter need."""

    given_name = forms.CharField(
        label="Given name",
        max_length=100,
        error_messages={
            "required": "Enter the person's given name.",
            "max_length": "Given name must be 100 characters or fewer.",
        },
    )
    family_name = forms.CharField(
        label="Family name",
        max_length=100,
        required=False,
        error_messages={"max_length": "Family name must be 100 characters or fewer."},
    )
    aliases = forms.CharField(
        label="Other names",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Aliases, previous names and nicknames, one on each line.",
    )
    date_of_birth = GovukDateField(
        label="Date of birth",
        required=False,
        help_text=(
            "For example, 27 3 1985. If only the year is known, enter 1 1 and the "
            "year and choose approximate."
        ),
    )
    birth_date_precision = forms.ChoiceField(
        label="How certain is the date of birth?",
        choices=DatePrecision.choices,
        initial=DatePrecision.EXACT,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how certain the date of birth is."},
    )
    gender = forms.ChoiceField(
        label="Gender",
        choices=Gender.choices,
        initial=Gender.UNKNOWN,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the person's gender, or not known."},
    )
    interpreter_language = forms.CharField(
        label="Interpreter language",
        max_length=100,
        required=False,
        help_text="Leave blank if they do not need an interpreter.",
    )

    def clean_given_name(self) -> str:
        return self.cleaned_data["given_name"].strip()

    def clean_aliases(self) -> list[str]:
        names = aliases_from_text(self.cleaned_data.get("aliases") or "")
        if any(len(name) > 200 for name in names):
            raise forms.ValidationError(
                "Each other name must be 200 characters or fewer."
            )
        return names

    def clean_date_of_birth(self) -> dt.date | None:
        born = self.cleaned_data.get("date_of_birth")
        if born is not None and born > timezone.localdate():
            raise forms.ValidationError("Date of birth must be in the past.")
        return born

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if "date_of_birth" not in data:
            return data
        precision = data.get("birth_date_precision")
        if data["date_of_birth"] is None:
            data["birth_date_precision"] = DatePrecision.UNKNOWN
        elif precision == DatePrecision.UNKNOWN:
            self.add_error(
                "birth_date_precision",
                "Select exact or approximate, or leave the date of birth blank.",
            )
        return data

    @staticmethod
    def initial_from(values: dict[str, Any]) -> dict[str, Any]:
        """Form values from stored ones (as ``services.person_current_values``)."""
        initial = dict(values)
        initial["aliases"] = "\n".join(values.get("aliases", []))
        return initial


class NewPersonForm(_RoleMixin, PersonDetailsForm):
    """Add someone MASIP does not know yet."""

    field_order = ("role",)


class PersonEditForm(PersonDetailsForm):
    version = VersionField()


class ExistingPersonForm(_RoleMixin, GovukForm):
    """Add someone already on one of the user's cases (chosen from a search)."""

    person = forms.ChoiceField(
        label="Person",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the person to add.",
            "invalid_choice": "Select the person to add.",
        },
    )
    field_order = ("person", "role")

    def __init__(
        self, *args: Any, people: Iterable[Person] = (), **kwargs: Any
    ) -> None:
        kwargs.setdefault("prefix", "existing")
        super().__init__(*args, **kwargs)
        self.people = {str(p.public_id): p for p in people}
        form_field(self, "person", forms.ChoiceField).choices = [
            (key, _person_choice_label(p)) for key, p in self.people.items()
        ]

    def clean_person(self) -> Person:
        return self.people[self.cleaned_data["person"]]


def _person_choice_label(person: Person) -> str:
    born = person.birth_date_display
    if born == "Not known":
        label = f"{person.full_name}, date of birth not known"
    else:
        label = f"{person.full_name}, born {born[0].lower()}{born[1:]}"
    aliases = [alias.name for alias in person.aliases.all()]
    if aliases:
        label += f" (also known as {', '.join(aliases)})"
    return label


class PersonSearchForm(GovukForm):
    search = forms.CharField(
        label="Name or other name",
        max_length=100,
        required=False,
        help_text="Search people on the cases you can open.",
    )


class AddressForm(GovukForm):
    line_1 = forms.CharField(
        label="Address line 1",
        max_length=200,
        error_messages={
            "required": "Enter address line 1, typically the building and street."
        },
    )
    line_2 = forms.CharField(label="Address line 2", max_length=200, required=False)
    town = forms.CharField(
        label="Town or city",
        max_length=100,
        error_messages={"required": "Enter the town or city."},
    )
    postcode = forms.CharField(
        label="Postcode",
        max_length=10,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    is_current = forms.BooleanField(
        label="This is where they live now", required=False, initial=True
    )
    safe_to_write = forms.BooleanField(
        label="Safe to send letters to",
        required=False,
        help_text=(
            "Tick only if the victim has said letters may be sent here. Letters "
            "go only to a current address marked safe."
        ),
    )
    confidentiality = confidentiality_field(
        label="Who can see this address", error="Select who can see this address."
    )

    def __init__(self, *args: Any, may_restrict: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        offer_confidentiality(
            form_field(self, "confidentiality", forms.ChoiceField),
            may_restrict=may_restrict,
        )

    def clean_postcode(self) -> str:
        value = self.cleaned_data["postcode"].strip()
        if not value:
            return ""
        try:
            return normalise_postcode(value)
        except ValueError:
            raise forms.ValidationError(
                "Enter a real postcode, like SW1A 1AA."
            ) from None


class IdentifierForm(GovukForm):
    kind = forms.ChoiceField(
        label="Type",
        choices=PersonIdentifier.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the type of identifier."},
    )
    value = forms.CharField(
        label="Number, address or reference",
        max_length=200,
        error_messages={"required": "Enter the number, address or reference."},
    )
    confidentiality = confidentiality_field(
        label="Who can see this", error="Select who can see this."
    )

    def __init__(self, *args: Any, may_restrict: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        offer_confidentiality(
            form_field(self, "confidentiality", forms.ChoiceField),
            may_restrict=may_restrict,
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        kind, value = data.get("kind"), (data.get("value") or "").strip()
        if not value:
            return data
        data["value"] = value
        if kind == PersonIdentifier.Kind.PHONE and not is_phone_number(value):
            self.add_error("value", PHONE_ERROR)
        elif kind == PersonIdentifier.Kind.EMAIL:
            try:
                validate_email(value)
            except forms.ValidationError:
                self.add_error("value", EMAIL_ERROR)
        return data


class SafeContactForm(GovukForm):
    safe_channels = forms.MultipleChoiceField(
        label="Safe ways to contact them",
        choices=Channel.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    forbidden_channels = forms.MultipleChoiceField(
        label="Never contact them by",
        choices=Channel.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    safe_times = forms.CharField(
        label="Safe times to contact, in the victim's words",
        max_length=200,
        required=False,
        help_text="For example, weekdays between 10am and 2pm.",
    )
    contact_days = forms.TypedMultipleChoiceField(
        label="Days they may be contacted",
        choices=[(str(day), name) for day, name in WEEKDAYS],
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Leave all unticked if any day is safe. MASIP refuses others.",
        error_messages={"invalid_choice": "Select days from the list."},
    )
    contact_from = GovukTimeField(
        label="Earliest time to contact them",
        required=False,
        help_text="UK time, for example 10:00. Leave blank if there is no limit.",
    )
    contact_until = GovukTimeField(
        label="Contact must end by",
        required=False,
        help_text=(
            "UK time, for example 14:00. Leave blank if there is no limit. The "
            "window cannot run past midnight."
        ),
    )
    letter_addresses = forms.TypedMultipleChoiceField(
        label="Addresses safe to send letters to",
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Only current addresses are listed. Letters go nowhere else.",
        error_messages={"invalid_choice": "Select addresses from the list."},
    )
    no_voicemail = forms.BooleanField(
        label="Do not leave voicemail messages", required=False, initial=True
    )
    code_word = forms.CharField(
        label="Code word",
        max_length=100,
        required=False,
        help_text="A word they will use to show it is safe to talk.",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    notes = forms.CharField(
        label="Notes", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    # Blank when no preferences were recorded as the form was opened.
    version = VersionField(required=False)

    def __init__(
        self, *args: Any, addresses: Iterable[Address] = (), **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        choices = [(str(a.pk), str(a)) for a in addresses if a.is_current]
        if choices:
            form_field(
                self, "letter_addresses", forms.TypedMultipleChoiceField
            ).choices = choices
        else:
            del self.fields["letter_addresses"]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("contact_from"), data.get("contact_until")
        if start is not None and end is not None and start >= end:
            self.add_error(
                "contact_until",
                "The end of the contact window must be later than its start. "
                "The window cannot run past midnight.",
            )
        both = set(data.get("safe_channels", ())) & set(
            data.get("forbidden_channels", ())
        )
        if both:
            labels = " and ".join(
                str(label) for value, label in Channel.choices if value in both
            )
            self.add_error(
                "forbidden_channels",
                f"{labels} cannot be both safe and forbidden. Untick one of them.",
            )
        return data
