"""Fixtures shared by every test: the standard cast and signed-in clients."""

from collections.abc import Callable

import pytest
from django.test import Client

from tests.personas import Cast, build_cast


def pytest_configure(config: pytest.Config) -> None:
    from django.conf import settings

    # A fast hash keeps the persona set-up cheap; production keeps the default.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def cast(db: None) -> Cast:
    return build_cast()


@pytest.fixture
def client_for(cast: Cast) -> Callable[[str], Client]:
    """A test client signed in as the named persona."""

    def make(name: str) -> Client:
        client = Client()
        client.force_login(
            cast.persona(name), backend="django.contrib.auth.backends.ModelBackend"
        )
        return client

    return make
