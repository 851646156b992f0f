"""Connection pooling (config/db_pool.py): its settings, and that a pooled
connection never carries one request's row-level security reach to the next.

The reach is the ``masip.*`` session settings the row-security middleware
writes (ADR 0013). The PostgreSQL tests build a real Django connection with
a pool of one (so the next borrower gets the very same server session, which
each test checks by its backend pid) and hand it back the ways a request can.
"""

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.db.backends.postgresql.base import DatabaseWrapper
from psycopg.pq import TransactionStatus

from config.db_pool import pool_options, prepared_statement_options, reset_row_security
from masip.isolation import scope

ROOT = Path(settings.BASE_DIR)
ON_POSTGRES = connection.vendor == "postgresql"
postgres_only = pytest.mark.skipif(
    not ON_POSTGRES,
    reason="Pooling and row-level security are PostgreSQL's; SQLite has neither.",
)
REACH = {"user_id": "41", "agencies": "7,9", "all_cases": scope.ON, "trusted": "on"}


# Settings ---------------------------------------------------------------------


def _database_settings(tmp_path: Path, **env: str) -> dict[str, Any]:
    """DATABASES["default"] as config/settings.py builds it from ``env``."""
    script = (
        "import json\n"
        "from config import settings as s\n"
        "d = s.DATABASES['default']\n"
        "pool = dict(d.get('OPTIONS', {}).get('pool') or {})\n"
        "reset = pool.pop('reset', None)\n"
        "options = d.get('OPTIONS', {})\n"
        "prepared = {k: options[k] for k in ('server_side_binding',\n"
        "    'prepare_threshold') if k in options}\n"
        "print(json.dumps({'conn_max_age': d['CONN_MAX_AGE'], 'pool': pool,\n"
        "    'reset': reset and reset.__module__ + '.' + reset.__name__,\n"
        "    'prepared': prepared}))\n"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith("MASIP_DB_")}
    clean.pop("DATABASE_URL", None)
    result = subprocess.run(  # noqa: S603 - this interpreter, a fixed script
        [sys.executable, "-c", script],
        env={**clean, "MASIP_VAR_DIR": str(tmp_path), **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    parsed: dict[str, Any] = json.loads(result.stdout)
    return parsed


def test_settings_pool_is_off_by_default_with_persistent_connections(tmp_path):
    values = _database_settings(
        tmp_path, DATABASE_URL="postgres://app@db.example.org:5432/masip"
    )

    assert values["conn_max_age"] == 60
    assert values["pool"] == {}
    assert values["reset"] is None


def test_settings_pool_from_the_environment_drops_persistent_connections(tmp_path):
    values = _database_settings(
        tmp_path,
        DATABASE_URL="postgres://app@db.example.org:5432/masip",
        MASIP_DB_POOL_MAX_SIZE="4",
        MASIP_DB_POOL_MIN_SIZE="2",
    )

    assert values["conn_max_age"] == 0
    assert values["pool"] == {"min_size": 2, "max_size": 4, "timeout": 10}
    assert values["reset"] == "config.db_pool.reset_row_security"


def test_settings_pool_is_never_used_on_sqlite(tmp_path):
    values = _database_settings(
        tmp_path,
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        MASIP_DB_POOL_MAX_SIZE="4",
    )

    assert values == {"conn_max_age": 60, "pool": {}, "reset": None, "prepared": {}}


def test_settings_prepare_no_statements_by_default(tmp_path):
    values = _database_settings(
        tmp_path, DATABASE_URL="postgres://app@db.example.org:5432/masip"
    )

    assert values["prepared"] == {}


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("0", {"server_side_binding": True, "prepare_threshold": 0}),
        ("12", {"server_side_binding": True, "prepare_threshold": 12}),
        ("off", {}),
        (" OFF ", {}),
    ],
)
def test_settings_prepare_threshold_from_the_environment(tmp_path, raw, expected):
    values = _database_settings(
        tmp_path,
        DATABASE_URL="postgres://app@db.example.org:5432/masip",
        MASIP_DB_PREPARE_THRESHOLD=raw,
        MASIP_DB_POOL_MAX_SIZE="2",
    )

    assert values["prepared"] == expected
    assert values["pool"]["max_size"] == 2  # the pool keeps prepared statements


