"""With DEBUG off, MASIP refuses to start without usable field keys."""

from tests.test_project import FIELD_KEYS, _manage

PRODUCTION = {
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": "e" * 60,
    "MASIP_AUDIT_KEY": "production-like-audit-key",
    "DJANGO_ALLOWED_HOSTS": "masip.example.org",
    "MASIP_WEBAUTHN_RP_ID": "masip.example.org",
    "MASIP_WEBAUTHN_ORIGIN": "https://masip.example.org",
}


def test_production_refuses_to_start_without_field_keys(tmp_path):
    env = {
        **PRODUCTION,
        "MASIP_BLIND_INDEX_KEY": FIELD_KEYS["MASIP_BLIND_INDEX_KEY"],
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }

    result = _manage("check", env=env)

    assert result.returncode != 0
    assert "MASIP_FIELD_KEYS or MASIP_FIELD_KEY_FILE must be set" in result.stderr


def test_production_refuses_a_malformed_field_key(tmp_path):
    env = {
        **PRODUCTION,
        **FIELD_KEYS,
        "MASIP_FIELD_KEYS": "k1=dG9vIHNob3J0",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }

    result = _manage("check", env=env)

    assert result.returncode != 0
    assert "must be 32 bytes (AES-256)" in result.stderr


def test_production_refuses_to_start_without_a_blind_index_key(tmp_path):
    env = {
        **PRODUCTION,
        "MASIP_FIELD_KEYS": FIELD_KEYS["MASIP_FIELD_KEYS"],
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }

    result = _manage("check", env=env)

    assert result.returncode != 0
    assert "MASIP_BLIND_INDEX_KEY must be set" in result.stderr


def test_production_check_refuses_a_short_blind_index_key(tmp_path):
    env = {
        **PRODUCTION,
        **FIELD_KEYS,
        "MASIP_BLIND_INDEX_KEY": "short",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }

    result = _manage("check", env=env)

    assert result.returncode != 0
    assert "crypto.E004" in result.stderr
