"""Incident services: what they write, what they audit, and what they refuse."""

import datetime as dt

import pytest
from django.utils import timezone

from masip.audit.events import EventType
from masip.audit.models import AuditEvent
from masip.core.errors import DomainError, StaleEditError
from masip.incidents import services
from masip.incidents.models import Incident, TimePrecision
from masip.people.models import Confidentiality
from masip.people.tests.factories import actor_for


def _values(**overrides):
    values = {
        "occurred_at": timezone.now() - dt.timedelta(days=1),
        "behaviours": ["watching", "following"],
        "channels": ["in_person"],
        "narrative": "Seen outside the school gates at pick-up time.",
    }
    values.update(overrides)
    return values


def _last_event() -> AuditEvent:
    return AuditEvent.objects.order_by("-seq").first()


def test_incident_record_saves_and_audits(cast):
    incident = services.incident_record(
        actor=actor_for(cast.advocate), case=cast.case, **_values()
    )

    assert incident.case == cast.case
    assert incident.recorded_by == cast.advocate
    assert incident.recorded_by_agency == cast.advocacy_a
    assert incident.behaviours == ["following", "watching"]  # in statutory order
    assert incident.location_confidentiality == Confidentiality.RESTRICTED
    event = _last_event()
    assert event.event_type == EventType.INCIDENT_RECORDED
    assert event.target_type == "incident"
    assert event.target_id == str(incident.public_id)
    assert event.case_reference == cast.case.reference


def test_incident_record_range_needs_an_end_after_the_start(cast):
    actor = actor_for(cast.lead_worker)
    start = timezone.now() - dt.timedelta(days=2)

    with pytest.raises(DomainError):
        services.incident_record(
            actor=actor, case=cast.case, **_values(time_precision=TimePrecision.RANGE)
        )
    with pytest.raises(DomainError):
        services.incident_record(
            actor=actor,
            case=cast.case,
            **_values(
                occurred_at=start,
                occurred_until=start - dt.timedelta(hours=1),
                time_precision=TimePrecision.RANGE,
            ),
        )


def test_incident_record_drops_an_end_unless_a_range(cast):
    incident = services.incident_record(
        actor=actor_for(cast.lead_worker),
        case=cast.case,
        **_values(occurred_until=timezone.now()),
    )

    assert incident.occurred_until is None


@pytest.mark.parametrize(
    "overrides",
    [
        {"behaviours": []},
        {"channels": []},
        {"behaviours": ["not_a_behaviour"]},
        {"narrative": "  "},
        {"reported_to_police": True, "crime_reference": ""},
    ],
)
def test_incident_record_refuses_incomplete_incidents(cast, overrides):
    with pytest.raises(DomainError):
        services.incident_record(
            actor=actor_for(cast.lead_worker), case=cast.case, **_values(**overrides)
        )
    assert Incident.objects.count() == 1  # only the cast's own


def test_incident_record_not_reported_clears_crime_reference(cast):
    incident = services.incident_record(
        actor=actor_for(cast.lead_worker),
        case=cast.case,
        **_values(reported_to_police=False, crime_reference="CR/1/26"),
    )

    assert incident.crime_reference == ""


def test_incident_update_bumps_version_and_audits_changed_field_names(cast):
    incident = cast.incident

    updated = services.incident_update(
        actor=actor_for(cast.lead_worker),
        case=cast.case,
        incident=incident,
        version=incident.version,
        narrative="Sent twelve messages overnight.",
        reported_to_police=True,
        crime_reference="CR/0001/26",
    )

    assert updated.version == incident.version + 1
    event = _last_event()
    assert event.event_type == EventType.INCIDENT_UPDATED
    assert event.changed_fields == [
        "crime_reference",
        "narrative",
        "reported_to_police",
    ]
    assert "twelve" not in str(event.changed_fields)


def test_incident_update_with_stale_version_raises_and_saves_nothing(cast):
    incident = cast.incident
    services.incident_update(
        actor=actor_for(cast.lead_manager),
        case=cast.case,
        incident=incident,
        version=1,
        narrative="First edit.",
    )

    with pytest.raises(StaleEditError) as caught:
        services.incident_update(
            actor=actor_for(cast.lead_worker),
            case=cast.case,
            incident=incident,
            version=1,
            narrative="Second edit.",
        )

    assert caught.value.current_version == 2
    assert caught.value.current["narrative"] == "First edit."
    assert Incident.objects.get(pk=incident.pk).narrative == "First edit."


def test_incident_update_leaves_out_fields_it_is_not_given(cast):
    incident = cast.incident

    services.incident_update(
        actor=actor_for(cast.partner_worker),
        case=cast.case,
        incident=incident,
        version=incident.version,
        impact="Changed her route to work.",
    )

    stored = Incident.objects.get(pk=incident.pk)
    assert stored.location == "Outside the victim's workplace"
    assert stored.location_confidentiality == Confidentiality.RESTRICTED
    assert stored.impact == "Changed her route to work."


def test_incident_update_without_changes_keeps_version(cast):
    incident = cast.incident
    events_before = AuditEvent.objects.count()

    updated = services.incident_update(
        actor=actor_for(cast.lead_worker),
        case=cast.case,
        incident=incident,
        version=incident.version,
        narrative=incident.narrative,
    )

    assert updated.version == incident.version
    assert AuditEvent.objects.count() == events_before


def test_incident_update_refuses_an_incident_of_another_case(cast):
    with pytest.raises(Incident.DoesNotExist):
        services.incident_update(
            actor=actor_for(cast.lead_worker),
            case=cast.other_case,
            incident=cast.incident,
            version=cast.incident.version,
            narrative="Moved.",
        )


def test_incident_update_refuses_fields_that_are_not_editable(cast):
    with pytest.raises(TypeError):
        services.incident_update(
            actor=actor_for(cast.lead_worker),
            case=cast.case,
            incident=cast.incident,
            version=cast.incident.version,
            recorded_by=cast.outsider,
        )
