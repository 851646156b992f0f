"""Helpers for tests that run as the application's role (PostgreSQL only).

Roles are made inside the test's transaction (PostgreSQL's role DDL is
transactional), so the rollback at the end of the test removes them.
"""

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection

from masip.access.policy import Access
from masip.accounts.models import User
from masip.isolation import scope
from masip.isolation.roles import ensure_app_role
from masip.isolation.sql import identifier


def new_role_name(prefix: str = "masip_test") -> str:
    return f"{prefix}_{uuid.uuid4().hex[:12]}"


def make_app_role() -> str:
    """A fresh role with exactly the application's grants (``masip db_roles``)."""
    name = new_role_name("masip_test_app")
    ensure_app_role(connection, name)
    return name


def execute(statement: str, params: list[str] | None = None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


@contextmanager
def as_role(name: str) -> Iterator[None]:
    """Run the block's queries (and test-client requests) as role ``name``."""
    execute(f"SET ROLE {identifier(name)}")
    try:
        yield
    finally:
        execute("RESET ROLE")


@contextmanager
def reach_of(user: User | None) -> Iterator[None]:
    """The ``masip.*`` settings a request by ``user`` would have (none if None)."""
    values = scope.settings_for(Access(user)) if user else dict(scope.EMPTY)
    scope.apply(values)
    try:
        yield
    finally:
        scope.clear()
