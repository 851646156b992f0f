"""The key ring: what the environment may say, and what it must not."""

import base64

import pytest
from django.core.exceptions import ImproperlyConfigured

from masip.crypto.keys import (
    DEVELOPMENT_KEY_ID,
    build_keyring,
    generate_key,
    get_keyring,
)

K1 = base64.b64encode(b"1" * 32).decode()
K2 = base64.b64encode(b"2" * 32).decode()


def _ring(keys_text="", key_file="", active="", debug=False):
    return build_keyring(
        keys_text=keys_text, key_file=key_file, active=active, debug=debug
    )


def test_build_keyring_one_key_is_active_without_saying_so():
    ring = _ring(f"k1={K1}")

    assert ring.active_id == "k1"
    assert ring.active_key == b"1" * 32


def test_build_keyring_several_keys_need_the_active_one_named():
    with pytest.raises(ImproperlyConfigured, match="MASIP_FIELD_KEY_ACTIVE"):
        _ring(f"k1={K1},k2={K2}")

    assert _ring(f"k1={K1}, k2={K2}", active="k2").active_id == "k2"


def test_build_keyring_refuses_no_key_when_debug_is_off():
    with pytest.raises(ImproperlyConfigured, match="must be set when DEBUG is off"):
        _ring()


def test_build_keyring_development_key_only_with_debug_on():
    ring = _ring(debug=True)

    assert ring.active_id == DEVELOPMENT_KEY_ID
    assert DEVELOPMENT_KEY_ID not in _ring(f"k1={K1}").keys
    assert set(_ring(f"k1={K1}", debug=True).keys) == {"k1", DEVELOPMENT_KEY_ID}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("k1", "KEY_ID=BASE64_KEY"),
        ("bad.id=" + K1, "KEY_ID=BASE64_KEY"),
        ("k1=not base64!", "not valid base64"),
        ("k1=" + base64.b64encode(b"short").decode(), "must be 32 bytes"),
        (f"k1={K1},k1={K2}", "appears twice"),
    ],
)
def test_build_keyring_refuses_malformed_entries(text, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        _ring(text)


def test_build_keyring_refuses_an_active_key_not_in_the_ring():
    with pytest.raises(ImproperlyConfigured, match="not in the key ring"):
        _ring(f"k1={K1}", active="k9")


def test_build_keyring_reads_a_key_file_with_comments(tmp_path):
    path = tmp_path / "field-keys"
    path.write_text(f"# retired after rotation\nk1={K1}\nk2={K2}  # current\n")

    ring = _ring(key_file=str(path), active="k2")

    assert set(ring.keys) == {"k1", "k2"}


def test_build_keyring_refuses_a_key_file_that_disagrees_or_is_missing(tmp_path):
    path = tmp_path / "field-keys"
    path.write_text(f"k1={K2}\n")

    with pytest.raises(ImproperlyConfigured, match="different keys"):
        _ring(f"k1={K1}", key_file=str(path))
    with pytest.raises(ImproperlyConfigured, match="cannot be read"):
        _ring(key_file=str(tmp_path / "absent"))


def test_generate_key_is_a_fresh_256_bit_key():
    first, second = generate_key(), generate_key()

    assert len(base64.b64decode(first)) == 32
    assert first != second
    assert _ring(f"new={first}").active_key == base64.b64decode(first)


def test_get_keyring_is_the_one_settings_built(settings):
    ring = _ring(f"k1={K1}")
    settings.MASIP_FIELD_KEYRING = ring

    assert get_keyring() is ring

    settings.MASIP_FIELD_KEYRING = "k1=..."
    with pytest.raises(ImproperlyConfigured):
        get_keyring()
