"""Fixtures shared by every test: the standard cast and signed-in clients."""

from collections.abc import Callable

import pytest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY

from masip.accounts.tests.factories import authenticator_for
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
    """A test client signed in as the named persona, past the second factor."""

    def make(name: str) -> Client:
        client = Client()
        user = cast.persona(name)
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = authenticator_for(user).persistent_id
        session.save()
        return client

    return make
