"""Target times: triage of a referral, and the first screening of its case.

Every function takes the time it judges by (``now``) rather than reading the
clock, so the queue, the reminders and the tests agree on one instant.

* Triage is due ``MASIP_TRIAGE_TARGET_HOURS[urgency]`` hours after the referral
  was received (24 for urgent, 72 for routine by default). The clock does not
  stop while the referrer is asked for more: the victim waits either way.
* Screening is due ``MASIP_SCREENING_TARGET_DAYS`` days (10 by default) after
  the referral was accepted, until the case has its first risk assessment
  (``masip.risk.models.Assessment``).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings


def triage_hours(urgency: str) -> int:
    return int(settings.MASIP_TRIAGE_TARGET_HOURS[urgency])


def triage_due(*, received_at: dt.datetime, urgency: str) -> dt.datetime:
    return received_at + dt.timedelta(hours=triage_hours(urgency))


def triage_overdue(*, received_at: dt.datetime, urgency: str, now: dt.datetime) -> bool:
    """Past the triage target (asked only of referrals still undecided)."""
    return now > triage_due(received_at=received_at, urgency=urgency)


def screening_days() -> int:
    return int(settings.MASIP_SCREENING_TARGET_DAYS)


def screening_due(*, accepted_at: dt.datetime) -> dt.datetime:
    return accepted_at + dt.timedelta(days=screening_days())


def screening_overdue(
    *, accepted_at: dt.datetime, screened: bool, now: dt.datetime
) -> bool:
    """Accepted long enough ago, and the case still has no assessment."""
    return not screened and now > screening_due(accepted_at=accepted_at)


def screening_cutoff(now: dt.datetime) -> dt.datetime:
    """Referrals accepted before this instant are past the screening target."""
    return now - dt.timedelta(days=screening_days())
