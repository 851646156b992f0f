"""Recording and changing interventions, sessions and custody: the checks,
the lost-update guard, the health rule for treatment, and the audit trail."""

import datetime as dt

import pytest

from masip.accounts.tests.factories import AgencyFactory
from masip.audit.events import EventType
from masip.audit.models import AuditEvent
from masip.core.errors import StaleEditError
from masip.interventions import services
from masip.interventions.models import Custody, Intervention, InterventionSession
from masip.interventions.services import InterventionRefused
from masip.interventions.tests.factories import custody_for, supervision_for
from masip.people.tests.factories import actor_for

TODAY = dt.date(2026, 12, 3)
TREATMENT = Intervention.Kind.PSYCHOLOGICAL_TREATMENT


def _record(cast, user=None, **kwargs):
    values = {
        "actor": actor_for(user or cast.partner_worker),
        "case": cast.case,
        "subject": cast.perpetrator,
        "kind": Intervention.Kind.PERPETRATOR_PROGRAMME,
        "provider_agency": cast.probation_a,
        "started_on": TODAY - dt.timedelta(days=10),
        "status": Intervention.Status.ACTIVE,
        "today": TODAY,
    }
    values.update(kwargs)
    return services.intervention_record(**values)


def _events(event_type):
    return list(AuditEvent.objects.filter(event_type=event_type))


def test_intervention_record_saves_and_audits(cast):
    intervention = _record(cast, practitioner="Sam Example, programme facilitator")

    assert intervention.engagement == Intervention.Engagement.NOT_KNOWN
    assert intervention.recorded_by_agency == cast.probation_a
    assert intervention.practitioner == "Sam Example, programme facilitator"
    [event] = _events(EventType.INTERVENTION_RECORDED)
    assert event.target_id == str(intervention.public_id)
    assert event.case_reference == cast.case.reference


def test_intervention_record_refuses_someone_not_the_perpetrator(cast):
    with pytest.raises(InterventionRefused) as refused:
        _record(cast, subject=cast.victim)

    assert refused.value.field == "subject"


def test_intervention_record_refuses_an_agency_from_another_site(cast):
    with pytest.raises(InterventionRefused) as refused:
        _record(cast, provider_agency=cast.police_b)

    assert refused.value.field == "provider_agency"


def test_intervention_record_accepts_a_provider_of_the_site_not_on_the_case(cast):
    local = AgencyFactory(
        name="Local Programme", kind="local_authority", site=cast.police_a.site
    )

    assert _record(cast, provider_agency=local).provider_agency == local


def test_intervention_record_refuses_active_before_it_starts(cast):
    with pytest.raises(InterventionRefused) as refused:
        _record(cast, started_on=TODAY + dt.timedelta(days=1))

    assert refused.value.field == "started_on"


def test_intervention_record_refuses_an_end_before_the_start(cast):
    with pytest.raises(InterventionRefused) as refused:
        _record(cast, planned_end_on=TODAY - dt.timedelta(days=11))

    assert refused.value.field == "planned_end_on"


def test_intervention_record_refuses_someone_off_the_case(cast):
    with pytest.raises(InterventionRefused):
        _record(cast, user=cast.outsider)


def test_treatment_practitioner_needs_the_health_compartment(cast):
    with pytest.raises(InterventionRefused) as refused:
        _record(cast, kind=TREATMENT, practitioner="Dr Example")

    assert refused.value.field == "practitioner"
    # Recording that the treatment exists is open to probation...
    assert _record(cast, kind=TREATMENT).practitioner == ""
    # ...and the clinician names the practitioner.
    named = _record(
        cast,
        user=cast.clinician,
        kind=TREATMENT,
        provider_agency=cast.nhs_a,
        practitioner="Dr Example",
    )
    assert named.practitioner == "Dr Example"


# Updating -----------------------------------------------------------------------


def _update(cast, intervention, user=None, **kwargs):
    values = {
        "actor": actor_for(user or cast.partner_worker),
        "intervention": intervention,
        "version": intervention.version,
        "provider_agency": intervention.provider_agency,
        "status": intervention.status,
        "started_on": intervention.started_on,
        "planned_end_on": intervention.planned_end_on,
        "today": TODAY,
    }
    values.update(kwargs)
    return services.intervention_update(**values)


