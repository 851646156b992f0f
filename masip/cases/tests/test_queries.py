"""List pages run the same number of queries whatever the number of rows."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from masip.access.actors import Actor
from masip.accounts.models import Membership
from masip.audit import services as audit
from masip.audit.events import EventType
from masip.cases.models import ParticipantRole
from masip.cases.tests.factories import (
    CaseAllocationFactory,
    CaseFactory,
    CaseParticipantFactory,
)
from masip.incidents.tests.factories import IncidentFactory


def add_allocated_cases(cast, count):
    for _ in range(count):
        case = CaseFactory(lead_agency=cast.police_a, created_by=cast.lead_worker)
        CaseAllocationFactory(
            case=case, user=cast.lead_worker, allocated_by=cast.lead_manager
        )
        for role in (ParticipantRole.VICTIM, ParticipantRole.VICTIM, "perpetrator"):
            CaseParticipantFactory(case=case, role=role, added_by=cast.lead_worker)
        IncidentFactory(case=case, recorded_by=cast.lead_worker)


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def counts_for(cast, client_for, url, grow):
    """Queries with 2 rows, then with 15 rows."""
    client = client_for("lead_manager" if "access-log" in url else "lead_worker")
    grow(1)
    few = count_queries(client, url)
    grow(13)
    many = count_queries(client, url)
    return few, many


def test_my_cases_query_count_is_constant(cast, client_for):
    few, many = counts_for(
        cast,
        client_for,
        reverse("cases:my-cases"),
        lambda n: add_allocated_cases(cast, n),
    )

    assert few == many


def test_case_list_query_count_is_constant(cast, client_for, settings):
    settings.MASIP_PAGE_SIZE = 50
    few, many = counts_for(
        cast,
        client_for,
        reverse("cases:case-list") + "?status=&sort=-risk",
        lambda n: add_allocated_cases(cast, n),
    )

    assert few == many


def test_access_log_query_count_is_constant(cast, client_for, settings):
    settings.MASIP_PAGE_SIZE = 50
    membership = Membership.objects.select_related("agency").get(user=cast.lead_worker)
    actor = Actor(user=cast.lead_worker, membership=membership).audit

    def view_case(n):
        for _ in range(n):
            audit.record(
                EventType.CASE_VIEWED,
                actor=actor,
                target_type="case",
                target_id=cast.case.reference,
                case_reference=cast.case.reference,
            )

    url = reverse("cases:access-log", kwargs={"reference": cast.case.reference})
    few, many = counts_for(cast, client_for, url, view_case)

    assert few == many
