"""Panel reach through the access policy: visible_panels and meeting_for."""

import uuid

import pytest
from django.http import Http404

from masip.access.permissions import Permission
from masip.access.policy import Access
from masip.accounts.tests.factories import SiteFactory
from masip.panels.tests.factories import MeetingFactory, PanelFactory, cast_panel

pytestmark = pytest.mark.django_db


def test_visible_panels_for_view_are_those_a_users_agency_sits_on(cast):
    panel_a = cast_panel(cast)
    panel_b = PanelFactory(site=cast.police_b.site)
    panel_b.member_agencies.set([cast.police_b])

    seen = {
        name: set(Access(cast.persona(name)).visible_panels(Permission.PANEL_VIEW))
        for name in ("lead_worker", "partner_worker", "outsider", "panel_coordinator")
    }

    assert seen["lead_worker"] == {panel_a}
    assert seen["partner_worker"] == {panel_a}
    assert seen["outsider"] == {panel_b}
    # The coordinator's own site's panel, though the programme office is no member.
    assert seen["panel_coordinator"] == {panel_a}


def test_visible_panels_for_manage_is_only_the_coordinators_site(cast):
    panel_a = cast_panel(cast)
    PanelFactory(site=cast.police_b.site)
    PanelFactory(site=SiteFactory())

    assert set(
        Access(cast.panel_coordinator).visible_panels(Permission.PANEL_MANAGE)
    ) == {panel_a}
    assert not Access(cast.lead_manager).visible_panels(Permission.PANEL_MANAGE)
    assert not Access(cast.analyst).visible_panels(Permission.PANEL_VIEW)


def test_meeting_for_finds_a_meeting_in_reach(cast):
    meeting = MeetingFactory(panel=cast_panel(cast), created_by=cast.panel_coordinator)

    found = Access(cast.partner_worker).meeting_for(
        meeting.public_id, need=Permission.PANEL_VIEW
    )

    assert found == meeting


@pytest.mark.parametrize(
    ("persona", "need"),
    [
        ("outsider", Permission.PANEL_VIEW),  # Police B sits on no site A panel
        ("lead_worker", Permission.PANEL_MANAGE),  # reads, does not run it
        ("analyst", Permission.PANEL_VIEW),  # no panel verb at all
    ],
)
def test_meeting_for_answers_404_out_of_reach(cast, persona, need):
    meeting = MeetingFactory(panel=cast_panel(cast), created_by=cast.panel_coordinator)

    with pytest.raises(Http404):
        Access(cast.persona(persona)).meeting_for(meeting.public_id, need=need)


@pytest.mark.parametrize("public_id", [uuid.uuid4(), "not-a-uuid"])
def test_meeting_for_answers_404_for_a_missing_meeting(cast, public_id):
    cast_panel(cast)

    with pytest.raises(Http404):
        Access(cast.panel_coordinator).meeting_for(
            public_id, need=Permission.PANEL_MANAGE
        )
