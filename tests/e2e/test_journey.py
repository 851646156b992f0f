"""A lead worker's first hour with a case: open it, add the people, log incidents."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from tests.e2e.conftest import sign_in
from tests.personas import Cast


def fill_date(group: Locator, day: dt.date) -> None:
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


def open_case_section(page: Page, name: str) -> None:
    page.get_by_role("navigation", name="Case sections").get_by_role(
        "link", name=name
    ).click()


def create_case(page: Page, summary: str) -> str:
    """Fill in "New case" and return the new case's reference."""
    page.get_by_role("link", name="New case").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("New case")
    page.get_by_label("Police A").check()
    page.get_by_label("Summary").fill(summary)
    page.get_by_label("Ex-intimate partner").check()
    page.get_by_role("group", name="Who referred the case").get_by_label(
        "Police", exact=True
    ).check()
    page.get_by_role("button", name="Create case").click()
    page.wait_for_url(re.compile(r"/cases/[^/]+/$"))
    return page.url.rstrip("/").rsplit("/", 1)[-1]


def add_new_person(page: Page, *, part: str, given: str, family: str) -> None:
    open_case_section(page, "People")
    page.get_by_role("link", name="Add a person").click()
    page.get_by_role("group", name="Their part in this case").get_by_label(
        part, exact=True
    ).check()
    page.get_by_label("Given name").fill(given)
    page.get_by_label("Family name").fill(family)
    page.get_by_role("button", name="Add person").click()
    expect(page.get_by_text(f"{given} {family} added to the case.")).to_be_visible()


def record_incident(
    page: Page, *, day: dt.date, time: str, behaviour: str, channel: str, narrative: str
) -> None:
    page.get_by_role("link", name="Record an incident").click()
    fill_date(page.get_by_role("group", name="Date", exact=True), day)
    page.get_by_label("Time (optional)", exact=True).fill(time)
    page.get_by_role("group", name="What did they do?").get_by_label(
        behaviour, exact=True
    ).check()
    page.get_by_role("group", name="How did it happen?").get_by_label(
        channel, exact=True
    ).check()
    page.get_by_label("What happened?").fill(narrative)
    page.get_by_role("group", name="Was it reported to the police?").get_by_label(
        "No", exact=True
    ).check()
    page.get_by_role("button", name="Record incident").click()
    expect(page.get_by_text("Incident recorded.")).to_be_visible()


@pytest.mark.e2e
def test_lead_worker_opens_case_adds_people_and_sees_incidents_in_order(
    page: Page, cast: Cast
) -> None:
    today = timezone.localdate()
    earlier, later = today - dt.timedelta(days=12), today - dt.timedelta(days=3)
    sign_in(page, cast.lead_worker)

    reference = create_case(
        page, "Ex-partner turns up at work and sends messages daily."
    )
    expect(page.get_by_text(f"Case {reference} created.")).to_be_visible()
    add_new_person(page, part="Victim", given="Robin", family="Journeyvictim")
    add_new_person(page, part="Person who stalks", given="Sam", family="Journeyperp")
    open_case_section(page, "Incidents and timeline")
    record_incident(
        page,
        day=earlier,
        time="08:40",
        behaviour="Following",
        channel="In person",
        narrative="Followed her from the station to the office.",
    )
    record_incident(
        page,
        day=later,
        time="21:05",
        behaviour="Contacting, or attempting to contact",
        channel="Text or messaging app",
        narrative="Sent forty messages in one evening.",
    )

    assert f"/cases/{reference}/incidents/" in page.url
    items = page.locator(".moj-timeline__item")
    expect(items).to_have_count(2)
    expect(items.nth(0)).to_contain_text("Sent forty messages in one evening.")
    expect(items.nth(1)).to_contain_text("Followed her from the station to the office.")
    stamps = items.locator("time").evaluate_all(
        "nodes => nodes.map(n => n.getAttribute('datetime'))"
    )
    times = [dt.datetime.fromisoformat(stamp) for stamp in stamps]
    assert times == sorted(times, reverse=True)
    open_case_section(page, "People")
    expect(page.get_by_role("link", name="Robin Journeyvictim")).to_be_visible()
    expect(page.get_by_role("link", name="Sam Journeyperp")).to_be_visible()


@pytest.mark.e2e
def test_pages_load_without_content_security_policy_violations(
    page: Page, cast: Cast
) -> None:
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text)
            if "Content Security Policy" in message.text
            else None
        ),
    )
    sign_in(page, cast.lead_worker)

    for path in (
        "/cases/",
        f"/cases/{cast.case.reference}/",
        f"/cases/{cast.case.reference}/people/",
        f"/cases/{cast.case.reference}/incidents/",
        f"/cases/{cast.case.reference}/incidents/record/",
    ):
        page.goto(path)
        expect(page.get_by_role("heading", level=1)).to_be_visible()

    assert violations == []
