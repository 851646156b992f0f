"""People forms: validation and GOV.UK error wording."""

import datetime as dt

import pytest
from django.utils import timezone

from masip.core.conflicts import conflict_rows
from masip.people.forms import (
    EMAIL_ERROR,
    PHONE_ERROR,
    AddressForm,
    ExistingPersonForm,
    IdentifierForm,
    NewPersonForm,
    PersonEditForm,
    SafeContactForm,
    normalise_postcode,
)
from masip.people.models import Address, DatePrecision
from masip.people.tests.factories import PersonFactory


def _new_person(**overrides):
    data = {
        "role": "victim",
        "given_name": "Dana",
        "family_name": "Formtest",
        "birth_date_precision": "exact",
        "gender": "unknown",
    }
    data.update(overrides)
    return NewPersonForm(data)


def _dob(day, month, year):
    return {
        "date_of_birth_day": str(day),
        "date_of_birth_month": str(month),
        "date_of_birth_year": str(year),
    }


def test_new_person_form_valid_without_date_of_birth_sets_unknown_precision():
    form = _new_person(aliases="Dee\n\n  D. Formtest  ")

    assert form.is_valid(), form.errors
    assert form.cleaned_data["birth_date_precision"] == DatePrecision.UNKNOWN
    assert form.cleaned_data["aliases"] == ["Dee", "D. Formtest"]


def test_new_person_form_requires_given_name_and_role():
    form = _new_person(given_name="", role="")

    assert not form.is_valid()
    assert form.errors["given_name"] == ["Enter the person's given name."]
    assert form.errors["role"] == ["Select the person's part in this case."]


def test_new_person_form_rejects_an_impossible_date_of_birth():
    form = _new_person(**_dob(31, 2, 1990))

    assert not form.is_valid()
    assert form.errors["date_of_birth"] == ["Enter a real date."]


def test_new_person_form_rejects_a_partial_date_of_birth():
    form = _new_person(date_of_birth_day="12", date_of_birth_year="1990")

    assert not form.is_valid()
    assert form.errors["date_of_birth"] == [
        "Enter a full date, with a day, month and year."
    ]


def test_new_person_form_rejects_a_future_date_of_birth():
    tomorrow = timezone.localdate() + dt.timedelta(days=1)

    form = _new_person(**_dob(tomorrow.day, tomorrow.month, tomorrow.year))

    assert not form.is_valid()
    assert form.errors["date_of_birth"] == ["Date of birth must be in the past."]


def test_new_person_form_asks_for_precision_when_date_given_as_unknown():
    form = _new_person(birth_date_precision="unknown", **_dob(1, 1, 1985))

    assert not form.is_valid()
    assert form.errors["birth_date_precision"] == [
        "Select exact or approximate, or leave the date of birth blank."
    ]


def test_person_edit_form_requires_version():
    form = PersonEditForm(
        {"given_name": "Dana", "birth_date_precision": "exact", "gender": "unknown"}
    )

    assert not form.is_valid()
    assert "version" in form.errors


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("sw1a 1aa", "SW1A 1AA"), (" SW1A1AA ", "SW1A 1AA"), ("zz99  9zz", "ZZ99 9ZZ")],
)
def test_normalise_postcode_tolerates_case_and_spaces(typed, stored):
    assert normalise_postcode(typed) == stored


@pytest.mark.parametrize("bad", ["12345", "SW1A", "SW1A 1A", "NOT A CODE", "SW1A 1AAA"])
def test_address_form_rejects_a_bad_postcode(bad):
    form = AddressForm(
        {
            "line_1": "1 Road",
            "town": "Town",
            "postcode": bad,
            "confidentiality": "standard",
        },
        may_restrict=True,
    )

    assert not form.is_valid()
    assert form.errors["postcode"] == ["Enter a real postcode, like SW1A 1AA."]


def test_address_form_requires_line_1_and_town():
    form = AddressForm({"confidentiality": "standard"}, may_restrict=True)

    assert not form.is_valid()
    assert form.errors["line_1"] == [
        "Enter address line 1, typically the building and street."
    ]
    assert form.errors["town"] == ["Enter the town or city."]


def test_address_form_without_compartment_offers_only_standard():
    form = AddressForm(
        {"line_1": "1 Road", "town": "Town", "confidentiality": "restricted"},
        may_restrict=False,
    )

    assert [value for value, _ in form.fields["confidentiality"].choices] == [
        "standard"
    ]
    assert not form.is_valid()
    assert form.errors["confidentiality"] == ["Select who can see this address."]


def test_address_form_with_compartment_defaults_to_restricted():
    form = AddressForm(may_restrict=True)

    assert form.fields["confidentiality"].initial == "restricted"


