"""The demo's panels: one per site, a held meeting with minutes and actions
(one overdue), and the next meeting's agenda; loading twice adds nothing."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from masip.accounts.models import Site, User
from masip.panels.models import Action, Meeting, Panel


@pytest.fixture
def demo(db):
    call_command("demo", force=True, stdout=None)


@pytest.mark.django_db
def test_demo_panels_one_per_site_with_four_partner_agencies(demo):
    panels = Panel.objects.prefetch_related("member_agencies")

    assert panels.count() == Site.objects.count()
    for panel in panels:
        kinds = {a.kind for a in panel.member_agencies.all()}
        assert kinds == {"police", "probation", "nhs_mental_health", "advocacy"}
        assert panel.chair is not None


@pytest.mark.django_db
def test_demo_panels_have_minutes_and_an_upcoming_agenda(demo):
    for panel in Panel.objects.all():
        held = panel.meetings.get(status=Meeting.Status.HELD)
        planned = panel.meetings.get(status=Meeting.Status.PLANNED)

        assert held.minutes_issued_at is not None
        assert held.items.filter(discussed=True).exists()
        assert held.attendance.count() == 4
        assert planned.held_on > held.held_on


@pytest.mark.django_db
def test_demo_actions_include_overdue_and_completed_ones(demo):
    assert Action.objects.overdue().exists()
    assert Action.objects.filter(status=Action.Status.DONE).exists()


@pytest.mark.django_db
def test_demo_panels_load_twice_without_duplicates(demo):
    before = (Meeting.objects.count(), Action.objects.count())

    call_command("demo", force=True, stdout=None)

    assert (Meeting.objects.count(), Action.objects.count()) == before


@pytest.mark.django_db
def test_demo_triage_queues_hold_waiting_referrals_one_overdue(demo):
    from masip.access.policy import Access
    from masip.referrals.models import Referral
    from masip.referrals.targets import triage_due

    coordinator = User.objects.get(email="panel.coordinator@london.demo.example.org")
    visible = Access(coordinator).visible_referrals()

    assert visible.filter(status="waiting").count() == 2
    assert visible.filter(status="more_info").count() == 1
    urgent = visible.get(urgency="urgent")
    assert triage_due(received_at=urgent.received_at, urgency="urgent") < timezone.now()
    assert Referral.objects.count() == 3 * Site.objects.count()
