"""The JSON API: reach through the access policy, JSON errors, no sealed data."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from masip.access.actors import PURPOSE_SESSION_PREFIX
from masip.audit.events import EventType
from masip.audit.models import AuditEvent
from masip.cases.tests.factories import CaseFactory

LIST = reverse("api:case-list")


def detail(reference):
    return reverse("api:case-detail", kwargs={"reference": reference})


def test_list_returns_the_visible_cases_only(cast, client_for):
    response = client_for("lead_worker").get(LIST)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    references = [c["reference"] for c in response.json()["results"]]
    assert references == [cast.case.reference]


def test_list_filters_and_rejects_bad_parameters(cast, client_for):
    client = client_for("lead_worker")

    active = client.get(LIST, {"status": "active"}).json()
    bad = client.get(LIST, {"status": "sideways", "page": "0"})

    assert active["count"] == 0
    assert bad.status_code == 400
    assert set(bad.json()["errors"]) == {"status", "page"}


def test_list_page_past_the_end_is_404(cast, client_for):
    response = client_for("lead_worker").get(LIST, {"page": 2})

    assert response.status_code == 404
    assert response.json() == {"detail": "There is no such page."}


def test_list_pages_at_the_page_size(cast, client_for, settings):
    settings.MASIP_PAGE_SIZE = 2
    for _ in range(3):
        CaseFactory(lead_agency=cast.police_a, created_by=cast.lead_worker)

    body = client_for("lead_worker").get(LIST, {"page": 2}).json()

    assert (body["count"], body["page"], body["pages"]) == (4, 2, 2)
    assert len(body["results"]) == 2


def test_list_queries_do_not_grow_with_rows(cast, client_for):
    client = client_for("lead_worker")
    client.get(LIST)
    with CaptureQueriesContext(connection) as few:
        assert client.get(LIST).status_code == 200
    for _ in range(20):
        CaseFactory(lead_agency=cast.police_a, created_by=cast.lead_worker)

    with CaptureQueriesContext(connection) as many:
        assert client.get(LIST).status_code == 200

    assert len(many) == len(few)


def test_detail_returns_case_level_facts_and_is_audited(cast, client_for):
    response = client_for("partner_worker").get(detail(cast.case.reference))

    body = response.json()
    assert response.status_code == 200
    assert body["reference"] == cast.case.reference
    assert body["lead_agency"] == "Police A"
    event = AuditEvent.objects.filter(case_reference=cast.case.reference).last()
    assert (event.event_type, event.target_type) == (EventType.CASE_VIEWED, "api")
    assert event.actor_id == cast.partner_worker.pk


def test_detail_holds_nothing_sealed(cast, client_for):
    content = client_for("lead_worker").get(detail(cast.case.reference)).content

    for sealed in (b"Sealed Street", b"07700 900123", b"Bluebell", b"sealed"):
        assert sealed not in content


@pytest.mark.parametrize(
    "persona", ["outsider", "outsider_manager", "helpline_adviser"]
)
def test_out_of_reach_and_missing_are_the_same_404(cast, client_for, persona):
    client = client_for(persona)

    real = client.get(detail(cast.case.reference))
    missing = client.get(detail("STK-0000-0000"))

    assert real.status_code == missing.status_code == 404
    assert real.content == missing.content == b'{"detail": "Not found."}'


def test_role_needing_a_purpose_gets_403_until_it_is_given(cast, client_for):
    client = client_for("auditor")

    before = client.get(detail(cast.case.reference))
    session = client.session
    session[PURPOSE_SESSION_PREFIX + cast.case.reference] = "Complaint investigation"
    session.save()
    after = client.get(detail(cast.case.reference))

    assert before.status_code == 403
    assert "stated purpose" in before.json()["detail"]
    assert after.status_code == 200
    assert AuditEvent.objects.filter(purpose="Complaint investigation").exists()


def test_role_without_case_view_gets_403_on_the_list(cast, client_for):
    response = client_for("analyst").get(LIST)

    assert response.status_code == 403
    assert response.json() == {"detail": "Your roles do not allow this."}


def test_anonymous_gets_401_json(cast):
    for url in (LIST, detail(cast.case.reference), reverse("api:openapi")):
        response = Client().get(url)
        assert response.status_code == 401
        assert response.json() == {"detail": "Sign in to use the API."}


def test_password_only_session_is_sent_to_the_second_factor(cast):
    client = Client()
    client.force_login(
        cast.lead_worker, backend="django.contrib.auth.backends.ModelBackend"
    )

    response = client.get(LIST)

    assert response.status_code == 302
    assert "/mfa/" in response["Location"] or "verify" in response["Location"]


def test_writes_are_refused_with_405(cast, client_for):
    response = client_for("lead_worker").post(detail(cast.case.reference))

    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD, OPTIONS"
    assert response.json() == {"detail": "This API is read-only."}


def test_openapi_document_describes_the_endpoints(cast, client_for):
    document = client_for("lead_worker").get(reverse("api:openapi")).json()

    assert document["openapi"].startswith("3.")
    assert set(document["paths"]) == {"/cases/", "/cases/{reference}/"}
