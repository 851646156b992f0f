"""Set-up the benchmark scripts share: a throw-away database and Django.

Each script runs from the repository root (``.venv/bin/python bench/x.py``), on
a temporary SQLite file unless ``--database-url`` names a PostgreSQL database.
A PostgreSQL database whose name starts with ``masip_bench`` is dropped and
made afresh; any other is used as it is, and the script checks it is empty.
"""

import base64
import logging
import os
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
BENCH_PREFIX = "masip_bench"


def fresh_postgres(url: str) -> None:
    """Drop and create a bench database (only one named masip_bench...)."""
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not name.startswith(BENCH_PREFIX):
        return  # not ours to drop: the script checks that it is empty
    admin = urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def bench_environment(database_url: str, tmp: str) -> None:
    """Production-like settings for a benchmark: debug off, throw-away keys.

    Debug off, as in production: Django keeps no log of every query. The keys
    are made up for the run (sealed fields, blind indexes, the audit chain).
    """
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ["DATABASE_URL"] = database_url or f"sqlite:///{tmp}/bench.sqlite3"
    os.environ["MASIP_VAR_DIR"] = tmp
    os.environ["DJANGO_DEBUG"] = "false"
    os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver"
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-not-a-secret")
    os.environ.setdefault("MASIP_AUDIT_KEY", "bench-only-not-a-secret")
    os.environ.setdefault("MASIP_WEBAUTHN_RP_ID", "localhost")
    os.environ.setdefault("MASIP_WEBAUTHN_ORIGIN", "https://localhost")
    os.environ.setdefault("MASIP_BLIND_INDEX_KEY", "bench-only-blind-index-key-xxxxx")
    if not os.environ.get("MASIP_FIELD_KEYS"):
        key = base64.b64encode(os.urandom(32)).decode()
        os.environ["MASIP_FIELD_KEYS"] = f"bench={key}"


def set_up_django(database_url: str, tmp: str, *, pages: bool = False) -> None:
    """Settings, a fresh bench database if one is named, Django, migrations.

    ``pages``: the script requests pages through the test client, so static
    files are served uncollected and django-axes logs only warnings.
    """
    bench_environment(database_url, tmp)
    if pages:
        os.environ["MASIP_STATICFILES_STORAGE"] = (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
        Path(tmp, "static").mkdir(exist_ok=True)  # silences whitenoise
    if database_url:
        fresh_postgres(database_url)
    import django

    django.setup()
    if pages:
        logging.getLogger("axes").setLevel(logging.WARNING)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
