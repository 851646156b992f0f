"""Test helpers for step-up: make a test client's second factor fresh or stale."""

import datetime as dt

from django.test import Client
from django.utils import timezone

from masip.accounts.mfa import FACTOR_AT_SESSION_KEY


def factor_proved(client: Client, *, ago: dt.timedelta = dt.timedelta(0)) -> None:
    """Record in the client's session that its second factor was proved ``ago``."""
    session = client.session
    session[FACTOR_AT_SESSION_KEY] = int((timezone.now() - ago).timestamp())
    session.save()