@pytest.mark.parametrize(
    "number", ["07700 900982", "01632 960 001", "+44 808 157 0192", "(01632) 960001"]
)
def test_identifier_form_accepts_phone_numbers(number):
    form = IdentifierForm(
        {"kind": "phone", "value": number, "confidentiality": "restricted"},
        may_restrict=True,
    )

    assert form.is_valid(), form.errors


@pytest.mark.parametrize("number", ["12", "07700 9009", "call me", "0770090098212"])
def test_identifier_form_rejects_bad_phone_numbers(number):
    form = IdentifierForm(
        {"kind": "phone", "value": number, "confidentiality": "restricted"},
        may_restrict=True,
    )

    assert not form.is_valid()
    assert form.errors["value"] == [PHONE_ERROR]


def test_identifier_form_rejects_a_bad_email_address():
    form = IdentifierForm(
        {"kind": "email", "value": "not-an-email", "confidentiality": "standard"},
        may_restrict=False,
    )

    assert not form.is_valid()
    assert form.errors["value"] == [EMAIL_ERROR]


def test_identifier_form_accepts_any_reference_for_other_kinds():
    form = IdentifierForm(
        {"kind": "vehicle", "value": "  AB12 CDE ", "confidentiality": "standard"},
        may_restrict=False,
    )

    assert form.is_valid(), form.errors
    assert form.cleaned_data["value"] == "AB12 CDE"


def test_safe_contact_form_refuses_a_channel_both_safe_and_forbidden():
    form = SafeContactForm(
        {"safe_channels": ["phone", "email"], "forbidden_channels": ["phone"]}
    )

    assert not form.is_valid()
    assert form.errors["forbidden_channels"] == [
        "Phone call cannot be both safe and forbidden. Untick one of them."
    ]


def test_safe_contact_form_accepts_distinct_channels():
    form = SafeContactForm(
        {"safe_channels": ["email"], "forbidden_channels": ["letter"], "code_word": "X"}
    )

    assert form.is_valid(), form.errors


@pytest.mark.django_db
def test_existing_person_form_accepts_only_people_from_the_search():
    offered, other = PersonFactory(), PersonFactory()

    form = ExistingPersonForm(
        {"existing-person": str(other.public_id), "existing-role": "victim"},
        people=[offered],
    )

    assert not form.is_valid()
    assert form.errors["person"] == ["Select the person to add."]


@pytest.mark.django_db
def test_existing_person_form_returns_the_chosen_person():
    offered = PersonFactory()

    form = ExistingPersonForm(
        {"existing-person": str(offered.public_id), "existing-role": "perpetrator"},
        people=[offered],
    )

    assert form.is_valid(), form.errors
    assert form.cleaned_data["person"] == offered


def test_conflict_rows_show_labels_and_readable_values():
    form = PersonEditForm()

    rows = conflict_rows(
        form,
        PersonEditForm.initial_from(
            {
                "given_name": "Dana",
                "aliases": ["Dee", "D"],
                "date_of_birth": dt.date(1985, 3, 7),
                "gender": "female",
                "interpreter_language": "",
            }
        ),
    )

    assert rows == [
        ("Given name", "Dana"),
        ("Other names", "Dee\nD"),
        ("Date of birth", "7 March 1985"),
        ("Gender", "Female"),
        ("Interpreter language", "Not recorded"),
    ]


def test_safe_contact_form_accepts_days_and_a_window():
    form = SafeContactForm(
        {"contact_days": ["0", "4"], "contact_from": "9:30am", "contact_until": "14:00"}
    )

    assert form.is_valid(), form.errors
    assert form.cleaned_data["contact_days"] == [0, 4]
    assert form.cleaned_data["contact_from"] == dt.time(9, 30)
    assert form.cleaned_data["contact_until"] == dt.time(14, 0)


def test_safe_contact_form_refuses_a_window_past_midnight():
    form = SafeContactForm({"contact_from": "22:00", "contact_until": "06:00"})

    assert not form.is_valid()
    assert form.errors["contact_until"] == [
        "The end of the contact window must be later than its start. The window "
        "cannot run past midnight."
    ]


def test_safe_contact_form_offers_only_current_addresses_for_letters():
    current = Address(pk=7, line_1="7 Safe Road", town="Exampleton", is_current=True)
    old = Address(pk=8, line_1="8 Old Road", town="Exampleton", is_current=False)

    form = SafeContactForm({"letter_addresses": ["8"]}, addresses=[current, old])

    assert [value for value, _ in form.fields["letter_addresses"].choices] == ["7"]
    assert not form.is_valid()


def test_safe_contact_form_without_addresses_has_no_letter_question():
    assert "letter_addresses" not in SafeContactForm().fields


def test_address_form_asks_whether_it_is_safe_to_write_to():
    form = AddressForm(
        {
            "line_1": "1 Road",
            "town": "Town",
            "safe_to_write": "on",
            "confidentiality": "restricted",
        },
        may_restrict=True,
    )

    assert form.is_valid(), form.errors
    assert form.cleaned_data["safe_to_write"] is True
