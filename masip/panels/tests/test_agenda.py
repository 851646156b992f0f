"""Agenda suggestions, worked out from a fixed date (``on``) rather than the
clock; the record times they read are set explicitly."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from masip.access.policy import Access
from masip.cases.models import CaseStatus, StatusChange
from masip.cases.tests.factories import CaseFactory
from masip.incidents.models import Incident
from masip.incidents.tests.factories import IncidentFactory
from masip.panels import agenda, selectors
from masip.panels.models import AgendaItem, Meeting
from masip.panels.tests.factories import AgendaItemFactory, MeetingFactory, cast_panel
from masip.risk.models import PanelQueueEntry, RiskSchedule

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 3, 2)
MEETING_DAY = dt.date(2026, 3, 10)
Reason = AgendaItem.Reason


def at(day: dt.date, hour: int = 12) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


@pytest.fixture
def meeting(cast):
    return MeetingFactory(
        panel=cast_panel(cast), held_on=MEETING_DAY, created_by=cast.panel_coordinator
    )


def suggest(cast, meeting, on=TODAY):
    cases = selectors.cases_for_agenda(Access(cast.panel_coordinator), meeting.panel)
    return {
        s.case.reference: s
        for s in agenda.suggestions(meeting=meeting, cases=cases, on=on)
    }


def site_case(cast, **kwargs):
    return CaseFactory(lead_agency=cast.police_a, created_by=cast.lead_worker, **kwargs)


def accepted(case, user, when):
    change = StatusChange.objects.create(
        case=case,
        from_status="screening",
        to_status=CaseStatus.ACCEPTED,
        changed_by=user,
    )
    StatusChange.objects.filter(pk=change.pk).update(changed_at=when)


def escalated_incident(cast, case, when, escalations=("threat_kill",)):
    incident = IncidentFactory(
        case=case,
        escalations=list(escalations),
        recorded_by=cast.lead_worker,
        recorded_by_agency=cast.police_a,
    )
    Incident.objects.filter(pk=incident.pk).update(created_at=when)
    return incident


def test_nothing_is_suggested_for_a_quiet_site(cast, meeting):
    assert suggest(cast, meeting) == {}


def test_referrals_accepted_in_the_last_35_days_are_suggested_when_no_meeting_was_held(
    cast, meeting
):
    recent, old = site_case(cast), site_case(cast)
    accepted(recent, cast.panel_coordinator, at(TODAY - dt.timedelta(days=35)))
    accepted(old, cast.panel_coordinator, at(TODAY - dt.timedelta(days=36)))

    found = suggest(cast, meeting)

    assert set(found) == {recent.reference}
    assert found[recent.reference].reason == Reason.NEW_REFERRAL
    assert found[recent.reference].detail == "Accepted on 26 January 2026."


def test_new_means_since_the_previous_held_meeting(cast, meeting):
    MeetingFactory(
        panel=meeting.panel,
        held_on=TODAY - dt.timedelta(days=10),
        status=Meeting.Status.HELD,
        created_by=cast.panel_coordinator,
    )
    # A cancelled meeting since then does not count.
    MeetingFactory(
        panel=meeting.panel,
        held_on=TODAY - dt.timedelta(days=3),
        status=Meeting.Status.CANCELLED,
        created_by=cast.panel_coordinator,
    )
    before, after = site_case(cast), site_case(cast)
    accepted(before, cast.panel_coordinator, at(TODAY - dt.timedelta(days=11)))
    accepted(after, cast.panel_coordinator, at(TODAY - dt.timedelta(days=10), 15))
    escalated_incident(cast, before, at(TODAY - dt.timedelta(days=12)))

    assert agenda.since(meeting, on=TODAY) == TODAY - dt.timedelta(days=10)
    assert set(suggest(cast, meeting)) == {after.reference}


def test_high_risk_cases_are_suggested(cast, meeting):
    high = site_case(cast, risk_level="high")
    site_case(cast, risk_level="medium")

    found = suggest(cast, meeting)

    assert set(found) == {high.reference}
    assert found[high.reference].reason_label == "High risk"


def test_cases_due_for_review_by_the_meeting_date_are_suggested(cast, meeting):
    scheduled, by_case, later = site_case(cast), site_case(cast), site_case(cast)
    RiskSchedule.objects.create(case=scheduled, reassess_by=MEETING_DAY)
    RiskSchedule.objects.create(case=later, reassess_by=MEETING_DAY + dt.timedelta(1))
    by_case.review_due_on = MEETING_DAY - dt.timedelta(days=20)
    by_case.save()

    found = suggest(cast, meeting)

    assert set(found) == {scheduled.reference, by_case.reference}
    assert found[scheduled.reference].detail == "Risk review due by 10 March 2026."
    assert found[by_case.reference].detail == "Case review due by 18 February 2026."


def test_cases_with_escalating_incidents_recorded_since_are_suggested(cast, meeting):
    threat, calm = site_case(cast), site_case(cast)
    escalated_incident(cast, threat, at(TODAY - dt.timedelta(days=2)), ["weapon"])
    escalated_incident(cast, calm, at(TODAY - dt.timedelta(days=2)), [])

    found = suggest(cast, meeting)

    assert set(found) == {threat.reference}
    assert found[threat.reference].reason == Reason.ESCALATION
    assert "a weapon used, shown or mentioned" in found[threat.reference].detail


def test_cases_waiting_in_the_panel_queue_are_suggested(cast, meeting):
    waiting, taken = site_case(cast), site_case(cast)
    PanelQueueEntry.objects.create(case=waiting, reason="Rated high risk on 1 March.")
    PanelQueueEntry.objects.create(
        case=taken, reason="Rated high risk.", taken_at=timezone.now()
    )

    found = suggest(cast, meeting)

    assert set(found) == {waiting.reference}
    assert found[waiting.reference].reason == Reason.QUEUED
    assert "Rated high risk on 1 March." in found[waiting.reference].detail


def test_closed_listed_and_other_site_cases_are_left_out(cast, meeting):
    listed = site_case(cast, risk_level="high")
    AgendaItemFactory(meeting=meeting, case=listed)
    site_case(
        cast,
        risk_level="high",
        status=CaseStatus.CLOSED,
        closure_reason="risk_reduced",
        closed_on=TODAY,
    )
    cast.other_case.risk_level = "high"  # site B
    cast.other_case.save()
    PanelQueueEntry.objects.create(case=cast.other_case, reason="Rated high risk.")

    assert suggest(cast, meeting) == {}


def test_a_case_with_several_reasons_is_suggested_once_under_the_most_pressing(
    cast, meeting
):
    case = site_case(cast, risk_level="high")
    escalated_incident(cast, case, at(TODAY - dt.timedelta(days=1)))
    accepted(case, cast.panel_coordinator, at(TODAY - dt.timedelta(days=4)))

    found = suggest(cast, meeting)

    suggestion = found[case.reference]
    assert suggestion.reason == Reason.ESCALATION
    assert set(suggestion.reasons) == {
        Reason.ESCALATION,
        Reason.HIGH_RISK,
        Reason.NEW_REFERRAL,
    }
    assert suggestion.detail.startswith("An incident recorded on 1 March 2026")
    assert "Risk level is high." in suggestion.detail


def test_suggestions_come_most_pressing_first(cast, meeting):
    review = site_case(cast, review_due_on=MEETING_DAY)
    high = site_case(cast, risk_level="high")
    queued = site_case(cast)
    PanelQueueEntry.objects.create(case=queued, reason="Rated high risk.")

    cases = selectors.cases_for_agenda(Access(cast.panel_coordinator), meeting.panel)
    order = [s.case for s in agenda.suggestions(meeting=meeting, cases=cases, on=TODAY)]

    assert order == [queued, high, review]


def _count_queries(cast, meeting):
    cases = selectors.cases_for_agenda(Access(cast.panel_coordinator), meeting.panel)
    with CaptureQueriesContext(connection) as queries:
        found = agenda.suggestions(meeting=meeting, cases=cases, on=TODAY)
    return len(found), len(queries)


def _every_reason(cast, count):
    for _ in range(count):
        case = site_case(cast, risk_level="high", review_due_on=MEETING_DAY)
        accepted(case, cast.panel_coordinator, at(TODAY))
        escalated_incident(cast, case, at(TODAY))
        PanelQueueEntry.objects.create(case=case, reason="Rated high risk.")


def test_suggestions_take_the_same_queries_for_2_or_20_cases(cast, meeting):
    _every_reason(cast, 2)
    few, few_queries = _count_queries(cast, meeting)
    _every_reason(cast, 18)
    many, many_queries = _count_queries(cast, meeting)

    assert (few, many) == (2, 20)
    assert few_queries == many_queries


def test_cases_with_a_breach_or_a_possible_breach_come_first(cast, meeting):
    from masip.orders.models import Breach
    from masip.orders.tests.factories import make_breach, make_order, make_review

    breach = make_breach(cast)
    make_review(cast, make_order(cast))
    quiet = site_case(cast)

    found = suggest(cast, meeting)

    suggestion = found[cast.case.reference]
    assert suggestion.reason == Reason.BREACH
    assert suggestion.reasons[Reason.BREACH].startswith("A breach of the Stalking")
    assert quiet.reference not in found
    # A breach recorded before the period counts no more; the open review still does.
    Breach.objects.filter(pk=breach.pk).update(
        created_at=at(TODAY - dt.timedelta(days=60))
    )
    again = suggest(cast, meeting)[cast.case.reference]
    assert again.reasons[Reason.BREACH].endswith("awaits review.")
