"""Row-level security through real requests (PostgreSQL only).

The middleware sets the request's reach and empties it afterwards; and with
the application connecting as a role that owns nothing, every persona sees
the same pages as without row-level security: the database enforces a
superset of the application policy, never less.
"""

import re
from unittest import mock

import pytest
from django.core.signals import request_finished
from django.db import close_old_connections, connection
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.test import RequestFactory

from masip.access.policy import Access
from masip.cases.models import Case
from masip.isolation import scope
from masip.isolation.middleware import RowSecurityMiddleware
from masip.isolation.testing import as_role, make_app_role
from tests.access.test_url_matrix import ALL_URLS, _fill

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="Row-level security exists on PostgreSQL only; SQLite relies on "
        "the application policy alone.",
    ),
]


def _current() -> dict[str, str]:
    return {name: scope.current(name) for name in scope.SETTINGS}


def test_a_request_runs_with_its_reach_and_leaves_none_behind(cast, client_for):
    from masip.cases import selectors

    seen: dict[str, str] = {}
    original = selectors.case_summary

    def spy(case: Case) -> object:
        seen.update(_current())
        return original(case)

    client = client_for("partner_worker")
    with mock.patch.object(selectors, "case_summary", spy):
        response = client.get(f"/cases/{cast.case.reference}/")

    assert response.status_code == 200
    assert seen["user_id"] == str(cast.partner_worker.pk)
    assert seen["agencies"] == str(cast.probation_a.pk)
    assert seen["member_agencies"] == str(cast.probation_a.pk)
    assert seen["sites"] == seen["referrer"] == seen["all_cases"] == ""
    assert _current() == dict(scope.EMPTY)


def test_each_request_overwrites_what_a_reused_connection_held(cast):
    scope.apply({"all_cases": scope.ON, "trusted": scope.ON, "agencies": "999"})
    seen: dict[str, str] = {}

    def view(request: HttpRequest) -> HttpResponse:
        seen.update(_current())
        return HttpResponse("ok")

    request = RequestFactory().get("/")
    request.access = Access(cast.lead_worker)  # type: ignore[attr-defined]
    RowSecurityMiddleware(view)(request)

    assert seen["all_cases"] == seen["trusted"] == ""
    assert seen["agencies"] == str(cast.police_a.pk)
    assert _current() == dict(scope.EMPTY)


def test_a_streaming_response_keeps_its_reach_until_closed(cast):
    def rows():
        yield scope.current("agencies")

    request = RequestFactory().get("/")
    request.access = Access(cast.lead_worker)  # type: ignore[attr-defined]
    response = RowSecurityMiddleware(lambda r: StreamingHttpResponse(rows()))(request)

    body = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    # As the test client does: closing a response would otherwise close the
    # test's connection (request_finished -> close_old_connections).
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)

    assert body.decode() == str(cast.police_a.pk)
    assert _current() == dict(scope.EMPTY)


def _stable(html: bytes) -> bytes:
    """The page without per-response tokens and nonces."""
    html = re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", html)
    return re.sub(rb'nonce="[^"]+"', b"", html)


def _body(response) -> bytes:
    """A page's bytes, or a streamed download's (evidence originals stream)."""
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


# Pages whose content changes with every visit (they list audit events,
# including the visit itself): compared by status only.
# An evidence item's page lists its chain of custody, the visit included.
LOGS = {"cases:access-log", "audit:event-list", "evidence:evidence-detail"}
GET_URLS = [(name, route) for name, route, _ in ALL_URLS]


# One persona for each way into a case: lead, share (two kinds of agency),
# break-the-glass verb, own referrals, site, every case, aggregate reports.
COMPARED = (
    "lead_worker",
    "partner_worker",
    "clinician",
    "outsider_manager",
    "helpline_adviser",
    "panel_coordinator",
    "auditor",
    "analyst",
)


@pytest.mark.parametrize("persona", COMPARED)
def test_pages_are_the_same_with_and_without_row_level_security(
    cast, client_for, persona
):
    client = client_for(persona)
    role = make_app_role()
    differences = []
    for name, route in GET_URLS:
        if name in {"accounts:sign-out"}:
            continue
        path = _fill(route, cast)
        owner = client.get(path)
        with as_role(role):
            app = client.get(path)
        if owner.status_code != app.status_code:
            differences.append(f"{name}: {owner.status_code} vs {app.status_code}")
        elif name not in LOGS and _stable(_body(owner)) != _stable(_body(app)):
            differences.append(f"{name}: content differs")

    assert not differences, "\n".join(differences)
