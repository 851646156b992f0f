"""A stopped clock for tests of due dates (``django.utils.timezone.now``, and
with it ``localdate``, auto-now fields and the audit trail's times)."""

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from unittest import mock


@contextmanager
def frozen_at(moment: dt.datetime) -> Iterator[dt.datetime]:
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield moment


@contextmanager
def frozen_on(day: dt.date) -> Iterator[dt.datetime]:
    """The clock stopped at noon (UTC) on ``day``."""
    with frozen_at(dt.datetime.combine(day, dt.time(12, 0), tzinfo=dt.UTC)) as now:
        yield now
