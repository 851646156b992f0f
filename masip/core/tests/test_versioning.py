"""The lost-update guard shared by every edit form."""

import pytest

from masip.core.errors import StaleEditError
from masip.core.versioning import apply_changes, ensure_current, save_new_version
from masip.people.tests.factories import PersonFactory


def test_ensure_current_refuses_a_stale_version_with_the_stored_values(db):
    person = PersonFactory(given_name="Stored", version=3)

    with pytest.raises(StaleEditError) as raised:
        ensure_current(
            person, version=2, current_values=lambda p: {"given_name": p.given_name}
        )

    assert raised.value.current == {"given_name": "Stored"}
    assert raised.value.current_version == 3


def test_apply_changes_names_only_what_differs(db):
    person = PersonFactory(given_name="Same", family_name="Old")

    changed = apply_changes(person, {"given_name": "Same", "family_name": "New"})

    assert changed == ["family_name"]
    assert person.family_name == "New"


def test_apply_changes_can_compare_in_its_own_way(db):
    person = PersonFactory(given_name="Case")

    changed = apply_changes(
        person,
        {"given_name": "CASE"},
        same=lambda _n, a, b: str(a).lower() == str(b).lower(),
    )

    assert changed == []


def test_save_new_version_bumps_and_saves_only_the_named_fields(db):
    person = PersonFactory(given_name="Before", family_name="Kept")
    person.given_name, person.family_name = "After", "Not saved"

    save_new_version(person, update_fields=["given_name"])

    person.refresh_from_db()
    assert (person.given_name, person.family_name, person.version) == (
        "After",
        "Kept",
        2,
    )
