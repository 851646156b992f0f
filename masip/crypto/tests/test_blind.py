"""Blind indexes: the ways people write a value agree; nothing else does."""

import pytest

from masip.crypto import blind


@pytest.mark.parametrize(
    "written",
    ["07700 900123", "+44 7700 900123", "+44 (0)7700 900123", "0044 7700-900-123"],
)
def test_normalise_phone_uk_forms_agree(written):
    assert blind.normalise_phone(written) == "07700900123"


def test_normalise_email_and_postcode():
    assert (
        blind.normalise_email("  Sam.Example@Example.ORG ") == "sam.example@example.org"
    )
    assert blind.normalise_postcode(" zz99 1aa ") == "ZZ991AA"
    assert blind.normalise_identifier("vehicle", "ab12 cde") == "ab12cde"


def test_identifier_index_matches_equivalent_numbers_only():
    same = blind.identifier_index("phone", "+44 7700 900123")

    assert same == blind.identifier_index("phone", "07700 900123")
    assert same != blind.identifier_index("phone", "07700 900124")
    assert len(same) == 64
    assert "07700" not in same


def test_identifier_index_separates_kinds_and_skips_empty_values():
    assert blind.identifier_index("vehicle", "AB12") != blind.identifier_index(
        "other", "AB12"
    )
    assert blind.identifier_index("phone", "   ") == ""
    assert blind.postcode_index("") == ""


def test_blind_index_depends_on_the_key(settings):
    before = blind.postcode_index("ZZ99 1AA")
    settings.MASIP_BLIND_INDEX_KEY = "another-blind-index-key-of-enough-length"

    assert blind.postcode_index("zz991aa") != before