def test_intervention_update_rates_engagement_today_and_audits_names(cast):
    intervention = supervision_for(cast)

    saved = _update(cast, intervention, engagement=Intervention.Engagement.PARTIAL)

    assert saved.engagement == Intervention.Engagement.PARTIAL
    assert saved.engagement_rated_on == TODAY
    assert saved.version == intervention.version + 1
    [event] = _events(EventType.INTERVENTION_UPDATED)
    assert event.changed_fields == ["engagement", "engagement_rated_on"]


def test_intervention_update_with_nothing_changed_saves_nothing(cast):
    intervention = supervision_for(cast)

    saved = _update(cast, intervention)

    assert saved.version == intervention.version
    assert not _events(EventType.INTERVENTION_UPDATED)


def test_intervention_update_from_an_old_version_is_stale(cast):
    intervention = supervision_for(cast)
    _update(cast, intervention, engagement=Intervention.Engagement.GOOD)

    with pytest.raises(StaleEditError) as stale:
        _update(cast, intervention, engagement=Intervention.Engagement.POOR)

    assert stale.value.current["engagement"] == Intervention.Engagement.GOOD
    assert stale.value.current_version == intervention.version + 1


def test_treatment_engagement_needs_the_health_compartment(cast):
    treatment = supervision_for(cast, kind=TREATMENT, provider_agency=cast.nhs_a)

    with pytest.raises(InterventionRefused):
        _update(cast, treatment, engagement=Intervention.Engagement.GOOD)
    # Probation may still keep its dates and status current.
    moved = _update(cast, treatment, planned_end_on=TODAY + dt.timedelta(days=60))
    assert moved.planned_end_on == TODAY + dt.timedelta(days=60)
    rated = _update(
        cast, moved, user=cast.clinician, engagement=Intervention.Engagement.GOOD
    )
    assert rated.engagement == Intervention.Engagement.GOOD


def test_intervention_update_refuses_an_ended_intervention(cast):
    ended = supervision_for(
        cast,
        status=Intervention.Status.COMPLETED,
        ended_on=TODAY,
        outcome=Intervention.Outcome.COMPLETED,
    )

    with pytest.raises(InterventionRefused):
        _update(cast, ended, status=Intervention.Status.ACTIVE)


# Ending ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("outcome", "status"),
    [
        (Intervention.Outcome.COMPLETED, Intervention.Status.COMPLETED),
        (Intervention.Outcome.PARTLY_COMPLETED, Intervention.Status.COMPLETED),
        (Intervention.Outcome.DECLINED, Intervention.Status.DECLINED),
        (Intervention.Outcome.BREACHED, Intervention.Status.ENDED_EARLY),
        (Intervention.Outcome.DISENGAGED, Intervention.Status.ENDED_EARLY),
    ],
)
def test_intervention_end_sets_the_status_from_the_outcome(cast, outcome, status):
    intervention = supervision_for(cast)

    ended = services.intervention_end(
        actor=actor_for(cast.partner_worker),
        intervention=intervention,
        version=intervention.version,
        ended_on=TODAY,
        outcome=outcome,
        outcome_note="Written for the test.",
        today=TODAY,
    )

    assert (ended.status, ended.ended_on, ended.outcome) == (status, TODAY, outcome)
    assert ended.outcome_note == "Written for the test."


def test_intervention_end_refuses_a_date_in_the_future(cast):
    intervention = supervision_for(cast)

    with pytest.raises(InterventionRefused) as refused:
        services.intervention_end(
            actor=actor_for(cast.partner_worker),
            intervention=intervention,
            version=intervention.version,
            ended_on=TODAY + dt.timedelta(days=1),
            outcome=Intervention.Outcome.COMPLETED,
            today=TODAY,
        )

    assert refused.value.field == "ended_on"


def test_treatment_end_needs_the_health_compartment(cast):
    treatment = supervision_for(cast, kind=Intervention.Kind.PSYCHIATRIC_TREATMENT)

    with pytest.raises(InterventionRefused):
        services.intervention_end(
            actor=actor_for(cast.lead_worker),
            intervention=treatment,
            version=treatment.version,
            ended_on=TODAY,
            outcome=Intervention.Outcome.COMPLETED,
            today=TODAY,
        )


# Sessions --------------------------------------------------------------------------


