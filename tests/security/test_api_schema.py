"""Schemathesis against the JSON API, as two identities from different agencies.

The OpenAPI document the API serves is loaded into schemathesis, which
generates requests for each operation (valid and invalid parameters) and
sends them through the Django WSGI application, signed in first as a Police
A worker and then as a Police B worker. Every response must:

* not be a server error (no 5xx);
* conform to the document (status code, content type, body schema), with
  schemathesis's other default checks (negative data rejected, and so on);
* never carry a case reference of the other agency's cases (agency B never
  receives agency A's references, nor A B's).

Each agency leads several cases, so a leak would show up in the list.
Examples: ``EXAMPLES`` (100) per operation and identity, so 200 per operation
(the CI figure in ../shared/SECURITY.md); set MASIP_SCHEMATHESIS_EXAMPLES to
run more, e.g. 500 for the nightly 1,000.
"""

import os

import pytest
import schemathesis
from django.conf import settings
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings

from masip.api.openapi import document
from masip.cases.tests.factories import CaseFactory

EXAMPLES = int(os.environ.get("MASIP_SCHEMATHESIS_EXAMPLES", "100"))

schema = schemathesis.openapi.from_dict(document())
schema.app = get_wsgi_application()
OPERATIONS = [("/cases/", "GET"), ("/cases/{reference}/", "GET")]
# Each identity, and the agency whose cases it must never see.
IDENTITIES = [("lead_worker", "police_b"), ("outsider", "police_a")]


@pytest.fixture
def wsgi_in_test_transaction():
    """Let WSGI requests share the test's transaction, as Django's test client does.

    A request through the WSGI handler fires ``request_started`` and
    ``request_finished``, whose ``close_old_connections`` would close the
    connection holding the test's transaction (PostgreSQL).
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def agencies_cases(cast, wsgi_in_test_transaction):
    """Three more cases led by each of Police A and Police B."""
    for agency in (cast.police_a, cast.police_b):
        for _ in range(3):
            CaseFactory(lead_agency=agency, created_by=cast.lead_worker)
    return cast


def _cookie(client) -> dict[str, str]:
    return {
        settings.SESSION_COOKIE_NAME: client.cookies[settings.SESSION_COOKIE_NAME].value
    }


def _references_led_by(agency) -> set[str]:
    return set(agency.led_cases.values_list("reference", flat=True))


@pytest.mark.parametrize(("path", "method"), OPERATIONS)
@pytest.mark.parametrize(("persona", "forbidden_agency"), IDENTITIES)
def test_api_conforms_and_never_crosses_agencies(
    agencies_cases, client_for, path, method, persona, forbidden_agency
):
    cookies = _cookie(client_for(persona))
    forbidden = _references_led_by(getattr(agencies_cases, forbidden_agency))
    own = {
        ref
        for ref in _references_led_by(agencies_cases.police_a)
        | _references_led_by(agencies_cases.police_b)
        if ref not in forbidden
    }
    assert forbidden
    assert own
    operation = schema[path][method]
    seen_own: set[str] = set()

    @given(case=operation.as_strategy())
    @hsettings(
        max_examples=EXAMPLES,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        derandomize=True,
        database=None,
    )
    def check(case):
        response = case.call_and_validate(cookies=cookies)
        assert response.status_code < 500
        leaked = [ref for ref in forbidden if ref in response.text]
        assert not leaked, f"{persona} received {leaked}"
        seen_own.update(ref for ref in own if ref in response.text)

    check()
    if path == "/cases/":
        # The property is not vacuous: the identity's own cases were listed.
        assert seen_own


@pytest.mark.parametrize(("persona", "forbidden_agency"), IDENTITIES)
def test_every_other_agency_reference_answers_404(
    agencies_cases, client_for, persona, forbidden_agency
):
    cookies = _cookie(client_for(persona))
    operation = schema["/cases/{reference}/"]["GET"]

    for reference in _references_led_by(getattr(agencies_cases, forbidden_agency)):
        case = operation.Case(path_parameters={"reference": reference})
        response = case.call_and_validate(cookies=cookies)
        assert response.status_code == 404
        assert reference not in response.text


def test_anonymous_requests_are_refused_as_documented(agencies_cases):
    for path, method in OPERATIONS:
        operation = schema[path][method]
        case = operation.Case(
            path_parameters={"reference": agencies_cases.case.reference}
        )
        response = case.call_and_validate()
        assert response.status_code == 401
