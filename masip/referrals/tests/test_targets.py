"""Triage and screening targets, judged at a given instant."""

import datetime as dt

import pytest
from django.test import override_settings

from masip.referrals import targets

RECEIVED = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def test_triage_due_an_urgent_referral_is_due_a_day_after_it_arrived():
    due = targets.triage_due(received_at=RECEIVED, urgency="urgent")

    assert due == RECEIVED + dt.timedelta(hours=24)


def test_triage_due_a_routine_referral_is_due_three_days_after():
    due = targets.triage_due(received_at=RECEIVED, urgency="routine")

    assert due == RECEIVED + dt.timedelta(hours=72)


@pytest.mark.parametrize(
    ("urgency", "hours_later", "overdue"),
    [
        ("urgent", 23, False),
        ("urgent", 24, False),  # due at that instant: not yet late
        ("urgent", 25, True),
        ("routine", 71, False),
        ("routine", 73, True),
    ],
)
def test_triage_overdue_only_after_the_target(urgency, hours_later, overdue):
    now = RECEIVED + dt.timedelta(hours=hours_later)

    assert (
        targets.triage_overdue(received_at=RECEIVED, urgency=urgency, now=now)
        is overdue
    )


@override_settings(MASIP_TRIAGE_TARGET_HOURS={"urgent": 4, "routine": 48})
def test_triage_targets_come_from_the_settings():
    now = RECEIVED + dt.timedelta(hours=5)

    assert targets.triage_overdue(received_at=RECEIVED, urgency="urgent", now=now)
    assert not targets.triage_overdue(received_at=RECEIVED, urgency="routine", now=now)


def test_screening_overdue_ten_days_after_acceptance_until_screened():
    accepted = RECEIVED
    day_ten = accepted + dt.timedelta(days=10)
    later = day_ten + dt.timedelta(minutes=1)

    assert targets.screening_due(accepted_at=accepted) == day_ten
    assert not targets.screening_overdue(
        accepted_at=accepted, screened=False, now=day_ten
    )
    assert targets.screening_overdue(accepted_at=accepted, screened=False, now=later)
    assert not targets.screening_overdue(accepted_at=accepted, screened=True, now=later)


@override_settings(MASIP_SCREENING_TARGET_DAYS=3)
def test_screening_target_comes_from_the_settings():
    now = RECEIVED + dt.timedelta(days=3, hours=1)

    assert targets.screening_cutoff(now) == RECEIVED + dt.timedelta(hours=1)
    assert targets.screening_overdue(accepted_at=RECEIVED, screened=False, now=now)