def test_session_record_saves_and_audits_against_the_intervention(cast):
    intervention = supervision_for(cast, started_on=TODAY - dt.timedelta(days=30))

    session = services.session_record(
        actor=actor_for(cast.partner_worker),
        intervention=intervention,
        on=TODAY - dt.timedelta(days=2),
        attendance=InterventionSession.Attendance.MISSED_REASON,
        note="Said he was unwell.",
        today=TODAY,
    )

    assert session.note == "Said he was unwell."
    [event] = _events(EventType.INTERVENTION_SESSION_RECORDED)
    assert event.target_id == str(intervention.public_id)


@pytest.mark.parametrize("days", [-31, 1])
def test_session_record_refuses_a_date_outside_the_intervention(cast, days):
    intervention = supervision_for(cast, started_on=TODAY - dt.timedelta(days=30))

    with pytest.raises(InterventionRefused) as refused:
        services.session_record(
            actor=actor_for(cast.partner_worker),
            intervention=intervention,
            on=TODAY + dt.timedelta(days=days),
            attendance=InterventionSession.Attendance.ATTENDED,
            today=TODAY,
        )

    assert refused.value.field == "on"


def test_session_on_treatment_needs_the_health_compartment(cast):
    treatment = supervision_for(cast, kind=TREATMENT, provider_agency=cast.nhs_a)
    on = TODAY - dt.timedelta(days=1)
    attended = InterventionSession.Attendance.ATTENDED

    with pytest.raises(InterventionRefused):
        services.session_record(
            actor=actor_for(cast.partner_worker),
            intervention=treatment,
            on=on,
            attendance=attended,
            today=TODAY,
        )
    services.session_record(
        actor=actor_for(cast.clinician),
        intervention=treatment,
        on=on,
        attendance=attended,
        today=TODAY,
    )
    assert treatment.sessions.count() == 1


# Custody ----------------------------------------------------------------------------


def test_custody_record_refuses_a_start_in_the_future(cast):
    with pytest.raises(InterventionRefused) as refused:
        services.custody_record(
            actor=actor_for(cast.lead_worker),
            case=cast.case,
            subject=cast.perpetrator,
            kind=Custody.Kind.REMAND,
            establishment="HMP Exampleton",
            started_on=TODAY + dt.timedelta(days=1),
            today=TODAY,
        )

    assert refused.value.field == "started_on"


def test_custody_record_refuses_a_release_before_it_began(cast):
    with pytest.raises(InterventionRefused) as refused:
        services.custody_record(
            actor=actor_for(cast.lead_worker),
            case=cast.case,
            subject=cast.perpetrator,
            kind=Custody.Kind.REMAND,
            establishment="HMP Exampleton",
            started_on=TODAY,
            expected_release_on=TODAY - dt.timedelta(days=1),
            today=TODAY,
        )

    assert refused.value.field == "expected_release_on"


def test_custody_release_refuses_a_future_date_then_records_and_audits(cast):
    custody = custody_for(cast, started_on=TODAY - dt.timedelta(days=40))
    actor = actor_for(cast.lead_worker)

    with pytest.raises(InterventionRefused) as refused:
        services.custody_release(
            actor=actor,
            custody=custody,
            version=custody.version,
            released_on=TODAY + dt.timedelta(days=1),
            release_kind=Custody.ReleaseKind.ON_LICENCE,
            today=TODAY,
        )
    released = services.custody_release(
        actor=actor,
        custody=custody,
        version=custody.version,
        released_on=TODAY,
        release_kind=Custody.ReleaseKind.ON_LICENCE,
        today=TODAY,
    )

    assert refused.value.field == "released_on"
    assert (released.released_on, released.in_custody) == (TODAY, False)
    [event] = _events(EventType.CUSTODY_UPDATED)
    assert event.changed_fields == ["release_kind", "released_on"]


def test_custody_update_refuses_a_released_period(cast):
    custody = custody_for(
        cast,
        started_on=TODAY - dt.timedelta(days=40),
        released_on=TODAY,
        release_kind=Custody.ReleaseKind.BAIL,
    )

    with pytest.raises(InterventionRefused):
        services.custody_update(
            actor=actor_for(cast.lead_worker),
            custody=custody,
            version=custody.version,
            kind=custody.kind,
            establishment="HMP Elsewhere",
            started_on=custody.started_on,
            expected_release_on=None,
            today=TODAY,
        )
