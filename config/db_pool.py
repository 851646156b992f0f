"""PostgreSQL connection pooling that never lends a connection with a reach.

Django (5.1+) runs psycopg's pool when ``DATABASES[...]["OPTIONS"]["pool"]``
is set; config/settings.py sets it from ``MASIP_DB_POOL_*`` (ADR 0032). Each
web process has its own pool; Django takes a connection from it on a
request's first query and hands it back when the request finishes.

Row-level security keys on ``masip.*`` session settings that
``masip.isolation.middleware.RowSecurityMiddleware`` writes at the start of a
request and empties at its end (ADR 0013). With a pool that end is not the
last line of defence: when emptying fails the middleware closes the
connection, which for a pooled connection means handing it back. So the pool
gets a ``reset`` callback, run on every connection handed back before it can
be lent again: after the pool has rolled back any open or failed
transaction, it empties every setting. If that fails the pool discards the
connection rather than keep it.
"""

import os
from typing import Any

import psycopg
from django.core.exceptions import ImproperlyConfigured
from psycopg.pq import TransactionStatus


def _setting_names() -> tuple[str, ...]:
    # Imported when the pool first hands a connection back (the apps are
    # loaded by then), not when the settings module is read.
    from masip.isolation.scope import SETTINGS

    return SETTINGS


def reset_row_security(connection: psycopg.Connection[Any]) -> None:
    """Empty every ``masip.*`` setting on a connection handed back to the pool."""
    names = _setting_names()
    calls = ", ".join("set_config(%s, '', false)" for _ in names)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {calls}", [f"masip.{name}" for name in names])
    if connection.info.transaction_status != TransactionStatus.IDLE:
        # Outside autocommit the SELECT opened a transaction: the settings
        # hold only once it commits, and the pool wants the connection idle.
        connection.commit()


def pool_options(*, min_size: int, max_size: int, timeout: int) -> dict[str, Any]:
    """The ``OPTIONS["pool"]`` of a pooled PostgreSQL database."""
    if max_size < 1:
        raise ImproperlyConfigured("MASIP_DB_POOL_MAX_SIZE must be at least 1.")
    if not 0 <= min_size <= max_size:
        raise ImproperlyConfigured(
            "MASIP_DB_POOL_MIN_SIZE must be between 0 and MASIP_DB_POOL_MAX_SIZE."
        )
    if timeout < 1:
        raise ImproperlyConfigured("MASIP_DB_POOL_TIMEOUT must be at least 1 second.")
    return {
        "min_size": min_size,
        "max_size": max_size,
        # Seconds a request waits for a free connection before failing.
        "timeout": timeout,
        "reset": reset_row_security,
    }


def prepared_statement_options() -> dict[str, Any]:
    """``OPTIONS`` for server-side binding and psycopg's prepared statements.

    Off unless ``MASIP_DB_PREPARE_THRESHOLD`` is a number: then a statement run
    more than that many times on a connection is prepared, and PostgreSQL may
    reuse one plan for it. That helps a small database and hurts a national
    one (ADR 0036), so it is a deployment's choice, measured with
    ``bench/load.py``.
    """
    raw = os.environ.get("MASIP_DB_PREPARE_THRESHOLD", "").strip().lower()
    if raw in ("", "off"):
        return {}
    try:
        threshold = int(raw)
    except ValueError:
        threshold = -1
    if threshold < 0:
        raise ImproperlyConfigured(
            "MASIP_DB_PREPARE_THRESHOLD must be a whole number (0 or more) or off."
        )
    return {"server_side_binding": True, "prepare_threshold": threshold}
