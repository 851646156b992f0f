"""A stopped clock for safety tests (``django.utils.timezone.now``, and with
it ``localdate``, auto-now fields and the audit trail's times)."""

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from unittest import mock

from masip.safety.contact_rules import UK


@contextmanager
def frozen_at(moment: dt.datetime) -> Iterator[dt.datetime]:
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield moment


def uk(year: int, month: int, day: int, hour: int = 12, minute: int = 0) -> dt.datetime:
    """A moment in UK time."""
    return dt.datetime(year, month, day, hour, minute, tzinfo=UK)
