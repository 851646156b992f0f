"""Sealed model fields: plaintext in code, tokens in the database, loud misuse."""

import pytest
from django.db import connection
from django.db.models import Q

from masip.cases.models import CaseNote
from masip.cases.tests.factories import CaseNoteFactory
from masip.crypto.blind import identifier_index, postcode_index
from masip.crypto.cipher import DecryptionError
from masip.crypto.fields import Ciphertext, SealedFieldError
from masip.incidents.tests.factories import IncidentFactory
from masip.people.models import Address, PersonIdentifier
from masip.people.tests.factories import (
    AddressFactory,
    PersonIdentifierFactory,
    SafeContactPreferenceFactory,
)


def _raw(table: str, column: str, pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])  # noqa: S608
        return cursor.fetchone()[0]


def _set_raw(table: str, column: str, pk: int, value: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET {column} = %s WHERE id = %s", [value, pk])  # noqa: S608


def test_encrypted_field_stores_a_token_and_reads_plaintext(db):
    address = AddressFactory(line_1="12 Canary Road", line_2="", postcode="ZZ99 1AA")

    stored = _raw("people_address", "line_1", address.pk)
    fresh = Address.objects.get(pk=address.pk)

    assert stored.startswith("v1.")
    assert "Canary" not in stored
    assert _raw("people_address", "line_2", address.pk).startswith("v1.")
    assert fresh.line_1 == "12 Canary Road"
    assert fresh.line_2 == ""
    assert str(fresh) == "12 Canary Road, Exampleton, ZZ99 1AA"


def test_encrypted_field_seals_rows_written_in_bulk(db):
    person = AddressFactory().person
    Address.objects.bulk_create(
        [Address(person=person, line_1=f"{n} Bulk Lane", town="Town") for n in range(3)]
    )

    rows = Address.objects.filter(person=person, line_1__isnull=False)
    bulk = sorted(a.line_1 for a in rows if "Bulk" in a.line_1)

    assert bulk == ["0 Bulk Lane", "1 Bulk Lane", "2 Bulk Lane"]
    assert all(_raw("people_address", "line_1", a.pk).startswith("v1.") for a in rows)


def test_encrypted_field_edits_are_sealed_again(db):
    note = CaseNoteFactory(text="first")
    note.text = "second"
    note.save()

    assert CaseNote.objects.get(pk=note.pk).text == "second"
    assert "second" not in _raw("cases_casenote", "text", note.pk)


def test_encrypted_field_refuses_lookups_other_than_isnull(db):
    AddressFactory(line_1="12 Canary Road")

    for lookup in (
        {"line_1": "12 Canary Road"},
        {"line_1__icontains": "Canary"},
        {"town__in": ["Exampleton"]},
        {"postcode__startswith": "ZZ"},
    ):
        with pytest.raises(SealedFieldError, match=r"people_address\.\w+ is encrypted"):
            list(Address.objects.filter(**lookup))
    with pytest.raises(SealedFieldError):
        list(Address.objects.filter(Q(line_1__iexact="x") | Q(town="y")))
    assert Address.objects.filter(line_1__isnull=False).count() == 1


def test_encrypted_field_refuses_plaintext_written_around_the_model(db):
    address = AddressFactory()

    with pytest.raises(SealedFieldError, match="write it by saving a model instance"):
        Address.objects.filter(pk=address.pk).update(line_1="5 Plain Street")
    address.line_1 = "5 Plain Street"
    with pytest.raises(SealedFieldError):
        Address.objects.bulk_update([address], ["line_1"])


def test_values_list_gives_tokens_never_plaintext(db):
    IncidentFactory(location="Outside the canary cafe")

    from masip.incidents.models import Incident

    (location,) = Incident.objects.values_list("location", flat=True)

    assert isinstance(location, Ciphertext)
    assert "canary" not in location


def test_ciphertext_swapped_between_rows_fails_to_decrypt(db):
    first = AddressFactory(line_1="1 First Street")
    second = AddressFactory(line_1="2 Second Street")
    _set_raw(
        "people_address",
        "line_1",
        second.pk,
        _raw("people_address", "line_1", first.pk),
    )

    with pytest.raises(DecryptionError, match=r"people_address\.line_1 .*another row"):
        Address.objects.get(pk=second.pk).line_1  # noqa: B018
    assert Address.objects.get(pk=first.pk).line_1 == "1 First Street"


def test_ciphertext_swapped_between_columns_fails_to_decrypt(db):
    preference = SafeContactPreferenceFactory(code_word="Bluebell", notes="Call first")
    table = "people_safecontactpreference"
    _set_raw(table, "notes", preference.pk, _raw(table, "code_word", preference.pk))

    fresh = type(preference).objects.get(pk=preference.pk)

    assert fresh.code_word == "Bluebell"
    with pytest.raises(DecryptionError, match="notes"):
        fresh.notes  # noqa: B018


def test_blind_indexes_follow_the_sealed_value_on_every_save(db):
    address = AddressFactory(postcode="zz99 1aa")
    identifier = PersonIdentifierFactory(kind="phone", value="+44 7700 900123")

    assert address.postcode_index == postcode_index("ZZ99 1AA")
    assert identifier.value_index == identifier_index("phone", "07700900123")
    assert (
        PersonIdentifier.objects.filter(
            value_index=identifier_index("phone", "07700 900123")
        ).get()
        == identifier
    )

    identifier.kind, identifier.value = "email", "Someone@Example.org"
    identifier.save()

    assert PersonIdentifier.objects.get(
        pk=identifier.pk
    ).value_index == identifier_index("email", "someone@example.org")
