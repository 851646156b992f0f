"""MASIP works with JavaScript switched off: sign in and record an incident."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.e2e.conftest import sign_in
from tests.e2e.test_journey import record_incident
from tests.personas import Cast


@pytest.mark.e2e
def test_without_javascript_worker_signs_in_and_records_incident(
    no_js_page: Page, cast: Cast
) -> None:
    page = no_js_page
    sign_in(page, cast.lead_worker)
    page.goto(f"/cases/{cast.case.reference}/incidents/")
    expect(page.locator(".moj-timeline__item")).to_have_count(1)

    record_incident(
        page,
        day=timezone.localdate() - dt.timedelta(days=1),
        time="2:30pm",
        behaviour="Watching or spying",
        channel="In person",
        narrative="Sat in a car outside the house for an hour.",
    )

    expect(page.locator("body")).not_to_have_class(re.compile(r"\bjs-enabled\b"))
    timeline = page.locator(".moj-timeline__item")
    expect(timeline).to_have_count(2)
    expect(timeline.first).to_contain_text(
        "Sat in a car outside the house for an hour."
    )
