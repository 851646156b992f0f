"""Helpers for export tests: clients whose second factor is fresh or stale."""

import csv
import io

import pytest
from django.utils import timezone

from masip.accounts import mfa


def make_fresh(client):
    """Mark the client's session as having just proved its second factor."""
    session = client.session
    session[mfa.FACTOR_AT_SESSION_KEY] = int(timezone.now().timestamp())
    session.save()
    return client


@pytest.fixture
def fresh_client_for(client_for):
    return lambda name: make_fresh(client_for(name))


def csv_rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def body(response) -> bytes:
    """A response's content, streamed or not.

    Reading a streamed response to the end makes the test client close it (and
    its file); closing it again would fire ``request_finished`` and close the
    test's database connection.
    """
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def status(response) -> int:
    body(response)
    return response.status_code
