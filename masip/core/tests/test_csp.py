"""The CSP report endpoint: counts what browsers report, keeps nothing sensitive."""

import json

import pytest
from django.test import Client

from masip.core import csp
from masip.core.models import CspViolation

pytestmark = pytest.mark.django_db

LEGACY = {
    "csp-report": {
        "document-uri": "https://masip.example/cases/STK-AAAA-BBBB/?q=Avery",
        "violated-directive": "script-src-elem",
        "effective-directive": "script-src-elem",
        "blocked-uri": "inline",
    }
}
REPORTING_API = [
    {
        "type": "csp-violation",
        "body": {
            "documentURL": "https://masip.example/sign-in/",
            "effectiveDirective": "img-src",
            "blockedURL": "https://tracker.example/pixel.gif?who=someone",
        },
    },
    {"type": "deprecation", "body": {"id": "x"}},
]


def _post(body: object, content_type: str = "application/csp-report"):
    return Client().post("/csp-report/", json.dumps(body), content_type=content_type)


def test_a_legacy_report_is_counted_without_the_query_string():
    response = _post(LEGACY)

    assert response.status_code == 204
    row = CspViolation.objects.get()
    assert (row.directive, row.blocked, row.page) == (
        "script-src-elem",
        "inline",
        "/cases/STK-AAAA-BBBB/",
    )


def test_a_reporting_api_list_keeps_only_scheme_and_host_of_the_blocked_address():
    _post(REPORTING_API, "application/reports+json")

    row = CspViolation.objects.get()
    assert (row.directive, row.blocked, row.page) == (
        "img-src",
        "https://tracker.example",
        "/sign-in/",
    )


def test_the_same_violation_again_adds_to_its_count():
    _post(LEGACY)
    _post(LEGACY)

    assert CspViolation.objects.get().count == 2


@pytest.mark.parametrize(
    "body",
    [b"not json", b"[]", b'{"something": 1}', b'{"csp-report": {"blocked-uri": 1}}'],
)
def test_unusable_reports_are_accepted_and_ignored(body):
    response = Client().post("/csp-report/", body, content_type="application/json")

    assert response.status_code == 204
    assert not CspViolation.objects.exists()


def test_an_oversized_report_is_refused():
    response = Client().post(
        "/csp-report/", b"x" * (csp.MAX_REPORT_BYTES + 1), content_type="text/plain"
    )

    assert response.status_code == 413


def test_only_post_is_answered():
    assert Client().get("/csp-report/").status_code == 405


def test_new_kinds_stop_being_stored_at_the_cap(monkeypatch):
    monkeypatch.setattr(csp, "MAX_DISTINCT", 1)
    _post(LEGACY)
    _post(REPORTING_API, "application/reports+json")

    assert CspViolation.objects.count() == 1
