"""Incident pages: the timeline, recording, reading and changing incidents."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from masip.access.tests.factories import reveal_for
from masip.audit.events import EventType
from masip.audit.models import AuditEvent
from masip.incidents import services
from masip.incidents.models import Incident
from masip.incidents.tests.factories import IncidentFactory
from masip.people.models import Confidentiality
from masip.people.tests.factories import actor_for

SEALED = ("1 Sealed Street", "07700 900123", "Bluebell")
LOCATION = "Outside the victim&#x27;s workplace"


def _url(name, case, incident=None, query=""):
    kwargs = {"reference": case.reference}
    if incident is not None:
        kwargs["public_id"] = incident.public_id
    return reverse(f"incidents:{name}", kwargs=kwargs) + query


def _all_urls(cast):
    return [
        _url("incident-list", cast.case),
        _url("incident-record", cast.case),
        _url("incident-detail", cast.case, cast.incident),
        _url("incident-edit", cast.case, cast.incident),
    ]


def _form_data(day=None, **overrides):
    day = day or timezone.localdate() - dt.timedelta(days=2)
    data = {
        "occurred_on_day": str(day.day),
        "occurred_on_month": str(day.month),
        "occurred_on_year": str(day.year),
        "occurred_time": "18:45",
        "time_precision": "exact",
        "behaviours": ["following", "loitering"],
        "channels": ["in_person"],
        "location": "Bus stop on Station Road",
        "location_confidentiality": "standard",
        "narrative": "Followed her from the bus stop to the shop.",
        "impact": "Now takes a taxi.",
        "reported_to_police": "yes",
        "crime_reference": "CR/0042/26",
    }
    data.update(overrides)
    return data


# Reach ----------------------------------------------------------------------


def test_outsider_gets_404_on_every_incident_url(cast, client_for):
    client = client_for("outsider")

    for url in _all_urls(cast):
        assert client.get(url).status_code == 404, url
        assert client.post(url, _form_data()).status_code == 404, url


def test_incident_of_another_case_gives_404_under_this_case(cast, client_for):
    elsewhere = IncidentFactory(case=cast.other_case)
    client = client_for("lead_worker")

    assert client.get(_url("incident-detail", cast.case, elsewhere)).status_code == 404
    assert client.get(_url("incident-edit", cast.case, elsewhere)).status_code == 404
    response = client.post(_url("incident-edit", cast.case, elsewhere), _form_data())
    assert response.status_code == 404


def test_panel_coordinator_cannot_record_incidents(cast, client_for):
    response = client_for("panel_coordinator").post(
        _url("incident-record", cast.case), _form_data()
    )

    assert response.status_code == 403
    assert Incident.objects.count() == 1


# Compartments ---------------------------------------------------------------


def test_partner_never_sees_victim_contact_on_any_incident_page(cast, client_for):
    client = client_for("partner_worker")

    for url in _all_urls(cast):
        html = client.get(url).content.decode()
        assert LOCATION not in html, url
        for secret in SEALED:
            assert secret not in html, (url, secret)


def test_partner_sees_location_withheld_marker(cast, client_for):
    client = client_for("partner_worker")

    timeline = client.get(_url("incident-list", cast.case)).content.decode()
    detail = client.get(
        _url("incident-detail", cast.case, cast.incident)
    ).content.decode()

    assert "Location withheld" in timeline
    assert "Location withheld" in detail


@pytest.mark.parametrize("persona", ["lead_worker", "advocate"])
def test_victim_contact_holders_see_restricted_locations_once_revealed(
    cast, client_for, persona
):
    client = client_for(persona)
    reveal_for(cast.persona(persona), cast.case)

    timeline = client.get(_url("incident-list", cast.case)).content.decode()
    detail = client.get(
        _url("incident-detail", cast.case, cast.incident)
    ).content.decode()

    assert LOCATION in timeline
    assert LOCATION in detail


@pytest.mark.parametrize("persona", ["lead_worker", "advocate"])
def test_victim_contact_holders_see_restricted_locations_masked(
    cast, client_for, persona
):
    client = client_for(persona)

    pages = [
        client.get(_url("incident-list", cast.case)).content.decode(),
        client.get(_url("incident-detail", cast.case, cast.incident)).content.decode(),
        client.get(_url("incident-edit", cast.case, cast.incident)).content.decode(),
    ]

    for html in pages:
        assert LOCATION not in html
        assert "Reveal victim location and contact details" in html
        assert "location hidden" in html.lower()


def test_standard_location_is_shown_to_everyone(cast, client_for):
    Incident.objects.filter(pk=cast.incident.pk).update(
        location_confidentiality=Confidentiality.STANDARD
    )

    html = (
        client_for("partner_worker")
        .get(_url("incident-list", cast.case))
        .content.decode()
    )

    assert LOCATION in html


def test_partner_edit_keeps_a_restricted_location_they_cannot_see(cast, client_for):
    client = client_for("partner_worker")
    url = _url("incident-edit", cast.case, cast.incident)
    data = _form_data(narrative="Added by probation.", version="1")
    del data["location"], data["location_confidentiality"]

    form_html = client.get(url).content.decode()
    response = client.post(url, data)

    stored = Incident.objects.get(pk=cast.incident.pk)
    assert 'name="location"' not in form_html
    assert response.status_code == 302
    assert stored.narrative == "Added by probation."
    assert stored.location == "Outside the victim's workplace"
    assert stored.location_confidentiality == Confidentiality.RESTRICTED


def test_partner_records_only_standard_locations(cast, client_for):
    client = client_for("partner_worker")

    html = client.get(_url("incident-record", cast.case)).content.decode()
    response = client.post(
        _url("incident-record", cast.case),
        _form_data(location_confidentiality="restricted"),
    )

    assert 'value="restricted"' not in html
    assert response.status_code == 200
    assert Incident.objects.count() == 1


# Timeline -------------------------------------------------------------------


def test_incident_list_shows_timeline_and_pattern(cast, client_for):
    IncidentFactory(
        case=cast.case,
        occurred_at=timezone.now() - dt.timedelta(days=1),
        behaviours=["following"],
        channels=["in_person"],
        reported_to_police=True,
        crime_reference="CR/0099/26",
        narrative="Left flowers on the doorstep.",
        recorded_by=cast.advocate,
        recorded_by_agency=cast.advocacy_a,
    )

    response = client_for("lead_worker").get(_url("incident-list", cast.case))

    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="moj-timeline"' in html
    assert html.count('class="moj-timeline__item"') == 2
    assert "CR/0099/26" in html
    assert "Advocate, Advocacy A" in html
    assert "Incidents recorded" in html
    assert html.index("Left flowers") < html.index(
        "Sent eleven messages"
    )  # newest first
    assert _url("incident-detail", cast.case, cast.incident) in html


def test_incident_list_filters_by_behaviour(cast, client_for):
    IncidentFactory(case=cast.case, behaviours=["following"], narrative="Followed.")

    html = (
        client_for("lead_worker")
        .get(_url("incident-list", cast.case, query="?behaviour=following"))
        .content.decode()
    )

    assert html.count('class="moj-timeline__item"') == 1
    assert "Followed." in html
    assert "Showing 1 of 2 incidents." in html


def test_incident_list_bad_filter_shows_everything(cast, client_for):
    response = client_for("lead_worker").get(
        _url("incident-list", cast.case, query="?behaviour=nonsense&page=abc")
    )

    assert response.status_code == 200
    assert response.content.decode().count('class="moj-timeline__item"') == 1


def test_incident_list_paginates_fifty_a_page(cast, client_for):
    for _ in range(50):
        IncidentFactory(case=cast.case)
    client = client_for("lead_worker")

    first = client.get(_url("incident-list", cast.case))
    next_href = first.context["page"].next_href
    second = client.get(_url("incident-list", cast.case, query=next_href))

    assert first.content.decode().count('class="moj-timeline__item"') == 50
    assert second.content.decode().count('class="moj-timeline__item"') == 1
    assert 'class="govuk-pagination"' in first.content.decode()


def _timeline_queries(client, case):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(_url("incident-list", case)).status_code == 200
    return len(ctx.captured_queries)


def test_incident_list_query_count_is_constant(cast, client_for):
    IncidentFactory(case=cast.case)
    client = client_for("lead_worker")
    few = _timeline_queries(client, cast.case)
    for _ in range(18):
        IncidentFactory(case=cast.case)

    many = _timeline_queries(client, cast.case)

    assert many == few


# Record -----------------------------------------------------------------------


def test_incident_record_redirects_to_timeline_with_banner(cast, client_for):
    client = client_for("advocate")

    response = client.post(_url("incident-record", cast.case), _form_data())

    incident = Incident.objects.exclude(pk=cast.incident.pk).get()
    assert response.status_code == 302
    assert response["Location"] == _url("incident-list", cast.case)
    assert incident.recorded_by == cast.advocate
    assert incident.crime_reference == "CR/0042/26"
    assert AuditEvent.objects.order_by("-seq").first().event_type == (
        EventType.INCIDENT_RECORDED
    )
    page = client.get(response["Location"]).content.decode()
    assert "govuk-notification-banner--success" in page
    assert "Incident recorded." in page


def test_incident_record_errors_rerender_with_summary(cast, client_for):
    response = client_for("lead_worker").post(
        _url("incident-record", cast.case),
        _form_data(behaviours=[], crime_reference=""),
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert "Select at least one behaviour." in html
    assert "Enter the crime reference, or answer no." in html
    assert Incident.objects.count() == 1


# Detail and edit ------------------------------------------------------------


def test_incident_detail_records_a_view(cast, client_for):
    response = client_for("lead_worker").get(
        _url("incident-detail", cast.case, cast.incident)
    )

    event = AuditEvent.objects.order_by("-seq").first()
    assert response.status_code == 200
    assert "Sent eleven messages overnight" in response.content.decode()
    assert event.event_type == EventType.INCIDENT_VIEWED
    assert event.target_id == str(cast.incident.public_id)


def test_incident_edit_saves_and_audits(cast, client_for):
    client = client_for("lead_worker")
    url = _url("incident-edit", cast.case, cast.incident)

    form_html = client.get(url).content.decode()
    response = client.post(url, _form_data(version="1"))

    stored = Incident.objects.get(pk=cast.incident.pk)
    assert 'name="version" value="1"' in form_html
    assert "Sent eleven messages overnight" in form_html
    assert response.status_code == 302
    assert stored.version == 2
    assert stored.crime_reference == "CR/0042/26"
    event = AuditEvent.objects.order_by("-seq").first()
    assert event.event_type == EventType.INCIDENT_UPDATED
    assert "narrative" in event.changed_fields


def test_incident_edit_conflict_keeps_input_and_shows_other_version(cast, client_for):
    services.incident_update(
        actor=actor_for(cast.lead_manager),
        case=cast.case,
        incident=cast.incident,
        version=1,
        narrative="Their account of the evening.",
    )
    client = client_for("lead_worker")
    url = _url("incident-edit", cast.case, cast.incident)

    response = client.post(url, _form_data(narrative="My account.", version="1"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "masip-conflict" in html
    assert "Their account of the evening." in html
    assert "My account." in html
    assert 'name="version" value="2"' in html
    assert Incident.objects.get(pk=cast.incident.pk).narrative == (
        "Their account of the evening."
    )

    again = client.post(url, _form_data(narrative="My account.", version="2"))

    assert again.status_code == 302
    assert Incident.objects.get(pk=cast.incident.pk).narrative == "My account."


def test_incident_edit_conflict_never_shows_a_sealed_location(cast, client_for):
    services.incident_update(
        actor=actor_for(cast.lead_manager),
        case=cast.case,
        incident=cast.incident,
        version=1,
        location="12 Secret Gardens",
    )
    data = _form_data(version="1")
    del data["location"], data["location_confidentiality"]

    response = client_for("partner_worker").post(
        _url("incident-edit", cast.case, cast.incident), data
    )

    html = response.content.decode()
    assert "masip-conflict" in html
    assert "12 Secret Gardens" not in html
