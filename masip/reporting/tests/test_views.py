"""The reports page: analysts only, aggregates only, itself audited."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from masip.audit.events import EventType
from masip.audit.models import AuditEvent
from masip.cases.models import CaseStatus
from masip.cases.tests.factories import CaseAllocationFactory, CaseFactory
from masip.incidents.tests.factories import IncidentFactory
from masip.reporting.selectors import SMALL, WITHHELD

URL = reverse("reporting:overview")


def test_overview_analyst_sees_suppressed_aggregates(cast, client_for):
    CaseFactory.create_batch(7, lead_agency=cast.police_a, status=CaseStatus.ACTIVE)
    CaseFactory.create_batch(9, lead_agency=cast.police_a, status=CaseStatus.SCREENING)

    response = client_for("analyst").get(URL)

    assert response.status_code == 200
    assert SMALL in response.text
    assert WITHHELD in response.text
    assert "Small numbers are suppressed" in response.text
    assert ">9</td>" in response.text


def test_overview_shows_no_cases_or_names(cast, client_for):
    response = client_for("analyst").get(URL)

    for secret in (
        cast.case.reference,
        cast.other_case.reference,
        cast.victim.family_name,
        cast.perpetrator.family_name,
        cast.lead_worker.full_name,
        cast.case.summary,
    ):
        assert secret not in response.text


def test_overview_records_the_viewing(cast, client_for):
    client_for("analyst").get(URL)

    event = AuditEvent.objects.get(event_type=EventType.REPORT_VIEWED)
    assert event.actor_id == cast.analyst.pk
    assert event.role == "analyst"


@pytest.mark.parametrize("persona", ["lead_worker", "lead_manager", "auditor"])
def test_overview_without_the_verb_is_forbidden(cast, client_for, persona):
    response = client_for(persona).get(URL)

    assert response.status_code == 403
    assert not AuditEvent.objects.filter(event_type=EventType.REPORT_VIEWED).exists()


def test_overview_outsider_is_forbidden(cast, client_for):
    assert client_for("outsider").get(URL).status_code == 403


def test_overview_query_count_does_not_grow_with_cases(cast, client_for):
    client = client_for("analyst")
    client.get(URL)  # warm the session

    with CaptureQueriesContext(connection) as few:
        client.get(URL)
    for case in CaseFactory.create_batch(20, lead_agency=cast.police_a):
        CaseAllocationFactory(case=case, user=cast.lead_worker)
        IncidentFactory(case=case)
    with CaptureQueriesContext(connection) as many:
        client.get(URL)

    assert len(few) == len(many)
