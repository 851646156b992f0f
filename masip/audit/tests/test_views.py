"""The audit trail page: auditors only, filtered, paginated, itself audited."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from masip.audit.events import EventType
from masip.audit.models import AuditEvent
from masip.audit.services import AuditActor, record
from masip.audit.tests.tampering import chain_of

URL = reverse("audit:event-list")
OTHER = AuditActor(
    user_id=99,
    label="Other Person <other.person@example.test>",
    agency_label="Probation A",
    role="case_worker",
)


def test_event_list_auditor_sees_events_newest_first(cast, client_for):
    chain_of(3)

    response = client_for("auditor").get(URL)

    assert response.status_code == 200
    seqs = [event.seq for event, _ in response.context["rows"]]
    assert seqs == [3, 2, 1]
    assert "Test Tamperer" in response.text
    assert "Viewed the case" in response.text


@pytest.mark.parametrize("persona", ["lead_worker", "lead_manager", "analyst"])
def test_event_list_without_audit_view_is_forbidden(cast, client_for, persona):
    response = client_for(persona).get(URL)

    assert response.status_code == 403


def test_event_list_outsider_is_forbidden(cast, client_for):
    response = client_for("outsider").get(URL)

    assert response.status_code == 403
    assert not AuditEvent.objects.filter(event_type=EventType.AUDIT_LOG_VIEWED).exists()


def test_event_list_records_the_viewing(cast, client_for):
    client_for("auditor").get(URL, {"case_reference": "stk-0001"})

    event = AuditEvent.objects.get(event_type=EventType.AUDIT_LOG_VIEWED)
    assert event.actor_id == cast.auditor.pk
    assert event.role == "auditor"
    assert event.case_reference == "STK-0001"


def test_event_list_filters_by_case_reference(cast, client_for):
    chain_of(3)

    response = client_for("auditor").get(URL, {"case_reference": " stk-0002 "})

    assert [e.case_reference for e, _ in response.context["rows"]] == ["STK-0002"]


def test_event_list_filters_by_actor_email(cast, client_for):
    chain_of(2)
    record(EventType.NOTE_ADDED, actor=OTHER, case_reference="STK-0001")

    response = client_for("auditor").get(URL, {"actor": "OTHER.PERSON@"})

    assert [e.actor_id for e, _ in response.context["rows"]] == [99]


def test_event_list_filters_by_event_type(cast, client_for):
    chain_of(2)
    record(EventType.NOTE_ADDED, actor=OTHER, case_reference="STK-0001")

    response = client_for("auditor").get(URL, {"event_type": EventType.NOTE_ADDED})

    assert [e.event_type for e, _ in response.context["rows"]] == ["note.added"]


def test_event_list_filters_by_date_range(cast, client_for):
    chain_of(3)
    today = timezone.localdate()
    yesterday = today - dt.timedelta(days=1)
    client = client_for("auditor")

    def seqs(start: dt.date, end: dt.date) -> list[int]:
        params = {**_date("date_from", start), **_date("date_to", end)}
        return [e.seq for e, _ in client.get(URL, params).context["rows"]]

    assert seqs(yesterday, today + dt.timedelta(days=1)) == [3, 2, 1]
    assert seqs(today - dt.timedelta(days=9), yesterday) == []


def test_event_list_bad_dates_show_errors_not_a_crash(cast, client_for):
    chain_of(2)

    response = client_for("auditor").get(
        URL,
        {
            "date_from_day": "31",
            "date_from_month": "2",
            "date_from_year": "2026",
            "date_to_day": "1",
            "date_to_month": "1",
            "date_to_year": "2020",
        },
    )

    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert "Enter a real date." in response.text
    assert response.context["rows"] == []
    assert "Correct the problem with the filters" in response.text


def test_event_list_to_before_from_is_an_error(cast, client_for):
    response = client_for("auditor").get(
        URL,
        {
            "date_from_day": "2",
            "date_from_month": "1",
            "date_from_year": "2026",
            "date_to_day": "1",
            "date_to_month": "1",
            "date_to_year": "2026",
        },
    )

    assert response.status_code == 200
    assert "must be the same as or after" in response.text


def test_event_list_paginates(cast, client_for, settings):
    settings.MASIP_PAGE_SIZE = 2
    chain_of(5)

    response = client_for("auditor").get(URL, {"page": "2"})

    assert [e.seq for e, _ in response.context["rows"]] == [3, 2]
    assert 'rel="next"' in response.text
    assert 'rel="prev"' in response.text


def test_event_list_bad_page_falls_back(cast, client_for):
    chain_of(2)

    response = client_for("auditor").get(URL, {"page": "lots"})

    assert response.status_code == 200
    assert len(response.context["rows"]) == 2


def test_event_list_query_count_does_not_grow_with_events(cast, client_for):
    client = client_for("auditor")
    chain_of(2)
    client.get(URL)  # warm the session

    with CaptureQueriesContext(connection) as few:
        client.get(URL)
    chain_of(20)
    with CaptureQueriesContext(connection) as many:
        client.get(URL)

    assert len(few) == len(many)


def _date(name: str, day: dt.date) -> dict[str, int]:
    return {
        f"{name}_day": day.day,
        f"{name}_month": day.month,
        f"{name}_year": day.year,
    }
