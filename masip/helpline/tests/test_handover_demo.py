"""The demo helpline (masip/demo/helpline.py): completed contacts counted in
the statistics, a draft, and one contact handed over to London."""

import datetime as dt

import pytest
from django.db.models import Sum

from masip.access.policy import Access
from masip.demo.helpline import ADVISER, HANDOVER_NARRATIVE, ensure_helpline
from masip.demo.structure import ensure_structure
from masip.helpline.models import Contact, MonthlyCount
from masip.referrals.models import Referral

pytestmark = pytest.mark.django_db

ANCHOR = dt.date(2026, 6, 15)
COORDINATOR = "panel.coordinator@london.demo.example.org"


def test_ensure_helpline_makes_counted_contacts_a_draft_and_a_handover():
    structure = ensure_structure(password="demo-password-for-tests")

    made = ensure_helpline(structure, anchor=ANCHOR)

    complete = Contact.objects.filter(status=Contact.Status.COMPLETE)
    assert made == Contact.objects.count() >= 30
    assert len(set(complete.values_list("channel", flat=True))) >= 3
    assert len(set(complete.values_list("force_area", flat=True))) >= 5
    oldest = min(c.started_at for c in complete).date()
    assert oldest < ANCHOR - dt.timedelta(days=90)
    counted = MonthlyCount.objects.filter(dimension="all").aggregate(n=Sum("contacts"))
    assert counted["n"] == complete.count()

    draft = Contact.objects.get(status=Contact.Status.DRAFT)
    assert draft.adviser.email == ADVISER

    handed = Contact.objects.get(referral__isnull=False)
    referral = handed.referral
    assert referral.site.name == "London"
    assert referral.helpline_narrative == HANDOVER_NARRATIVE
    assert referral.status == "waiting"
    coordinator = structure.users[COORDINATOR]
    assert Access(coordinator).visible_referrals().filter(pk=referral.pk).exists()


def test_ensure_helpline_twice_adds_nothing():
    structure = ensure_structure(password="demo-password-for-tests")
    ensure_helpline(structure, anchor=ANCHOR)
    contacts, referrals = Contact.objects.count(), Referral.objects.count()

    assert ensure_helpline(structure, anchor=ANCHOR) == 0

    assert Contact.objects.count() == contacts
    assert Referral.objects.count() == referrals
