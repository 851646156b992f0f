"""The demo's safety data: windows on a few victims, plans (one review
overdue), updates from different agencies and a scheduled call, all within
the victims' rules; a second run adds nothing. One load of the demo serves
every check, since loading it is the slow part."""

import datetime as dt

import pytest

from masip.demo.builder import load_demo
from masip.demo.safety import ensure_safety
from masip.people.models import SafeContactPreference
from masip.safety.contact_rules import check_contact
from masip.safety.models import SafetyPlan, SafetyPlanVersion, VictimContact

ANCHOR = dt.date(2026, 3, 18)


def _counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (SafetyPlan, SafetyPlanVersion, VictimContact)
    }


@pytest.mark.django_db
def test_demo_safety_is_realistic_within_the_rules_and_idempotent():
    structure = load_demo(anchor=ANCHOR).structure

    ensure_safety(structure, anchor=ANCHOR)
    first = _counts()
    ensure_safety(structure, anchor=ANCHOR)

    assert _counts() == first
    assert first["SafetyPlan"] >= 3
    currents = SafetyPlanVersion.objects.filter(
        number__in=[p.current_number for p in SafetyPlan.objects.all()]
    )
    assert any(
        v.review_on < ANCHOR and v.number == v.plan.current_number for v in currents
    )
    assert SafetyPlan.objects.filter(current_number=2).exists()
    logged = VictimContact.objects.filter(status=VictimContact.Status.DONE)
    assert logged.values("agency").distinct().count() >= 2
    assert (
        VictimContact.objects.filter(status=VictimContact.Status.SCHEDULED).count() >= 1
    )
    assert SafeContactPreference.objects.exclude(contact_days=[]).count() >= 3
    for contact in VictimContact.objects.select_related("victim"):
        preference = SafeContactPreference.objects.filter(person=contact.victim).first()
        at = contact.occurred_at or contact.scheduled_for
        assert check_contact(
            preference, method=contact.method, at=at, address=contact.address
        ).allowed
