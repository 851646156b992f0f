"""Fixtures shared by every test: the standard cast and signed-in clients."""

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY

from masip.accounts.sessions import stamp_session
from masip.accounts.tests.factories import authenticator_for
from tests.personas import Cast, build_cast


def pytest_configure(config: pytest.Config) -> None:
    from django.conf import settings

    # A fast hash keeps the persona set-up cheap; production keeps the default.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session", autouse=True)
def _end_stray_database_sessions(
    django_db_setup: None, django_db_blocker: Any
) -> Iterator[None]:
    """On PostgreSQL, end any session still open on the test database at the end.

    A background worker started by a test, or a live-server thread, can leave
    a connection behind; PostgreSQL then refuses to drop the test database.
    """
    yield
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    """Each test starts with an empty cache: what one test keeps per user must
    not reach the next, whose user ids come round again after the rollback."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(scope="session", autouse=True)
def _evidence_store_in_a_temporary_folder(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[None]:
    """Evidence files stored by any test go to a temporary folder, not var/.

    Tests that look at the stored files use ``evidence_root``
    (masip/evidence/tests), which gives each test its own folder.
    """
    from django.conf import settings
    from django.test import override_settings

    root = tmp_path_factory.mktemp("evidence")
    storage = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(root)},
    }
    with override_settings(STORAGES={**settings.STORAGES, "evidence": storage}):
        yield


@pytest.fixture
def cast(db: None) -> Cast:
    return build_cast()


@pytest.fixture
def client_for(cast: Cast) -> Callable[[str], Client]:
    """A test client signed in as the named persona, past the second factor,
    its session stamped as the sign-in page stamps it."""

    def make(name: str) -> Client:
        client = Client()
        user = cast.persona(name)
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = authenticator_for(user).persistent_id
        user.refresh_from_db(fields=["session_epoch"])  # as sign-in reads it
        stamp_session(session, user)
        session.save()
        return client

    return make
