"""The panel pages: the list of panels and meetings, and setting up a panel."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from masip.audit.models import AuditEvent
from masip.panels.models import Meeting, Panel
from masip.panels.tests.factories import MeetingFactory, PanelFactory, cast_panel

pytestmark = pytest.mark.django_db
LIST = reverse("panels:panel-list")
SET_UP = reverse("panels:panel-edit")


def test_the_list_shows_upcoming_and_past_meetings_of_the_users_panels(
    cast, client_for
):
    panel = cast_panel(cast)
    today = timezone.localdate()
    MeetingFactory(panel=panel, held_on=today + dt.timedelta(days=3), location="Room 7")
    MeetingFactory(
        panel=panel,
        held_on=today - dt.timedelta(days=30),
        status=Meeting.Status.HELD,
        location="Room 3",
    )
    MeetingFactory(panel=PanelFactory(site=cast.police_b.site), location="Room B")

    page = client_for("advocate").get(LIST).content.decode()

    assert "Site A stalking panel" in page
    upcoming, past = page.split("Past and cancelled meetings")
    assert "Room 7" in upcoming
    assert "Room 3" in past
    assert "Room B" not in page
    assert "Schedule a meeting" not in page


def test_the_coordinator_is_offered_to_set_up_a_missing_panel(cast, client_for):
    page = client_for("panel_coordinator").get(LIST).content.decode()

    assert "Set up the Site A panel" in page


def test_the_list_needs_the_panel_verb(cast, client_for):
    assert client_for("analyst").get(LIST).status_code == 403
    assert client_for("helpline_adviser").get(LIST).status_code == 403


def test_only_the_coordinator_sets_up_the_panel(cast, client_for):
    assert client_for("lead_manager").get(SET_UP).status_code == 403
    assert client_for("lead_manager").post(SET_UP).status_code == 403
    assert client_for("panel_coordinator").get(SET_UP).status_code == 200


def test_set_up_with_nothing_entered_says_what_is_missing(cast, client_for):
    response = client_for("panel_coordinator").post(SET_UP, {"name": ""})

    page = response.content.decode()
    assert response.status_code == 200
    assert "Enter the panel&#x27;s name." in page
    assert "Select the agencies that sit on the panel." in page
    assert "Select the panel&#x27;s chair." in page
    assert not Panel.objects.exists()


def test_set_up_offers_the_sites_and_national_agencies_only(cast, client_for):
    page = client_for("panel_coordinator").get(SET_UP).content.decode()

    assert "Helpline" in page
    assert "Probation A" in page
    assert "Police B" not in page


def test_the_coordinator_sets_up_and_changes_the_panel(cast, client_for):
    client = client_for("panel_coordinator")
    data = {
        "name": "Site A stalking panel",
        "member_agencies": [cast.police_a.pk, cast.nhs_a.pk],
        "chair": cast.clinician.pk,
    }

    created = client.post(SET_UP, data)
    data["chair"] = cast.partner_worker.pk  # Probation A is no member
    refused = client.post(SET_UP, data)

    assert created.status_code == 302
    panel = Panel.objects.get()
    assert set(panel.member_agencies.all()) == {cast.police_a, cast.nhs_a}
    assert refused.status_code == 200
    assert "Select a chair who works for one of the member agencies." in (
        refused.content.decode()
    )
    assert Panel.objects.get().chair == cast.clinician
    assert AuditEvent.objects.filter(event_type="panel.updated").count() == 1


def test_another_sites_agency_cannot_be_posted_as_a_member(cast, client_for):
    response = client_for("panel_coordinator").post(
        SET_UP,
        {
            "name": "Site A stalking panel",
            "member_agencies": [cast.police_a.pk, cast.police_b.pk],
            "chair": cast.lead_manager.pk,
        },
    )

    assert response.status_code == 200
    assert "Select agencies from the list." in response.content.decode()
    assert not Panel.objects.exists()
