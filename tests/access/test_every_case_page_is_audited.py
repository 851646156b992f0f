"""Every case page served to a persona who reaches it is a recorded read."""

import pytest

from masip.access.actors import PURPOSE_SESSION_PREFIX
from masip.audit.models import AuditEvent
from tests.access.test_url_matrix import CASE_URLS, _fill
from tests.personas import REACHES_CASE


@pytest.mark.parametrize("persona", sorted(REACHES_CASE))
def test_every_case_page_served_writes_an_audit_event(cast, client_for, persona):
    client = client_for(persona)
    session = client.session
    session[PURPOSE_SESSION_PREFIX + cast.case.reference] = "Checking the panel agenda"
    session.save()
    unaudited = []

    for name, route in CASE_URLS:
        before = AuditEvent.objects.filter(case_reference=cast.case.reference).count()
        response = client.get(_fill(route, cast))
        after = AuditEvent.objects.filter(case_reference=cast.case.reference).count()
        if response.status_code == 200 and after == before:
            unaudited.append(name)

    assert not unaudited, unaudited


def test_the_access_log_names_who_opened_which_page(cast, client_for):
    client_for("partner_worker").get(f"/cases/{cast.case.reference}/incidents/")

    event = AuditEvent.objects.filter(case_reference=cast.case.reference).last()

    assert event.actor_id == cast.partner_worker.pk
    assert event.agency_label == "Probation A"
    assert event.role == "case_worker"
