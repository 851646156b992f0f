"""A frozen clock for the referral tests.

``frozen_clock(moment)`` makes ``django.utils.timezone.now`` (which the
services, the views, ``auto_now`` fields and the audit trail call) answer
``moment`` until the test ends; call it again to move the clock.
"""

import datetime as dt
from collections.abc import Callable

import pytest
from django.utils import timezone

type Freeze = Callable[[dt.datetime], dt.datetime]


@pytest.fixture
def frozen_clock(monkeypatch: pytest.MonkeyPatch) -> Freeze:
    def freeze(moment: dt.datetime) -> dt.datetime:
        monkeypatch.setattr(timezone, "now", lambda: moment)
        return moment

    return freeze