@pytest.mark.parametrize("raw", ["-1", "five", "5.5"])
def test_prepare_threshold_refuses_what_is_not_a_count(monkeypatch, raw):
    monkeypatch.setenv("MASIP_DB_PREPARE_THRESHOLD", raw)

    with pytest.raises(ImproperlyConfigured, match="MASIP_DB_PREPARE_THRESHOLD"):
        prepared_statement_options()


@pytest.mark.parametrize(
    ("min_size", "max_size", "timeout", "message"),
    [
        (0, 0, 10, "MAX_SIZE must be at least 1"),
        (5, 4, 10, "MIN_SIZE must be between"),
        (-1, 4, 10, "MIN_SIZE must be between"),
        (1, 4, 0, "TIMEOUT must be at least"),
    ],
)
def test_pool_options_refuse_impossible_sizes(min_size, max_size, timeout, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        pool_options(min_size=min_size, max_size=max_size, timeout=timeout)


# The pool hands back no reach (PostgreSQL) --------------------------------------


@pytest.fixture
def pooled(db) -> Iterator[Any]:
    """A factory of pooled connections to the test database (pools of one)."""
    made: list[DatabaseWrapper] = []

    def make(*, reset: bool = True) -> DatabaseWrapper:
        options = pool_options(min_size=1, max_size=1, timeout=5)
        if not reset:
            options.pop("reset")
        settings_dict = {
            **connection.settings_dict,
            "CONN_MAX_AGE": 0,
            "OPTIONS": {**connection.settings_dict["OPTIONS"], "pool": options},
        }
        wrapper = DatabaseWrapper(settings_dict, alias=f"pool_test_{len(made)}")
        made.append(wrapper)
        return wrapper

    yield make
    for wrapper in made:
        wrapper.close()
        wrapper.close_pool()


def _set(wrapper: DatabaseWrapper, values: dict[str, str]) -> None:
    with wrapper.cursor() as cursor:
        for name, value in values.items():
            cursor.execute("SELECT set_config(%s, %s, false)", [f"masip.{name}", value])


def _session(wrapper: DatabaseWrapper) -> tuple[int, dict[str, str]]:
    """The server process behind the connection, and every masip.* setting."""
    with wrapper.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
        values = {}
        for name in scope.SETTINGS:
            cursor.execute("SELECT current_setting(%s, true)", [f"masip.{name}"])
            values[name] = cursor.fetchone()[0] or ""
    return pid, values


@postgres_only
def test_pool_a_connection_handed_back_with_a_reach_is_lent_without_it(pooled):
    # What the middleware does when emptying the reach fails: it closes the
    # connection, which for a pooled one means handing it back as it is.
    wrapper = pooled()
    _set(wrapper, REACH)
    first_pid, _ = _session(wrapper)

    wrapper.close()
    pid, values = _session(wrapper)

    assert pid == first_pid
    assert values == dict(scope.EMPTY)


@postgres_only
def test_pool_a_connection_handed_back_in_a_failed_transaction_is_lent_clean(pooled):
    wrapper = pooled()
    _set(wrapper, REACH)  # autocommit: these settings are committed
    first_pid, _ = _session(wrapper)
    raw = wrapper.connection
    raw.execute("BEGIN")
    with pytest.raises(psycopg.errors.DivisionByZero):
        raw.execute("SELECT 1 / 0")
    assert raw.info.transaction_status == TransactionStatus.INERROR

    wrapper.close()
    pid, values = _session(wrapper)

    assert pid == first_pid
    assert values == dict(scope.EMPTY)


@postgres_only
def test_pool_without_the_reset_would_lend_the_reach_on(pooled):
    # The reason for the reset: a pool alone keeps session settings.
    wrapper = pooled(reset=False)
    _set(wrapper, REACH)

    wrapper.close()
    _, values = _session(wrapper)

    assert values["agencies"] == REACH["agencies"]
    assert values["trusted"] == REACH["trusted"]


@postgres_only
def test_reset_commits_when_the_connection_is_not_in_autocommit(db):
    params = connection.get_connection_params()
    keys = ("dbname", "user", "password", "host", "port")
    with psycopg.connect(**{k: params[k] for k in keys if params.get(k)}) as raw:
        raw.execute("SELECT set_config('masip.agencies', '3', false)")
        raw.commit()

        reset_row_security(raw)

        assert raw.info.transaction_status == TransactionStatus.IDLE
        value = raw.execute("SELECT current_setting('masip.agencies')").fetchone()
        assert value == ("",)
