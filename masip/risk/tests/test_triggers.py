"""Triggers: incidents and surges mark a case for review; levels schedule the
next assessment; a high level tells the lead's managers and queues the case
for the panel; overdue cases are listed for their agency."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from masip.accounts.models import Notification
from masip.incidents import services as incidents
from masip.incidents.tests.test_views import _form_data
from masip.people.tests.factories import actor_for
from masip.risk.models import PanelQueueEntry, ReviewFlag, RiskSchedule
from masip.risk.tests.test_views import SCREEN, _record, _screen_post
from masip.risk.triggers import FIRST_SCREEN_DAYS, due_on

pytestmark = pytest.mark.django_db


def _incident(cast, *, days_ago=1, escalations=()):
    return incidents.incident_record(
        actor=actor_for(cast.lead_worker),
        case=cast.case,
        occurred_at=timezone.now() - dt.timedelta(days=days_ago),
        behaviours=["contacting"],
        channels=["phone"],
        narrative="Synthetic incident for the tests.",
        escalations=escalations,
    )


def test_an_incident_with_a_threat_marks_the_case_for_review(cast, client_for):
    _incident(cast, escalations=["threat_kill", "breach"])

    flag = ReviewFlag.objects.get(case=cast.case)
    assert flag.kind == "incident"
    assert "a threat to kill" in flag.reason
    assert "a breach of an order, bail or licence condition" in flag.reason
    page = client_for("lead_worker").get(
        reverse("risk:picture", args=[cast.case.reference])
    )
    assert "Marked for a risk review" in page.content.decode()


def test_an_incident_without_escalation_marks_nothing(cast):
    _incident(cast)

    assert not ReviewFlag.objects.exists()


def test_a_surge_in_contact_marks_the_case_once(cast):
    for days_ago in (40, 1, 2, 3, 4):
        _incident(cast, days_ago=days_ago)

    surges = ReviewFlag.objects.filter(case=cast.case, kind="surge")
    assert surges.count() == 1
    assert "incidents in the seven days to" in surges.get().reason


def test_steady_contact_is_not_a_surge(cast):
    for days_ago in (3, 10, 17, 24, 31):
        _incident(cast, days_ago=days_ago)

    assert not ReviewFlag.objects.filter(kind="surge").exists()


def test_an_assessment_with_a_level_schedules_the_next_and_clears_marks(cast):
    _incident(cast, escalations=["violence"])

    assessment = _record(cast.lead_worker, cast.case, SCREEN, _screen_post())

    schedule = RiskSchedule.objects.get(case=cast.case)
    completed = timezone.localdate(assessment.completed_at)
    assert schedule.reassess_by == completed + dt.timedelta(days=91)  # standard
    assert not ReviewFlag.objects.filter(case=cast.case, cleared_at=None).exists()
    assert ReviewFlag.objects.get(case=cast.case).cleared_by == assessment


def test_a_check_in_schedules_nothing(cast):
    answers = {"feeling_safe": 3, "feeling_supported": 3, "feeling_listened_to": 3}
    _record(cast.advocate, cast.case, "victim-check-in", {**answers, "fear": 2})

    assert due_on(cast.case) == cast.case.referred_on + dt.timedelta(
        days=FIRST_SCREEN_DAYS
    )


def test_a_high_level_tells_the_lead_managers_and_queues_the_case_once(cast):
    _record(cast.lead_worker, cast.case, SCREEN, _screen_post(["weapons"]))
    _record(cast.lead_worker, cast.case, SCREEN, _screen_post(["threats_to_kill"]))

    entry = PanelQueueEntry.objects.get(case=cast.case)
    assert entry.reason.startswith("Rated high risk on")
    notices = Notification.objects.filter(kind=Notification.Kind.RISK_HIGH)
    assert {n.recipient for n in notices} == {cast.lead_manager}
    assert notices.get().case_reference == cast.case.reference
    assert RiskSchedule.objects.get(
        case=cast.case
    ).reassess_by == timezone.localdate() + dt.timedelta(days=28)


def test_overdue_cases_are_listed_for_their_agency(cast, client_for):
    cast.case.referred_on = timezone.localdate() - dt.timedelta(days=30)
    cast.case.save(update_fields=["referred_on"])
    url = reverse("risk-global:overdue")

    before = client_for("lead_worker").get(url).content.decode()
    partner = client_for("partner_worker").get(url).content.decode()
    _record(cast.lead_worker, cast.case, SCREEN, _screen_post())
    after = client_for("lead_worker").get(url).content.decode()

    assert cast.case.reference in before
    assert cast.case.reference not in partner  # not the agency that leads it
    assert cast.case.reference not in after


def test_the_incident_form_records_escalations(cast, client_for):
    client = client_for("lead_worker")
    url = reverse("incidents:incident-record", args=[cast.case.reference])

    response = client.post(url, _form_data(escalations=["weapon"]))

    assert response.status_code == 302
    assert ReviewFlag.objects.filter(case=cast.case, kind="incident").exists()
