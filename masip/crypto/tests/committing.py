"""A fixture for tests whose writes must be committed.

The rotation worker manages its own connection and ``pg_dump`` sees only
committed rows, so those tests use pytest-django's ``transactional_db``. Its
clean-up truncates every table, which PostgreSQL's append-only audit trigger
refuses. Request ``audit_truncate_allowed`` *before* ``transactional_db``:
on PostgreSQL only, it switches the TRUNCATE trigger off for the test (the
row trigger refusing updates and deletes stays on) and back on after the
clean-up.
"""

from collections.abc import Iterator

import pytest
from django.db import connection

_TRIGGER = "audit_event_no_truncate"


def _set_truncate_trigger(*, enabled: bool) -> None:
    if connection.vendor != "postgresql":
        return
    action = "ENABLE" if enabled else "DISABLE"
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE audit_auditevent {action} TRIGGER {_TRIGGER}")


@pytest.fixture
def audit_truncate_allowed(
    django_db_setup: None, django_db_blocker: object
) -> Iterator[None]:
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        _set_truncate_trigger(enabled=False)
    yield
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        _set_truncate_trigger(enabled=True)
