"""Reading interventions and custody: attendance rates, releases coming up
for the dashboard, the case timeline, and the history without health details."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext

from masip.access.policy import Access
from masip.cases.models import Case
from masip.interventions import selectors, services
from masip.interventions.models import Custody, Intervention, InterventionSession
from masip.interventions.tests.factories import (
    InterventionSessionFactory,
    custody_for,
    supervision_for,
)
from masip.people.tests.factories import actor_for

TODAY = dt.date(2026, 12, 3)
A = InterventionSession.Attendance


def test_attendance_rate_leaves_out_provider_cancellations(cast):
    intervention = supervision_for(cast)
    for attendance in (
        A.ATTENDED,
        A.ATTENDED,
        A.ATTENDED,
        A.MISSED_NO_REASON,
        A.CANCELLED,
        A.CANCELLED,
    ):
        InterventionSessionFactory(intervention=intervention, attendance=attendance)
    case_access = Access(cast.partner_worker).case_access(cast.case)

    [row] = selectors.intervention_rows(
        selectors.case_interventions(case=cast.case), case_access
    )

    assert (row.attended, row.missed, row.rate) == (3, 1, 75)
    assert selectors.attendance_rate(0, 0) is None


def test_health_withheld_only_for_treatment_without_the_compartment(cast):
    treatment = supervision_for(cast, kind=Intervention.Kind.PSYCHIATRIC_TREATMENT)
    supervision = supervision_for(cast)
    police = Access(cast.lead_worker).case_access(cast.case)
    nhs = Access(cast.clinician).case_access(cast.case)

    assert selectors.health_withheld(treatment, police) is True
    assert selectors.health_withheld(treatment, nhs) is False
    assert selectors.health_withheld(supervision, police) is False


def _releases(cast, **kwargs):
    return list(
        selectors.releases_upcoming(
            Case.objects.filter(pk=cast.case.pk), today=TODAY, within_days=14, **kwargs
        )
    )


def test_releases_upcoming_keeps_the_window_soonest_first(cast):
    start = TODAY - dt.timedelta(days=100)
    later = custody_for(
        cast, started_on=start, expected_release_on=TODAY + dt.timedelta(days=14)
    )
    today = custody_for(cast, started_on=start, expected_release_on=TODAY)
    custody_for(
        cast, started_on=start, expected_release_on=TODAY + dt.timedelta(days=15)
    )
    custody_for(
        cast, started_on=start, expected_release_on=TODAY - dt.timedelta(days=1)
    )
    custody_for(
        cast,
        started_on=start,
        expected_release_on=TODAY + dt.timedelta(days=2),
        released_on=TODAY,
        release_kind=Custody.ReleaseKind.BAIL,
    )

    assert _releases(cast) == [today, later]


def test_releases_upcoming_filters_by_agency_and_cases(cast):
    start = TODAY - dt.timedelta(days=100)
    police = custody_for(cast, started_on=start, expected_release_on=TODAY)
    custody_for(
        cast,
        started_on=start,
        expected_release_on=TODAY,
        recorded_by=cast.partner_worker,
        recorded_by_agency=cast.probation_a,
    )
    custody_for(cast, case=cast.other_case, started_on=start, expected_release_on=TODAY)

    assert _releases(cast, agency=cast.police_a) == [police]
    assert len(_releases(cast)) == 2


def test_releases_upcoming_query_count_does_not_grow(cast):
    start = TODAY - dt.timedelta(days=100)

    def count():
        with CaptureQueriesContext(connection) as queries:
            shown = [
                (
                    c.case.lead_agency.name,
                    c.subject.full_name,
                    c.recorded_by_agency.name,
                )
                for c in _releases(cast)
            ]
        assert shown
        return len(queries)

    custody_for(cast, started_on=start, expected_release_on=TODAY)
    few = count()
    for _ in range(10):
        custody_for(cast, started_on=start, expected_release_on=TODAY)
    assert count() == few == 1


def test_timeline_lists_starts_ends_custody_and_release_newest_first(cast):
    supervision_for(cast, started_on=TODAY - dt.timedelta(days=20))
    supervision_for(
        cast,
        kind=Intervention.Kind.PSYCHOLOGICAL_TREATMENT,
        started_on=TODAY - dt.timedelta(days=40),
        status=Intervention.Status.ENDED_EARLY,
        ended_on=TODAY - dt.timedelta(days=5),
        outcome=Intervention.Outcome.DISENGAGED,
    )
    custody_for(
        cast,
        started_on=TODAY - dt.timedelta(days=10),
        released_on=TODAY - dt.timedelta(days=1),
        release_kind=Custody.ReleaseKind.BAIL,
    )
    supervision_for(cast, status=Intervention.Status.PLANNED)  # not started
    police = Access(cast.lead_worker).case_access(cast.case)

    context = selectors.intervention_timeline_context(cast.case, police)

    events = context["intervention_events"]
    assert [e.title for e in events] == [
        "Released from custody",
        "Psychological treatment ended early",
        "Taken into custody: remand",
        "Probation supervision started",
        "Psychological treatment started",
    ]
    assert events[1].note == ""  # the outcome is health information
    nhs = Access(cast.clinician).case_access(cast.case)
    shown = selectors.intervention_timeline_context(cast.case, nhs)
    assert shown["intervention_events"][1].note == "Outcome: Disengaged"


def test_timeline_context_is_empty_without_the_verb(cast):
    auditor = Access(cast.auditor).case_access(cast.case)

    assert selectors.intervention_timeline_context(cast.case, auditor) == {}


def test_history_leaves_out_health_changes_for_readers_without_them(cast):
    treatment = supervision_for(
        cast, kind=Intervention.Kind.PSYCHOLOGICAL_TREATMENT, provider_agency=cast.nhs_a
    )
    services.intervention_update(
        actor=actor_for(cast.clinician),
        intervention=treatment,
        version=treatment.version,
        provider_agency=cast.nhs_a,
        status=treatment.status,
        started_on=treatment.started_on,
        planned_end_on=None,
        engagement=Intervention.Engagement.POOR,
    )

    hidden = selectors.intervention_history(
        case=cast.case, intervention=treatment, withheld=True
    )
    shown = selectors.intervention_history(
        case=cast.case, intervention=treatment, withheld=False
    )

    assert hidden == []
    assert [row.detail for row in shown] == ["Changed: engagement, engagement rated on"]
