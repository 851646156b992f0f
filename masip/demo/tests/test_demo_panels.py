"""The demo's programme data: a panel per site with a held meeting (minutes,
actions, one overdue) and the next meeting's agenda, and referrals waiting in
each site's triage queue. (Loading twice adds nothing: ``test_demo.py``
counts these rows too.) One load of the demo serves every check, since
loading it is the slow part."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from masip.access.policy import Access
from masip.accounts.models import Site, User
from masip.panels.models import Action, Meeting, Panel
from masip.referrals.models import Referral
from masip.referrals.targets import triage_due

COORDINATOR = "panel.coordinator@london.demo.example.org"


@pytest.mark.django_db
def test_demo_programme_has_panels_meetings_actions_and_referrals():
    call_command("demo", force=True, stdout=None)

    panels = list(Panel.objects.prefetch_related("member_agencies"))
    assert len(panels) == Site.objects.count()
    for panel in panels:
        kinds = {a.kind for a in panel.member_agencies.all()}
        assert kinds == {"police", "probation", "nhs_mental_health", "advocacy"}
        assert panel.chair is not None
        held = panel.meetings.get(status=Meeting.Status.HELD)
        planned = panel.meetings.get(status=Meeting.Status.PLANNED)
        assert held.minutes_issued_at is not None
        assert held.items.filter(discussed=True).exists()
        assert held.attendance.count() == 4
        assert planned.held_on > held.held_on
    assert Action.objects.overdue().exists()
    assert Action.objects.filter(status=Action.Status.DONE).exists()

    visible = Access(User.objects.get(email=COORDINATOR)).visible_referrals()
    # Two of the site's own, and one handed over by the national helpline.
    assert visible.filter(status="waiting").count() == 3
    assert visible.filter(status="more_info").count() == 1
    assert visible.filter(helpline_contact__isnull=False).count() == 1
    urgent = visible.get(urgency="urgent", helpline_contact__isnull=True)
    assert triage_due(received_at=urgent.received_at, urgency="urgent") < (
        timezone.now()
    )
    # Three per site, and the helpline's handover.
    assert Referral.objects.count() == 3 * Site.objects.count() + 1
