"""Project-wide guarantees: migrations complete, production settings pass --deploy."""

import base64
import os
import subprocess
import sys
from pathlib import Path

from django.core.management import call_command

ROOT = Path(__file__).resolve().parent.parent


def test_models_and_migrations_agree(db):
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "MASIP_"))
    }
    return subprocess.run(  # noqa: S603
        [sys.executable, str(ROOT / "manage.py"), *args],
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )


# Production-like field-encryption and blind-index keys (ADR 0012).
FIELD_KEYS = {
    "MASIP_FIELD_KEYS": "k1=" + base64.b64encode(b"k" * 32).decode(),
    "MASIP_BLIND_INDEX_KEY": "production-like-blind-index-key-" + "d" * 16,
}


def test_production_settings_pass_the_deploy_check(tmp_path):
    env = {
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": "a" * 20 + "-production-like-secret-key-" + "b" * 30,
        "MASIP_AUDIT_KEY": "production-like-audit-key",
        **FIELD_KEYS,
        "DJANGO_ALLOWED_HOSTS": "masip.example.org",
        "MASIP_WEBAUTHN_RP_ID": "masip.example.org",
        "MASIP_WEBAUTHN_ORIGIN": "https://masip.example.org",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }

    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=env)

    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    env = {
        "DJANGO_DEBUG": "false",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }

    result = _manage("check", env=env)

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_secure_deployments_use_host_prefixed_cookies(tmp_path):
    env = {
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": "c" * 60,
        "MASIP_AUDIT_KEY": "production-like-audit-key",
        **FIELD_KEYS,
        "DJANGO_ALLOWED_HOSTS": "masip.example.org",
        "MASIP_WEBAUTHN_RP_ID": "masip.example.org",
        "MASIP_WEBAUTHN_ORIGIN": "https://masip.example.org",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    code = (
        "from django.conf import settings; "
        "print(settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME)"
    )

    result = _manage("shell", "--no-imports", "-c", code, env=env)

    assert result.stdout.split() == ["__Host-masip-session", "__Host-masip-csrf"]
