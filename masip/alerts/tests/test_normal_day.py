"""A normal synthetic working day raises few false alerts.

Everything in the day is legitimate work (see workday.py), so every alert it
raises is a false alert. Measured with seed 7: 30 staff, 2,426 events, no
alerts (0 per 1,000 events, 0 per user-day), with 15 case visits where the
member of staff shares a family name with someone in the case and 2 where they
live in the postcode of someone in it (every staff member has a home address
on record, so the shared-address rule judges every case visit). Larger runs
are in docs/benchmarks.md (bench/insider_rules.py).
"""

import pytest

from masip.alerts.rules import RULES
from masip.alerts.rules.casework import AddressMatchRule
from masip.alerts.tests import workday

pytestmark = pytest.mark.django_db

# SECURITY.md 7.3 sets at most one false alert per 100 users a day; a single
# day of 30 staff is too small a sample to show that alone, so this test holds
# the day to at most one alert in all, and bench/insider_rules.py measures the
# rate over more staff and days.
MAX_ALERTS_PER_USER_DAY = 1 / 30
MAX_ALERTS_PER_1000_EVENTS = 0.5


def test_a_normal_working_day_raises_few_false_alerts():
    assert any(isinstance(rule, AddressMatchRule) for rule in RULES)
    result = workday.run(seed=7, staff=30, days=1)

    measured = (
        f"{result.events} events, {len(result.alerts)} alerts: "
        f"{result.per_thousand_events:.2f} per 1,000 events, "
        f"{result.per_user_day:.3f} per user-day; "
        f"{result.shared_name_visits} shared-name and "
        f"{result.shared_postcode_visits} shared-postcode visits; "
        f"{[a.summary for a in result.alerts]}"
    )
    assert result.events > 2000
    # The day must contain the near misses the rules have to let through.
    assert result.shared_name_visits > 0
    assert result.shared_postcode_visits > 0
    assert result.per_user_day <= MAX_ALERTS_PER_USER_DAY, measured
    assert result.per_thousand_events <= MAX_ALERTS_PER_1000_EVENTS, measured
