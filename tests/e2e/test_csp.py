"""Chromium, with the real policy on, reports no violation on any page we visit.

The count comes from the browser's own reports to /csp-report/, so a control
test first proves that a blocked inline script does get reported and counted.
"""

import time

import pytest
from django.urls import reverse

from masip.core.models import CspViolation
from tests.e2e.conftest import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _wait_for_reports(minimum: int, seconds: float = 5.0) -> int:
    deadline = time.monotonic() + seconds
    total = 0
    while time.monotonic() < deadline:
        total = sum(CspViolation.objects.values_list("count", flat=True))
        if total >= minimum:
            break
        time.sleep(0.1)
    return total


def test_a_blocked_inline_script_is_reported_and_counted(page, cast):
    sign_in(page, cast.lead_worker)

    page.evaluate(
        "() => { const s = document.createElement('script');"
        " s.textContent = 'window.injected = 1'; document.body.append(s); }"
    )

    assert _wait_for_reports(1) >= 1
    assert page.evaluate("() => window.injected") is None


@pytest.mark.parametrize("persona", ["lead_manager", "auditor", "analyst"])
def test_no_page_a_persona_visits_violates_the_policy(page, cast, persona):
    user = cast.persona(persona)
    sign_in(page, user)
    reference = cast.case.reference
    paths = [
        "/",
        reverse("accounts:notifications"),
        reverse("cases:case-list"),
        reverse("cases:my-cases"),
        reverse("cases:case-detail", kwargs={"reference": reference}),
        reverse("people:person-list", kwargs={"reference": reference}),
        reverse("incidents:incident-list", kwargs={"reference": reference}),
        reverse("cases:note-list", kwargs={"reference": reference}),
        reverse("reporting:overview"),
        reverse("audit:event-list"),
        reverse("retention:queue"),
    ]

    for path in paths:
        page.goto(path)
        page.wait_for_load_state("load")

    assert _wait_for_reports(1, seconds=1.0) == 0, list(
        CspViolation.objects.values("directive", "blocked", "page", "count")
    )
